import Foundation
import GRDB
import Logging
import PostgresNIO

/// Copies a team from the SQLite store to an empty PostgreSQL one (`gloss-server migrate-store`):
/// users (removed ones stay removed), token hashes, workspaces, members, replicas, reports, the operation logs with their
/// numbers, refusals, counts, and the epoch. Numbers and epoch are kept, so every client's
/// cursor stays valid and analysts sync on without pulling again. One transaction: a failed
/// copy leaves the target empty.
struct StoreMigration {
    let source: SQLiteSyncStore
    let target: PostgresSyncStore
    /// Told (done, total) operations as the copy goes.
    var progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }

    struct Counts: Codable, Sendable, Equatable {
        var users = 0, tokens = 0, workspaces = 0, members = 0, replicas = 0, reports = 0
        var operations = 0, refusals = 0, annotations = 0
        var epoch = ""
    }

    /// Rows per statement.
    static let batch = 2_000

    func run() async throws -> Counts {
        let logger = target.logger
        return try await target.transaction { connection in
            let existing = try await connection.query("""
                SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM workspaces) + (SELECT count(*) FROM operations)
                """, logger: logger).collect().first?.decode(Int64.self) ?? 0
            guard existing == 0 else {
                throw StoreError(.conflict, "the PostgreSQL database already holds a team (\(existing) users, workspaces and operations)",
                                 hint: "migrate into an empty database: create a new one (`createdb`) and pass its URL")
            }
            var counts = Counts()
            counts.epoch = source.epoch
            try await connection.query("UPDATE meta SET value = \(source.epoch) WHERE key = 'epoch'", logger: logger)

            let users = try rows("SELECT name, created FROM users")
            try await connection.query("""
                INSERT INTO users (name, created) SELECT * FROM unnest(\(users.map { $0["name"] as String })::text[], \(users.map { $0["created"] as Int64 })::bigint[])
                """, logger: logger)
            counts.users = users.count
            // Removed users stay removed (few: one statement each).
            for user in try rows("SELECT name, removed FROM users WHERE removed IS NOT NULL") {
                try await connection.query("UPDATE users SET removed = \(user["removed"] as Int64) WHERE name = \(user["name"] as String)",
                                           logger: logger)
            }

            let tokens = try read { db in try TokenRow.fetchAll(db, sql: "SELECT id, user, hash, created, revoked FROM tokens") }
            for token in tokens {
                try await connection.query("""
                    INSERT INTO tokens (id, user_name, hash, created, revoked) VALUES (\(token.id), \(token.user), \(token.hash), \(token.created), \(token.revoked))
                    """, logger: logger)
            }
            counts.tokens = tokens.count

            let workspaces = try rows("SELECT name, created, coalesce((SELECT seq FROM heads WHERE workspace = name), 0) AS head FROM workspaces")
            try await connection.query("""
                INSERT INTO workspaces (name, created) SELECT * FROM unnest(\(workspaces.map { $0["name"] as String })::text[], \(workspaces.map { $0["created"] as Int64 })::bigint[])
                """, logger: logger)
            try await connection.query("""
                INSERT INTO heads (workspace, seq) SELECT * FROM unnest(\(workspaces.map { $0["name"] as String })::text[], \(workspaces.map { $0["head"] as Int64 })::bigint[])
                """, logger: logger)
            counts.workspaces = workspaces.count

            let members = try read { db in try MemberRow.fetchAll(db, sql: "SELECT workspace, user, role FROM members") }
            try await connection.query("""
                INSERT INTO members (workspace, user_name, role)
                SELECT * FROM unnest(\(members.map(\.workspace))::text[], \(members.map(\.user))::text[], \(members.map(\.role))::text[])
                """, logger: logger)
            counts.members = members.count

            let replicas = try rows("SELECT replica, user, registered FROM replicas")
            try await connection.query("""
                INSERT INTO replicas (replica, user_name, registered)
                SELECT * FROM unnest(\(replicas.map { $0["replica"] as String })::text[], \(replicas.map { $0["user"] as String })::text[],
                                     \(replicas.map { $0["registered"] as Int64 })::bigint[])
                """, logger: logger)
            counts.replicas = replicas.count

            counts.reports = try await copy(connection, table: "reports", key: ["workspace", "id"]) { rows in
                """
                INSERT INTO reports (workspace, id, title, json, seq)
                SELECT * FROM unnest(\(rows.map { $0["workspace"] as String })::text[], \(rows.map { $0["id"] as String })::text[],
                                     \(rows.map { $0["title"] as String })::text[], \(rows.map { $0["json"] as String })::text[],
                                     \(rows.map { $0["seq"] as Int64 })::bigint[])
                """
            }
            counts.annotations = try await copy(connection, table: "annotations", key: ["workspace", "id"]) { rows in
                """
                INSERT INTO annotations (workspace, id, author, private, tag_additions, others_operations, others_tag_additions)
                SELECT * FROM unnest(\(rows.map { $0["workspace"] as String })::text[], \(rows.map { $0["id"] as String })::text[],
                                     \(rows.map { $0["author"] as String })::text[], \(rows.map { $0["private"] as Bool })::boolean[],
                                     \(rows.map { $0["tag_additions"] as Int64 })::bigint[], \(rows.map { $0["others_operations"] as Int64 })::bigint[],
                                     \(rows.map { $0["others_tag_additions"] as Int64 })::bigint[])
                """
            }
            counts.refusals = try await copy(connection, table: "refusals", key: ["workspace", "replica", "counter"]) { rows in
                """
                INSERT INTO refusals (workspace, replica, counter, annotation, is_create, code, reason, payload)
                SELECT workspace, replica, counter, annotation, is_create, code, reason, NULLIF(payload, '') FROM unnest(\(rows.map { $0["workspace"] as String })::text[], \(rows.map { $0["replica"] as String })::text[],
                                     \(rows.map { $0["counter"] as Int64 })::bigint[], \(rows.map { $0["annotation"] as String })::text[],
                                     \(rows.map { $0["is_create"] as Bool })::boolean[], \(rows.map { $0["code"] as String })::text[],
                                     \(rows.map { $0["reason"] as String })::text[], \(rows.map { ($0["payload"] as String?) ?? "" })::text[])
                    AS r(workspace, replica, counter, annotation, is_create, code, reason, payload)
                """
            }
            counts.operations = try await copy(connection, table: "operations", key: ["id"], reportsProgress: true) { rows in
                """
                INSERT INTO operations (workspace, seq, replica, counter, author, annotation, private, hlc_wall, payload)
                SELECT * FROM unnest(\(rows.map { $0["workspace"] as String })::text[], \(rows.map { $0["seq"] as Int64 })::bigint[],
                                     \(rows.map { $0["replica"] as String })::text[], \(rows.map { $0["counter"] as Int64 })::bigint[],
                                     \(rows.map { $0["author"] as String })::text[], \(rows.map { $0["annotation"] as String })::text[],
                                     \(rows.map { $0["private"] as Bool })::boolean[], \(rows.map { $0["hlc_wall"] as Int64 })::bigint[],
                                     \(rows.map { $0["payload"] as String })::text[])
                """
            }
            // What an admin took out of a workspace stays out (`gloss-server quarantine`).
            let quarantine = try rows("SELECT workspace, kind, seq, item, reason, at FROM quarantine")
            try await connection.query("""
                INSERT INTO quarantine (workspace, kind, seq, item, reason, at)
                SELECT * FROM unnest(\(quarantine.map { $0["workspace"] as String })::text[], \(quarantine.map { $0["kind"] as String })::text[],
                                     \(quarantine.map { $0["seq"] as Int64 })::bigint[], \(quarantine.map { $0["item"] as String })::text[],
                                     \(quarantine.map { $0["reason"] as String })::text[], \(quarantine.map { $0["at"] as Int64 })::bigint[])
                """, logger: logger)
            return counts
        }
    }

    /// A blocking read of the SQLite source (a one-off admin command, not the server).
    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        try source.pool.read(body)
    }

    private func rows(_ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
        try read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
    }

    /// Copies `table` in batches of ``batch`` rows, in `key` order: each batch starts after the
    /// last key of the one before (an OFFSET would read every skipped row again, batch after
    /// batch: quadratic in a million operations).
    private func copy(_ connection: TransactionConnection, table: String, key: [String], reportsProgress: Bool = false,
                      insert: ([Row]) -> PostgresQuery) async throws -> Int {
        let total = try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") } ?? 0
        let columns = key.joined(separator: ", ")
        let first = "SELECT * FROM \(table) ORDER BY \(columns) LIMIT ?"
        let next = "SELECT * FROM \(table) WHERE (\(columns)) > (\(key.map { _ in "?" }.joined(separator: ", "))) ORDER BY \(columns) LIMIT ?"
        var done = 0
        var last: [DatabaseValue]?
        while true {
            let rows = try last.map { try self.rows(next, StatementArguments($0 + [Self.batch.databaseValue])) }
                ?? self.rows(first, [Self.batch])
            guard let final = rows.last else { break }
            try await connection.query(insert(rows), logger: target.logger)
            done += rows.count
            if reportsProgress { progress(done, total) }
            last = key.map { final[$0] }
        }
        return done
    }
}
