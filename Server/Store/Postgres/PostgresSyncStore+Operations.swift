import Foundation
import GlossCore
import PostgresNIO

/// Push, pull and import on PostgreSQL: a constant number of statements per push, whatever its
/// size (arrays through `unnest`), and the numbering lock taken only when something is stored.
extension PostgresSyncStore {
    /// Waits for the workspace's next group commit: pushes to one workspace that arrive while
    /// one is being written share the next transaction, each in its own savepoint, so they
    /// share one lock hold and one commit (one fsync), as on SQLite (``GroupCommit``). Each is
    /// answered once that transaction has committed.
    func push(_ operations: [GlossCore.Operation], claims: [ReplicaClaim], runs: [KeptRun], policy: PushPolicy) async throws -> PushOutcome {
        let push = PendingPush(operations: operations, payloads: operations.map(JSONWriter.string), claims: claims, runs: runs, policy: policy)
        return try await batcher(for: policy.workspace.rawValue).submit(push)
    }

    /// The workspace's batcher, made on its first push. One per workspace, so a transaction
    /// only ever holds one workspace's lock (no lock-order deadlocks between instances).
    private func batcher(for workspace: String) -> Batcher<PendingPush, PushOutcome> {
        batchers.withLockedValue { batchers in
            if let batcher = batchers[workspace] { return batcher }
            let batcher = Batcher<PendingPush, PushOutcome> { [weak self] pushes in
                guard let self else { return pushes.map { _ in .failure(StoreError(.invalid, "the store was closed")) } }
                return await self.write(pushes, workspace: workspace)
            }
            batchers[workspace] = batcher
            return batcher
        }
    }

    /// A batch of pushes to `workspace` in one transaction, each in a savepoint: one that fails
    /// (a database error; refusals are answers) is rolled back alone, and only its caller gets
    /// the error. After the commit, one NOTIFY. (Without savepoints, replaying a failed batch
    /// push by push, measured no faster: two round trips per push are not what bounds it.)
    private func write(_ pushes: [PendingPush], workspace: String) async -> [Result<PushOutcome, any Error>] {
        do {
            let (results, head) = try await transaction { try await self.write(pushes, workspace: workspace, $0) }
            if let head { await announce(workspace, head: head) }
            return results
        } catch {
            return pushes.map { _ in .failure(error) }
        }
    }

    /// The pushes in this transaction, in order; the head after them if they stored anything.
    private func write(_ pushes: [PendingPush], workspace: String,
                       _ connection: TransactionConnection) async throws -> ([Result<PushOutcome, any Error>], Int64?) {
        // The head as this transaction holds it locked, once a push has taken the lock: the
        // pushes after it read their facts under the lock already.
        var held: Int64?
        var results: [Result<PushOutcome, any Error>] = []
        for push in pushes {
            try await connection.query("SAVEPOINT push", logger: logger)
            var head = held
            do {
                let outcome = try await write(push.operations, payloads: push.payloads, claims: push.claims, policy: push.policy,
                                              head: &head, connection)
                try await keep(push.runs, in: workspace, connection)
                try await connection.query("RELEASE SAVEPOINT push", logger: logger)
                results.append(.success(outcome))
                held = head
            } catch {
                // Rolling back to the savepoint also gives back a lock taken inside it.
                try await connection.query("ROLLBACK TO SAVEPOINT push", logger: logger)
                try await connection.query("RELEASE SAVEPOINT push", logger: logger)
                results.append(.failure(error))
            }
        }
        // Only a push that stores something takes the lock: then the head is written once.
        if let held {
            try await connection.query("UPDATE heads SET seq = \(held) WHERE workspace = \(workspace)", logger: logger)
        }
        return (results, held)
    }

