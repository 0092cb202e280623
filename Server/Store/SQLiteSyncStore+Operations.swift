import Foundation
import GRDB
import GlossCore

/// Push, pull and import: the operation log.
extension SQLiteSyncStore {
    func push(_ operations: [GlossCore.Operation], policy: PushPolicy) async throws -> PushOutcome {
        let workspace = policy.workspace
        let payloads = operations.map(JSONWriter.string)
        return try await pool.write { db in
            var known = try Self.creators(of: Set(operations.map(\.annotation)), in: workspace, db: db)
            var outcome = PushOutcome()
            var inThisPush = Set<OperationID>()
            for (op, payload) in zip(operations, payloads) {
                if try inThisPush.contains(op.id) || Self.isStored(op.id, in: workspace, db: db) {
                    outcome.duplicates.append(op.id)
                    continue
                }
                if let refusal = policy.refusal(of: op, creator: { known[$0] }) {
                    outcome.refused.append(refusal)
                    continue
                }
                if case let .create(creation) = op.change {
                    let hasReport = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM reports WHERE workspace = ? AND id = ?)",
                                                      arguments: [workspace, creation.report.rawValue]) ?? false
                    guard hasReport else {
                        outcome.refused.append(.init(op: op.id, code: .missingReport,
                                                     reason: "report \(creation.report.short) is not on the server: push the report first"))
                        continue
                    }
                    known[op.annotation] = .init(author: op.author, isPrivate: op.isPrivate)
                }
                try Self.insert(op, payload: payload, workspace: workspace, db: db)
                inThisPush.insert(op.id)
                outcome.accepted.append(op.id)
            }
            return outcome
        }
    }

    func importOperations(_ operations: [GlossCore.Operation], workspace: String) async throws {
        let payloads = operations.map(JSONWriter.string)
        try await pool.write { db in
            for (op, payload) in zip(operations, payloads) where !(try Self.isStored(op.id, in: workspace, db: db)) {
                try Self.insert(op, payload: payload, workspace: workspace, db: db)
            }
        }
    }

    func pull(workspace: String, user: String, after: Int64, limit: Int, maxBytes: Int) async throws -> PullPage {
        try await pool.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT seq, author, private, payload FROM operations WHERE workspace = ? AND seq > ? ORDER BY seq
                """, arguments: [workspace, after])
            var payloads: [String] = []
            var bytes = 0
            var cursor = after
            var scanned = 0
            // Bound the work of one request even when a long run of rows is hidden from this user.
            let maxScanned = max(limit * 10, 100_000)
            while payloads.count < limit, bytes < maxBytes, scanned < maxScanned, let row = try rows.next() {
                scanned += 1
                cursor = row["seq"]
                let isPrivate: Bool = row["private"]
                let author: String = row["author"]
                guard !isPrivate || author == user else { continue }
                let payload: String = row["payload"]
                payloads.append(payload)
                bytes += payload.utf8.count
            }
            let more = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM operations WHERE workspace = ? AND seq > ?)",
                                         arguments: [workspace, cursor]) ?? false
            return PullPage(payloads: payloads, cursor: cursor, more: more)
        }
    }

    // MARK: Statements

    static func isStored(_ id: OperationID, in workspace: String, db: Database) throws -> Bool {
        let statement = try db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM operations WHERE workspace = ? AND replica = ? AND counter = ?)")
        return try Bool.fetchOne(statement, arguments: [workspace, id.replica.hex, Int64(bitPattern: id.counter)]) ?? false
    }

    static func insert(_ op: GlossCore.Operation, payload: String, workspace: String, db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO operations (workspace, replica, counter, author, annotation, private, hlc_wall, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [workspace, op.id.replica.hex, Int64(bitPattern: op.id.counter), op.author,
                                     op.annotation.rawValue, op.isPrivate, op.hlc.wall, payload])
        if case .create = op.change {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO annotations (workspace, id, author, private) VALUES (?, ?, ?, ?)")
                .execute(arguments: [workspace, op.annotation.rawValue, op.author, op.isPrivate])
        }
    }

    /// What the server knows of these annotations from their creates.
    static func creators(of ids: Set<AnnotationID>, in workspace: String, db: Database) throws -> [AnnotationID: PushPolicy.Creator] {
        var found: [AnnotationID: PushPolicy.Creator] = [:]
        let statement = try db.cachedStatement(sql: "SELECT author, private FROM annotations WHERE workspace = ? AND id = ?")
        for id in ids {
            if let row = try Row.fetchOne(statement, arguments: [workspace, id.rawValue]) {
                found[id] = .init(author: row["author"], isPrivate: row["private"])
            }
        }
        return found
    }
}
