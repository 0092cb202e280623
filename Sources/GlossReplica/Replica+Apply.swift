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
    /// Operations set aside, unmerged and unsent, until the analyst adopts or discards them:
    /// they name her as author but were not made on this replica (``ApplyPolicy``).
    public var quarantined = 0
    /// Of the operations taken, how many a signed run of their author's checked, and how many
    /// were taken unsigned as legacy (``SignaturePolicy``). Both 0 where no root is pinned.
    public var verified = 0
    public var legacy = 0
    /// True when the operations were checked against a pinned root (false: no root is pinned here).
    public var signaturesChecked = false
    /// Operations kept aside earlier (their signature or chain did not check) that this batch let through.
    public var released = 0
    /// Statements of the workspace root's that did not check against the pinned root, dropped.
    public var statementsRefused = 0
    /// Of a pulled page, the operations kept aside because their signature or chain did not
    /// check (`held_operations`, listed by `gloss sync --refused`), with the reason. Not encoded:
    /// a file's are in ``refused``.
    public var held: [Refusal] = []
    /// Annotations that gained a body conflict.
    public var newConflicts: [AnnotationID] = []
    /// Annotations whose visible state may have changed.
    public var touched: [AnnotationID] = []
    /// The visible state of each touched annotation afterwards, for a local command to print
    /// without reading it back (absent while its create has not arrived). Not encoded.
    public var views: [AnnotationID: Annotation] = [:]

    enum CodingKeys: String, CodingKey {
        case applied, duplicates, replaced, refused, quarantined, signaturesChecked, verified, legacy, released, statementsRefused, newConflicts, touched
    }

    public init() {}
}

/// The one way operations enter the replica, local or remote: log them, merge them into the
/// annotations they touch, and advance the clock, all inside the caller's transaction.
extension Replica {
    /// Applies operations that came from a file, checking each one (``ApplyPolicy``, the rules:
    /// this gathers its facts and persists its decision). `payloads`, when given, are the
    /// operations' wire JSON as received (kept as they are in the log instead of being written
    /// again). `source` names the file, for the quarantine.
    ///
    /// `claims` (from a bundle) and the claims this replica holds say whose each replica id is:
    /// an operation under an id whose claim names someone other than its author is refused, so
    /// no file can place one user's words under another's replica. Claims that prove an
    /// operation's author are kept, to be sent with those operations and checked against later.
    /// An operation naming this replica's user that was not made here is quarantined
    /// (``quarantinedOperations()``): not merged, not sent, until she adopts or discards it.
    ///
    /// Where the replica pinned its workspace's root (``pinRoot(_:)``), every operation is first
    /// checked against its author's signed chain (``checkSignatures``, with `signing` from the
    /// file); one that does not check is kept aside with its reason and goes no further.
    public func apply(_ operations: [GlossCore.Operation], payloads: [String]? = nil, claims: [ReplicaClaim] = [],
                      signing: BundleSigning? = nil, source: String = "a file") throws -> ApplyResult {
        precondition(payloads == nil || payloads!.count == operations.count, "one payload per operation")
        let now = self.now()
        return try pool.write { db in
            var meta = try Meta.load(db)
            var result = ApplyResult()
            var operations = operations, payloads = payloads
            if meta.workspace != .unbound, let root = try Self.pinnedRoot(of: meta.workspace, in: db) {
                // Written once, for the check to hash and the log to keep.
                if payloads == nil { payloads = operations.map(JSONWriter.string) }
                let check = try Self.checkSignatures(operations, payloads: payloads, signing: signing, workspace: meta.workspace,
                                                     root: root, source: source, now: now, in: db)
                (operations, payloads) = (check.taken, check.takenPayloads)
                // Let through from those kept aside: a page's are the server's; a file's go on with this file's.
                let fromServer = check.releasedFromHold.filter { $0.source == Self.serverSource }
                let fromFiles = check.releasedFromHold.filter { $0.source != Self.serverSource }
                operations += fromFiles.map(\.operation)
                payloads? += fromFiles.map(\.payload)
                if !fromServer.isEmpty {
                    try Self.takeFromServer(fromServer.map(\.operation), payloads: fromServer.map(\.payload), now: now, meta: &meta,
                                            in: db, result: &result)
                }
                result.signaturesChecked = true
                result.refused = check.held
                result.verified = check.verified
                result.legacy = check.legacy
                result.released = check.released
                result.statementsRefused = check.statementsRefused
            }
            try Self.takeFromFile(operations, payloads: payloads, claims: claims, source: source, now: now, meta: &meta, in: db, result: &result)
            try meta.save(db)
            return result
        }
    }

    /// Operations from a file (or let through from those kept aside) after their signatures:
    /// checked by ``ApplyPolicy`` as from a file, those in the user's name not made here
    /// quarantined, the claims learnt kept, the rest logged and merged; the clock advanced in `meta`.
    static func takeFromFile(_ operations: [Operation], payloads: [String]?, claims: [ReplicaClaim], source: String, now: Int64,
                             meta: inout Meta, in db: Database, result: inout ApplyResult) throws {
        let policy = ApplyPolicy(user: meta.user, workspace: meta.workspace, now: now, source: .file)
        let facts = try Self.facts(policy.factsNeeded(for: operations), in: db)
        let decision = policy.decide(operations, claims: claims, facts: facts, clock: HybridClock(last: meta.clock))
        let (accepted, acceptedPayloads) = Self.sift(operations, payloads: payloads, verdicts: decision.verdicts, into: &result)
        try Self.quarantine(operations, payloads: payloads, decision: decision, source: source, now: now, in: db, result: &result)
        for claim in decision.learned {
            try db.execute(sql: "INSERT OR IGNORE INTO replica_claims(replica, salt, minted) VALUES (?, ?, 0)",
                           arguments: [claim.replica.hex, claim.salt])
        }
        try Self.ingest(accepted, payloads: acceptedPayloads, into: db, result: &result)
        meta.clock = decision.clock
    }

