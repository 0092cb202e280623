import Foundation
import GRDB
import GlossCore

/// What happened when operations entered the replica.
public struct ApplyResult: Codable, Sendable, Equatable {
    /// An operation that was not taken in, and why.
    public struct Refusal: Codable, Sendable, Equatable {
        public var op: OperationID
        public var reason: String
    }

    public var applied = 0
    public var duplicates = 0
    /// Operations held here with other content than the server's, replaced by the server's.
    public var replaced = 0
    public var refused: [Refusal] = []
    /// Annotations that gained a body conflict.
    public var newConflicts: [AnnotationID] = []
    /// Annotations whose visible state may have changed.
    public var touched: [AnnotationID] = []
    /// The visible state of each touched annotation afterwards, for a local command to print
    /// without reading it back (absent while its create has not arrived). Not encoded.
    public var views: [AnnotationID: Annotation] = [:]

    enum CodingKeys: String, CodingKey { case applied, duplicates, replaced, refused, newConflicts, touched }

    public init() {}
}

/// The one way operations enter the replica, local or remote: log them, merge them into the
/// annotations they touch, and advance the clock, all inside the caller's transaction.
extension Replica {
    /// Applies operations that came from elsewhere (a file, the server), checking each one.
    /// `payloads`, when given, are the operations' wire JSON as received (kept as they are
    /// in the log instead of being written again).
    ///
    /// `claims` (from a bundle) and the claims this replica holds say whose each replica id is:
    /// an operation under an id whose claim names someone other than its author is refused, so
    /// no file can place one user's words under another's replica. Claims that prove an
    /// operation's author are kept, to be sent with those operations and checked against later.
    public func apply(_ operations: [GlossCore.Operation], payloads: [String]? = nil, claims: [ReplicaClaim] = []) throws -> ApplyResult {
        precondition(payloads == nil || payloads!.count == operations.count, "one payload per operation")
        let now = self.now()
        return try pool.write { db in
            var meta = try Meta.load(db)
            var clock = HybridClock(last: meta.clock)
            var result = ApplyResult()
            var known = Dictionary(try Self.claims(for: Set(operations.map(\.id.replica)), in: db).map { ($0.replica, $0) },
                                   uniquingKeysWith: { a, _ in a })
            var learned: [ReplicaClaim] = []
            var offered: [ReplicaID: ReplicaClaim] = [:]
            for claim in claims where known[claim.replica] == nil {
                offered[claim.replica] = claim
                if operations.contains(where: { $0.id.replica == claim.replica && claim.proves($0.author) }) {
                    known[claim.replica] = claim
                    learned.append(claim)
                }
            }
            let (accepted, acceptedPayloads) = Self.sift(operations, payloads: payloads, into: &result) { op in
                if let claim = known[op.id.replica] ?? offered[op.id.replica], !claim.proves(op.author) {
                    return "its id \(op.id) belongs to a replica of another user than \(op.author); it was altered or forged"
                }
                return Self.refusal(of: op, meta: meta, clock: clock, now: now)
            }
            for claim in learned {
                try db.execute(sql: "INSERT OR IGNORE INTO replica_claims(replica, salt) VALUES (?, ?)", arguments: [claim.replica.hex, claim.salt])
            }
            try Self.ingest(accepted, payloads: acceptedPayloads, into: db, result: &result)
            for op in accepted { clock.observe(op.hlc) }
            meta.clock = clock.last
            try meta.save(db)
            return result
        }
    }

    /// The operations (and their payloads) that `refusal` lets through; each refused one goes
    /// into `result` with its reason. Nothing is copied unless something is refused.
    static func sift(_ operations: [Operation], payloads: [String]?, into result: inout ApplyResult,
                     refusal: (Operation) -> String?) -> ([Operation], [String]?) {
        var kept: [Operation]?
        var keptPayloads: [String]?
        for (index, op) in operations.enumerated() {
            if let reason = refusal(op) {
                result.refused.append(.init(op: op.id, reason: reason))
                if kept == nil {
                    kept = Array(operations[..<index])
                    keptPayloads = payloads.map { Array($0[..<index]) }
                }
            } else if kept != nil {
                kept!.append(op)
                if let payloads { keptPayloads!.append(payloads[index]) }
            }
        }
        return kept.map { ($0, keptPayloads) } ?? (operations, payloads)
    }

