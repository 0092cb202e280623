import Foundation
import GRDB
import GlossCore
import GlossSchema
import Logging
import ServiceLifecycle

/// The default ``SyncStore``: one SQLite file in WAL mode, read by many, written by one.
///
/// `synchronous = FULL`, so a push is acknowledged only once its transaction is on disk.
/// Writes are serialised by SQLite, so sequence numbers are assigned in commit order and a
/// pull can never skip an operation that commits late. Concurrent pushes share a transaction
/// (``GroupCommit``): one fsync for all of them, each still answered only after it.
final class SQLiteSyncStore: SyncStore {
    let path: String
    let pool: DatabasePool
    let pushes: GroupCommit<PendingPush, PushOutcome>
    let epoch: String

    init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON")
            // The writer keeps a 32 MB page cache (its lookups are by index, into recent pages);
            // readers stream pulls in seq order and need little, and a pool of them at 64 MB each
            // would hold hundreds of MB (docs/BENCHMARKS.md).
            if db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -8192")
            } else {
                // Checkpoints run in `CheckpointService`, off the write path; this is the backstop.
                try db.execute(sql: "PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 10000")
            }
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator().migrate(pool)
            pushes = GroupCommit(pool: pool, write: Self.write)
            epoch = try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'epoch'") } ?? ""
        } catch let error as DatabaseError {
            throw StoreError(.invalid, "cannot open the server database at \(path): \(error.message ?? "\(error)")",
                             hint: "check that the file is a gloss-server database (`sqlite3 \(path) 'PRAGMA integrity_check'`)")
        }
    }

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in Schema.serverMigrations() {
            migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql()) }
        }
        return migrator
    }

    func checkReady() async throws {
        let applied = try await pool.read { db in try Self.migrator().appliedIdentifiers(db) }
        guard applied.count == Schema.serverMigrationNames.count else {
            throw StoreError(.invalid, "the database's schema is not current")
        }
    }

    // MARK: Identity

    func token(id: String) async throws -> StoredToken? {
        try await pool.read { db in
            try TokenRow.fetchOne(db, sql: "SELECT id, user, hash, created, revoked FROM tokens WHERE id = ?", arguments: [id])?.stored
        }
    }

    func token(id: String, roleIn workspace: WorkspaceName) async throws -> (token: StoredToken, role: Role?)? {
        let workspace = workspace.rawValue
        return try await pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT tokens.id, tokens.user, tokens.hash, tokens.created, tokens.revoked, members.role
                FROM tokens LEFT JOIN members ON members.workspace = ? AND members.user = tokens.user
                WHERE tokens.id = ?
                """)
            return try TokenRow.fetchOne(statement, arguments: [workspace, id]).map { ($0.stored, $0.role.flatMap(Role.init(rawValue:))) }
        }
    }

    func allowedTokens(_ ids: [String], in workspace: WorkspaceName) async throws -> Set<String> {
        let workspace = workspace.rawValue
        return try await pool.read { db in
            var allowed: Set<String> = []
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                allowed.formUnion(try String.fetchAll(db, sql: """
                    SELECT tokens.id FROM tokens JOIN members ON members.workspace = ? AND members.user = tokens.user
                    WHERE tokens.revoked IS NULL AND tokens.id IN (\(marks))
                    """, arguments: StatementArguments([workspace] + chunk)))
            }
            return allowed
        }
    }

    func role(of user: UserName, in workspace: WorkspaceName) async throws -> Role? {
        let user = user.rawValue
        let workspace = workspace.rawValue
        return try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT role FROM members WHERE workspace = ? AND user = ?", arguments: [workspace, user])
                .flatMap(Role.init(rawValue:))
        }
    }

    func memberships(of user: UserName) async throws -> [Sync.WhoAmI.Membership] {
        let user = user.rawValue
        return try await pool.read { db in
            try MemberRow.fetchAll(db, sql: "SELECT workspace, user, role FROM members WHERE user = ? ORDER BY workspace", arguments: [user])
                .compactMap { row in Role(rawValue: row.role).map { Sync.WhoAmI.Membership(workspace: WorkspaceName(stored: row.workspace), role: $0) } }
        }
    }

    // MARK: Reports

    func storeReport(_ report: Report, in workspace: WorkspaceName) async throws -> Bool {
        let workspace = workspace.rawValue
        let json = try JSON.string(report)
        return try await pool.write { db in
            // Numbered in the workspace's order of receiving reports (one writer at a time).
            try db.execute(sql: """
                INSERT OR IGNORE INTO reports (workspace, id, title, json, seq)
                VALUES (?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM reports WHERE workspace = ?))
                """, arguments: [workspace, report.id.rawValue, report.title, json, workspace])
            return db.changesCount == 1
        }
    }

    func report(_ id: ReportID, in workspace: WorkspaceName) async throws -> Report? {
        let workspace = workspace.rawValue
        let json = try await pool.read { db in
            try String.fetchOne(db, sql: """
                SELECT json FROM reports r WHERE workspace = ? AND id = ?
                AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.workspace = r.workspace AND q.kind = 'report' AND q.seq = r.seq)
                """, arguments: [workspace, id.rawValue])
        }
        return try json.map { try JSON.decode(Report.self, from: $0) }
    }

    func reports(in workspace: WorkspaceName, after: Int64, limit: Int, maxBytes: Int) async throws -> ReportRows {
        let workspace = workspace.rawValue
        let rows = try await pool.read { db in
            // What an admin took out (`gloss-server quarantine`) is left out; the cursor moves past it.
            try Row.fetchAll(db, sql: """
                SELECT seq, json FROM reports r WHERE workspace = ? AND seq > ?
                AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.workspace = r.workspace AND q.kind = 'report' AND q.seq = r.seq)
                ORDER BY seq LIMIT ?
                """, arguments: [workspace, after, limit + 1]).map { (seq: $0["seq"] as Int64, json: $0["json"] as String) }
        }
        return ReportRows(rows: rows, after: after, limit: limit, maxBytes: maxBytes)
    }

    func reportHead(of workspace: WorkspaceName) async throws -> Int64 {
        let workspace = workspace.rawValue
        return try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM reports WHERE workspace = ?", arguments: [workspace]) ?? 0
        }
    }
}

/// A row of `tokens` (Schema/server/001_initial.sql), with the member's role when joined.
struct TokenRow: Decodable, FetchableRecord {
    /// The public part, 16 hex digits.
    var id: String
    var user: String
    /// SHA-256 of the secret.
    var hash: Data
    var created: Int64
    /// When it was revoked (ms since the epoch); nil while valid.
    var revoked: Int64?
    /// `members.role` in the workspace asked about, when the query joins it.
    var role: String?

    var stored: StoredToken {
        StoredToken(id: id, user: UserName(stored: user), secretHash: Array(hash), created: created, revoked: revoked)
    }
}

/// A row of `members`.
struct MemberRow: Decodable, FetchableRecord {
    var workspace: String
    var user: String
    /// A `Role`.
    var role: String
}

extension SQLiteSyncStore {
    func services(notifier: PushNotifier, logger: Logger) -> [any Service] {
        [CheckpointService(path: path, logger: logger)]
    }
}
