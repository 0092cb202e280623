import Testing
@testable import GlossCore

/// What a digest says to an analyst about what arrived.
@Suite struct DigestTests {
    typealias E = ExportTests
    static let report = E.report.id

    static func op(_ n: UInt64, _ author: String, _ annotation: Annotation, _ change: Change) -> GlossCore.Operation {
        GlossCore.Operation(id: OperationID(replica: ReplicaID(rawValue: 9), counter: n), hlc: HLC(wall: Int64(n)), author: author,
                            workspace: "intel", annotation: annotation.id, isPrivate: false, change: change)
    }

    static func create(_ note: Annotation) -> Change {
        .create(Creation(report: note.report, target: note.target, motivation: note.motivation, body: note.body, parent: note.parent))
    }

    @Test func aDigestNamesNewNotesRepliesResolutionsAndConflictsThatConcernYou() throws {
        let mine = try E.annotation(1, author: "alice", quote: "Talks in Genève", body: "Check the delegation")
        let bobsNote = try E.annotation(2, author: "bob", quote: "Another round", body: "Spring seems late\nsecond line")
        let reply = try E.annotation(3, author: "carol", body: "Agreed", parent: 1)
        let replyToBob = try E.annotation(4, author: "dave", body: "not for alice", parent: 2)
        var resolved = mine
        resolved.status = .resolved
        let conflicted = try E.annotation(5, author: "alice", body: "v2", versions: ["v2", "v1"])
        let facts = Digest.Facts(
            user: "alice",
            arrivals: [Self.op(1, "bob", bobsNote, Self.create(bobsNote)), Self.op(2, "carol", reply, Self.create(reply)),
                       Self.op(3, "dave", replyToBob, Self.create(replyToBob)), Self.op(4, "bob", resolved, .setStatus(.resolved)),
                       Self.op(5, "alice", conflicted, .editBody(text: "v2", seen: []))],
            annotations: [mine.id: resolved, bobsNote.id: bobsNote, reply.id: reply, replyToBob.id: replyToBob, conflicted.id: conflicted],
            annotatedReports: [Self.report], reportTitles: [Self.report: "Geneva talks stall"],
            newReports: [.init(id: ReportID(sha256Of: "x"), title: "New brief")])
        let digest = Digest(facts)
        #expect(digest.items.map(\.kind) == [.note, .reply, .resolved, .edit, .conflict])
        #expect(digest.items[0].author == "bob" && digest.items[0].snippet == "Spring seems late")
        #expect(digest.items[0].reportTitle == "Geneva talks stall")
        #expect(digest.items[2].annotation == mine.id && digest.items[2].author == "bob")
        #expect(digest.reports.map(\.title) == ["New brief"])
    }

    @Test func notesOnReportsYouNeverAnnotatedDeletedNotesAndYourOwnChangesAreLeftOut() throws {
        let bobsNote = try E.annotation(2, author: "bob", quote: "Another round", body: "elsewhere")
        let deleted = try E.annotation(3, author: "bob", body: "gone", deleted: true)
        let facts = Digest.Facts(user: "alice", arrivals: [Self.op(1, "bob", bobsNote, Self.create(bobsNote)),
                                                           Self.op(2, "bob", deleted, Self.create(deleted))],
                                 annotations: [bobsNote.id: bobsNote, deleted.id: deleted], annotatedReports: [],
                                 reportTitles: [:], newReports: [])
        #expect(Digest(facts).isEmpty)
    }
}
