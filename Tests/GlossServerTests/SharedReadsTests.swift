import Foundation
import GlossCore
import GlossTestSupport
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
@testable import gloss_server

/// Long polls woken by one push share one read of the log (``SharedReads``), and each user's
/// page of it is the page a pull of its own would read (``LogTail``).
@Suite struct SharedReadsTests {
    /// A log of team and private notes by alice, bob and ada, one quarantined; every user's page
    /// of a shared tail equals the store's own pull for that user, at every cursor and size.
    @Test(arguments: TestPostgres.Kind.allCases) func eachUsersPageOfASharedReadIsTheirOwnPull(store kind: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: kind)
        let seed = SeededRandom.seed()
        print("SharedReadsTests seed \(seed) (GLOSS_SEED=\(seed) replays it)")
        var random = SeededRandom(seed: seed)
        var ops: [GlossCore.Operation] = []
        for counter in 1...120 {
            let which = Int(random.next() % 3)
            let author: UserName = ["alice", "bob", "ada"][which]
            ops.append(Fixture.create(author, replica: 1 + UInt64(which), counter: UInt64(counter), isPrivate: random.next() % 3 == 0))
        }
        try await fixture.sync.importOperations(ops, workspace: Fixture.workspace)
        _ = try await fixture.sync.quarantine(.operation(ops[40].id), in: Fixture.workspace, reason: "test", now: 0)
        for after in [0, 7, 39, 40, 100, 119, 120] as [Int64] {
            for limit in [1, 5, 30, 200] {
                let tail = try await fixture.sync.tail(of: Fixture.workspace, after: after, limit: limit + 64)
                for user: UserName in ["alice", "bob", "ada", "rita"] {
                    let own = try await fixture.sync.pull(workspace: Fixture.workspace, user: user, after: after, limit: limit, maxBytes: 1 << 24)
                    guard let shared = tail.page(for: user, after: after, limit: limit, maxBytes: 1 << 24) else {
                        Issue.record("no page for \(user) after \(after), limit \(limit) (seed \(seed))"); continue
                    }
                    let same = shared.payloads == own.payloads && shared.cursor == own.cursor
                    #expect(same && shared.more == own.more && shared.head == own.head, "\(user) after \(after), limit \(limit) (seed \(seed))")
                }
            }
        }
        // A page the tail cannot fill is not guessed: rita sees no private notes, and a tail of
        // 3 rows that are all others' private notes leaves her page to the store.
        let privates = ops.filter { $0.isPrivate }.prefix(3)
        let rows = privates.map { op in
            LogTail.Row(seq: Int64(ops.firstIndex(of: op)! + 1), author: op.author, isPrivate: true, withheld: false, payload: "{}")
        }
        #expect(LogTail(rows: Array(rows), head: 120, limit: 3).page(for: "rita", after: 0, limit: 10, maxBytes: 1 << 24) == nil)
    }

    @Test func pollsWokenByOnePushShareOneReadAndEachGetsThePush() async throws {
        let fixture = try await Fixture()
        let store = CountingTails(base: fixture.sync)
        let reads = store
        var parts = ServerParts(now: { Fixture.now })
        parts.logger = Fixture.quietLogger
        let app = buildApplication(ServerConfiguration(store: fixture.location), store: store, parts: parts)
        let op = Fixture.create("alice", replica: 1, counter: 1)
        try await app.test(.router) { client in
            try await withThrowingTaskGroup(of: Sync.PullResponse.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await client.call(.get, "/v1/workspaces/intel/operations?after=0&wait=20", token: fixture.token(.reader))
                            .decode(Sync.PullResponse.self)
                    }
                }
                // Once every poll waits (each read the empty log once on its own), one push.
                try await Task.sleep(for: .milliseconds(500))
                let before = reads.reads.withLock { $0 }
                let pushed = try await client.call(.post, "/v1/workspaces/intel/push", token: fixture.token(.member),
                                                   body: try JSON.encode(Sync.PushRequest(replica: op.id.replica, operations: [op],
                                                                                          claims: Fixture.claims(for: [op]))))
                #expect(pushed.status == .ok)
                var answered = 0
                for try await page in group {
                    #expect(page.operations == [op])
                    answered += 1
                }
                #expect(answered == 40)
                let shared = reads.reads.withLock { $0 } - before
                #expect(shared >= 1 && shared < 40, "40 woken polls read the log \(shared) times")
            }
        }
    }
}

/// The fixture's store, counting reads of the log's tail.
private final class CountingTails: ForwardingStore, @unchecked Sendable {
    let reads = Mutex(0)

    override func tail(of workspace: WorkspaceName, after: Int64, limit: Int) async throws -> LogTail {
        reads.withLock { $0 += 1 }
        return try await base.tail(of: workspace, after: after, limit: limit)
    }
}
