import Foundation
import GRDB
import GlossCore

/// Signed operations in the replica (docs/RELIABILITY.md, "Signed operations"): the chains of
/// its own operations, signed at each export; the workspace root it pinned and the root's
/// statements it took; and the check every operation a file brings passes before it merges
/// (``SignaturePolicy``: the rules; this only reads the facts and keeps the decision).
extension Replica {
    /// Pins `root` as the root of trust of this replica's workspace: from now on every operation
    /// a file brings is checked against the keys it binds. Pinned once; another root is refused
    /// (``ReplicaError/otherRoot(workspace:pinned:given:)``). Returns false when it was pinned already.
    @discardableResult
    public func pinRoot(_ root: RootPublicKey) throws -> Bool {
        try pool.write { db in
            let workspace = try Meta.load(db).workspace
            guard workspace != .unbound else { throw ReplicaError.noWorkspace }
            if let pinned = try Self.pinnedRoot(of: workspace, in: db) {
                guard pinned == root else {
                    throw ReplicaError.otherRoot(workspace: workspace, pinned: pinned.description, given: root.description)
                }
                return false
            }
            try db.execute(sql: "INSERT INTO trust_roots(workspace, key) VALUES (?, ?)", arguments: [workspace.rawValue, root.text])
            return true
        }
    }

    /// The key ring this replica holds: its pinned root and the statements it took (nil when no root is pinned).
    public func keyRing() throws -> KeyRing? {
        try pool.read { db in
            let workspace = try Meta.load(db).workspace
            guard let root = try Self.pinnedRoot(of: workspace, in: db) else { return nil }
            return try Self.keyRing(workspace: workspace, root: root, in: db)
        }
    }

    static func pinnedRoot(of workspace: WorkspaceName, in db: Database) throws -> RootPublicKey? {
        try String.fetchOne(db, sql: "SELECT key FROM trust_roots WHERE workspace = ?", arguments: [workspace.rawValue])
            .flatMap(RootPublicKey.init(text:))
    }

    /// The ring of `root` with every statement kept for `workspace` (each was checked when taken,
    /// and is checked again here: the ring takes only what its root signed).
    static func keyRing(workspace: WorkspaceName, root: RootPublicKey, in db: Database) throws -> KeyRing {
        var ring = KeyRing(workspace: workspace, root: root)
        _ = try storedStatements(of: workspace, in: db).statements(into: &ring)
        return ring
    }

    /// The statements kept for `workspace`, as a file carries them.
    static func storedStatements(of workspace: WorkspaceName, in db: Database) throws -> BundleSigning {
        var signing = BundleSigning()
        for row in try TrustStatementRow.fetchAll(db, sql: "SELECT * FROM trust_statements WHERE workspace = ? ORDER BY kind, body",
                                                  arguments: [workspace.rawValue]) {
            signing.append(try TrustStatement(kind: row.kind, json: row.body))
        }
        return signing
    }

    /// Keeps the statements of `signing` that `ring` takes (its root signed them for its
    /// workspace); returns how many it refused. A revocation new here takes out of the log what
    /// the key signed past its mark, if it arrived before the revocation did (``recheck(keys:ring:now:in:)``).
    static func keep(_ signing: BundleSigning, into ring: inout KeyRing, now: Int64, in db: Database) throws -> Int {
        let (taken, refused) = signing.statements(into: &ring)
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO trust_statements(body, kind, workspace) VALUES (?, ?, ?)")
        var revoked = Set<DevicePublicKey>()
        for statement in taken {
            try insert.execute(arguments: [statement.json, statement.kind, ring.workspace.rawValue])
            if case let .revocation(revocation) = statement, db.changesCount > 0 { revoked.insert(revocation.key) }
        }
        if !revoked.isEmpty { _ = try recheck(keys: revoked, ring: ring, now: now, in: db) }
        return refused
    }

    public func statementsHeld() throws -> Int? {
        try pool.read { db in
            let workspace = try Meta.load(db).workspace
            guard try Self.pinnedRoot(of: workspace, in: db) != nil else { return nil }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM trust_statements WHERE workspace = ?", arguments: [workspace.rawValue]) ?? 0
        }
    }

