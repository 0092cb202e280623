import Foundation
import GRDB
import Testing
@testable import GlossCore
@testable import GlossReplica
import GlossTestSupport

/// What an annotation's stored state keeps: the texts of body versions the creator wrote over
/// leave it, the log keeps them, and what everyone sees does not change.
@Suite struct StoredStateTests {
    let home = TestHome()

    func storedState(_ replica: Replica) throws -> String {
        try replica.pool.read { try String.fetchOne($0, sql: "SELECT state FROM annotations")! }
    }

    @Test func bodiesWrittenOverLeaveTheStoredStateButStayInTheLog() throws {
        // Given alice's note, rewritten twice, and bob's replica that received it all
        let alice = try home.replica("alice", user: "alice")
        let bob = try home.replica("bob", user: "bob")
        for r in [alice, bob] { _ = try r.importReport(Sample.report, source: "sample.txt") }
        let note = try alice.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting,
                                                    body: "First thoughts on cobalt", tags: []))
        _ = try alice.edit(note.id, body: "Second thoughts on cobalt")
        let last = try alice.edit(note.id, body: "Cobalt stockpiles are thin")
        _ = try bob.apply(Array(try alice.log(limit: 10).reversed()))

        // Then both show the last text, their stored states hold no earlier one, and the log keeps every version
        for replica in [alice, bob] {
            #expect(try replica.annotation(note.id) == last)
            let state = try storedState(replica)
            #expect(state.contains("Cobalt stockpiles are thin"))
            #expect(!state.contains("First thoughts") && !state.contains("Second thoughts"), "\(state)")
            let texts = try replica.log(annotation: note.id).compactMap { op -> String? in
                switch op.change {
                case let .create(creation): creation.body
                case let .editBody(text, _): text
                default: nil
                }
            }
            #expect(Set(texts) == ["First thoughts on cobalt", "Second thoughts on cobalt", "Cobalt stockpiles are thin"])
        }
    }

    @Test func aStateStoredWithEveryVersionReadsTheSameAndSlimsOnItsNextChange() throws {
        // Given a state as gloss stored it before dropping superseded versions: every text, no `superseded`
        let alice = try home.replica("alice", user: "alice")
        _ = try alice.importReport(Sample.report, source: "sample.txt")
        let note = try alice.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting,
                                                    body: "First thoughts on cobalt", tags: []))
        let edited = try alice.edit(note.id, body: "Cobalt stockpiles are thin")
        var full = AnnotationState(id: note.id)
        for op in try alice.log(annotation: note.id).reversed() {
            full.edits.merge(op.editBodyVersion.map { [op.id: $0] } ?? [:]) { a, _ in a }
            if case let .create(creation) = op.change {
                full.created = .init(op: op.id, hlc: op.hlc, author: op.author, creation: creation)
            }
        }
        #expect(full.superseded.isEmpty && full.created?.creation.body == "First thoughts on cobalt")
        try alice.pool.write { try $0.execute(sql: "UPDATE annotations SET state = ?", arguments: [try JSON.string(full)]) }

        // Then it reads as the same annotation
        #expect(try alice.annotation(note.id) == edited)
        // And the next change stores it without the text written over
        _ = try alice.tag(note.id, add: ["cobalt"], remove: [])
        #expect(!(try storedState(alice)).contains("First thoughts"))
        #expect(try alice.annotation(note.id).body == "Cobalt stockpiles are thin")
    }
}

private extension GlossCore.Operation {
    /// The body version an edit adds, as the state kept it before.
    var editBodyVersion: AnnotationState.BodyVersion? {
        guard case let .editBody(text, seen) = change else { return nil }
        return .init(text: text, stamp: stamp, author: author, seen: seen)
    }
}
