import Foundation
import GlossCore
import GlossReplica
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
@testable import gloss_server

/// A transport that counts what goes through it, around the real one.
final class CountingTransport<Inner: SyncTransport>: SyncTransport, Sendable {
    let inner: Inner
    let pages = Mutex<[Int]>([])
    let reportPages = Mutex<[Int]>([])
    init(_ inner: Inner) { self.inner = inner }
    func whoAmI() async throws -> Sync.WhoAmI { try await inner.whoAmI() }
    func upload(_ report: Report) async throws { try await inner.upload(report) }
    func reports(after cursor: Int64, limit: Int) async throws -> Sync.ReportPage {
        let page = try await inner.reports(after: cursor, limit: limit)
        reportPages.withLock { $0.append(page.reports.count) }
        return page
    }
    func push(_ request: Sync.PushRequest) async throws -> Sync.PushResponse { try await inner.push(request) }
    func pull(after cursor: Int64, epoch: String?, limit: Int, wait: Int) async throws -> Sync.PullResponse {
        let page = try await inner.pull(after: cursor, epoch: epoch, limit: limit, wait: wait)
        pages.withLock { $0.append(page.operations.count) }
        return page
    }
}

/// Replicas syncing with the server's routes in process.
@Suite struct ReplicaSyncTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-replica-sync-\(UUID().uuidString)")

    func replica(_ name: String, user: String, fixture: Fixture, now: @escaping @Sendable () -> Int64 = { Fixture.now }) throws -> Replica {
        let replica = try Replica.create(home: directory.appendingPathComponent(name), user: user, now: now)
        try replica.bind(remote: "http://router", workspace: Fixture.workspace, token: fixture.tokens[user]!)
        return replica
    }

    @Test func aFreshReplicaPullsAHundredThousandOperationsInPagesEachExactlyOnce() async throws {
        let fixture = try await Fixture()
        let total = 100_000, pageSize = 2_500
        for batch in stride(from: 1, through: total, by: 10_000) {
            try await fixture.store.importOperations((batch..<batch + 10_000).map {
                Fixture.create("alice", replica: 1, counter: UInt64($0))
            }, workspace: Fixture.workspace)
        }
        let bob = try replica("bob", user: "bob", fixture: fixture)
        try await fixture.application().test(.router) { client in
            let transport = CountingTransport(RouterTransport(client: client, workspace: Fixture.workspace, token: fixture.tokens["bob"]!))
            var session = SyncSession(replica: bob, transport: transport)
            session.pageSize = pageSize
            let summary = try await session.run()
            #expect(summary.received == total)
            #expect(summary.reportsReceived == 1, "the report the notes are on came along")
            #expect(transport.pages.withLock { $0 } == Array(repeating: pageSize, count: total / pageSize))
        }
        let ids = try bob.operationIDs().all
        #expect(ids.count == total && Set(ids).count == total, "each operation exactly once")
        #expect(try bob.annotations().count == total)
        #expect(try bob.meta().pullCursor == Int64(total))
    }

    @Test func reportsReachTheTeamAnnotatedOrNotAPageAtATimeAndLocalOnesStay() async throws {
        let fixture = try await Fixture()
        let alice = try replica("alice", user: "alice", fixture: fixture)
        let bob = try replica("bob", user: "bob", fixture: fixture)
        // alice imports 450 reports and annotates none; one more she keeps local, with a note
        let reports = (0..<450).map { n in
            Report(title: "Port status \(n)", summary: "Daily port status.", sections: [.init(heading: "Ports", paragraphs: ["Throughput \(n)."])])
        }
        for report in reports { _ = try alice.importReport(report, source: "r.txt") }
        let draft = Report(title: "Draft", summary: "Not for the team yet.", sections: [])
        let kept = try alice.importReport(draft, source: "draft.txt", local: true)
        #expect(kept.local)
        _ = try alice.annotate(Creation(report: draft.id, target: nil, motivation: .commenting, body: "my own thoughts"))
        try await fixture.application().test(.router) { client in
            let sent = try await SyncSession(replica: alice, transport: RouterTransport(client: client, workspace: Fixture.workspace,
                                                                                        token: fixture.tokens["alice"]!)).run()
            #expect(sent.reportsSent == 450, "every report but the local one")
            #expect(sent.sent == 0, "the note on the local report stays")
            let transport = CountingTransport(RouterTransport(client: client, workspace: Fixture.workspace, token: fixture.tokens["bob"]!))
            let summary = try await SyncSession(replica: bob, transport: transport).run()
            #expect(summary.reportsReceived == 451, "alice's 450 and the one the server already had")
            #expect(transport.reportPages.withLock { $0 } == [200, 200, 51], "one request per page of reports")
            // A second sync does not ask the report feed at all: the pull answer said that bob's
            // report cursor is at its head (one request fewer per sync, issue 27).
            _ = try await SyncSession(replica: bob, transport: transport).run()
            #expect(transport.reportPages.withLock { $0 } == [200, 200, 51])
        }
        let titles = Set(try bob.reports().map(\.title))
        #expect(titles.isSuperset(of: reports.map(\.title)) && !titles.contains("Draft"))
        #expect(try bob.annotations().isEmpty)
        // Importing the draft again without --local shares it, and its note goes with it
        #expect(try alice.importReport(draft, source: "draft.txt").shared)
        try await fixture.application().test(.router) { client in
            let sent = try await SyncSession(replica: alice, transport: RouterTransport(client: client, workspace: Fixture.workspace,
                                                                                        token: fixture.tokens["alice"]!)).run()
            #expect(sent.reportsSent == 1 && sent.accepted == 1)
            _ = try await SyncSession(replica: bob, transport: RouterTransport(client: client, workspace: Fixture.workspace,
                                                                               token: fixture.tokens["bob"]!)).run()
        }
        #expect(try bob.annotations().map(\.body) == ["my own thoughts"])
    }

    @Test func aClockTenYearsAheadIsRefusedAndRestampRecovers() async throws {
        let fixture = try await Fixture()
        let tenYears: Int64 = 10 * 365 * 86_400_000
        let wrongClock = Mutex<Int64>(Fixture.now + tenYears)
        // alice works with a clock ten years ahead; bob's is right, a minute ahead of the server.
        let alice = try replica("alice", user: "alice", fixture: fixture, now: { wrongClock.withLock { $0 } })
        let bob = try replica("bob", user: "bob", fixture: fixture, now: { Fixture.now + 60_000 })
        for r in [alice, bob] { _ = try r.importReport(Fixture.report, source: "s") }
        let note = try alice.annotate(Creation(report: Fixture.report.id, target: nil, motivation: .commenting, body: "from the future"))
        _ = try alice.reply(to: note.id, body: "and a reply")
        let fine = try bob.annotate(Creation(report: Fixture.report.id, target: nil, motivation: .commenting, body: "on time"))
        try await fixture.application().test(.router) { client in
            func sync(_ r: Replica, _ user: String) async throws -> SyncSession.Summary {
                try await SyncSession(replica: r, transport: RouterTransport(client: client, workspace: Fixture.workspace,
                                                                             token: fixture.tokens[user]!)).run()
            }
            let refused = try await sync(alice, "alice")
            #expect(refused.refused.map(\.code) == [.clockAhead, .clockAhead])
            #expect(refused.refused[0].reason.contains("10 years ahead") && !refused.refused[0].reason.contains("gloss "), "the server names no client command")
            #expect(try alice.annotations().isEmpty, "refused work leaves the state…")
            #expect(try alice.refusedOperations().count == 2, "…but is kept")
            let onTime = try await sync(bob, "bob")
            #expect(onTime.accepted == 1 && onTime.refused.isEmpty, "a minute ahead is inside the bound")

            // alice sets her clock right and re-issues her work.
            wrongClock.withLock { $0 = Fixture.now + 120_000 }
            let reissued = try Actions(alice).reissueRefused()
            #expect(reissued.count == 2 && reissued.allSatisfy { $0.hlc.wall < Fixture.now + 15 * 60_000 })
            let recovered = try await sync(alice, "alice")
            #expect(recovered.accepted == 2 && recovered.refused.isEmpty)
            _ = try await sync(bob, "bob")
            let seen = try bob.annotations()
            #expect(Set(seen.map(\.body)) == ["from the future", "and a reply", "on time"])
            let reply = try #require(seen.first { $0.body == "and a reply" })
            #expect(seen.first { $0.id == reply.parent }?.body == "from the future", "the reply follows its re-issued parent")
            #expect(seen.contains { $0.id == fine.id })
        }
    }
}

