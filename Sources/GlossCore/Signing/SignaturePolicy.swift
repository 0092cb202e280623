/// Every rule a replica applies to the signatures of operations it takes in, whatever the
/// path (a pull, an `ops apply` file, a restore), as a pure function of facts: the replica's
/// ``KeyRing`` (the root's statements it checked) and how far it has verified each chain.
/// The counterpart of ``ApplyPolicy`` for authorship; both run on every batch.
///
/// An operation is **accepted** when a run (``ChainSegment``) whose head is signed by a key
/// the root bound to the operation's author lists the operation's counter with the
/// operation's digest, the run continues what the replica verified of that chain, and every
/// earlier position of the chain has arrived. It is **legacy** when it has no chain but the
/// root's ``LegacyCutoff`` names it (written before signing; taken unsigned, marked). It is
/// **pending** while no run in hand covers it and more may come (the rest of a pull). Anything
/// else is **refused** with a ``Refusal``: kept aside, named in `gloss sync --refused`, never
/// merged.
///
/// Holes. A position whose operation never came (withheld, dropped from a file) is a hole:
/// the chain's later operations are refused as ``Refusal/chainHole`` until it arrives (the
/// caller keeps them aside and offers them again with the next batch), so a replica never
/// shows an author's later work without the earlier work it followed. An operation that came
/// *altered* fills its position for this purpose: it is refused by name (``Refusal/bodyChanged``,
/// ``Refusal/forgedAuthor``), and the chain's honest later operations are taken.
///
/// The replica asks ``factsNeeded(for:)`` which links it keeps matter, looks them up with its
/// key ring and verified positions (``Facts``), and keeps what ``decide(_:segments:facts:)``
/// returns: the verdicts, and how far each chain is now verified (with the links on the way).
/// Operations held (pending, or after a hole) are offered again with the next batch, with the
/// runs that cover them.
///
/// Cost: one SHA-256 per operation and per run entry, one Ed25519 check per distinct head.
public struct SignaturePolicy: Sendable {
    /// Why an operation (or a run) is refused.
    public enum Refusal: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// Its author is not the user the signing key is bound to, or its replica is not one
        /// its author started with that key.
        case forgedAuthor = "forged-author"
        /// The run's signature does not check, or its entries do not lead to the signed head.
        case badSignature = "bad-signature"
        /// Its bytes differ from what its author signed under its id.
        case bodyChanged = "body-changed"
        /// An earlier operation of its chain has not arrived.
        case chainHole = "chain-hole"
        /// Its run contradicts what this replica verified of the chain: the key signed two histories.
        case forked
        /// The same content as a signed operation, under another id.
        case replayed
        /// No signed run lists it, and it is not legacy.
        case unsigned
        /// The signing key is not bound to anyone in this workspace by its root.
        case unboundKey = "unbound-key"
        /// Signed by a revoked key past what its revocation keeps.
        case revokedKey = "revoked-key"
        /// The root bound the signing key to more than one user.
        case badBinding = "bad-binding"