    /// Takes in a file of the root's statements alone (what `gloss-server keys bind` writes),
    /// checked against the pinned root; returns how many were new and how many were refused.
    public func takeStatements(_ signing: BundleSigning) throws -> (taken: Int, refused: Int) {
        try pool.write { db in
            let workspace = try Meta.load(db).workspace
            guard let root = try Self.pinnedRoot(of: workspace, in: db) else { return (0, signing.statements.count) }
            var ring = try Self.keyRing(workspace: workspace, root: root, in: db)
            let count = "SELECT count(*) FROM trust_statements WHERE workspace = ?"
            let before = try Int.fetchOne(db, sql: count, arguments: [workspace.rawValue]) ?? 0
            let refused = try Self.keep(signing, into: &ring, now: self.now(), in: db)
            return ((try Int.fetchOne(db, sql: count, arguments: [workspace.rawValue]) ?? 0) - before, refused)
        }
    }

    // MARK: Signing what this replica sends

    /// What an export of `operations` carries for its receiver to check them: the pinned
    /// root, the statements held, a signed run for each of this replica's own chains the file
    /// has operations of (its operations are chained first, in the order they were made), and
    /// the runs held for teammates' chains it relays. Nil for a replica in no workspace (the
    /// device key is read only when it signs).
    static func signing(for operations: [Operation], includePrivate: Bool, device: () throws -> DeviceKey,
                        in db: Database) throws -> BundleSigning? {
        let meta = try Meta.load(db)
        guard meta.workspace != .unbound else { return nil }
        let device = try device()
        var signing = try storedStatements(of: meta.workspace, in: db)
        signing.root = try pinnedRoot(of: meta.workspace, in: db)

        var firstSent: [ChainID: UInt64] = [:]
        for op in operations {
            let chain = ChainID(of: op)
            firstSent[chain] = min(firstSent[chain] ?? .max, op.id.counter)
        }
        let (runs, ownReplicas) = try ownRuns(from: firstSent, includePrivate: includePrivate, workspace: meta.workspace,
                                              author: meta.user, device: device, in: db)
        signing.runs = runs
        // Runs of teammates' chains this replica took, so the receiver can check what it relays.
        for chain in firstSent.keys.filter({ !ownReplicas.contains($0.replica) }).sorted() {
            signing.runs += try keptRuns(of: chain, in: db)
        }
        return signing
    }

    /// The signed runs a push of `operations` carries: one per chain of this replica's own
    /// that the push has operations of, from its first one (teammates' operations a push
    /// relays are never stored by the server, so their runs are not sent). Empty for a replica
    /// in no workspace. Chains the operations not chained yet, as an export does.
    public func signedRuns(for operations: [GlossCore.Operation]) throws -> [ChainSegment] {
        guard !operations.isEmpty else { return [] }
        let device = try device()
        return try pool.write { db in
            let meta = try Meta.load(db)
            guard meta.workspace != .unbound else { return [] }
            var firstSent: [ChainID: UInt64] = [:]
            for op in operations where op.author == meta.user {
                let chain = ChainID(of: op)
                firstSent[chain] = min(firstSent[chain] ?? .max, op.id.counter)
            }
            return try Self.ownRuns(from: firstSent, includePrivate: true, workspace: meta.workspace, author: meta.user,
                                    device: device, in: db).runs
        }
    }

    /// A signed run for each of this replica's own chains in `firstSent`, from the counter given
    /// for it, and the replica ids this replica's processes minted.
    private static func ownRuns(from firstSent: [ChainID: UInt64], includePrivate: Bool, workspace: WorkspaceName, author: UserName,
                                device: DeviceKey, in db: Database) throws -> (runs: [ChainSegment], ownReplicas: Set<ReplicaID>) {
        var runs: [ChainSegment] = []
        var ownReplicas = Set<ReplicaID>()
        for row in try SigningReplicaRow.fetchAll(db) {
            guard let replica = ReplicaID(hex: row.replica) else { continue }
            ownReplicas.insert(replica)
            for isPrivate in includePrivate ? [false, true] : [false] {
                let chain = ChainID(workspace: workspace, replica: replica, author: author, isPrivate: isPrivate)
                guard let first = firstSent[chain] else { continue }
                let writer = try ownChain(chain, nonce: row.nonce, key: device.publicKey, from: first, in: db)
                guard let index = writer.entries.firstIndex(where: { $0.counter == first }) else { continue }
                runs.append(writer.segment(after: writer.base + UInt64(index), to: writer.sign(with: device)))
            }
        }
        return (runs, ownReplicas)
    }

