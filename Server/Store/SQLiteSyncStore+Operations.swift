import Foundation
import GRDB
import GlossCore

/// Push, pull and import: the operation log.
extension SQLiteSyncStore {
    /// Waits for the next group commit (``GroupCommit``): concurrent pushes share one
    /// transaction, each in its own savepoint, and each returns once that transaction committed.
    func push(_ operations: [GlossCore.Operation], claims: [ReplicaClaim], runs: [KeptRun], policy: PushPolicy) async throws -> PushOutcome {
        try await pushes.submit(PendingPush(operations: operations, payloads: operations.map(JSONWriter.string),
                                            claims: claims, runs: runs, policy: policy))
    }

    /// One push inside the writer's transaction: look up the facts the policy asks for, let it
    /// decide (``PushPolicy/decide(_:payloads:claims:facts:)``, pure), persist the decision.
    static func write(_ push: PendingPush, db: Database) throws -> PushOutcome {
        let policy = push.policy, workspace = policy.workspace.rawValue
        let facts = try Self.facts(policy.factsNeeded(for: push.operations), in: workspace, db: db)
        let decision = policy.decide(push.operations, payloads: push.payloads, claims: push.claims, facts: facts)

        let now = policy.now
        for replica in decision.registrations {
            try db.cachedStatement(sql: "INSERT INTO replicas (replica, user, registered) VALUES (?, ?, ?)")
                .execute(arguments: [replica.hex, policy.user.rawValue, now])
        }
        let accepted = decision.accepted
        if !accepted.isEmpty {
            var head = try Self.head(of: workspace, db: db)
            for index in accepted {
                head += 1
                try Self.insert(push.operations[index], payload: push.payloads[index], seq: head, workspace: workspace, db: db)
            }
            try db.cachedStatement(sql: "INSERT INTO heads (workspace, seq) VALUES (?, ?) ON CONFLICT DO UPDATE SET seq = excluded.seq")
                .execute(arguments: [workspace, head])
        }
        let count = try db.cachedStatement(sql: """
            UPDATE annotations SET tag_additions = tag_additions + ?, others_operations = others_operations + ?,
                others_tag_additions = others_tag_additions + ?
            WHERE workspace = ? AND id = ?
            """)
        for (annotation, added) in decision.counts {
            try count.execute(arguments: [added.ownTagAdditions, added.others.operations, added.others.tagAdditions,
                                          workspace, annotation.rawValue])
        }
        var outcome = PushOutcome()
        for (op, verdict) in zip(push.operations, decision.verdicts) {
            switch verdict {
            case .accepted: outcome.accepted.append(op.id)
            case .duplicate: outcome.duplicates.append(op.id)
            case let .refused(refusal): outcome.refused.append(refusal)
            }
        }
        for index in decision.recorded {
            guard case let .refused(refusal) = decision.verdicts[index] else { continue }
            try Self.record(refusal, of: push.operations[index], payload: push.payloads[index], in: workspace, db: db)
        }
        if !push.runs.isEmpty {
            let keep = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO signed_runs (workspace, replica, private, first, last, body) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for run in push.runs {
                try keep.execute(arguments: [workspace, run.replica, run.isPrivate, run.first, run.last, run.body])
            }
        }
        return outcome
    }