        public var description: String {
            switch self {
            case .forgedAuthor: "its author is not the user its signing key belongs to"
            case .badSignature: "its signature does not check"
            case .bodyChanged: "it was altered after its author signed it"
            case .chainHole: "an earlier operation of its author's chain is missing"
            case .forked: "its author's key signed another history for the same place"
            case .replayed: "it repeats a signed operation under another id"
            case .unsigned: "it is not signed"
            case .unboundKey: "its signing key is not bound to anyone by the workspace's root"
            case .revokedKey: "its signing key was revoked"
            case .badBinding: "its signing key is bound to more than one user"
            }
        }
    }

    public enum Verdict: Hashable, Sendable {
        case accepted
        /// Written before signing began (``LegacyCutoff``): taken unsigned, and marked.
        case legacy
        /// Not covered by any run yet; offer it again with the next batch.
        case pending
        case refused(Refusal)

        public var isTaken: Bool { self == .accepted || self == .legacy }
    }

    /// What the replica knows before the batch.
    public struct Facts: Sendable {
        public var keys: KeyRing
        /// Per chain, how far the replica has verified it: every position up to here arrived.
        public var verified: [ChainID: ChainPosition]
        /// The links the replica keeps at the positions ``factsNeeded(for:)`` asked for (those
        /// it has verified), so a run that ends before ``verified`` is checked against them.
        public var links: [ChainID: [UInt64: ChainHash]]
        /// Operations the server says it refused for good (a pull page's `refused`): they will
        /// never come, so their positions count as arrived for the chain-hole rule. A server
        /// could say so of an operation it withholds, which it can do anyway (docs/RELIABILITY.md,
        /// "What it does not stop"); it cannot make anything accepted with it.
        public var refusedByServer: Set<OperationID>
        /// Operations of the batch the replica's log holds already (they are not judged again):
        /// their positions have arrived. A replica restored from an older backup holds its own
        /// first operations unchained, and pulls back the later ones it pushed; those must not
        /// wait, as after a hole, for operations it has.
        public var inLog: Set<OperationID>
        public init(keys: KeyRing, verified: [ChainID: ChainPosition] = [:], links: [ChainID: [UInt64: ChainHash]] = [:],
                    refusedByServer: Set<OperationID> = [], inLog: Set<OperationID> = []) {
            self.keys = keys
            self.verified = verified
            self.links = links
            self.refusedByServer = refusedByServer
            self.inLog = inLog
        }
    }

    /// Which verified positions' links matter for these runs: where each starts and ends. The
    /// replica looks up those it keeps (``Decision/links`` gave them when they were verified).
    public func factsNeeded(for segments: [ChainSegment]) -> [ChainID: Set<UInt64>] {
        var positions: [ChainID: Set<UInt64>] = [:]
        for segment in segments {
            guard let start = segment.start else { continue }
            positions[segment.chain, default: []].formUnion([start, segment.head.head.position.count])
        }
        return positions
    }

    public struct Decision: Sendable, Equatable {
        /// One per operation, in order.
        public var verdicts: [Verdict] = []
        /// One per run, in order: accepted, or refused with the reason.
        public var segments: [Verdict] = []
        /// Chains verified further by this batch, and how far: for the replica to keep (with
        /// the runs, whose links ``Facts/links`` are later read from).
        public var verified: [ChainID: ChainPosition] = [:]

        public var accepted: Int { verdicts.count { $0 == .accepted } }
        public var refused: Int { verdicts.count { if case .refused = $0 { true } else { false } } }
    }

    /// True when no later batch will bring more runs: a whole file, or a pull's last page.
    /// An operation no run covers is then refused, not pending.
    public var complete: Bool

    public init(complete: Bool) {
        self.complete = complete
    }

    // MARK: Decision

    /// What one run turned out to be, checked on its own.
    private enum Check {
        /// Signed by a key bound to its author; `links[i]` is the link at `start + i`.
        /// Positions past `kept` are refused as revoked (nil: none are).
        case authentic(links: [ChainHash], kept: UInt64?)
        case refused(Refusal)
    }

    /// Where an operation's counter sits in its chain, and what that says of it.
    private enum Place {
        /// Verified and arrived in order (or arrived earlier): accepted if the digest matches.
        case inOrder(ChainHash)
        /// Signed, but after a hole (or past the revocation's mark).
        case held(Refusal)
        /// Listed only by a run that does not check: that run's reason.
        case unverified(Refusal)
    }

    /// The verdict on each of `operations`, carried by `segments`. `payloads`, when given, are
    /// the operations' JSON as received: one that is the signed bytes is hashed as it is
    /// (``ChainHash/of(canonical:)``); any other is written again and hashed, so how the text
    /// travelled still does not matter.
    public func decide(_ operations: [Operation], payloads: [String]? = nil, segments: [ChainSegment], facts: Facts) -> Decision {
        precondition(payloads == nil || payloads!.count == operations.count, "one payload per operation")
        var decision = Decision()
        var signatures: [SignedHead: Bool] = [:]
        let checks = segments.map { check($0, keys: facts.keys, signatures: &signatures) }

        // Operations by (replica, counter), whatever chain they claim: an altered one still
        // fills its position.
        var arrived: Set<ReplicaCounter> = []
        arrived.reserveCapacity(operations.count + facts.refusedByServer.count + facts.inLog.count)
        for op in operations { arrived.insert(ReplicaCounter(op.id)) }
        for id in facts.refusedByServer { arrived.insert(ReplicaCounter(id)) }
        for id in facts.inLog { arrived.insert(ReplicaCounter(id)) }

        var places: [ChainID: [UInt64: Place]] = [:]
        // Counters signed in some chain of each replica, with the chain's author and label.
        // Built only if an operation has no place in its own chain; from the authentic runs, in
        // the order they are walked.
        var signedIn: [ReplicaCounter: ChainID]?
        var authentic: [Int] = []

        let byChain = Dictionary(grouping: segments.indices, by: { segments[$0].chain })
        decision.segments = Array(repeating: .accepted, count: segments.count)
        for chain in byChain.keys.sorted() {
            let indices = byChain[chain]!.sorted { (segments[$0].start ?? 0, $0) < (segments[$1].start ?? 0, $1) }
            let before = facts.verified[chain] ?? .start(of: chain)
            let entries = byChain[chain]!.reduce(0) { $0 + segments[$1].entries.count }
            var known = ByPosition<ChainHash>(base: before.count, earlier: facts.links[chain] ?? [:], capacity: entries + 1)
            known[before.count] = before.link
            var reach = before.count
            var attached = ByPosition<ChainEntry>(base: before.count, capacity: entries + 1)
            var chainPlaces: [UInt64: Place] = [:]
            chainPlaces.reserveCapacity(entries)
            func place(_ counter: UInt64, _ value: Place) {
                // A verified place wins over a held one, and both over an unverified one.
                switch (chainPlaces[counter], value) {
                case (nil, _), (.unverified?, _), (.held?, .inOrder): chainPlaces[counter] = value
                default: break
                }
            }
            for index in indices {
                let segment = segments[index]
                guard case let .authentic(links, kept) = checks[index] else {
                    if case let .refused(reason) = checks[index] {
                        decision.segments[index] = .refused(reason)
                        for entry in segment.entries { place(entry.counter, .unverified(reason)) }
                    }
                    continue
                }
                let start = segment.start!
                let end = start + UInt64(segment.entries.count)
                let keptEnd = kept ?? end
                authentic.append(index)
                if keptEnd < end {
                    for (offset, entry) in segment.entries.enumerated() where start + UInt64(offset) + 1 > keptEnd {
                        place(entry.counter, .held(.revokedKey))
                    }
                }
                if kept != nil, keptEnd == start { decision.segments[index] = .refused(.revokedKey) }
                guard start <= reach else {
                    decision.segments[index] = .refused(.chainHole)
                    for (offset, entry) in segment.entries.enumerated() where start + UInt64(offset) + 1 <= keptEnd {
                        place(entry.counter, .held(.chainHole))
                    }
                    continue
                }
                let forked = (start...end).contains { position in
                    known[position].map { $0 != links[Int(position - start)] } ?? false
                }
                if forked {
                    decision.segments[index] = .refused(.forked)
                    for entry in segment.entries { place(entry.counter, .unverified(.forked)) }
                    continue
                }
                for position in start...keptEnd {
                    known[position] = links[Int(position - start)]
                    if position > start { attached[position] = segment.entries[Int(position - start) - 1] }
                }
                reach = max(reach, keptEnd)
            }
            // Walk the positions past what was verified before, in order, while each has arrived.
            for entry in attached.earlier.values { place(entry.counter, .inOrder(entry.digest)) }
            if let entry = attached[before.count] { place(entry.counter, .inOrder(entry.digest)) }
            var frontier = before.count
            var hole = false
            for position in (before.count + 1)..<(reach + 1) {
                let entry = attached[position]!
                if !hole, arrived.contains(ReplicaCounter(replica: chain.replica, counter: entry.counter)) {
                    place(entry.counter, .inOrder(entry.digest))
                    frontier = position
                } else {
                    hole = true
                    place(entry.counter, .held(.chainHole))
                }
            }
            if frontier > before.count { decision.verified[chain] = ChainPosition(count: frontier, link: known[frontier]!) }
            places[chain] = chainPlaces
        }

        // The verdicts. Contents are hashed only if some operation is left unexplained.
        var contents: [ChainHash: Bool]?
        // A batch's operations come chain by chain: the last chain's places are kept at hand.
        var lastChain: ChainID?, lastPlaces: [UInt64: Place]?
        decision.verdicts = operations.indices.map { index in
            let op = operations[index]
            if lastChain?.holds(op) != true {
                lastChain = ChainID(of: op)
                lastPlaces = places[lastChain!]
            }
            if let place = lastPlaces?[op.id.counter] {
                switch place {
                case let .inOrder(signed):
                    let intact = payloads.map { Self.matches(op, payload: $0[index], digest: signed) } ?? (ChainHash.of(op) == signed)
                    return intact ? .accepted : .refused(.bodyChanged)
                // Held whatever its bytes: kept aside and offered again, it is judged on them
                // once the hole before it is filled.
                case let .held(reason): return .refused(reason)
                case let .unverified(reason): return .refused(reason)
                }
            }
            if signedIn == nil {
                var signed: [ReplicaCounter: ChainID] = [:]
                for index in authentic {
                    let chain = segments[index].chain
                    for entry in segments[index].entries { signed[ReplicaCounter(replica: chain.replica, counter: entry.counter)] = chain }
                }
                signedIn = signed
            }
            if let other = signedIn![ReplicaCounter(op.id)] {
                // Signed in another chain of the same replica: the author, label or workspace was changed.
                return .refused(other.author == op.author ? .bodyChanged : .forgedAuthor)
            }
            if let bound = facts.keys.legacyBound(of: op.id.replica), op.id.counter <= bound { return .legacy }
            if contents == nil {
                var signed: [ChainHash: Bool] = [:]
                for other in operations {
                    if case .inOrder? = places[ChainID(of: other)]?[other.id.counter] { signed[.content(of: other)] = true }
                }
                contents = signed
            }
            if contents![.content(of: op)] != nil { return .refused(.replayed) }
            return complete ? .refused(.unsigned) : .pending
        }
        return decision
    }

    /// One run on its own: its entries lead to its head, its replica is its author's, its key
    /// is bound to its author (and not revoked past it), and the signature checks.
    private func check(_ segment: ChainSegment, keys: KeyRing, signatures: inout [SignedHead: Bool]) -> Check {
        let head = segment.head.head
        guard let links = segment.links() else { return .refused(.badSignature) }
        guard head.claimHolds else { return .refused(.forgedAuthor) }
        guard head.chain.workspace == keys.workspace else { return .refused(.unboundKey) }
        var kept: UInt64?
        switch keys.status(of: head.key) {
        case .unbound: return .refused(.unboundKey)
        case .conflicting: return .refused(.badBinding)
        case let .bound(user):
            guard user == head.chain.author else { return .refused(.forgedAuthor) }
        case let .revoked(user, revocation):
            guard user == head.chain.author else { return .refused(.forgedAuthor) }
            // Only what passes through the revocation's mark stays.
            let start = segment.start!
            let end = start + UInt64(segment.entries.count)
            guard let mark = revocation.kept.first(where: { $0.replica == head.chain.replica && $0.isPrivate == head.chain.isPrivate }),
                  mark.position.count >= start, mark.position.count <= end,
                  links[Int(mark.position.count - start)] == mark.position.link else { return .refused(.revokedKey) }
            kept = mark.position.count
        }
        let valid: Bool
        if let known = signatures[segment.head] {
            valid = known
        } else {
            valid = segment.head.isValid
            signatures[segment.head] = valid
        }
        return valid ? .authentic(links: links, kept: kept) : .refused(.badSignature)
    }
}