    /// One push in its transaction. Facts are read and the policy decides without a lock; only
    /// when the decision stores operations is the workspace's head row locked. If the head moved
    /// in between, another push committed since the facts were read, so they are read again and
    /// the policy decides again, now under the lock, where nothing can change them.
    ///
    /// `head` is the head this transaction already holds locked (an earlier push of the same
    /// batch took the lock), or nil; on return, the head after this push if it holds the lock.
    /// The batch writes `heads` once, before its commit.
    private func write(_ operations: [GlossCore.Operation], payloads: [String], claims: [ReplicaClaim], policy: PushPolicy,
                       head: inout Int64?, _ connection: TransactionConnection) async throws -> PushOutcome {
        let workspace = policy.workspace.rawValue
        let request = policy.factsNeeded(for: operations)
        let seen = if let head { head } else { try await self.head(of: workspace, lock: false, connection) }
        var decision = policy.decide(operations, payloads: payloads, claims: claims,
                                     facts: try await facts(request, in: workspace, connection))
        try await register(decision.registrations, user: policy.user.rawValue, now: policy.now, connection)

        if !decision.accepted.isEmpty || !decision.counts.isEmpty {
            var locked: Int64
            if let head {
                locked = head
            } else {
                let waited = ContinuousClock.now
                locked = try await self.head(of: workspace, lock: true, connection)
                metrics.lockWait.record(ContinuousClock.now - waited)
                if locked != seen {
                    decision = policy.decide(operations, payloads: payloads, claims: claims,
                                             facts: try await facts(request, in: workspace, connection))
                    try await register(decision.registrations, user: policy.user.rawValue, now: policy.now, connection)
                }
            }
            let accepted = decision.accepted
            if !accepted.isEmpty {
                try await insert(accepted.map { operations[$0] }, payloads: accepted.map { payloads[$0] },
                                 firstSeq: locked + 1, workspace: workspace, connection)
                locked += Int64(accepted.count)
            }
            head = locked
            try await addCounts(decision.counts, in: workspace, connection)
            if let afterNumbering { await afterNumbering(workspace, locked) }
        }
        for index in decision.recorded {
            guard case let .refused(refusal) = decision.verdicts[index] else { continue }
            try await record(refusal, of: operations[index], payload: payloads[index], in: workspace, connection)
        }
        var outcome = PushOutcome()
        for (op, verdict) in zip(operations, decision.verdicts) {
            switch verdict {
            case .accepted: outcome.accepted.append(op.id)
            case .duplicate: outcome.duplicates.append(op.id)
            case let .refused(refusal): outcome.refused.append(refusal)
            }
        }
        return outcome
    }

    /// Tells every instance (``PostgresListener``) that `workspace` moved to `head`: after the
    /// commit, outside the numbering lock; a small payload. A lost notification only delays a
    /// waiting pull until its next poll.
    func announce(_ workspace: String, head: Int64) async {
        let payload = "\(Names.millisNow()) \(head) \(workspace)"
        guard payload.utf8.count < 8000 else { return }
        do {
            try await run("SELECT pg_notify(\(Self.channel), \(payload))")
        } catch {
            logger.notice("could not announce a push; waiting pulls will poll", metadata: ["error": .string(describePostgres(error))])
        }
    }

    func importOperations(_ operations: [GlossCore.Operation], workspace: WorkspaceName) async throws {
        let workspace = workspace.rawValue
        let payloads = operations.map(JSONWriter.string)
        let head: Int64 = try await transaction { connection in
            var head = try await self.head(of: workspace, lock: true, connection)
            let stored = try await self.storedPayloads(of: operations.map(\.id), in: workspace, connection)
            var fresh: [Int] = []
            var seen = Set<OperationID>()
            for (index, op) in operations.enumerated() where stored[op.id] == nil && seen.insert(op.id).inserted { fresh.append(index) }
            guard !fresh.isEmpty else { return head }
            for chunk in stride(from: 0, to: fresh.count, by: 5_000).map({ Array(fresh[$0..<min($0 + 5_000, fresh.count)]) }) {
                let ops = chunk.map { operations[$0] }
                try await self.insert(ops, payloads: chunk.map { payloads[$0] }, firstSeq: head + 1, workspace: workspace, connection)
                head += Int64(ops.count)
                try await connection.query("""
                    INSERT INTO replicas (replica, user_name, registered)
                    SELECT DISTINCT ON (r) r, a, 0 FROM unnest(\(ops.map(\.id.replica.hex))::text[], \(ops.map(\.author.rawValue))::text[]) AS t(r, a)
                    ON CONFLICT DO NOTHING
                    """, logger: self.logger)
                try await connection.query("""
                    UPDATE annotations an SET others_operations = an.others_operations + c.n
                    FROM (SELECT t.id, count(*) AS n
                          FROM unnest(\(ops.map(\.annotation.rawValue))::text[], \(ops.map(\.author.rawValue))::text[]) AS t(id, author)
                          JOIN annotations a ON a.workspace = \(workspace) AND a.id = t.id AND a.author <> t.author
                          GROUP BY t.id) AS c
                    WHERE an.workspace = \(workspace) AND an.id = c.id
                    """, logger: self.logger)
            }
            try await connection.query("UPDATE heads SET seq = \(head) WHERE workspace = \(workspace)", logger: self.logger)
            return head
        }
        await announce(workspace, head: head)
    }

