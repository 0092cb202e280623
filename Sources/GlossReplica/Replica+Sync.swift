import Foundation
import GRDB
import GlossCore

/// The replica's side of sync: which operations to send, what the server acknowledged or
/// refused, and how far this replica has pulled. Each step is its own transaction, so a sync
/// cut anywhere resumes without loss: an operation is marked acknowledged only after the
/// server's answer, and a pulled page is applied together with its cursor.
extension Replica {
    /// Binds the replica to a team server and workspace, with the user's `role` there when the
    /// server said it (otherwise the role known for that same server is kept).
    ///
    /// Operations made before the replica had a workspace are stamped with it now; they have
    /// not reached any server, so nobody holds a different version of them.
    public func bind(remote url: String, workspace: WorkspaceName, token: String, role: Role? = nil) throws {
        try pool.write { db in
            var meta = try Meta.load(db)
            if !meta.workspace.isEmpty, meta.workspace != workspace {
                throw ReplicaError.otherWorkspace(bound: meta.workspace, named: workspace)
            }
            if meta.workspace.isEmpty {
                // What was made before joining joins now (``Operation/joining(_:)``).
                let unbound = try LoggedOperation.fetchAll(db, sql: "SELECT seq, payload FROM operations WHERE workspace = ''")
                let update = try db.makeStatement(sql: "UPDATE operations SET workspace = ?, payload = ? WHERE seq = ?")
                for row in unbound {
                    let joined = try row.operation().joining(workspace)
                    try update.execute(arguments: [joined.workspace.rawValue, JSONWriter.string(joined), row.seq])
                }
            }
            if meta.remoteURL != url {
                // Another server: start pulling from its beginning, and send it everything of ours.
                try Self.startOver(&meta, db)
            }
            if meta.remoteURL != url || meta.workspace != workspace { meta.role = nil }
            meta.role = role ?? meta.role
            meta.workspace = workspace
            meta.remoteURL = url
            meta.remoteToken = token
            try meta.save(db)
        }
    }

    /// Keeps the user's role in the workspace as the server just said it (`GET /v1/me`).
    public func noteRole(_ role: Role?) throws {
        try pool.write { db in
            var meta = try Meta.load(db)
            meta.role = role
            try meta.save(db)
        }
    }

    /// The claims of those of `replicas` that this replica's processes minted (relayed
    /// teammates' operations have none here: only their authors can prove their ids).
    public func claims(for replicas: Set<ReplicaID>) throws -> [ReplicaClaim] {
        try pool.read { try Self.claims(for: replicas, in: $0) }
    }

    static func claims(for replicas: Set<ReplicaID>, in db: Database) throws -> [ReplicaClaim] {
        let statement = try db.cachedStatement(sql: "SELECT salt FROM replica_claims WHERE replica = ?")
        return try replicas.sorted().compactMap { id in
            try String.fetchOne(statement, arguments: [id.hex]).map { ReplicaClaim(replica: id, salt: $0) }
        }
    }

    /// A number that changes whenever another process (another `gloss` command) commits to
    /// the replica, and not when this one does: SQLite's `PRAGMA data_version` on this
    /// replica's one connection. It reads no table, so polling it is cheap; `gloss sync
    /// --watch` does, to push what other commands record as soon as they record it.
    public func externalWrites() throws -> Int {
        try pool.read { try Int.fetchOne($0, sql: "PRAGMA data_version") ?? 0 }
    }

    /// How many of this user's own operations wait for the server (an index range, not a count of the whole log).
    public func unacknowledgedCount() throws -> Int {
        try pool.read { db in
            let user = try Meta.load(db).user
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM operations WHERE acked = 0 AND author = ?", arguments: [user.rawValue]) ?? 0
        }
    }