    func signing(in workspace: WorkspaceName, user: UserName, after: Int64, through: Int64) async throws -> PageSigning {
        try await pool.read { db in
            let range: StatementArguments = [workspace.rawValue, after, through, user.rawValue]
            var signing = PageSigning()
            signing.runs = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT r.body, r.first, min(o.counter) AS in_page FROM operations o
                JOIN signed_runs r ON r.workspace = o.workspace AND r.replica = o.replica AND r.private = o.private
                                  AND r.last >= o.counter AND r.first <= o.counter
                WHERE o.workspace = ? AND o.seq > ? AND o.seq <= ? AND (o.private = 0 OR o.author = ?)
                GROUP BY r.id ORDER BY r.id
                """), arguments: range).map {
                PageRun(body: $0["body"], first: $0["first"], firstInPage: $0["in_page"])
            }
            guard !signing.runs.isEmpty else { return signing }
            // The refusals for good under the page's replicas, and the runs covering them.
            let replicas = try String.fetchAll(db.cachedStatement(sql: """
                SELECT DISTINCT replica FROM operations WHERE workspace = ? AND seq > ? AND seq <= ? AND (private = 0 OR author = ?)
                """), arguments: range)
            try Self.addRefusals(of: replicas, in: workspace, user: user, to: &signing, db: db)
            return signing
        }
    }

    func refusals(of replicas: [ReplicaID], in workspace: WorkspaceName, user: UserName) async throws -> PageSigning {
        try await pool.read { db in
            var signing = PageSigning()
            try Self.addRefusals(of: replicas.map(\.hex), in: workspace, user: user, to: &signing, db: db)
            return signing
        }
    }

    /// Adds the refusals for good under `replicas` to `signing`, with the runs covering them (a
    /// private chain's only to its author) that it does not hold yet.
    static func addRefusals(of replicas: [String], in workspace: WorkspaceName, user: UserName, to signing: inout PageSigning,
                            db: Database) throws {
        // An operation an admin quarantined is withheld as one refused is: told, so that a
        // replica's chain has no hole there (its own private one only to its author).
        let refused = try db.cachedStatement(sql: """
            SELECT counter FROM refusals WHERE workspace = ?1 AND replica = ?2
            UNION
            SELECT o.counter FROM quarantine q JOIN operations o ON o.workspace = q.workspace AND o.seq = q.seq
            WHERE q.workspace = ?1 AND q.kind = 'operation' AND o.replica = ?2 AND (o.private = 0 OR o.author = ?3)
            ORDER BY 1
            """)
        let covering = try db.cachedStatement(sql: """
            SELECT r.body, r.first FROM signed_runs r
            WHERE r.workspace = ? AND r.replica = ? AND r.first <= ? AND r.last >= ?
              AND (r.private = 0 OR EXISTS (SELECT 1 FROM replicas p WHERE p.replica = r.replica AND p.user = ?))
            ORDER BY r.id
            """)
        var seen = Set(signing.runs.map(\.body))
        for replica in replicas {
            guard let id = ReplicaID(hex: replica) else { continue }
            for counter in try Int64.fetchAll(refused, arguments: [workspace.rawValue, replica, user.rawValue]) {
                signing.refused.append(OperationID(replica: id, counter: UInt64(bitPattern: counter)))
                for run in try Row.fetchAll(covering, arguments: [workspace.rawValue, replica, counter, counter, user.rawValue])
                where seen.insert(run["body"]).inserted {
                    signing.runs.append(PageRun(body: run["body"], first: run["first"], firstInPage: run["first"]))
                }
            }
        }
    }

    func importOperations(_ operations: [GlossCore.Operation], workspace: WorkspaceName) async throws {
        let workspace = workspace.rawValue
        let payloads = operations.map(JSONWriter.string)
        try await pool.write { db in
            var head = try Self.head(of: workspace, db: db)
            for (op, payload) in zip(operations, payloads) where try Self.storedPayload(of: op.id, in: workspace, db: db) == nil {
                head += 1
                try Self.insert(op, payload: payload, seq: head, workspace: workspace, db: db)
                try db.execute(sql: "INSERT OR IGNORE INTO replicas (replica, user, registered) VALUES (?, ?, 0)",
                               arguments: [op.id.replica.hex, op.author.rawValue])
                try db.execute(sql: "UPDATE annotations SET others_operations = others_operations + (author <> ?) WHERE workspace = ? AND id = ?",
                               arguments: [op.author.rawValue, workspace, op.annotation.rawValue])
            }
            try db.execute(sql: "INSERT INTO heads (workspace, seq) VALUES (?, ?) ON CONFLICT DO UPDATE SET seq = excluded.seq", arguments: [workspace, head])
        }
    }

    func pull(workspace: WorkspaceName, user: UserName, after: Int64, limit: Int, maxBytes: Int) async throws -> PullPage {
        let workspace = workspace.rawValue
        return try await pool.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT seq, author, private, payload FROM operations WHERE workspace = ? AND seq > ? ORDER BY seq
                """, arguments: [workspace, after])
            var page = PullPager(user: user, after: after, limit: limit, maxBytes: maxBytes)
            let withheld = try Self.withheldOperations(in: workspace, after: after, db: db)
            while page.wantsMore, let row = try rows.next() {
                let seq: Int64 = row["seq"]
                page.offer(seq: seq, author: UserName(stored: row["author"]), isPrivate: row["private"], withheld: withheld.contains(seq), payload: row["payload"])
            }
            // One read transaction: the head is the one these rows were read under.
            let head = try Self.head(of: workspace, db: db)
            return PullPage(payloads: page.payloads, cursor: page.cursor, more: page.cursor < head, head: head)
        }
    }

    func tail(of workspace: WorkspaceName, after: Int64, limit: Int) async throws -> LogTail {
        let workspace = workspace.rawValue
        return try await pool.read { db in
            let withheld = try Self.withheldOperations(in: workspace, after: after, db: db)
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT seq, author, private, payload FROM operations WHERE workspace = ? AND seq > ? ORDER BY seq LIMIT ?
                """), arguments: [workspace, after, limit]).map { row in
                LogTail.Row(seq: row["seq"], author: UserName(stored: row["author"]), isPrivate: row["private"],
                            withheld: withheld.contains(row["seq"]), payload: row["payload"])
            }
            return LogTail(rows: rows, head: try Self.head(of: workspace, db: db), limit: limit)
        }
    }

    // MARK: Statements

    /// The facts `request` names, as this transaction sees them.
    static func facts(_ request: PushPolicy.FactRequest, in workspace: String, db: Database) throws -> PushPolicy.PushFacts {
        var facts = PushPolicy.PushFacts()
        for id in request.operations {
            if let payload = try storedPayload(of: id, in: workspace, db: db) { facts.stored[id] = payload }
        }
        let refusal = try db.cachedStatement(sql: """
            SELECT code, reason, payload FROM refusals WHERE workspace = ? AND replica = ? AND counter = ? AND payload IS NOT NULL
            """)
        for id in request.refusals {
            if let row = try Row.fetchOne(refusal, arguments: [workspace, id.replica.hex, Int64(bitPattern: id.counter)]) {
                facts.refusals[id] = .init(code: Sync.Refusal.Code(rawValue: row["code"]), reason: row["reason"], payload: row["payload"])
            }
        }
        let owner = try db.cachedStatement(sql: "SELECT user FROM replicas WHERE replica = ?")
        for replica in request.replicas {
            if let user = try String.fetchOne(owner, arguments: [replica.hex]) { facts.owners[replica] = UserName(stored: user) }
        }
        let creator = try db.cachedStatement(sql: """
            SELECT author, private, tag_additions, others_operations, others_tag_additions FROM annotations WHERE workspace = ? AND id = ?
            """)
        for id in request.annotations {
            if let row = try Row.fetchOne(creator, arguments: [workspace, id.rawValue]) {
                let others = PushPolicy.Budget(operations: row["others_operations"] as Int, tagAdditions: row["others_tag_additions"] as Int)
                facts.creators[id] = .init(author: UserName(stored: row["author"]), isPrivate: row["private"] as Bool,
                                           ownTagAdditions: row["tag_additions"] as Int, others: others)
            } else if let reason = try String.fetchOne(db, sql: """
                SELECT reason FROM refusals WHERE workspace = ? AND annotation = ? AND is_create = 1 LIMIT 1
                """, arguments: [workspace, id.rawValue]) {
                facts.refusedCreates[id] = reason
            }
        }
        let report = try db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM reports WHERE workspace = ? AND id = ?)")
        for id in request.reports where try Bool.fetchOne(report, arguments: [workspace, id.rawValue]) ?? false {
            facts.reports.insert(id)
        }
        return facts
    }

    static func record(_ refusal: Sync.Refusal, of op: GlossCore.Operation, payload: String, in workspace: String, db: Database) throws {
        try db.execute(sql: """
            INSERT INTO refusals(workspace, replica, counter, annotation, is_create, code, reason, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET code = excluded.code, reason = excluded.reason, payload = excluded.payload
            """, arguments: [workspace, refusal.op.replica.hex, Int64(bitPattern: refusal.op.counter), op.annotation.rawValue,
                             op.isCreate, refusal.code.rawValue, refusal.reason, payload])
    }

    /// The last sequence number given in `workspace`.
    static func head(of workspace: String, db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM heads WHERE workspace = ?"), arguments: [workspace]) ?? 0
    }

    /// The canonical wire JSON stored under `id` in `workspace`, if any.
    static func storedPayload(of id: OperationID, in workspace: String, db: Database) throws -> String? {
        let statement = try db.cachedStatement(sql: "SELECT payload FROM operations WHERE workspace = ? AND replica = ? AND counter = ?")
        return try String.fetchOne(statement, arguments: [workspace, id.replica.hex, Int64(bitPattern: id.counter)])
    }

    static func insert(_ op: GlossCore.Operation, payload: String, seq: Int64, workspace: String, db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO operations (seq, workspace, replica, counter, author, annotation, private, hlc_wall, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [seq, workspace, op.id.replica.hex, Int64(bitPattern: op.id.counter), op.author.rawValue,
                                     op.annotation.rawValue, op.isPrivate, op.hlc.wall, payload])
        if case .create = op.change {
            // The author's tag count starts with the create's own tags (``PushPolicy/Decision/counts``).
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO annotations (workspace, id, author, private, tag_additions) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [workspace, op.annotation.rawValue, op.author.rawValue, op.isPrivate, PushPolicy.tagsAdded(by: op)])
        }
    }
}