    /// How far each of this replica's team chains goes (its operations not chained yet are
    /// chained first, as an export would): what an admin keeps when revoking this device's key.
    /// Private chains are not named: a revocation goes to every member, and a mark would tell
    /// them how many private notes the device wrote. So what the device wrote privately is
    /// refused after the revocation wherever it has not arrived yet.
    public func chainMarks() throws -> KeyMarks {
        let device = try device()
        return try pool.write { db in
            let meta = try Meta.load(db)
            guard meta.workspace != .unbound else { throw ReplicaError.noWorkspace }
            var marks: [KeyRevocation.Mark] = []
            for row in try SigningReplicaRow.fetchAll(db, sql: "SELECT * FROM signing_replicas ORDER BY replica") {
                guard let replica = ReplicaID(hex: row.replica) else { continue }
                let chain = ChainID(workspace: meta.workspace, replica: replica, author: meta.user, isPrivate: false)
                let writer = try Self.ownChain(chain, nonce: row.nonce, key: device.publicKey, in: db)
                if writer.position.count > 0 { marks.append(.init(replica: replica, isPrivate: false, position: writer.position)) }
            }
            return KeyMarks(key: device.publicKey, marks: marks)
        }
    }

    /// One of this replica's chains as far as its operations go: what it kept from the position
    /// before counter `from` (or from its last position, when `from` is nil or not chained
    /// yet), then its operations not chained yet, appended in the order they were made and
    /// kept. So a push reads and hashes what it sends, not the chain from its start.
    private static func ownChain(_ chain: ChainID, nonce: String, key: DevicePublicKey, from counter: UInt64? = nil,
                                 in db: Database) throws -> ChainWriter {
        let arguments: StatementArguments = [chain.replica.hex, chain.isPrivate]
        let last = try ChainLinkRow.fetchOne(db, sql: "SELECT * FROM chain_links WHERE replica = ? AND private = ? ORDER BY position DESC LIMIT 1",
                                             arguments: arguments)
        var base = last?.position ?? 0
        if let counter, let last, UInt64(bitPattern: last.counter) >= counter {
            // Sent again (a push whose answer was lost): from the position before it.
            base = try Int64.fetchOne(db, sql: "SELECT coalesce(max(position), 0) FROM chain_links WHERE replica = ? AND private = ? AND counter < ?",
                                      arguments: arguments + [Int64(bitPattern: counter)]) ?? 0
        }
        var origin = ChainPosition.start(of: chain)
        if base > 0 {
            guard let text = try String.fetchOne(db, sql: "SELECT link FROM chain_links WHERE replica = ? AND private = ? AND position = ?",
                                                 arguments: arguments + [base]),
                  let link = ChainHash(text: text) else { throw DatabaseError(message: "chain_links holds a damaged link") }
            origin = ChainPosition(count: UInt64(base), link: link)
        }
        let kept = try ChainLinkRow.fetchAll(db, sql: "SELECT * FROM chain_links WHERE replica = ? AND private = ? AND position > ? ORDER BY position",
                                             arguments: arguments + [base])
        var writer = ChainWriter(chain: chain, key: key, nonce: nonce, after: origin, restoring: try kept.map { try $0.entry() })
        let after = writer.entries.last.map { Int64(bitPattern: $0.counter) } ?? last.map(\.counter) ?? 0
        let payloads = try String.fetchAll(db, sql: """
            SELECT payload FROM operations WHERE replica = ? AND counter > ? AND private = ? AND workspace = ? AND author = ?
            ORDER BY counter
            """, arguments: [Int64(bitPattern: chain.replica.rawValue), after, chain.isPrivate, chain.workspace.rawValue, chain.author.rawValue])
        guard !payloads.isEmpty else { return writer }
        let start = writer.entries.count
        for payload in payloads {
            do { try writer.append(try Operation.stored(payload)) } catch { continue }
        }
        let insert = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO chain_links(replica, private, position, counter, digest, link) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for index in start..<writer.entries.count {
            let entry = writer.entries[index]
            try insert.execute(arguments: [chain.replica.hex, chain.isPrivate, Int64(writer.base) + Int64(index) + 1,
                                           Int64(bitPattern: entry.counter), entry.digest.text, writer.links[index + 1].text])
        }
        return writer
    }