    /// The next batch to push: up to `limit` operations not acknowledged after local sequence
    /// `seq`, oldest first, as ``PushContents`` chooses them (the rules); this reads the rows
    /// and the facts: which reports are kept local, which were never uploaded, the claims.
    public func pendingBatch(after seq: Int64, limit: Int) throws -> SyncProtocol.Pending {
        try pool.read { db in
            let localReports = Set(try String.fetchAll(db, sql: "SELECT id FROM reports WHERE local = 1").map(ReportID.init(rawValue:)))
            let neverUploaded = try db.cachedStatement(sql: "SELECT 1 FROM reports WHERE id = ? AND uploaded = 0")
            let noteReport = try db.cachedStatement(sql: "SELECT report FROM annotations WHERE id = ?")
            var batch = PushContents.Batch()
            var rows: [LoggedOperation] = []
            var after = seq
            // A page held back whole (every operation on a local report) reads the next one.
            repeat {
                rows = try LoggedOperation.fetchAll(db, sql: "SELECT seq, payload FROM operations WHERE acked = 0 AND seq > ? ORDER BY seq LIMIT ?",
                                        arguments: [after, limit])
                after = rows.last?.seq ?? after
                let candidates = try rows.map { row in
                    let payload = row.payload
                    let op = try row.operation()
                    var report = PushContents.report(namedBy: op)
                    if report == nil, !localReports.isEmpty {
                        report = try String.fetchOne(noteReport, arguments: [op.annotation.rawValue]).map(ReportID.init(rawValue:))
                    }
                    return PushContents.Candidate(operation: op, payload: payload, report: report)
                }
                // Each report a create names, asked once however many creates name it.
                let notUploaded = try Set(candidates.compactMap { PushContents.report(namedBy: $0.operation) }).filter { report in
                    try Bool.fetchOne(neverUploaded, arguments: [report.rawValue]) ?? false
                }
                batch = PushContents.batch(of: candidates, localReports: localReports, notUploaded: notUploaded)
            } while batch.operations.isEmpty && !rows.isEmpty
            return SyncProtocol.Pending(operations: batch.operations, payloads: batch.payloads, lastSeq: after, replica: try Meta.load(db).replica,
                                        reports: batch.reports, claims: try Self.claims(for: batch.replicas, in: db))
        }
    }

