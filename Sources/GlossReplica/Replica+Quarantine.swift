import GRDB
import GlossCore

/// An operation a file brought that names this replica's user but was not made here, kept
/// aside until she adopts or discards it (``ApplyPolicy``, Schema/replica/011_quarantine.sql).
public struct QuarantinedOperation: Codable, Sendable {
    public var operation: GlossCore.Operation
    public var reason: String
    /// The file it came in.
    public var source: String
    /// When it arrived, this machine's clock, ms.
    public var arrivedAt: Int64
}

/// The quarantine: operations in the user's name that only she can vouch for. Nothing here is
/// merged into an annotation, shown as a note, exported or pushed. Adopting puts an operation
/// through the rules again (as her choice, ``ApplyPolicy/Source/adopted``) into the log, to be
/// pushed as hers; discarding drops it. A pull that brings the same id settles it: the server
/// took it from its author, and what the server holds is what every replica holds.
extension Replica {
    /// Keeps the operations `decision` quarantines, with the file's claim for their ids.
    static func quarantine(_ operations: [Operation], payloads: [String]?, decision: ApplyPolicy.Decision, source: String,
                           now: Int64, in db: Database, result: inout ApplyResult) throws {
        guard decision.quarantined > 0 else { return }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO quarantined_operations(op, reason, payload, salt, source, arrived_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(op) DO NOTHING
            """)
        for (index, op) in operations.enumerated() {
            guard case let .quarantine(reason) = decision.verdicts[index] else { continue }
            try insert.execute(arguments: [op.id.description, reason, payloads?[index] ?? JSONWriter.string(op),
                                           decision.quarantineClaims[op.id.replica]?.salt, source, now])
            result.quarantined += 1
        }
    }

    /// Operations set aside, oldest first.
    public func quarantinedOperations() throws -> [QuarantinedOperation] {
        try pool.read { db in
            try QuarantinedRow.all(in: db).map {
                QuarantinedOperation(operation: try Operation.stored($0.payload), reason: $0.reason, source: $0.source,
                                     arrivedAt: $0.arrivedAt)
            }
        }
    }

    /// How many operations are set aside.
    public func quarantinedCount() throws -> Int {
        try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM quarantined_operations") ?? 0 }
    }

    /// The quarantined operation whose id is `text` or starts with it (git style).
    public func resolveQuarantined(_ text: String) throws -> OperationID {
        let key = text.lowercased()
        guard !key.isEmpty, key.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { throw ReplicaError.malformedID(.operation, text: text) }
        let matches = try pool.read { db in
            try String.fetchAll(db, sql: "SELECT op FROM quarantined_operations WHERE op = ? OR substr(op, 1, ?) = ? ORDER BY seq",
                                arguments: [key, key.count, key])
        }
        if matches.contains(key) { return OperationID(key)! }
        switch matches.count {
        case 0: throw ReplicaError.noMatch(.operation, prefix: text)
        case 1: return OperationID(matches[0])!
        default: throw ReplicaError.ambiguous(.operation, prefix: text, matches: matches)
        }
    }

    /// Takes quarantined operations (`ids`, or all of them) into the log as the user's, to be
    /// pushed as hers: her explicit choice. Each goes through the rules again (``ApplyPolicy``,
    /// adopted); one they refuse now leaves the quarantine, refused in the result.
    public func adoptQuarantined(_ ids: [OperationID]? = nil) throws -> ApplyResult {
        let now = self.now()
        return try pool.write { db in
            let rows = try Self.quarantinedRows(ids, in: db)
            let operations = try rows.map { try Operation.stored($0.payload) }
            var meta = try Meta.load(db)
            let policy = ApplyPolicy(user: meta.user, workspace: meta.workspace, now: now, source: .adopted)
            let claims = rows.compactMap { row in row.salt.map { ReplicaClaim(replica: row.id.replica, salt: $0) } }
            let decision = policy.decide(operations, claims: claims, facts: try Self.facts(policy.factsNeeded(for: operations), in: db),
                                         clock: HybridClock(last: meta.clock))
            var result = ApplyResult()
            let (accepted, payloads) = Self.sift(operations, payloads: rows.map(\.payload), verdicts: decision.verdicts, into: &result)
            for claim in decision.learned {
                try db.execute(sql: "INSERT OR IGNORE INTO replica_claims(replica, salt, minted) VALUES (?, ?, 0)",
                               arguments: [claim.replica.hex, claim.salt])
            }
            try Self.ingest(accepted, payloads: payloads, into: db, result: &result)
            try Self.release(rows.map(\.id), in: db)
            meta.clock = decision.clock
            try meta.save(db)
            return result
        }
    }

    /// Drops quarantined operations (`ids`, or all of them); returns how many.
    public func discardQuarantined(_ ids: [OperationID]? = nil) throws -> Int {
        try pool.write { db in
            let rows = try Self.quarantinedRows(ids, in: db)
            try Self.release(rows.map(\.id), in: db)
            return rows.count
        }
    }

    /// Operations the server sent settle their quarantined copies: the server took them from
    /// their author, so the pulled operation is what this replica holds.
    static func settleQuarantine(_ operations: [Operation], in db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM quarantined_operations LIMIT 1") == true else { return }
        try release(operations.map(\.id), in: db)
    }

    private static func release(_ ids: [OperationID], in db: Database) throws {
        let delete = try db.cachedStatement(sql: "DELETE FROM quarantined_operations WHERE op = ?")
        for id in ids { try delete.execute(arguments: [id.description]) }
    }

    private struct QuarantineRow {
        var id: OperationID
        var payload: String
        var salt: String?
    }

    private static func quarantinedRows(_ ids: [OperationID]?, in db: Database) throws -> [QuarantineRow] {
        let wanted = ids.map(Set.init)
        return try QuarantinedRow.all(in: db).compactMap { row in
            guard let id = OperationID(row.op), wanted?.contains(id) ?? true else { return nil }
            return QuarantineRow(id: id, payload: row.payload, salt: row.salt)
        }
    }
}