    func pull(workspace: WorkspaceName, user: UserName, after: Int64, limit: Int, maxBytes: Int) async throws -> PullPage {
        let workspace = workspace.rawValue
        var page = PullPager(user: user, after: after, limit: limit, maxBytes: maxBytes)
        let withheld = try await withheldOperations(in: workspace, after: after)
        // Rows in chunks, so a page that skips others' private notes still fills.
        let chunk = min(limit + 64, 2_000)
        var from = after
        while page.wantsMore {
            let rows = try await run("""
                SELECT seq, author, private, payload FROM operations
                WHERE workspace = \(workspace) AND seq > \(from) ORDER BY seq LIMIT \(chunk)
                """)
            for row in rows where page.wantsMore {
                let (seq, author, isPrivate, payload) = try row.decode((Int64, String, Bool, String).self)
                page.offer(seq: seq, author: UserName(stored: author), isPrivate: isPrivate, withheld: withheld.contains(seq), payload: payload)
                from = seq
            }
            if rows.count < chunk { break }
        }
        // Read after the rows: a head that moved on since only makes `more` true, never false.
        let head = try await run("SELECT seq FROM heads WHERE workspace = \(workspace)").first?.decode(Int64.self) ?? 0
        return PullPage(payloads: page.payloads, cursor: page.cursor, more: page.cursor < head, head: head)
    }

    /// Rows, then the head: a head read after the rows is never behind them (two statements,
    /// as ``pull(workspace:user:after:limit:maxBytes:)`` reads them).
    func tail(of workspace: WorkspaceName, after: Int64, limit: Int) async throws -> LogTail {
        let workspace = workspace.rawValue
        let withheld = try await withheldOperations(in: workspace, after: after)
        let rows = try await run("""
            SELECT seq, author, private, payload FROM operations
            WHERE workspace = \(workspace) AND seq > \(after) ORDER BY seq LIMIT \(limit)
            """).map { row in
            let (seq, author, isPrivate, payload) = try row.decode((Int64, String, Bool, String).self)
            return LogTail.Row(seq: seq, author: UserName(stored: author), isPrivate: isPrivate, withheld: withheld.contains(seq), payload: payload)
        }
        let head = try await run("SELECT seq FROM heads WHERE workspace = \(workspace)").first?.decode(Int64.self) ?? 0
        return LogTail(rows: rows, head: head, limit: limit)
    }

    // MARK: Statements

    /// The last number given in `workspace`; with `lock`, the row is locked until the transaction ends.
    func head(of workspace: String, lock: Bool, _ connection: TransactionConnection) async throws -> Int64 {
        let rows = try await (lock
            ? connection.query("SELECT seq FROM heads WHERE workspace = \(workspace) FOR UPDATE", logger: logger)
            : connection.query("SELECT seq FROM heads WHERE workspace = \(workspace)", logger: logger)).collect()
        guard let row = rows.first else {
            throw StoreError(.notFound, "no workspace named '\(workspace)'", hint: "create it with `gloss-server workspace create \(workspace)`")
        }
        return try row.decode(Int64.self)
    }

