import GlossCore
import PostgresNIO

/// Items an admin took out of a workspace's feeds (`gloss-server quarantine`, Schema/postgres/004).
extension PostgresSyncStore {
    func quarantine(_ item: QuarantineItem, in workspace: WorkspaceName, reason: String, now: Int64) async throws -> QuarantineRecord {
        let workspace = workspace.rawValue
        return try await transaction { [logger] connection in
            guard try await !connection.query("SELECT 1 FROM workspaces WHERE name = \(workspace)", logger: logger).collect().isEmpty else {
                throw StoreNames.noWorkspace(workspace)
            }
            let found: (seq: Int64, item: String)?
            let kind: QuarantineRecord.Kind
            switch item {
            case let .operation(id):
                kind = .operation
                let counter = Int64(bitPattern: id.counter)
                found = try await connection.query("""
                    SELECT seq FROM operations WHERE workspace = \(workspace) AND replica = \(id.replica.hex) AND counter = \(counter)
                    """, logger: logger).collect().first.map { (try $0.decode(Int64.self), id.description) }
            case let .report(prefix):
                kind = .report
                let pattern = prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_") + "%"
                let rows = try await connection.query("""
                    SELECT seq, id FROM reports WHERE workspace = \(workspace) AND id LIKE \(pattern) ORDER BY id LIMIT 2
                    """, logger: logger).collect().map { try $0.decode((Int64, String).self) }
                if rows.count > 1 { throw Quarantine.ambiguous(prefix) }
                found = rows.first.map { (seq: $0.0, item: $0.1) }
            }
            guard let found else { throw Quarantine.notFound(item, in: workspace) }
            let inserted = try await connection.query("""
                INSERT INTO quarantine (workspace, kind, seq, item, reason, at)
                VALUES (\(workspace), \(kind.rawValue), \(found.seq), \(found.item), \(reason), \(now))
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger).collect()
            if inserted.isEmpty { throw Quarantine.already(kind, found.item) }
            return QuarantineRecord(kind: kind, item: found.item, reason: reason, at: now)
        }
    }

    func quarantined(in workspace: WorkspaceName) async throws -> [QuarantineRecord] {
        let workspace = workspace.rawValue
        return try await transaction { [logger] connection in
            guard try await !connection.query("SELECT 1 FROM workspaces WHERE name = \(workspace)", logger: logger).collect().isEmpty else {
                throw StoreNames.noWorkspace(workspace)
            }
            return try await connection.query("""
                SELECT kind, item, reason, at FROM quarantine WHERE workspace = \(workspace) ORDER BY at, kind, seq
                """, logger: logger).collect().map { row in
                let (kind, item, reason, at) = try row.decode((String, String, String, Int64).self)
                return QuarantineRecord(kind: QuarantineRecord.Kind(rawValue: kind) ?? .operation, item: item, reason: reason, at: at)
            }
        }
    }

    /// The numbers of the workspace's operations after `after` that are out (few, usually none).
    func withheldOperations(in workspace: String, after: Int64) async throws -> Set<Int64> {
        Set(try await run("""
            SELECT seq FROM quarantine WHERE workspace = \(workspace) AND kind = 'operation' AND seq > \(after)
            """).map { try $0.decode(Int64.self) })
    }
}