    /// What ``ApplyPolicy`` asks to know, read in the caller's transaction.
    static func facts(_ request: ApplyPolicy.FactRequest, in db: Database) throws -> ApplyPolicy.Facts {
        var facts = ApplyPolicy.Facts()
        if !request.replicas.isEmpty {
            let claim = try db.cachedStatement(sql: "SELECT * FROM replica_claims WHERE replica = ?")
            for replica in request.replicas {
                guard let row = try ReplicaClaimRow.fetchOne(claim, arguments: [replica.hex]) else { continue }
                facts.claims[replica] = ReplicaClaim(replica: replica, salt: row.salt)
                if row.minted { facts.minted.insert(replica) }
            }
        }
        if !request.annotations.isEmpty {
            let created = try db.cachedStatement(sql: "SELECT private FROM annotations WHERE id = ? AND report IS NOT NULL")
            for annotation in request.annotations {
                if let isPrivate = try Bool.fetchOne(created, arguments: [annotation.rawValue]) { facts.creates[annotation] = isPrivate }
            }
        }
        if !request.ownOperations.isEmpty {
            let logged = try db.cachedStatement(sql: "SELECT 1 FROM operations WHERE replica = ? AND counter = ?")
            let refused = try db.cachedStatement(sql: "SELECT 1 FROM refused_operations WHERE op = ?")
            for id in request.ownOperations {
                let key: StatementArguments = [Int64(bitPattern: id.replica.rawValue), Int64(bitPattern: id.counter)]
                if try Bool.fetchOne(logged, arguments: key) != nil || Bool.fetchOne(refused, arguments: [id.description]) != nil {
                    facts.held.insert(id)
                }
            }
        }
        return facts
    }

    /// The operations (and their payloads) the verdicts accept; each refused one goes into
    /// `result` with its reason. Nothing is copied unless something is not accepted.
    static func sift(_ operations: [Operation], payloads: [String]?, verdicts: [ApplyPolicy.Verdict],
                     into result: inout ApplyResult) -> ([Operation], [String]?) {
        var kept: [Operation]?
        var keptPayloads: [String]?
        for (index, op) in operations.enumerated() {
            if verdicts[index] != .accept {
                if case let .refuse(reason) = verdicts[index] { result.refused.append(.init(op: op.id, reason: reason)) }
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
                case .acknowledged:
                    result.duplicates += 1
                    tallies.unsent -= 1
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
        if !acknowledged { tallies.unsent += result.applied - appliedBefore }
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
        let find = try db.cachedStatement(sql: "SELECT * FROM operations WHERE replica = ? AND counter = ?")
        let delete = try db.cachedStatement(sql: "DELETE FROM operations WHERE replica = ? AND counter = ?")
        var touched = Set<AnnotationID>()
        var tallies = Tallies()
        for id in ids {
            let key: StatementArguments = [Int64(bitPattern: id.replica.rawValue), Int64(bitPattern: id.counter)]
            guard let row = try OperationRow.fetchOne(find, arguments: key) else { continue }
            touched.insert(AnnotationID(rawValue: row.annotation))
            try delete.execute(arguments: key)
            tallies.operations -= 1
            if !row.acked { tallies.unsent -= 1 }
        }
        for id in touched.sorted() { try AnnotationStore.rebuild(id, in: db, tallies: &tallies) }
        try tallies.save(in: db)
    }

    /// `acknowledged`: a duplicate the server's copy marked as sent.
    enum Logged { case logged, duplicate, acknowledged, shadowed }

    /// Writes one operation into the log under its annotation's rowid. When the log already
    /// held it: from the server (`acknowledged`), it is marked so, unless the copy here differs
    /// from the server's (`shadowed`); otherwise a duplicate.
    private static func log(_ op: borrowing Operation, payload: String?, annotationRow: Int64, acknowledged: Bool,
                            with insert: FastStatement, in db: Database) throws -> Logged {
        let payload = payload ?? JSONWriter.string(copy op)
        try insert.run { row in
            row.add(Int64(bitPattern: op.id.replica.rawValue)); row.add(Int64(bitPattern: op.id.counter))
            row.add(op.hlc.wall); row.add(Int64(op.hlc.logical)); row.add(op.author.rawValue); row.add(op.workspace.rawValue)
            row.add(op.annotation.rawValue); row.add(annotationRow); row.add(op.change.kind); row.add(op.isPrivate)
            row.add(payload); row.add(acknowledged)
        }
        if insert.changes > 0 { return .logged }
        if acknowledged {
            let held = try String.fetchOne(db.cachedStatement(sql: "SELECT payload FROM operations WHERE replica = ? AND counter = ?"),
                                           arguments: [Int64(bitPattern: op.id.replica.rawValue), Int64(bitPattern: op.id.counter)])
            if let held, held != payload, try Operation.stored(held) != copy op { return .shadowed }
            let ack = try FastStatement(db, "UPDATE operations SET acked = 1 WHERE replica = ? AND counter = ? AND acked = 0")
            try ack.run {
                $0.add(Int64(bitPattern: op.id.replica.rawValue)); $0.add(Int64(bitPattern: op.id.counter))
            }
            if ack.changes > 0 { return .acknowledged }
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
