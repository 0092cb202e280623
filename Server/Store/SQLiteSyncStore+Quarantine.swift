import GRDB
import GlossCore

/// Items an admin took out of a workspace's feeds (`gloss-server quarantine`, Schema/server/007).
extension SQLiteSyncStore {
    func quarantine(_ item: QuarantineItem, in workspace: WorkspaceName, reason: String, now: Int64) async throws -> QuarantineRecord {
        let workspace = workspace.rawValue
        return try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM workspaces WHERE name = ?", arguments: [workspace]) != nil else {
                throw StoreNames.noWorkspace(workspace)
            }
            let found: (seq: Int64, item: String)?
            let kind: QuarantineRecord.Kind
            switch item {
            case let .operation(id):
                kind = .operation
                found = try Int64.fetchOne(db, sql: "SELECT seq FROM operations WHERE workspace = ? AND replica = ? AND counter = ?",
                                           arguments: [workspace, id.replica.hex, Int64(bitPattern: id.counter)]).map { ($0, id.description) }
            case let .report(prefix):
                kind = .report
                let rows = try Row.fetchAll(db, sql: "SELECT seq, id FROM reports WHERE workspace = ? AND id >= ? AND id < ? LIMIT 2",
                                            arguments: [workspace, prefix, prefix + "\u{10FFFF}"])
                if rows.count > 1 { throw Quarantine.ambiguous(prefix) }
                found = rows.first.map { ($0["seq"], $0["id"]) }
            }
            guard let found else { throw Quarantine.notFound(item, in: workspace) }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM quarantine WHERE workspace = ? AND kind = ? AND seq = ?",
                                 arguments: [workspace, kind.rawValue, found.seq]) != nil {
                throw Quarantine.already(kind, found.item)
            }
            try db.execute(sql: "INSERT INTO quarantine (workspace, kind, seq, item, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [workspace, kind.rawValue, found.seq, found.item, reason, now])
            return QuarantineRecord(kind: kind, item: found.item, reason: reason, at: now)
        }
    }

    func quarantined(in workspace: WorkspaceName) async throws -> [QuarantineRecord] {
        let workspace = workspace.rawValue
        return try await pool.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM workspaces WHERE name = ?", arguments: [workspace]) != nil else {
                throw StoreNames.noWorkspace(workspace)
            }
            return try Row.fetchAll(db, sql: "SELECT kind, item, reason, at FROM quarantine WHERE workspace = ? ORDER BY at, kind, seq",
                                    arguments: [workspace]).map { row in
                QuarantineRecord(kind: QuarantineRecord.Kind(rawValue: row["kind"]) ?? .operation, item: row["item"], reason: row["reason"], at: row["at"])
            }
        }
    }

    /// The numbers of the workspace's operations after `after` that are out (few, usually none).
    static func withheldOperations(in workspace: String, after: Int64, db: Database) throws -> Set<Int64> {
        Set(try Int64.fetchAll(db.cachedStatement(sql: "SELECT seq FROM quarantine WHERE workspace = ? AND kind = 'operation' AND seq > ?"),
                               arguments: [workspace, after]))
    }
}

/// The refusals of `quarantine`, the same from both stores.
enum Quarantine {
    static func notFound(_ item: QuarantineItem, in workspace: String) -> StoreError {
        switch item {
        case let .operation(id):
            StoreError(.notFound, "workspace '\(workspace)' holds no operation \(id)",
                       hint: "an operation id is REPLICA-COUNTER, as `gloss sync` names a skipped one (e.g. 0000000000000b0b-1)")
        case let .report(prefix):
            StoreError(.notFound, "workspace '\(workspace)' holds no report whose id starts with '\(prefix)'",
                       hint: "give the report's id (its SHA-256), or enough of it, as `gloss sync` or `gloss reports` names it")
        }
    }

    static func ambiguous(_ prefix: String) -> StoreError {
        StoreError(.invalid, "'\(prefix)' starts the ids of several reports", hint: "give more of the id")
    }

    static func already(_ kind: QuarantineRecord.Kind, _ item: String) -> StoreError {
        StoreError(.conflict, "\(kind.rawValue) \(item) is out of the workspace already", hint: "see `gloss-server quarantine list --workspace W`")
    }
}
