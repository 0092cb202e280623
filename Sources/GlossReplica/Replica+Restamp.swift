import Foundation
import GRDB
import GlossCore

/// Recovery from a clock that ran far ahead (docs/ARCHITECTURE.md, "Clock skew").
///
/// The server refuses operations stamped beyond its skew bound, and this replica moves them to
/// `refused_operations`. Once the analyst has set the clock right, `gloss sync --restamp`
/// re-issues them here: the replica's clock is pulled back to the latest stamp it holds that is
/// within the bound of now, and each refused change is made again as a new operation with a new
/// id and stamp. A re-issued create makes a new annotation id, and later re-issued operations on
/// it (edits, tags, replies, `seen` and `observed` lists) are pointed at the new ids.
///
/// The same re-issue serves operations made before replica ids were derived from their user
/// (``ReplicaClaim``): the analyst's own unsent operations under a replica id this replica holds
/// no claim for can never be proven theirs, so the server keeps answering `awaiting-claim`;
/// they leave the log and are made again under this process's (claimed) id.
extension Replica {
    func restampRefused() throws -> [GlossCore.Operation] {
        let now = self.now()
        return try pool.write { db in
            var refused = try String.fetchAll(db, sql: "SELECT payload FROM refused_operations WHERE code = ? ORDER BY seq",
                                              arguments: [Sync.Refusal.Code.clockAhead.rawValue])
                .map { try Operation.stored($0) }
            refused += try Self.unclaimedOwnOperations(in: db)
            guard !refused.isEmpty else { return [] }
            let bound = now + HybridClock.defaultMaxSkewMillis
            let latestSane = try OperationRow.fetchOne(db, sql: """
                SELECT * FROM operations WHERE hlc_wall <= ? ORDER BY hlc_wall DESC, hlc_logical DESC LIMIT 1
                """, arguments: [bound]).map { HLC(wall: $0.hlcWall, logical: UInt32($0.hlcLogical)) } ?? .zero
            var recorder = try recorder(db, now: now, clock: latestSane)
            var annotations: [AnnotationID: AnnotationID] = [:]
            var ops: [OperationID: OperationID] = [:]
            for old in refused {
                let target = annotations[old.annotation] ?? old.annotation
                let change = Self.remap(old.change, annotations: annotations, ops: ops)
                let new: Operation
                if case .create = change {
                    new = recorder.record(change, isPrivate: old.isPrivate)
                    annotations[old.annotation] = new.annotation
                } else {
                    new = recorder.record(change, on: target, isPrivate: old.isPrivate)
                }
                ops[old.id] = new.id
            }
            var result = ApplyResult()
            try Self.ingest(recorder.operations, into: db, result: &result)
            try db.execute(sql: "DELETE FROM refused_operations WHERE code = ?", arguments: [Sync.Refusal.Code.clockAhead.rawValue])
            try finish(recorder, db)
            return recorder.operations
        }
    }

    /// This user's unacknowledged operations under replica ids with no claim here, oldest
    /// first; they leave the log (their annotations rebuilt), to be issued again.
    static func unclaimedOwnOperations(in db: Database) throws -> [Operation] {
        let user = try Meta.load(db).user
        let claimed = Set(try String.fetchAll(db, sql: "SELECT replica FROM replica_claims"))
        let pending = try String.fetchAll(db, sql: "SELECT payload FROM operations WHERE acked = 0 AND author = ? ORDER BY seq",
                                          arguments: [user.rawValue])
            .map { try Operation.stored($0) }
            .filter { !claimed.contains($0.id.replica.hex) }
        try unlog(pending.map(\.id), in: db)
        return pending
    }

    static func remap(_ change: Change, annotations: [AnnotationID: AnnotationID], ops: [OperationID: OperationID]) -> Change {
        switch change {
        case var .create(creation):
            creation.parent = creation.parent.map { annotations[$0] ?? $0 }
            return .create(creation)
        case let .editBody(text, seen):
            return .editBody(text: text, seen: seen.map { ops[$0] ?? $0 })
        case let .removeTag(tag, observed):
            return .removeTag(tag, observed: observed.map { ops[$0] ?? $0 })
        default:
            return change
        }
    }
}
