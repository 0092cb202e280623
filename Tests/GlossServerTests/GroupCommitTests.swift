import Foundation
import GRDB
import GlossCore
import GlossReplica
import Testing
@testable import gloss_server

/// Group commit: pushes that share a transaction are each answered as if they had been alone.
@Suite struct GroupCommitTests {
    /// Several users push at once through the real store, each push racing a retry of itself:
    /// every operation is stored exactly once, every push is all-accepted or all-duplicate, and
    /// a reader's pushes are refused without storing anything.
    @Test func concurrentPushesFromSeveralUsersAreStoredOnceAndAnsweredRight() async throws {
        let fixture = try await Fixture()
        let store = fixture.store
        let writers: [UserName] = ["ada", "alice", "bob"]
        let pushesPerWriter = 6, opsPerPush = 20

        struct Answer: Sendable {
            var user: UserName
            var operations: [GlossCore.Operation]
            var outcome: PushOutcome
        }
        @Sendable func policy(_ user: UserName, _ role: Role) -> PushPolicy {
            PushPolicy(workspace: Fixture.workspace, user: user, role: role, now: Fixture.now)
        }
        let answers = try await withThrowingTaskGroup(of: [Answer].self) { group in
            for (w, user) in writers.enumerated() {
                for p in 0..<pushesPerWriter {
                    // Creates, pushed twice at once (a retry racing its original), then an edit of each
                    // of them: the edits find their creates, whichever transaction those landed in.
                    group.addTask {
                        let creates = (1...opsPerPush).map {
                            Fixture.create(user, replica: UInt64(w + 1), counter: UInt64(p * opsPerPush * 2 + $0))
                        }
                        async let first = store.push(creates, claims: Fixture.claims(for: creates), policy: policy(user, .member))
                        async let retry = store.push(creates, claims: Fixture.claims(for: creates), policy: policy(user, .member))
                        let edits = creates.enumerated().map { i, create in
                            Fixture.change(user, replica: UInt64(w + 1), counter: UInt64(p * opsPerPush * 2 + opsPerPush + i + 1),
                                           on: create.annotation, .editBody(text: "edited", seen: [create.id]))
                        }
                        let both = try await [Answer(user: user, operations: creates, outcome: first),
                                              Answer(user: user, operations: creates, outcome: retry)]
                        let edited = try await store.push(edits, claims: Fixture.claims(for: edits), policy: policy(user, .member))
                        return both + [Answer(user: user, operations: edits, outcome: edited)]
                    }
                }
            }
            group.addTask {
                let ops = (1...5).map { Fixture.create("rita", replica: 9, counter: UInt64($0)) }
                return [Answer(user: "rita", operations: ops, outcome: try await store.push(ops, claims: Fixture.claims(for: ops), policy: policy("rita", .reader)))]
            }
            var all: [Answer] = []
            for try await answers in group { all += answers }
            return all
        }

        // Each push, alone: all accepted or (its racing twin having won) all duplicates, never a mix.
        for answer in answers where answer.user != "rita" {
            let ids = answer.operations.map(\.id)
            #expect(answer.outcome.refused.isEmpty)
            #expect((answer.outcome.accepted == ids && answer.outcome.duplicates.isEmpty)
                    || (answer.outcome.accepted.isEmpty && answer.outcome.duplicates == ids))
        }
        let rita = try #require(answers.first { $0.user == "rita" })
        #expect(rita.outcome.refused.map(\.code) == Array(repeating: .readOnly, count: 5))
        #expect(rita.outcome.accepted.isEmpty)

        // Every operation accepted by exactly one answer, and stored exactly once.
        let expected = answers.filter { $0.user != "rita" }.flatMap(\.operations).map(\.id)
        let accepted = answers.flatMap(\.outcome.accepted)
        #expect(accepted.count == writers.count * pushesPerWriter * opsPerPush * 2)
        #expect(Set(accepted) == Set(expected))
        let page = try await store.pull(workspace: Fixture.workspace, user: "ada", after: 0, limit: 10_000, maxBytes: 1 << 24)
        let stored = try page.payloads.map { try JSON.decode(GlossCore.Operation.self, from: $0) }
        #expect(stored.count == accepted.count)
        #expect(Set(stored.map(\.id)) == Set(accepted))
        #expect(page.cursor == Int64(accepted.count))
        #expect(!page.more)
    }

    /// A write that throws is rolled back to its savepoint and only its caller sees the error;
    /// the writes sharing its transaction commit.
    @Test func aWriteThatThrowsIsRolledBackAloneAndTheOthersCommit() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-group-commit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try DatabasePool(path: directory.appendingPathComponent("t.sqlite").path)
        try await pool.write { try $0.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY)") }
        struct Refused: Error {}
        let commit = GroupCommit<Int, Int>(pool: pool, maxJobs: 8) { n, db in
            try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [n])
            if n % 5 == 0 { throw Refused() }
            return n
        }

        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<60 {
                group.addTask { (n, (try? await commit.submit(n)) == n) }
            }
            var results: [Int: Bool] = [:]
            for await (n, succeeded) in group { results[n] = succeeded }
            return results
        }

        for n in 0..<60 { #expect(results[n] == (n % 5 != 0), "job \(n)") }
        let stored = try await pool.read { try Int.fetchAll($0, sql: "SELECT n FROM t ORDER BY n") }
        #expect(stored == (0..<60).filter { $0 % 5 != 0 })
    }
}
