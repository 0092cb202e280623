import Foundation
import GRDB
import GlossCore
import GlossReplica
import GlossSchema
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

    /// A database from before migration 003 (one global sequence, no replica registry) opens
    /// with every cursor a client holds still valid, its replicas registered to the authors of
    /// their first operations, its counts filled in, and new operations numbered per workspace.
    @Test func anOlderDatabaseUpgradesWithItsCursorsAndOwnersIntact() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.sqlite").path
        // Written by the migrations as they shipped before: 001 and 002.
        let old = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        for migration in Schema.serverMigrations().prefix(2) {
            migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql()) }
        }
        try migrator.migrate(old)
        let note = Fixture.create("alice", replica: 1, counter: 1)
        let tag = Fixture.change("bob", replica: 2, counter: 1, on: note.annotation, .addTag("x"))
        let elsewhere = Fixture.create("alice", replica: 1, counter: 2, workspace: "other")
        try await old.write { db in
            for name in ["alice", "bob"] { try db.execute(sql: "INSERT INTO users VALUES (?, 0)", arguments: [name]) }
            for name in ["intel", "other"] { try db.execute(sql: "INSERT INTO workspaces VALUES (?, 0)", arguments: [name]) }
            for (op, workspace) in [(note, "intel"), (elsewhere, "other"), (tag, "intel")] {
                try db.execute(sql: """
                    INSERT INTO operations (workspace, replica, counter, author, annotation, private, hlc_wall, payload)
                    VALUES (?, ?, ?, ?, ?, 0, ?, ?)
                    """, arguments: [workspace, op.id.replica.hex, Int64(op.id.counter), op.author.rawValue, op.annotation.rawValue,
                                     op.hlc.wall, JSONWriter.string(op)])
            }
            try db.execute(sql: "INSERT INTO annotations VALUES ('intel', ?, 'alice', 0)", arguments: [note.annotation.rawValue])
            try db.execute(sql: "INSERT INTO annotations VALUES ('other', ?, 'alice', 0)", arguments: [elsewhere.annotation.rawValue])
        }
        try old.close()

        let store = try SQLiteSyncStore(path: path)
        // Old numbers kept: a client that had pulled intel up to 1 (the global seq) gets the tag.
        let page = try await store.pull(workspace: "intel", user: "bob", after: 1, limit: 100, maxBytes: 1 << 20)
        #expect(page.payloads.count == 1 && page.cursor == 3)
        let (owners, counts) = try await store.pool.read { db in
            (try Row.fetchAll(db, sql: "SELECT replica, user FROM replicas ORDER BY user").map { "\($0["user"] as String)" },
             try Row.fetchOne(db, sql: "SELECT tag_additions, others_operations, others_tag_additions FROM annotations WHERE id = ?",
                              arguments: [note.annotation.rawValue]).map { [$0["tag_additions"] as Int, $0["others_operations"] as Int, $0["others_tag_additions"] as Int] })
        }
        #expect(owners == ["alice", "bob"])
        #expect(counts == [0, 1, 1])
        // New operations continue each workspace's own sequence.
        let next = Fixture.change("alice", replica: 1, counter: 3, on: note.annotation, .setStatus(.resolved))
        let outcome = try await store.push([next], claims: [], policy: PushPolicy(workspace: "intel", user: "alice", role: .member, now: Fixture.now))
        #expect(outcome.accepted == [next.id], "replica 1 was registered to alice by the migration")
        let after = try await store.pull(workspace: "intel", user: "bob", after: 3, limit: 100, maxBytes: 1 << 20)
        #expect(after.payloads.count == 1 && after.cursor == 4)
    }
}
