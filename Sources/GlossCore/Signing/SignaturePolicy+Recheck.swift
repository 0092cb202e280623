/// Checking again what a replica's log already holds, against the signed runs it kept: after a
/// restore from a backup (whose file anyone who held it could have altered), or when a
/// revocation arrives that makes earlier work refused. The same rules as ``decide(_:payloads:segments:facts:)``,
/// asked of a log instead of a batch.
extension SignaturePolicy {
    /// Whether a verdict on an operation already in the log is evidence against it, so it must
    /// leave the merged state: its bytes are not what its author signed, its author is not who
    /// signed it, its run does not check or contradicts another, or its key was revoked before
    /// it. Not a hole (a position the log lacks says nothing of what it holds), not `unsigned`
    /// (written before signing, or before the root was pinned), not an unbound key (its binding
    /// may still come).
    public static func takesOut(_ refusal: Refusal) -> Bool {
        switch refusal {
        case .bodyChanged, .forgedAuthor, .badSignature, .forked, .revokedKey, .badBinding: true
        case .chainHole, .replayed, .unsigned, .unboundKey: false
        }
    }

    /// What one kept run says of the operations the log holds under its counters (`operations`,
    /// with their stored text, `payloads`; others of the same replica may come along and are
    /// passed over): the index of each that must leave the log, and why (``takesOut(_:)``).
    /// The run is checked on its own, from its own start: its signed head covers its entries
    /// from there, and a position the log lacks is no reason to doubt the rest.
    public static func recheck(_ operations: [Operation], payloads: [String], against run: ChainSegment,
                               keys: KeyRing) -> [(index: Int, refusal: Refusal)] {
        guard let start = run.start else {
            return operations.indices.compactMap { run.lists(operations[$0].id.counter) ? ($0, .badSignature) : nil }
        }
        let listed = Set(run.entries.map { OperationID(replica: run.chain.replica, counter: $0.counter) })
        let facts = Facts(keys: keys, verified: [run.chain: ChainPosition(count: start, link: run.from)], inLog: listed)
        let decision = SignaturePolicy(complete: true).decide(operations, payloads: payloads, segments: [run], facts: facts)
        return decision.verdicts.indices.compactMap { index in
            guard case let .refused(refusal) = decision.verdicts[index], takesOut(refusal) else { return nil }
            return (index, refusal)
        }
    }

    /// Whether `payload`, the stored text of `operation`, is what was signed as `digest`: as it
    /// is, or written again (text that travelled with other spacing or key order).
    public static func matches(_ operation: Operation, payload: String, digest: ChainHash) -> Bool {
        ChainHash.of(canonical: payload) == digest || ChainHash.of(operation) == digest
    }
}