    /// The facts `request` names, in five statements whatever the push's size.
    private func facts(_ request: PushPolicy.FactRequest, in workspace: String, _ connection: TransactionConnection) async throws -> PushPolicy.PushFacts {
        var facts = PushPolicy.PushFacts()
        facts.stored = try await storedPayloads(of: request.operations, in: workspace, connection)
        if !request.refusals.isEmpty {
            let (replicas, counters) = Self.columns(request.refusals)
            let rows = try await connection.query("""
                SELECT replica, counter, code, reason, payload FROM refusals
                WHERE workspace = \(workspace) AND payload IS NOT NULL
                  AND (replica, counter) IN (SELECT * FROM unnest(\(replicas)::text[], \(counters)::bigint[]))
                """, logger: logger).collect()
            for row in rows {
                let (replica, counter, code, reason, payload) = try row.decode((String, Int64, String, String, String).self)
                guard let id = Self.operationID(replica, counter) else { continue }
                facts.refusals[id] = .init(code: Sync.Refusal.Code(rawValue: code), reason: reason, payload: payload)
            }
        }
        if !request.replicas.isEmpty {
            let rows = try await connection.query("""
                SELECT replica, user_name FROM replicas WHERE replica = ANY(\(request.replicas.map(\.hex))::text[])
                """, logger: logger).collect()
            for row in rows {
                let (replica, user) = try row.decode((String, String).self)
                if let id = ReplicaID(hex: replica) { facts.owners[id] = UserName(stored: user) }
            }
        }
        if !request.annotations.isEmpty {
            let ids = request.annotations.map(\.rawValue)
            let rows = try await connection.query("""
                SELECT id, author, private, tag_additions, others_operations, others_tag_additions FROM annotations
                WHERE workspace = \(workspace) AND id = ANY(\(ids)::text[])
                """, logger: logger).collect()
            for row in rows {
                let (id, author, isPrivate, own, others, othersTags) = try row.decode((String, String, Bool, Int32, Int32, Int32).self)
                facts.creators[AnnotationID(rawValue: id)] = .init(author: UserName(stored: author), isPrivate: isPrivate, ownTagAdditions: Int(own),
                                                                   others: .init(operations: Int(others), tagAdditions: Int(othersTags)))
            }
            let missing = ids.filter { facts.creators[AnnotationID(rawValue: $0)] == nil }
            if !missing.isEmpty {
                let refused = try await connection.query("""
                    SELECT DISTINCT ON (annotation) annotation, reason FROM refusals
                    WHERE workspace = \(workspace) AND is_create AND annotation = ANY(\(missing)::text[])
                    ORDER BY annotation, replica, counter
                    """, logger: logger).collect()
                for row in refused {
                    let (annotation, reason) = try row.decode((String, String).self)
                    facts.refusedCreates[AnnotationID(rawValue: annotation)] = reason
                }
            }
        }
        if !request.reports.isEmpty {
            let rows = try await connection.query("""
                SELECT id FROM reports WHERE workspace = \(workspace) AND id = ANY(\(request.reports.map(\.rawValue))::text[])
                """, logger: logger).collect()
            for row in rows { facts.reports.insert(ReportID(rawValue: try row.decode(String.self))) }
        }
        return facts
    }

    /// The canonical wire JSON stored under each of `ids` in `workspace`, where there is one.
    private func storedPayloads(of ids: [OperationID], in workspace: String, _ connection: TransactionConnection) async throws -> [OperationID: String] {
        guard !ids.isEmpty else { return [:] }
        let (replicas, counters) = Self.columns(ids)
        let rows = try await connection.query("""
            SELECT replica, counter, payload FROM operations
            WHERE workspace = \(workspace) AND (replica, counter) IN (SELECT * FROM unnest(\(replicas)::text[], \(counters)::bigint[]))
            """, logger: logger).collect()
        var stored: [OperationID: String] = [:]
        for row in rows {
            let (replica, counter, payload) = try row.decode((String, Int64, String).self)
            if let id = Self.operationID(replica, counter) { stored[id] = payload }
        }
        return stored
    }