    /// The runs of a teammate's chain this replica took, in the order it took them.
    private static func keptRuns(of chain: ChainID, in db: Database) throws -> [ChainSegment] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT body FROM chain_runs WHERE replica = ? AND private = ? ORDER BY seq"),
                            arguments: [chain.replica.hex, chain.isPrivate]).compactMap { try? ChainSegment.read($0) }
    }

    // MARK: Checking what a file brings

    /// What the signature check made of a file's operations.
    struct SignatureCheck {
        /// The operations (and payloads) to go on to ``ApplyPolicy``.
        var taken: [Operation] = []
        var takenPayloads: [String] = []
        /// Operations kept aside earlier (from a file, or an earlier page) that this batch let
        /// through, with their payloads and where they came from: each is taken as what brought
        /// it first (a page's as the server's, a file's as a file's), whatever brings the batch,
        /// also when the batch brings the same operation again.
        var releasedFromHold: [(operation: Operation, payload: String, source: String)] = []
        /// Those of the file's that were kept aside, with their reason.
        var held: [ApplyResult.Refusal] = []
        /// Operations kept aside earlier that this file let through.
        var released = 0
        var verified = 0
        var legacy = 0
        var statementsRefused = 0
    }

    /// Checks the signatures of `operations` from a file against the pinned root of
    /// `workspace`, with the operations kept aside earlier (a file may bring what they lacked),
    /// and keeps the decision: verified positions, the runs taken, what is kept aside and why.
    /// Operations already in the log are passed on unchecked (the log's copy stays).
    ///
    /// A pull page (`fromServer`, with the positions the server says it refused for good,
    /// `refusedByServer`) is judged with `complete` false until its last page (an
    /// operation no run covers yet waits, held, for a later page), and an operation the log
    /// holds already is checked too when the server's copy differs from it: the server's copy
    /// replaces the log's only if it checks, and never for this replica's own operations.
    static func checkSignatures(_ operations: [Operation], payloads: [String]?, signing: BundleSigning?,
                                workspace: WorkspaceName, root: RootPublicKey, source: String, now: Int64,
                                complete: Bool = true, fromServer: Bool = false, refusedByServer: [OperationID] = [],
                                in db: Database) throws -> SignatureCheck {
        var check = SignatureCheck()
        // Written once, for the check to hash and the log to keep (a page or file brings them).
        let payloads = payloads ?? operations.map(JSONWriter.string)
        var ring = try keyRing(workspace: workspace, root: root, in: db)
        if let signing { check.statementsRefused = try keep(signing, into: &ring, now: now, in: db) }

        // The candidates: the file's operations not in the log, then those held before.
        // From a file, whether the log holds it; from the server, its copy there, to compare.
        let logged = try loggedCopies(of: operations, payloads: fromServer, in: db)
        let heldRows = try HeldOperationRow.fetchAll(db, sql: "SELECT * FROM held_operations ORDER BY arrived_at, op")
        var candidates: [Operation], candidatePayloads: [String], inBatch: [Bool]
        var passed: [Int] = []
        var heldBefore: [OperationID: Operation] = [:], heldSource: [OperationID: String] = [:]
        if logged.isEmpty, heldRows.isEmpty, Self.idsAscend(operations) {
            // The usual batch: every operation new, none twice, nothing kept aside. No copies.
            (candidates, candidatePayloads) = (operations, payloads)
            inBatch = Array(repeating: true, count: operations.count)
        } else {
            (candidates, candidatePayloads, inBatch) = ([], [], [])
            let own = fromServer ? Set(try String.fetchAll(db, sql: "SELECT replica FROM signing_replicas").compactMap(ReplicaID.init(hex:))) : []
            var seen = Set<OperationID>()
            for (index, op) in operations.enumerated() {
                guard seen.insert(op.id).inserted else {
                    passed.append(index)
                    continue
                }
                if let kept = logged[op.id] {
                    // In the log already: its copy stays, unless the server's differs and checks.
                    if !fromServer || kept == payloads[index] {
                        passed.append(index)
                        continue
                    }
                    if own.contains(op.id.replica) {
                        check.held.append(.init(op: op.id, reason: "\(SignaturePolicy.Refusal.bodyChanged.rawValue): the server's copy of an operation made here differs from it; this replica's copy stays"))
                        continue
                    }
                }
                candidates.append(op)
                candidatePayloads.append(payloads[index])
                inBatch.append(true)
            }
            for row in heldRows {
                guard let op = try? Operation.stored(row.payload) else { continue }
                heldBefore[op.id] = op
                heldSource[op.id] = row.source
                guard seen.insert(op.id).inserted else { continue }
                candidates.append(op)
                candidatePayloads.append(row.payload)
                inBatch.append(false)
            }
            for index in passed {
                check.taken.append(operations[index])
                check.takenPayloads.append(payloads[index])
            }
        }
        guard !candidates.isEmpty || signing?.runs.isEmpty == false else { return check }

        // The runs: the file's, and those kept for the chains of candidates no run of the file
        // lists (held ones, or a relayed operation whose run came in an earlier file). Not the
        // kept ones for every chain: each file would check its chains' whole history again.
        var runs = signing?.runs ?? []
        let batchRuns = runs.count
        let runsOf = Dictionary(grouping: runs, by: \.chain.replica)
        var uncovered = Set<ChainID>()
        for op in candidates where !(runsOf[op.id.replica] ?? []).contains(where: { $0.lists(op.id.counter) }) {
            uncovered.insert(ChainID(of: op))
        }
        for chain in uncovered.sorted() { runs += try keptRuns(of: chain, in: db) }

        // The facts: how far each chain is verified, and the links asked for.
        let policy = SignaturePolicy(complete: complete)
        var facts = SignaturePolicy.Facts(keys: ring, refusedByServer: Set(refusedByServer),
                                          inLog: Set(passed.map { operations[$0].id }))
        let chainRow = try db.cachedStatement(sql: "SELECT * FROM chains WHERE replica = ? AND private = ?")
        let ownLink = try db.cachedStatement(sql: "SELECT * FROM chain_links WHERE replica = ? AND private = ? ORDER BY position DESC LIMIT 1")
        // Only the runs' chains: the policy places an operation by its runs alone.
        for chain in Set(runs.map(\.chain)) {
            if let row = try ChainRow.fetchOne(chainRow, arguments: [chain.replica.hex, chain.isPrivate]),
               let position = row.position {
                facts.verified[chain] = position
            }
            if let last = try ChainLinkRow.fetchOne(ownLink, arguments: [chain.replica.hex, chain.isPrivate]),
               UInt64(last.position) > facts.verified[chain]?.count ?? 0, let link = ChainHash(text: last.link) {
                // This replica's own chain (one of its processes wrote it): what it chained is
                // known. Its operations come back by pull after a restore from an older backup.
                facts.verified[chain] = ChainPosition(count: UInt64(last.position), link: link)
            }
        }
        // Nothing new, and no run that goes past what is verified over operations the log
        // holds (a replica restored from an older backup pulling back what it pushed): done.
        if candidates.isEmpty, !runs.contains(where: { $0.head.head.position.count > facts.verified[$0.chain]?.count ?? 0 }) {
            return check
        }
        // Links asked for before a chain's frontier (a run that starts or ends inside what was
        // verified, so a fork there is seen) come from the runs kept; a run that continues from
        // the frontier, the usual case, needs none (the frontier's link is in `chains`).
        for (chain, positions) in policy.factsNeeded(for: runs) {
            guard let frontier = facts.verified[chain]?.count else { continue }
            let inside = positions.filter { $0 < frontier }
            guard !inside.isEmpty else { continue }
            for run in try keptRuns(of: chain, in: db) {
                for position in inside where facts.links[chain]?[position] == nil {
                    if let link = run.link(at: position) { facts.links[chain, default: [:]][position] = link }
                }
            }
        }
        let decision = policy.decide(candidates, payloads: candidatePayloads, segments: runs, facts: facts)

        // Keep the decision: how far each chain is verified, the file's runs that check, what is held.
        for (chain, position) in decision.verified {
            try db.execute(sql: "INSERT OR REPLACE INTO chains(replica, private, workspace, author, count, link) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [chain.replica.hex, chain.isPrivate, chain.workspace.rawValue, chain.author.rawValue,
                                       Int64(position.count), position.link.text])
        }
        let keepRun = try db.cachedStatement(sql: "INSERT OR IGNORE INTO chain_runs(replica, private, body) VALUES (?, ?, ?)")
        for index in 0..<batchRuns {
            // Runs that check, or may once what they lack arrives (an earlier position, or the
            // binding of their key), are kept, for later batches and to relay.
            switch decision.segments[index] {
            case .accepted, .refused(.chainHole), .refused(.unboundKey):
                try keepRun.execute(arguments: [runs[index].chain.replica.hex, runs[index].chain.isPrivate, JSONWriter.string(runs[index])])
            default: break
            }
        }
        // An operation of this batch is kept as it came, and from where: a later copy under its id
        // replaces an earlier one, except that only a page's copy replaces a page's (a file's that
        // does not check must not push out what the server sent). One kept earlier and offered
        // again keeps its copy and source, with its new reason.
        let holdNew = try db.cachedStatement(sql: """
            INSERT INTO held_operations(op, reason, payload, source, arrived_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(op) DO UPDATE SET reason = excluded.reason, payload = excluded.payload, source = excluded.source
            WHERE held_operations.source <> '\(serverSource)' OR excluded.source = '\(serverSource)'
            """)
        let holdAgain = try db.cachedStatement(sql: holdAgainSQL)
        let release = try db.cachedStatement(sql: "DELETE FROM held_operations WHERE op = ?")
        if passed.isEmpty, heldBefore.isEmpty, decision.verdicts.allSatisfy({ $0 == .accepted }) {
            // The usual batch, every operation accepted: taken as it came.
            check.verified = candidates.count
            check.taken = candidates
            check.takenPayloads = candidatePayloads
            return check
        }
        for (index, op) in candidates.enumerated() {
            let payload = candidatePayloads[index]
            switch decision.verdicts[index] {
            case .accepted, .legacy:
                if decision.verdicts[index] == .accepted { check.verified += 1 } else { check.legacy += 1 }
                if inBatch[index], !(heldSource[op.id] == serverSource && heldBefore[op.id] == op) {
                    check.taken.append(op)
                    check.takenPayloads.append(payload)
                } else {
                    check.releasedFromHold.append((op, payload, heldSource[op.id] ?? source))
                }
                if let held = heldBefore[op.id] {
                    // Let through; or, when another copy under its id checked, that copy replaces it.
                    if held == op { check.released += 1 }
                    try release.execute(arguments: [op.id.description])
                }
            case let .refused(reason):
                try (inBatch[index] ? holdNew : holdAgain).execute(arguments: [op.id.description, reason.rawValue, payload, source, now])
                if inBatch[index] { check.held.append(.init(op: op.id, reason: "\(reason.rawValue): \(reason)")) }
            case .pending:
                // Only from a pull page that is not the last: held until a later page brings its
                // run, and said unsigned meanwhile (the last page settles it).
                try (inBatch[index] ? holdNew : holdAgain).execute(arguments: [op.id.description, SignaturePolicy.Refusal.unsigned.rawValue,
                                             payload, source, now])
            }
        }
        return check
    }

    /// Keeps an operation aside with its reason, or, kept already, gives it the new reason (its
    /// copy and source stay): one judged again, by a later batch or a check of the log.
    static let holdAgainSQL = """
        INSERT INTO held_operations(op, reason, payload, source, arrived_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(op) DO UPDATE SET reason = excluded.reason
        """

    /// True when each replica's counters rise through `operations`, so none comes twice: one
    /// comparison per operation while the replica stays the same (a file's chain, a push).
    static func idsAscend(_ operations: [Operation]) -> Bool {
        var last: [ReplicaID: UInt64] = [:]
        var replica: ReplicaID?, counter: UInt64 = 0
        for op in operations {
            if op.id.replica != replica {
                if let replica { last[replica] = counter }
                replica = op.id.replica
                counter = last[op.id.replica] ?? 0
            }
            guard op.id.counter > counter else { return false }
            counter = op.id.counter
        }
        return true
    }

    /// Which of `operations` the log holds, with the log's copy when `payloads` (else ""): one
    /// query per replica (``loggedCopies(of:counters:payloads:in:)``), not one per operation.
    static func loggedCopies(of operations: [Operation], payloads: Bool, in db: Database) throws -> [OperationID: String] {
        var counters: [ReplicaID: [UInt64]] = [:]
        for op in operations { counters[op.id.replica, default: []].append(op.id.counter) }
        var found: [OperationID: String] = [:]
        for (replica, counters) in counters {
            for (counter, copy) in try loggedCopies(of: replica, counters: counters, payloads: payloads, in: db) {
                found[OperationID(replica: replica, counter: counter)] = copy
            }
        }
        return found
    }

    /// Which of `counters` of `replica` the log holds, with the log's copy when `payloads` (else
    /// ""): one range query when the counters lie close (a chain's, a page's), one query per
    /// counter when they lie far apart (a range would read what lies between).
    static func loggedCopies(of replica: ReplicaID, counters: [UInt64], payloads: Bool, in db: Database) throws -> [UInt64: String] {
        guard let low = counters.min(), let high = counters.max() else { return [:] }
        let column = payloads ? "payload" : "''"
        let key = Int64(bitPattern: replica.rawValue)
        var found: [UInt64: String] = [:]
        if high - low < 4 * UInt64(counters.count) {
            let range = try db.cachedStatement(sql: "SELECT counter, \(column) FROM operations WHERE replica = ? AND counter BETWEEN ? AND ?")
            let rows = try Row.fetchCursor(range, arguments: [key, Int64(bitPattern: low), Int64(bitPattern: high)])
            while let row = try rows.next() { found[UInt64(bitPattern: row[0] as Int64)] = row[1] as String }
        } else {
            let one = try db.cachedStatement(sql: "SELECT \(column) FROM operations WHERE replica = ? AND counter = ?")
            for counter in counters {
                if let copy = try String.fetchOne(one, arguments: [key, Int64(bitPattern: counter)]) { found[counter] = copy }
            }
        }
        return found
    }

    /// How many operations are kept aside because their signature or chain did not check.
    public func heldCount() throws -> Int {
        try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM held_operations") ?? 0 }
    }

    /// The operations kept aside because their signature or chain did not check, newest last.
    public func heldOperations() throws -> [HeldOperation] {
        try pool.read { db in
            try HeldOperationRow.fetchAll(db, sql: "SELECT * FROM held_operations ORDER BY arrived_at, op").compactMap { row in
                guard let op = try? Operation.stored(row.payload) else { return nil }
                return HeldOperation(operation: op, reason: SignaturePolicy.Refusal(rawValue: row.reason), reasonCode: row.reason,
                                     source: row.source, arrivedAt: row.arrivedAt)
            }
        }
    }
}

/// An operation kept aside because its signature or chain did not check (``SignaturePolicy``).
public struct HeldOperation: Sendable, Equatable {
    public var operation: GlossCore.Operation
    /// Nil for a code this gloss does not know (kept as it came, in ``reasonCode``).
    public var reason: SignaturePolicy.Refusal?
    public var reasonCode: String
    public var source: String
    public var arrivedAt: Int64
}
