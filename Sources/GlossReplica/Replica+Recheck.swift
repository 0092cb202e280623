import Foundation
import GRDB
import GlossCore

/// Checking the log again against what is signed (docs/RELIABILITY.md, "Signed operations"):
/// `gloss keys verify` after a restore from a backup, and, for the runs of a revoked key, each
/// time a revocation arrives. The rules are ``SignaturePolicy/recheck(_:payloads:against:keys:)``;
/// this reads the log and the kept runs, and keeps the decision.
extension Replica {
    /// What a re-check found.
    public struct Recheck: Codable, Sendable, Equatable {
        /// Operations compared with a signed digest: teammates' against the runs this replica
        /// kept, its own against the chains it signed.
        public var checked = 0
        /// Those that left the merged state, with the reason; each is kept aside (`gloss sync
        /// --refused`), and the annotations they touched are rebuilt without them.
        public var takenOut: [ApplyResult.Refusal] = []
        /// True when an altered copy was taken out and the replica has a server: its next sync
        /// pulls everything again, to bring back the copies the server holds.
        public var pullsAgain = false
    }

    /// Where an operation taken out by a re-check is said to come from.
    static let recheckSource = "the log, checked again"

    /// Checks every operation of the log that a signed digest covers against it, with the
    /// pinned root's key ring as it is now, and takes out what no longer holds: a copy altered
    /// since it was taken (a backup's file changed while it was away), or work a key signed
    /// past the mark of its revocation. Nil when no root is pinned (nothing here is checked).
    public func recheckSignatures() throws -> Recheck? {
        try pool.write { db in
            let meta = try Meta.load(db)
            guard meta.workspace != .unbound, let root = try Self.pinnedRoot(of: meta.workspace, in: db) else { return nil }
            let ring = try Self.keyRing(workspace: meta.workspace, root: root, in: db)
            return try Self.recheck(keys: nil, ring: ring, now: self.now(), in: db)
        }
    }

    /// The re-check, in the caller's transaction: of every kept run (`keys` nil, and then this
    /// replica's own chains too), or only of the runs `keys` signed (a revocation arrived).
    static func recheck(keys: Set<DevicePublicKey>?, ring: KeyRing, now: Int64, in db: Database) throws -> Recheck {
        var found = Recheck()
        var out: [OperationID: (refusal: SignaturePolicy.Refusal, payload: String)] = [:]
        // Teammates' chains (and this replica's, after a restore pulled them back): run by run,
        // so what is read at once stays one run's worth.
        let bodies = try String.fetchCursor(db, sql: "SELECT body FROM chain_runs ORDER BY seq")
        while let body = try bodies.next() {
            guard let run = try? ChainSegment.read(body) else { continue }
            if let keys, !keys.contains(run.head.head.key) { continue }
            let copies = try loggedCopies(of: run.chain.replica, counters: run.entries.map(\.counter), payloads: true, in: db)
            let payloads = copies.keys.sorted().map { copies[$0]! }
            let operations = try payloads.map { try Operation.stored($0) }
            found.checked += operations.count { run.lists($0.id.counter) }
            for (index, refusal) in SignaturePolicy.recheck(operations, payloads: payloads, against: run, keys: ring)
            where out[operations[index].id] == nil {
                out[operations[index].id] = (refusal, payloads[index])
            }
        }
        if keys == nil {
            // This replica's own chains: each operation against the digest it was chained with.
            let chained = try db.cachedStatement(sql: """
                SELECT o.payload, l.digest FROM chain_links l JOIN operations o ON o.replica = ? AND o.counter = l.counter
                WHERE l.replica = ?
                """)
            for hex in try String.fetchAll(db, sql: "SELECT replica FROM signing_replicas") {
                guard let replica = ReplicaID(hex: hex) else { continue }
                let rows = try Row.fetchCursor(chained, arguments: [Int64(bitPattern: replica.rawValue), hex])
                while let row = try rows.next() {
                    let payload: String = row[0]
                    guard let digest = ChainHash(text: row[1]) else { continue }
                    found.checked += 1
                    let op = try Operation.stored(payload)
                    if !SignaturePolicy.matches(op, payload: payload, digest: digest), out[op.id] == nil {
                        out[op.id] = (.bodyChanged, payload)
                    }
                }
            }
        }
        guard !out.isEmpty else { return found }
        let ids = out.keys.sorted { ($0.replica.rawValue, $0.counter) < ($1.replica.rawValue, $1.counter) }
        try unlog(ids, in: db)
        let hold = try db.cachedStatement(sql: holdAgainSQL)
        for id in ids {
            let (refusal, payload) = out[id]!
            try hold.execute(arguments: [id.description, refusal.rawValue, payload, recheckSource, now])
            found.takenOut.append(.init(op: id, reason: "\(refusal.rawValue): \(refusal)"))
        }
        // An altered copy's honest one is on the server; work past a revocation's mark is the
        // same there, and refused again, so it is no reason to pull everything again.
        var meta = try Meta.load(db)
        if !meta.remoteURL.isEmpty, out.values.contains(where: { $0.refusal != .revokedKey }) {
            meta.pullCursor = 0
            try meta.save(db)
            found.pullsAgain = true
        }
        return found
    }
}