    /// Why an incoming operation is not taken in, or nil to take it.
    static func refusal(of op: Operation, meta: Meta, clock: HybridClock, now: Int64) -> String? {
        do { try op.validate() } catch { return "\(error)" }
        if !clock.accepts(op.hlc, now: now) {
            let ahead = (op.hlc.wall - now) / 60_000
            return "stamped \(ahead) minutes ahead of this machine's clock (the bound is \(clock.maxSkewMillis / 60_000) minutes); the sender's clock is wrong"
        }
        if !Privacy.allows(meta.user, op.author, isPrivate: op.isPrivate) {
            return "a private note of \(op.author)'s; only \(op.author) may hold it"
        }
        if !op.workspace.isEmpty, !meta.workspace.isEmpty, !IdentityName.same(op.workspace, meta.workspace) {
            return "belongs to workspace '\(op.workspace)', not '\(meta.workspace)'"
        }
        return nil
    }

    /// Logs the operations (ignoring ones already present) and re-materialises what they touch.
    /// `acknowledged`: the operations come from the team server, so none needs sending (an own
    /// operation already here is marked so).
    static func ingest(_ operations: [Operation], payloads: [String]? = nil, acknowledged: Bool = false,
                       into db: Database, result: inout ApplyResult) throws {
        let appliedBefore = result.applied
        let insert = try FastStatement(db, """
            INSERT INTO operations(replica, counter, hlc_wall, hlc_logical, author, workspace, annotation, annotation_row, kind, private, payload, acked)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(replica, counter) DO NOTHING
            """)
        var touched = TouchedAnnotations()
        var shadowed: [Int] = []
        var tallies = Tallies()
        // Through a buffer, so that operations are read in place rather than copied out.
        try operations.withUnsafeBufferPointer { operations in
            for index in operations.indices {
                let slot = try touched.slot(for: operations[index].annotation, in: db)
                switch try log(operations[index], payload: payloads?[index], annotationRow: touched.list[slot].rowid,
                               acknowledged: acknowledged, with: insert, in: db) {
                case .logged:
                    result.applied += 1
                    touched.list[slot].fresh.append(index)
                case .duplicate:
                    result.duplicates += 1
                case .shadowed:
                    shadowed.append(index)
                }
            }
            for annotation in touched.list where !annotation.fresh.isEmpty {
                var after = annotation.before ?? AnnotationState(id: annotation.id)
                for index in annotation.fresh { after.merge(operations[index]) }
                let previous = annotation.before?.annotation
                let view = after.annotation
                try AnnotationStore.save(after, rowid: annotation.rowid, view: view, previous: previous, in: db)
                tallies.annotation(from: previous, to: view)
                if view?.hasConflict == true, previous?.hasConflict != true { result.newConflicts.append(annotation.id) }
                result.touched.append(annotation.id)
                result.views[annotation.id] = view
            }
        }
        tallies.operations = result.applied - appliedBefore
        try tallies.save(in: db)
        if !shadowed.isEmpty {
            try replaceShadowed(shadowed.map { operations[$0] }, payloads: payloads.map { p in shadowed.map { p[$0] } },
                                into: db, result: &result)
        }
    }

    /// The server sent an operation whose id this replica holds with other content: a copy
    /// altered on its way here by file. What the server accepted is what every replica holds
    /// (docs/ARCHITECTURE.md, "What the server decides"), so the local copy leaves the log, the annotations it touched are rebuilt
    /// without it, and the server's operation goes in as new.
    private static func replaceShadowed(_ operations: [Operation], payloads: [String]?, into db: Database,
                                        result: inout ApplyResult) throws {
        try unlog(operations.map(\.id), in: db)
        result.replaced += operations.count
        try ingest(operations, payloads: payloads, acknowledged: true, into: db, result: &result)
    }