extension ReplicaSyncTests {
    /// Given alice's two machines edit her note concurrently (a conflict) and she then resolves
    /// it, when bob pulls all of it page by page, the conflict one page brought and the next
    /// resolved is not announced: his replica holds no conflict.
    @Test func aConflictResolvedBeforeTheSyncEndsIsNotAnnouncedAsNew() async throws {
        let fixture = try await Fixture()
        let laptop = try replica("alice-laptop", user: "alice", fixture: fixture)
        let desk = try replica("alice-desk", user: "alice", fixture: fixture)
        let bob = try replica("bob", user: "bob", fixture: fixture)
        _ = try laptop.importReport(Fixture.report, source: "s")
        try await fixture.application().test(.router) { client in
            func sync(_ r: Replica, _ user: String, pageSize: Int = 100) async throws -> SyncSession.Summary {
                var session = SyncSession(replica: r, transport: RouterTransport(client: client, workspace: Fixture.workspace,
                                                                                 token: fixture.tokens[user]!))
                session.pageSize = pageSize
                return try await session.run()
            }
            let note = try laptop.annotate(Creation(report: Fixture.report.id, target: nil, motivation: .commenting, body: "first"))
            _ = try await sync(laptop, "alice")
            _ = try await sync(desk, "alice")
            _ = try laptop.edit(note.id, body: "from the laptop")
            _ = try desk.edit(note.id, body: "from the desk")
            _ = try await sync(laptop, "alice")
            let conflicted = try await sync(desk, "alice")
            #expect(conflicted.newConflicts == [note.id], "the desk sees the conflict: it is news there")
            _ = try desk.edit(note.id, body: "both, merged")
            _ = try await sync(desk, "alice")

            let pulled = try await sync(bob, "bob", pageSize: 1)
            #expect(pulled.received == 4)
            #expect(try bob.annotation(note.id).body == "both, merged")
            #expect(pulled.newConflicts.isEmpty, "resolved by the time the sync ended")
        }
    }
}
