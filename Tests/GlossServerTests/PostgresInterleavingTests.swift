import Foundation
import GlossCore
import GlossTestSupport
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import Testing
@testable import gloss_server

/// The hard part of several writers (docs/server.md): transaction A takes its numbers first,
/// B commits first, and a reader pulls in between. With a plain sequence the reader passes
/// A's number before A commits and never sees it; with the per-workspace head row, B cannot
/// number until A has committed, so what a reader sees is always a prefix.
@Suite struct PostgresInterleavingTests {
    /// Holds the first push that reaches it until released.
    final class Gate: Sendable {
        private let state = NIOLockedValueBox<(held: Bool, reached: CheckedContinuation<Void, Never>?, release: CheckedContinuation<Void, Never>?)>((false, nil, nil))
        private let reachedSignal = NIOLockedValueBox(false)

        /// Called in the push transaction after numbering: the first caller waits for ``open()``.
        func pass() async {
            let first = state.withLockedValue { state -> Bool in
                guard !state.held else { return false }
                state.held = true
                return true
            }
            guard first else { return }
            await withCheckedContinuation { continuation in
                let reached = state.withLockedValue { state in
                    state.release = continuation
                    return state.reached.take()
                }
                reachedSignal.withLockedValue { $0 = true }
                reached?.resume()
            }
        }

        /// Returns once the first push is held.
        func reached() async {
            await withCheckedContinuation { continuation in
                let already = reachedSignal.withLockedValue { $0 }
                if already { continuation.resume() } else { state.withLockedValue { $0.reached = continuation } }
            }
        }

        func open() { state.withLockedValue { $0.release.take() }?.resume() }
    }

    /// True when `received` (in the order a reader got them) is exactly the store's operations
    /// in sequence order: nothing skipped, nothing repeated.
    static func readerSawEverythingInOrder(_ received: [String], store: [String]) -> Bool { received == store }

    @Test func aReaderBetweenOutOfOrderCommitsMissesNothing() async throws {
        let url = try PostgresURL(try TestPostgres.freshDatabase())
        let gate = Gate()
        // Two stores on one database, as two instances are: A goes through the first (held
        // by the gate after numbering), B through the second.
        let store = try await PostgresSyncStore.open(url, logger: Fixture.quietLogger) { _, _ in await gate.pass() }
        let other = try await PostgresSyncStore.open(url, logger: Fixture.quietLogger)
        defer { Task { await store.shutdown(); await other.shutdown() } }
        try await store.createWorkspace("intel", now: 0)
        for user in ["alice", "bob"] {
            try await store.addUser(user, now: 0)
            try await store.setMember(user, of: "intel", role: .member)
        }
        _ = try await store.storeReport(Fixture.report, in: "intel")
        let a = (1...3).map { Fixture.create("alice", replica: 1, counter: UInt64($0)) }
        let b = (1...2).map { Fixture.create("bob", replica: 2, counter: UInt64($0)) }
        func policy(_ user: String) -> PushPolicy { PushPolicy(workspace: "intel", user: user, role: .member, now: Fixture.now) }

        // A numbers 1…3 and is held before its commit.
        let pushA = Task { try await store.push(a, claims: Fixture.claims(for: a), policy: policy("alice")) }
        await gate.reached()
        // B starts and would take 4…5, but must wait for A's lock; it cannot commit first.
        let bDone = NIOLockedValueBox(false)
        let pushB = Task {
            let outcome = try await other.push(b, claims: Fixture.claims(for: b), policy: policy("bob"))
            bDone.withLockedValue { $0 = true }
            return outcome
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(!bDone.withLockedValue { $0 }, "B committed while A held its numbers")
        // A reader in between sees nothing yet, and its cursor does not move.
        let between = try await other.pull(workspace: "intel", user: "carol", after: 0, limit: 100, maxBytes: 1 << 20)
        #expect(between.payloads.isEmpty)
        #expect(between.cursor == 0)

        gate.open()
        #expect(try await pushA.value.accepted == a.map(\.id))
        #expect(try await pushB.value.accepted == b.map(\.id))
        let after = try await store.pull(workspace: "intel", user: "carol", after: between.cursor, limit: 100, maxBytes: 1 << 20)
        let received = try after.payloads.map { try GlossCore.Operation.stored($0).id.description }
        #expect(Self.readerSawEverythingInOrder(received, store: (a + b).map(\.id.description)))
        #expect(after.cursor == 5 && !after.more)
    }

    /// The control: the same interleaving with a plain `BIGSERIAL` cursor skips A's rows.
    /// If this ever passes, the test above has stopped testing anything.
    @Test func aNaiveSequenceCursorSkipsTheLateCommit() async throws {
        let url = try PostgresURL(try TestPostgres.freshDatabase())
        let config = try url.connectionConfiguration()
        let logger = Fixture.quietLogger
        let writerA = try await PostgresConnection.connect(configuration: config, id: 1, logger: logger)
        let writerB = try await PostgresConnection.connect(configuration: config, id: 2, logger: logger)
        let reader = try await PostgresConnection.connect(configuration: config, id: 3, logger: logger)
        defer { Task { try? await writerA.close(); try? await writerB.close(); try? await reader.close() } }
        try await reader.query("CREATE TABLE naive_ops (seq BIGSERIAL PRIMARY KEY, op TEXT NOT NULL)", logger: logger)

        func pull(after cursor: Int64) async throws -> [(Int64, String)] {
            try await reader.query("SELECT seq, op FROM naive_ops WHERE seq > \(cursor) ORDER BY seq", logger: logger)
                .collect().map { try $0.decode((Int64, String).self) }
        }
        try await writerA.query("BEGIN", logger: logger)
        try await writerA.query("INSERT INTO naive_ops (op) VALUES ('a1')", logger: logger)   // takes 1
        try await writerB.query("BEGIN", logger: logger)
        try await writerB.query("INSERT INTO naive_ops (op) VALUES ('b1')", logger: logger)   // takes 2
        try await writerB.query("COMMIT", logger: logger)                                      // commits first
        let first = try await pull(after: 0)
        let cursor = first.last?.0 ?? 0                                                        // 2
        try await writerA.query("COMMIT", logger: logger)
        let second = try await pull(after: cursor)
        let received = (first + second).map(\.1)
        let stored = try await pull(after: 0).map(\.1)
        #expect(stored == ["a1", "b1"])
        #expect(!Self.readerSawEverythingInOrder(received, store: stored), "the naive cursor was expected to skip a1")
        #expect(received == ["b1"])
    }
}