    /// The reports the server has not been sent, oldest import first (local ones never are).
    public func unsentReports() throws -> [ReportID] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM reports WHERE uploaded = 0 AND local = 0 ORDER BY row").map(ReportID.init(rawValue:))
        }
    }

    /// Stores a page of the workspace's reports with its cursor, in one transaction; returns
    /// how many were new here, and the reports not taken. A report whose text is not what its
    /// id and fields say (``Report/integrityProblem``) is skipped and named, and the cursor
    /// still moves past it: one such report used to stop every later one from arriving.
    public func storeReceived(_ page: Sync.ReportPage) throws -> (new: Int, skipped: [Sync.Skipped]) {
        var skipped: [Sync.Skipped] = []
        let sound = page.reports.filter { report in
            guard let problem = report.integrityProblem else { return true }
            skipped.append(Sync.Skipped(kind: .report, id: report.id.rawValue, reason: "not taken: \(problem)"))
            return false
        }
        let time = now()
        return try pool.write { db in
            var new = 0
            for report in sound {
                if try ReportStore.insert(report.shared, source: "server", at: time, in: db) { new += 1 }
                try db.execute(sql: "UPDATE reports SET uploaded = 1 WHERE id = ?", arguments: [report.id.rawValue])
            }
            var meta = try Meta.load(db)
            meta.reportCursor = page.cursor
            try meta.save(db)
            return (new, skipped)
        }
    }

    public func markUploaded(_ report: ReportID) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE reports SET uploaded = 1 WHERE id = ?", arguments: [report.rawValue])
        }
    }

    /// Records the server's answer to a push.
    ///
    /// Acknowledged operations are marked so. Operations refused for good leave the log and the
    /// state (their annotations are rebuilt from what remains) and are kept in
    /// `refused_operations`; ones refused for now (the server lacks their annotation or report
    /// yet) stay pending and go again next sync.
    public func record(_ response: Sync.PushResponse) throws {
        let time = now()
        try pool.write { db in
            // Worded apart from the ingest's FastStatement: GRDB would take the same SQL for the same
            // cached statement, whose bindings that one clears behind GRDB's back.
            let ack = try db.cachedStatement(sql: "UPDATE operations SET acked = 1 WHERE acked = 0 AND replica = ? AND counter = ?")
            var tallies = Tallies()
            for id in response.accepted + response.duplicates {
                try ack.execute(arguments: [Int64(bitPattern: id.replica.rawValue), Int64(bitPattern: id.counter)])
                tallies.unsent -= db.changesCount
            }
            try tallies.save(in: db)
            var refused: [OperationID] = []
            for refusal in response.refused where !refusal.code.isTemporary {
                guard let payload = try String.fetchOne(db, sql: "SELECT payload FROM operations WHERE replica = ? AND counter = ?",
                                                        arguments: [Int64(bitPattern: refusal.op.replica.rawValue), Int64(bitPattern: refusal.op.counter)])
                else { continue }
                try db.execute(sql: """
                    INSERT INTO refused_operations(op, code, reason, payload, refused_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(op) DO UPDATE SET code = excluded.code, reason = excluded.reason
                    """, arguments: [refusal.op.description, refusal.code.rawValue, refusal.reason, payload, time])
                refused.append(refusal.op)
            }
            try Self.unlog(refused, in: db)
            if response.refused.contains(where: { $0.code == .readOnly }) {
                // The server says this user only reads here: later changes are refused at once.
                var meta = try Meta.load(db)
                meta.role = .reader
                try meta.save(db)
            }
        }
    }

    /// Applies one pulled page and advances the cursor in the same transaction.
    public func applyPulled(_ page: Sync.PullResponse) throws -> ApplyResult {
        let now = self.now()
        return try pool.write { db in
            var meta = try Meta.load(db)
            var result = ApplyResult()
            var operations = page.operations, payloads = page.payloads
            var released: [(operation: GlossCore.Operation, payload: String, source: String)] = []
            // With a root pinned, the server is not trusted with who wrote what: each operation
            // must check against its author's signed run (``checkSignatures``); what does not is
            // kept aside with its reason, as from a file.
            if meta.workspace != .unbound, let root = try Self.pinnedRoot(of: meta.workspace, in: db) {
                let check = try Self.checkSignatures(operations, payloads: payloads, signing: BundleSigning(runs: page.runs),
                                                     workspace: meta.workspace, root: root, source: Self.serverSource, now: now,
                                                     complete: !page.more, fromServer: true, refusedByServer: page.refused, in: db)
                // Let through from those kept aside: what an earlier page brought is the server's,
                // like this page; what a file brought is taken as from a file (below).
                let fromServer = check.releasedFromHold.filter { $0.source == Self.serverSource }
                released = check.releasedFromHold.filter { $0.source != Self.serverSource }
                operations = check.taken + fromServer.map(\.operation)
                payloads = check.takenPayloads + fromServer.map(\.payload)
                result.signaturesChecked = true
                result.held = check.held
                result.verified = check.verified
                result.legacy = check.legacy
                result.released = check.released
            }
            try Self.takeFromServer(operations, payloads: payloads, now: now, meta: &meta, in: db, result: &result)
            // What the page let through of those kept aside came from files (or earlier pages):
            // taken as from a file, not marked as the server's.
            if !released.isEmpty {
                try Self.takeFromFile(released.map(\.operation), payloads: released.map(\.payload), claims: [], source: "kept aside",
                                      now: now, meta: &meta, in: db, result: &result)
            }
            meta.pullCursor = page.cursor
            if let epoch = page.epoch { meta.pullEpoch = epoch }
            try meta.save(db)
            return result
        }
    }

    /// Where a pulled operation kept aside came from (`held_operations.source`).
    static let serverSource = "the server"

    /// Operations the server accepted: valid on every replica from now on (docs/ARCHITECTURE.md,
    /// "What the server decides"), so only their shape is checked (``ApplyPolicy``, from the
    /// server); none is quarantined, and a copy quarantined earlier is settled by them. Logged
    /// as acknowledged; the clock advanced in `meta`.
    static func takeFromServer(_ operations: [GlossCore.Operation], payloads: [String]?, now: Int64, meta: inout Meta, in db: Database,
                               result: inout ApplyResult) throws {
        let policy = ApplyPolicy(user: meta.user, workspace: meta.workspace, now: now, source: .server)
        let decision = policy.decide(operations, claims: [], facts: .init(), clock: HybridClock(last: meta.clock))
        let (valid, validPayloads) = Self.sift(operations, payloads: payloads, verdicts: decision.verdicts, into: &result)
        try Self.ingest(valid, payloads: validPayloads, acknowledged: true, into: db, result: &result)
        try Self.settleQuarantine(valid, in: db)
        meta.clock = decision.clock
    }

    public func replicasAfterHoles(limit: Int) throws -> [ReplicaID] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT substr(op, 1, 16) FROM held_operations WHERE reason = ? LIMIT ?",
                                arguments: [SignaturePolicy.Refusal.chainHole.rawValue, limit]).compactMap(ReplicaID.init(hex:))
        }
    }

    public func recheckHeld(with refusals: Sync.ChainRefusals) throws -> ApplyResult {
        var page = Sync.PullResponse(operations: [], cursor: try meta().pullCursor, more: false)
        page.runs = refusals.runs
        page.refused = refusals.refused
        return try applyPulled(page)
    }

    /// Forgets what the server was known to hold, after it said its store is not the one this
    /// replica's cursor came from (replaced, or restored from a backup): the next sync pulls
    /// from the beginning (applying is idempotent) and sends everything again (the server
    /// answers "already here" for what it kept).
    public func startOverWithServer() throws {
        try pool.write { db in
            var meta = try Meta.load(db)
            try Self.startOver(&meta, db)
            try meta.save(db)
        }
    }

    private static func startOver(_ meta: inout Meta, _ db: Database) throws {
        meta.pullCursor = 0
        meta.pullEpoch = ""
        meta.reportCursor = 0
        try db.execute(sql: "UPDATE operations SET acked = 0 WHERE acked = 1")
        try db.execute(sql: "UPDATE tallies SET value = (SELECT count(*) FROM operations) WHERE name = 'unsent'")
        try db.execute(sql: "UPDATE reports SET uploaded = 0 WHERE uploaded = 1")
    }

    public func noteSynced() throws {
        let time = now()
        try pool.write { db in
            var meta = try Meta.load(db)
            meta.lastSync = time
            try meta.save(db)
        }
    }

    /// Operations the server refused for good, with the reasons, oldest first.
    public func refusedOperations() throws -> [RefusedOperation] {
        try pool.read { db in
            try RefusedRow.fetchAll(db, sql: "SELECT * FROM refused_operations ORDER BY seq").map {
                RefusedOperation(operation: try Operation.stored($0.payload), code: Sync.Refusal.Code(rawValue: $0.code),
                                 reason: $0.reason)
            }
        }
    }

    /// Puts refused operations back in the log, to be offered to the server again
    /// (after a role change, say). Returns how many.
    public func retryRefused() throws -> Int {
        try pool.write { db in
            let ops = try String.fetchAll(db, sql: "SELECT payload FROM refused_operations ORDER BY seq")
                .map { try Operation.stored($0) }
            var result = ApplyResult()
            try Self.ingest(ops, into: db, result: &result)
            try db.execute(sql: "DELETE FROM refused_operations")
            return ops.count
        }
    }
}

/// An operation the server refused for good, kept so nothing written is lost.
public struct RefusedOperation: Codable, Sendable {
    public var operation: GlossCore.Operation
    public var code: Sync.Refusal.Code
    public var reason: String
}