    /// Takes operations out of the log and rebuilds the annotations they touched from what
    /// remains (one that is left with none goes). Ids not in the log are passed over.
    static func unlog(_ ids: some Sequence<OperationID>, in db: Database) throws {
        let find = try db.cachedStatement(sql: "SELECT annotation FROM operations WHERE replica = ? AND counter = ?")
        let delete = try db.cachedStatement(sql: "DELETE FROM operations WHERE replica = ? AND counter = ?")
        var touched = Set<AnnotationID>()
        var tallies = Tallies()
        for id in ids {
            let key: StatementArguments = [Int64(bitPattern: id.replica.rawValue), Int64(bitPattern: id.counter)]
            guard let annotation = try String.fetchOne(find, arguments: key) else { continue }
            touched.insert(AnnotationID(rawValue: annotation))
            try delete.execute(arguments: key)
            tallies.operations -= 1
        }
        for id in touched.sorted() { try AnnotationStore.rebuild(id, in: db, tallies: &tallies) }
        try tallies.save(in: db)
    }

    enum Logged { case logged, duplicate, shadowed }

    /// Writes one operation into the log under its annotation's rowid. When the log already
    /// held it: from the server (`acknowledged`), it is marked so, unless the copy here differs
    /// from the server's (`shadowed`); otherwise a duplicate.
    private static func log(_ op: borrowing Operation, payload: String?, annotationRow: Int64, acknowledged: Bool,
                            with insert: FastStatement, in db: Database) throws -> Logged {
        let payload = payload ?? JSONWriter.string(copy op)
        try insert.run { row in
            row.add(Int64(bitPattern: op.id.replica.rawValue)); row.add(Int64(bitPattern: op.id.counter))
            row.add(op.hlc.wall); row.add(Int64(op.hlc.logical)); row.add(op.author); row.add(op.workspace)
            row.add(op.annotation.rawValue); row.add(annotationRow); row.add(op.change.kind); row.add(op.isPrivate)
            row.add(payload); row.add(acknowledged)
        }
        if insert.changes > 0 { return .logged }
        if acknowledged {
            let held = try String.fetchOne(db.cachedStatement(sql: "SELECT payload FROM operations WHERE replica = ? AND counter = ?"),
                                           arguments: [Int64(bitPattern: op.id.replica.rawValue), Int64(bitPattern: op.id.counter)])
            if let held, held != payload, try Operation.stored(held) != copy op { return .shadowed }
            try FastStatement(db, "UPDATE operations SET acked = 1 WHERE replica = ? AND counter = ? AND acked = 0").run {
                $0.add(Int64(bitPattern: op.id.replica.rawValue)); $0.add(Int64(bitPattern: op.id.counter))
            }
        }
        return .duplicate
    }

    /// The annotations an ingest touches, in first-touch order, each row read once. A new one
    /// is given the rowid its row will be written with, so its operations can be logged under
    /// it first.
    private struct TouchedAnnotations {
        var list: [Touched] = []
        private var slots: [AnnotationID: Int] = [:]
        private var nextRowid: Int64?

        /// The annotation's index in `list`, reading its row on first touch.
        mutating func slot(for id: AnnotationID, in db: Database) throws -> Int {
            if let known = slots[id] { return known }
            slots[id] = list.count
            if let (rowid, state) = try AnnotationStore.stored(id, in: db) {
                list.append(Touched(id: id, rowid: rowid, before: state))
            } else {
                let rowid = try nextRowid ?? AnnotationStore.nextRowid(in: db)
                nextRowid = rowid + 1
                list.append(Touched(id: id, rowid: rowid, before: nil))
            }
            return list.count - 1
        }
    }

    /// An annotation an ingest touches: its row (or the one it will have), its state before, and
    /// the indices of the new operations on it.
    private struct Touched {
        var id: AnnotationID
        var rowid: Int64
        var before: AnnotationState?
        var fresh: [Int] = []
    }
}
