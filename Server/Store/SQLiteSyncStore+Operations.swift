import Foundation
import GRDB
import GlossCore

/// Push, pull and import: the operation log.
extension SQLiteSyncStore {
    /// One push as it waits for the writer: its operations, their wire JSON and the policy.
    struct PendingPush: Sendable {
        var operations: [GlossCore.Operation]
        var payloads: [String]
        var policy: PushPolicy
    }

    /// Waits for the next group commit (``GroupCommit``): concurrent pushes share one
    /// transaction, each in its own savepoint, and each returns once that transaction committed.
    func push(_ operations: [GlossCore.Operation], policy: PushPolicy) async throws -> PushOutcome {
        try await pushes.submit(PendingPush(operations: operations, payloads: operations.map(JSONWriter.string), policy: policy))
    }

    /// The push's checks and inserts, inside the writer's transaction.
    static func write(_ push: PendingPush, db: Database) throws -> PushOutcome {
        let policy = push.policy, workspace = push.policy.workspace
        // The policy asks about the annotations of changes only (a create brings its own).
        var known = try Self.creators(of: Set(push.operations.lazy.filter { !Self.isCreate($0) }.map(\.annotation)),
                                      in: workspace, db: db)
        var outcome = PushOutcome()
        var inThisPush = Set<OperationID>()
        var reportsHere = Set<ReportID>()
        for (op, payload) in zip(push.operations, push.payloads) {
            if try inThisPush.contains(op.id) || Self.isStored(op.id, in: workspace, db: db) {
                outcome.duplicates.append(op.id)
                continue
            }
            // A relayed operation (received by file from its author) is taken only from its
            // author; the relayer learns its fate: refused before, or waiting for the author.
            if op.author != policy.user {
                outcome.refused.append(try Self.recordedRefusal(of: op.id, in: workspace, db: db) ?? .init(
                    op: op.id, code: .awaitingAuthor,
                    reason: "relayed from \(op.author): the server takes it from \(op.author) only; it stays with you until then"))
                continue
            }
            if var refusal = policy.refusal(of: op, creator: { known[$0] }) {
                // An annotation whose create was refused for good will never exist here.
                if refusal.code == .unknownAnnotation, let dead = try Self.refusedCreate(of: op.annotation, in: workspace, db: db) {
                    refusal = .init(op: op.id, code: .refusedAnnotation,
                                    reason: "annotation \(op.annotation.short) was never accepted (\(dead)); this change to it is dropped")
                }
                if !refusal.code.isTemporary { try Self.record(refusal, of: op, in: workspace, db: db) }
                outcome.refused.append(refusal)
                continue
            }
            if case let .create(creation) = op.change {
                if !reportsHere.contains(creation.report), try Self.hasReport(creation.report, in: workspace, db: db) {
                    reportsHere.insert(creation.report)
                }
                guard reportsHere.contains(creation.report) else {
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

    static func isCreate(_ op: GlossCore.Operation) -> Bool {
        if case .create = op.change { true } else { false }
    }

    static func record(_ refusal: Sync.Refusal, of op: GlossCore.Operation, in workspace: String, db: Database) throws {
        try db.execute(sql: """
            INSERT INTO refusals(workspace, replica, counter, annotation, is_create, code, reason) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET code = excluded.code, reason = excluded.reason
            """, arguments: [workspace, refusal.op.replica.hex, Int64(bitPattern: refusal.op.counter), op.annotation.rawValue,
                             Self.isCreate(op), refusal.code.rawValue, refusal.reason])
    }

    /// Why the create of `annotation` was refused for good, if it was.
    static func refusedCreate(of annotation: AnnotationID, in workspace: String, db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT reason FROM refusals WHERE workspace = ? AND annotation = ? AND is_create = 1 LIMIT 1",
                            arguments: [workspace, annotation.rawValue])
    }

    static func recordedRefusal(of id: OperationID, in workspace: String, db: Database) throws -> Sync.Refusal? {
        try Row.fetchOne(db, sql: "SELECT code, reason FROM refusals WHERE workspace = ? AND replica = ? AND counter = ?",
                         arguments: [workspace, id.replica.hex, Int64(bitPattern: id.counter)]).map {
            Sync.Refusal(op: id, code: Sync.Refusal.Code(rawValue: $0["code"]) ?? .invalid, reason: $0["reason"])
        }
    }

    static func hasReport(_ id: ReportID, in workspace: String, db: Database) throws -> Bool {
        let statement = try db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM reports WHERE workspace = ? AND id = ?)")
        return try Bool.fetchOne(statement, arguments: [workspace, id.rawValue]) ?? false
    }

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