    /// Registers replicas to `user`. A concurrent push can only register the same replica to
    /// the same user (its claim proves it), so a conflict means it is already done.
    private func register(_ replicas: [ReplicaID], user: String, now: Int64, _ connection: TransactionConnection) async throws {
        guard !replicas.isEmpty else { return }
        try await connection.query("""
            INSERT INTO replicas (replica, user_name, registered)
            SELECT r, \(user), \(now) FROM unnest(\(replicas.map(\.hex))::text[]) AS r ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// Stores `ops` numbered from `firstSeq`, and what the server keeps of each create.
    private func insert(_ ops: [GlossCore.Operation], payloads: [String], firstSeq: Int64, workspace: String,
                        _ connection: TransactionConnection) async throws {
        let seqs = ops.indices.map { firstSeq + Int64($0) }
        let (replicas, counters) = Self.columns(ops.map(\.id))
        try await connection.query("""
            INSERT INTO operations (workspace, seq, replica, counter, author, annotation, private, hlc_wall, payload)
            SELECT \(workspace), * FROM unnest(\(seqs)::bigint[], \(replicas)::text[], \(counters)::bigint[], \(ops.map(\.author.rawValue))::text[],
                                               \(ops.map(\.annotation.rawValue))::text[], \(ops.map(\.isPrivate))::boolean[],
                                               \(ops.map(\.hlc.wall))::bigint[], \(payloads)::text[])
            """, logger: logger)
        let creates = ops.filter(\.isCreate)
        guard !creates.isEmpty else { return }
        // The author's tag count starts with the create's own tags (``PushPolicy/Decision/counts``).
        try await connection.query("""
            INSERT INTO annotations (workspace, id, author, private, tag_additions)
            SELECT \(workspace), * FROM unnest(\(creates.map(\.annotation.rawValue))::text[], \(creates.map(\.author.rawValue))::text[],
                                               \(creates.map(\.isPrivate))::boolean[], \(creates.map { Int64(PushPolicy.tagsAdded(by: $0)) })::bigint[])
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// Keeps a push's signed runs (one statement, whatever their number).
    private func keep(_ runs: [KeptRun], in workspace: String, _ connection: TransactionConnection) async throws {
        guard !runs.isEmpty else { return }
        try await connection.query("""
            INSERT INTO signed_runs (workspace, replica, private, first, last, body)
            SELECT \(workspace), * FROM unnest(\(runs.map(\.replica))::text[], \(runs.map(\.isPrivate))::boolean[],
                                               \(runs.map(\.first))::bigint[], \(runs.map(\.last))::bigint[], \(runs.map(\.body))::text[])
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    func signing(in workspace: WorkspaceName, user: UserName, after: Int64, through: Int64) async throws -> PageSigning {
        let name = workspace.rawValue, user = user.rawValue
        var signing = PageSigning()
        signing.runs = try await run("""
            SELECT r.body, r.first, min(o.counter) FROM operations o
            JOIN signed_runs r ON r.workspace = o.workspace AND r.replica = o.replica AND r.private = o.private
                              AND r.last >= o.counter AND r.first <= o.counter
            WHERE o.workspace = \(name) AND o.seq > \(after) AND o.seq <= \(through) AND (NOT o.private OR o.author = \(user))
            GROUP BY r.id ORDER BY r.id
            """).map { row in
            let (body, first, inPage) = try row.decode((String, Int64, Int64).self)
            return PageRun(body: body, first: first, firstInPage: inPage)
        }
        guard !signing.runs.isEmpty else { return signing }
        let replicas = try await run("""
            SELECT DISTINCT replica FROM operations
            WHERE workspace = \(name) AND seq > \(after) AND seq <= \(through) AND (NOT private OR author = \(user))
            """).map { try $0.decode(String.self) }
        try await addRefusals(of: replicas, in: name, user: user, to: &signing)
        return signing
    }

    func refusals(of replicas: [ReplicaID], in workspace: WorkspaceName, user: UserName) async throws -> PageSigning {
        var signing = PageSigning()
        try await addRefusals(of: replicas.map(\.hex), in: workspace.rawValue, user: user.rawValue, to: &signing)
        return signing
    }

    /// Adds the refusals for good under `replicas` to `signing`, with the runs covering them (a
    /// private chain's only to its author) that it does not hold yet: one statement.
    private func addRefusals(of replicas: [String], in workspace: String, user: String, to signing: inout PageSigning) async throws {
        guard !replicas.isEmpty else { return }
        let rows = try await run("""
            SELECT f.replica, f.counter, r.body, r.first FROM (
                SELECT workspace, replica, counter FROM refusals WHERE workspace = \(workspace) AND replica = ANY(\(replicas)::text[])
                UNION
                -- An operation an admin quarantined is withheld as one refused is: told, so that a
                -- replica's chain has no hole there (its own private one only to its author).
                SELECT o.workspace, o.replica, o.counter FROM quarantine q JOIN operations o ON o.workspace = q.workspace AND o.seq = q.seq
                WHERE q.workspace = \(workspace) AND q.kind = 'operation' AND o.replica = ANY(\(replicas)::text[])
                  AND (NOT o.private OR o.author = \(user))
            ) f
            LEFT JOIN signed_runs r ON r.workspace = f.workspace AND r.replica = f.replica AND r.first <= f.counter AND r.last >= f.counter
                 AND (NOT r.private OR EXISTS (SELECT 1 FROM replicas p WHERE p.replica = r.replica AND p.user_name = \(user)))
            ORDER BY f.replica, f.counter, r.id
            """)
        var seen = Set(signing.runs.map(\.body)), noted = Set<OperationID>()
        for row in rows {
            let (replica, counter, body, first) = try row.decode((String, Int64, String?, Int64?).self)
            guard let id = Self.operationID(replica, counter) else { continue }
            if noted.insert(id).inserted { signing.refused.append(id) }
            if let body, let first, seen.insert(body).inserted { signing.runs.append(PageRun(body: body, first: first, firstInPage: first)) }
        }
    }

    private func addCounts(_ counts: [AnnotationID: (ownTagAdditions: Int, others: PushPolicy.Budget)], in workspace: String,
                           _ connection: TransactionConnection) async throws {
        guard !counts.isEmpty else { return }
        let entries = Array(counts)
        try await connection.query("""
            UPDATE annotations a SET tag_additions = a.tag_additions + c.own, others_operations = a.others_operations + c.others,
                   others_tag_additions = a.others_tag_additions + c.others_tags
            FROM unnest(\(entries.map(\.key.rawValue))::text[], \(entries.map { Int64($0.value.ownTagAdditions) })::bigint[],
                        \(entries.map { Int64($0.value.others.operations) })::bigint[],
                        \(entries.map { Int64($0.value.others.tagAdditions) })::bigint[]) AS c(id, own, others, others_tags)
            WHERE a.workspace = \(workspace) AND a.id = c.id
            """, logger: logger)
    }

    private func record(_ refusal: Sync.Refusal, of op: GlossCore.Operation, payload: String, in workspace: String,
                        _ connection: TransactionConnection) async throws {
        try await connection.query("""
            INSERT INTO refusals (workspace, replica, counter, annotation, is_create, code, reason, payload)
            VALUES (\(workspace), \(refusal.op.replica.hex), \(Int64(bitPattern: refusal.op.counter)), \(op.annotation.rawValue),
                    \(op.isCreate), \(refusal.code.rawValue), \(refusal.reason), \(payload))
            ON CONFLICT (workspace, replica, counter) DO UPDATE SET code = excluded.code, reason = excluded.reason, payload = excluded.payload
            """, logger: logger)
    }

    static func columns(_ ids: [OperationID]) -> (replicas: [String], counters: [Int64]) {
        (ids.map(\.replica.hex), ids.map { Int64(bitPattern: $0.counter) })
    }

    static func operationID(_ replica: String, _ counter: Int64) -> OperationID? {
        ReplicaID(hex: replica).map { OperationID(replica: $0, counter: UInt64(bitPattern: counter)) }
    }
}