/// Values by position in one chain: in an array from `base` on, where a batch's runs go (past
/// what the replica verified; their entries bound how far it grows), and in a dictionary before
/// it (the links the replica kept, a run that starts inside what it verified: rare).
private struct ByPosition<Value> {
    let base: UInt64
    private(set) var earlier: [UInt64: Value]
    private var later: [Value?] = []

    init(base: UInt64, earlier: [UInt64: Value] = [:], capacity: Int) {
        self.base = base
        self.earlier = earlier.filter { $0.key < base }
        later.reserveCapacity(capacity)
        if let at = earlier[base] { self[base] = at }
    }

    subscript(position: UInt64) -> Value? {
        get {
            guard position >= base else { return earlier[position] }
            let offset = position - base
            return offset < UInt64(later.count) ? later[Int(offset)] : nil
        }
        set {
            guard position >= base else {
                earlier[position] = newValue
                return
            }
            let offset = Int(position - base)
            if offset >= later.count { later.append(contentsOf: repeatElement(nil, count: offset - later.count + 1)) }
            later[offset] = newValue
        }
    }
}

/// An operation id as a hashable pair, whatever chain the operation claims.
private struct ReplicaCounter: Hashable {
    var replica: ReplicaID
    var counter: UInt64
    init(replica: ReplicaID, counter: UInt64) {
        self.replica = replica
        self.counter = counter
    }
    init(_ id: OperationID) { self.init(replica: id.replica, counter: id.counter) }
}
