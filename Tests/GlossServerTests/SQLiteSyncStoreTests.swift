import Foundation
import GRDB
import GlossCore
import Testing
@testable import gloss_server

/// The SQLite store itself: durability settings and the edges of a pull page.
@Suite struct SQLiteSyncStoreTests {
    @Test func databaseIsWALWithFullSynchronous() async throws {
        let fixture = try await Fixture()
        let (mode, synchronous) = try await fixture.store.pool.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(mode == "wal")
        #expect(synchronous == 2)  // FULL
    }

    @Test func pageStopsAtTheByteBudgetButAlwaysHoldsOneOperation() async throws {
        let fixture = try await Fixture()
        let ops = (1...5).map { Fixture.create("alice", replica: 1, counter: UInt64($0)) }
        try await fixture.store.importOperations(ops, workspace: "intel")
        let tiny = try await fixture.store.pull(workspace: "intel", user: "bob", after: 0, limit: 100, maxBytes: 1)
        #expect(tiny.payloads.count == 1)
        #expect(tiny.cursor == 1)
        #expect(tiny.more)
        let two = try await fixture.store.pull(workspace: "intel", user: "bob", after: 1, limit: 100,
                                               maxBytes: tiny.payloads[0].utf8.count + 1)
        #expect(two.payloads.count == 2)
        #expect(two.cursor == 3)
    }

    @Test func otherWorkspacesOperationsNeverShowAndDoNotCountAsMore() async throws {
        let fixture = try await Fixture()
        try await fixture.store.importOperations([Fixture.create("alice", replica: 1, counter: 1)], workspace: "intel")
        try await fixture.store.importOperations([Fixture.create("olga", replica: 2, counter: 1, workspace: "other")], workspace: "other")
        let page = try await fixture.store.pull(workspace: "intel", user: "alice", after: 0, limit: 10, maxBytes: 1 << 20)
        #expect(page.payloads.count == 1)
        #expect(page.cursor == 1)
        #expect(!page.more)
    }

    @Test func aLongRunOfHiddenOperationsEndsThePageButNotThePull() async throws {
        let fixture = try await Fixture()
        let hidden = (1...3_000).map { Fixture.create("bob", replica: 2, counter: UInt64($0), isPrivate: true) }
        let visible = Fixture.create("bob", replica: 2, counter: 3_001)
        try await fixture.store.importOperations(hidden + [visible], workspace: "intel")
        var cursor: Int64 = 0
        var seen: [String] = []
        while true {
            let page = try await fixture.store.pull(workspace: "intel", user: "alice", after: cursor, limit: 1000, maxBytes: 1 << 22)
            seen += page.payloads
            #expect(page.cursor > cursor)
            cursor = page.cursor
            if !page.more { break }
        }
        #expect(seen == [try JSON.string(visible)])
        #expect(cursor == 3_001)
    }
}
