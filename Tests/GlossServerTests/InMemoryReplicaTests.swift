import Foundation
import GlossCore
import GlossReplica
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
@testable import gloss_server

/// ``SyncSession`` works through the replica's façade (``SyncingReplica``): here on replicas
/// in memory (the real schema and transactions, no file), against the server's routes in process.
@Suite struct InMemoryReplicaTests {
    static func replica(_ user: String, fixture: Fixture) throws -> Replica {
        let replica = try Replica.inMemory(user: user, now: { Fixture.now })
        try replica.bind(remote: "http://router", workspace: Fixture.workspace, token: fixture.tokens[user]!)
        _ = try replica.importReport(Fixture.report, source: "rare-earths.txt")
        return replica
    }

    static func session(_ replica: any SyncingReplica, _ user: String, _ client: some TestClientProtocol, fixture: Fixture) -> SyncSession {
        SyncSession(replica: replica, transport: RouterTransport(client: client, workspace: Fixture.workspace, token: fixture.tokens[user]!))
    }

    @Test func twoAnalystsInMemoryShareANoteAndAReplyThroughTheServer() async throws {
        let fixture = try await Fixture()
        let alice = try Self.replica("alice", fixture: fixture), bob = try Self.replica("bob", fixture: fixture)
        #expect(alice.path == Replica.inMemoryPath && bob.path == Replica.inMemoryPath)
        let note = try Actions(alice).annotate(report: Fixture.report.id, span: nil, comment: "check the gallium figures")
        try await fixture.application().test(.router) { client in
            // alice's report is the server's already: her sync sends the note, and bob's brings it.
            #expect(try await Self.session(alice, "alice", client, fixture: fixture).run().sent == 1)
            let received = try await Self.session(bob, "bob", client, fixture: fixture).run()
            #expect(received.received == 1)
            #expect(try bob.annotation(note.id).body == "check the gallium figures")
            _ = try Actions(bob).reply(to: note.id, comment: "gallium only, not germanium")
            _ = try await Self.session(bob, "bob", client, fixture: fixture).run()
            let back = try await Self.session(alice, "alice", client, fixture: fixture).run()
            #expect(back.received == 1)
            #expect(back.digest?.count(.reply) == 1, "the reply is news to alice")
        }
        #expect(try alice.annotations().count == 2 && bob.annotations().count == 2)
        #expect(try alice.annotations().map(\.body).sorted() == bob.annotations().map(\.body).sorted())
    }

    /// Each transaction the session asks of the replica, in order, around a real one in memory.
    final class Transactions: SyncingReplica {
        let replica: Replica
        let names = Mutex<[String]>([])
        init(_ replica: Replica) { self.replica = replica }
        func note(_ name: String) { names.withLock { $0.append(name) } }

        func meta() throws -> Meta { note("meta"); return try replica.meta() }
        func unacknowledgedCount() throws -> Int { note("unacknowledgedCount"); return try replica.unacknowledgedCount() }
        func unsentReports() throws -> [ReportID] { note("unsentReports"); return try replica.unsentReports() }
        func report(_ id: ReportID) throws -> Report { note("report"); return try replica.report(id) }
        func markUploaded(_ report: ReportID) throws { note("markUploaded"); try replica.markUploaded(report) }
        func pendingBatch(after seq: Int64, limit: Int) throws -> SyncProtocol.Pending {
            note("pendingBatch"); return try replica.pendingBatch(after: seq, limit: limit)
        }
        func record(_ response: Sync.PushResponse) throws { note("record"); try replica.record(response) }
        func signedRuns(for operations: [GlossCore.Operation]) throws -> [ChainSegment] {
            note("signedRuns"); return try replica.signedRuns(for: operations)
        }
        func statementsHeld() throws -> Int? { note("statementsHeld"); return try replica.statementsHeld() }
        func takeStatements(_ signing: BundleSigning) throws -> (taken: Int, refused: Int) {
            note("takeStatements"); return try replica.takeStatements(signing)
        }
        func applyPulled(_ page: Sync.PullResponse) throws -> ApplyResult { note("applyPulled"); return try replica.applyPulled(page) }
        func replicasAfterHoles(limit: Int) throws -> [ReplicaID] { note("replicasAfterHoles"); return try replica.replicasAfterHoles(limit: limit) }
        func recheckHeld(with refusals: Sync.ChainRefusals) throws -> ApplyResult { note("recheckHeld"); return try replica.recheckHeld(with: refusals) }
        func storeReceived(_ page: Sync.ReportPage) throws -> (new: Int, skipped: [Sync.Skipped]) {
            note("storeReceived"); return try replica.storeReceived(page)
        }
        func recordSkipped(_ items: [Sync.Skipped]) throws { note("recordSkipped"); try replica.recordSkipped(items) }
        func startOverWithServer() throws { note("startOverWithServer"); try replica.startOverWithServer() }
        func beginSync() throws -> Replica.SyncMarks { note("beginSync"); return try replica.beginSync() }
        func endSync(_ marks: Replica.SyncMarks) throws { note("endSync"); try replica.endSync(marks) }
        func noteSynced() throws { note("noteSynced"); try replica.noteSynced() }
        func externalWrites() throws -> Int { note("externalWrites"); return try replica.externalWrites() }
        func indexPendingSearch() throws { note("indexPendingSearch"); try replica.indexPendingSearch() }
        func inConflict(_ ids: [AnnotationID]) throws -> [AnnotationID] { note("inConflict"); return try replica.inConflict(ids) }
        func digest(_ span: Replica.DigestSpan) throws -> Digest { note("digest"); return try replica.digest(span) }
    }

    @Test func aSyncIsNamedTransactionsEachPulledPageOneAndAcknowledgementsOnlyAfterThePush() async throws {
        let fixture = try await Fixture()
        try await fixture.store.importOperations((1...2_500).map { Fixture.create("alice", replica: 1, counter: UInt64($0)) },
                                                 workspace: Fixture.workspace)
        let bob = try Self.replica("bob", fixture: fixture)
        _ = try Actions(bob).annotate(report: Fixture.report.id, span: nil, comment: "mine")
        let spy = Transactions(bob)
        try await fixture.application().test(.router) { client in
            var session = Self.session(spy, "bob", client, fixture: fixture)
            session.pageSize = 1_000
            let summary = try await session.run()
            #expect(summary.sent == 1 && summary.received == 2_500)
        }
        let names = spy.names.withLock { $0 }
        #expect(names.filter { $0 == "applyPulled" }.count == 3, "one transaction per page of 1,000: \(names)")
        let pushed = try #require(names.firstIndex(of: "pendingBatch")), recorded = try #require(names.firstIndex(of: "record"))
        #expect(pushed < recorded, "the push is read before the server's answer is recorded: \(names)")
        #expect(names.first == "meta" && names.contains("noteSynced") && !names.contains("startOverWithServer"), "\(names)")
        #expect(try bob.unacknowledgedCount() == 0)
        #expect(try bob.annotations().count == 2_501)
    }
}
