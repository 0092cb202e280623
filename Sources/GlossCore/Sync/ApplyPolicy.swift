/// Every rule a replica applies to operations it takes in from elsewhere (a file, the team
/// server, or the analyst adopting what a file set aside), as a pure function of facts the
/// replica looked up: the replica's counterpart of ``PushPolicy``.
///
/// The replica asks ``factsNeeded(for:)`` what to look up, fetches those facts in its
/// transaction (``Facts``), and hands them to ``decide(_:claims:facts:clock:)``, which returns a
/// verdict per operation (take it, refuse it, or set it aside) and what to persist: the claims
/// learned, and the clock. No rule lives in the replica.
///
/// - From the **server**, only an operation's shape is checked: the server has checked its
///   author, claim, clock, workspace and privacy, and what it accepted is what every replica
///   holds (docs/ARCHITECTURE.md, "What the server decides").
/// - From a **file**, nothing vouches for anything, so every rule applies. An operation that
///   names this replica's own user but was not made here is **quarantined**: kept aside,
///   unmerged and unsent, until she adopts or discards it. Minting a replica claim for a name
///   needs only the name and a salt, so a file can carry a claim that checks for her; were
///   such an operation taken in, her next sync would push it as hers, and the server would
///   store it as hers (docs/RELIABILITY.md, "A file").
/// - **Adopted** operations are her explicit choice: every rule of a file but the quarantine.
///
/// Whatever the source, a received stamp moves the clock at most
/// ``HybridClock/defaultObserveBoundMillis`` past the wall clock.
public struct ApplyPolicy: Sendable {
    /// Where the operations come from.
    public enum Source: Sendable, Equatable {
        /// A file (`ops apply`, a restore): nobody vouches for it.
        case file
        /// The team server's pull: it checked them before storing.
        case server
        /// Set aside earlier, now adopted by the analyst.
        case adopted
    }

    /// The replica's user.
    public var user: UserName
    /// The replica's workspace ("" before it joins one).
    public var workspace: WorkspaceName
    /// This machine's clock, ms.
    public var now: Int64
    public var source: Source
    public var maxSkewMillis: Int64
    /// How far past `now` a received stamp may move the clock (``HybridClock/observe(_:now:bound:)``).
    public var observeBoundMillis: Int64

    public init(user: UserName, workspace: WorkspaceName, now: Int64, source: Source,
                maxSkewMillis: Int64 = HybridClock.defaultMaxSkewMillis,
                observeBoundMillis: Int64 = HybridClock.defaultObserveBoundMillis) {
        self.user = user
        self.workspace = workspace
        self.now = now
        self.source = source
        self.maxSkewMillis = maxSkewMillis
        self.observeBoundMillis = observeBoundMillis
    }

    // MARK: Facts

    /// Which facts a batch needs, for the replica to look up in one go (nothing from the server).
    public struct FactRequest: Sendable, Equatable {
        /// Replica ids whose claims held here, and whether this replica minted them, matter.
        public var replicas: Set<ReplicaID> = []
        /// Annotations changed (not created) by the batch: whether their create is held, and private.
        public var annotations: Set<AnnotationID> = []
        /// Operations naming this replica's user: whether the replica holds them already.
        public var ownOperations: [OperationID] = []
        public init() {}
    }

    /// What the replica holds, for the ids in a ``FactRequest``.
    public struct Facts: Sendable, Equatable {
        /// The claims the replica holds (its own, and ones learned from files), by replica id.
        public var claims: [ReplicaID: ReplicaClaim] = [:]
        /// Replica ids this replica's own processes minted (`replica_claims.minted`).
        public var minted: Set<ReplicaID> = []
        /// Operations it holds, in its log or among those the server refused.
        public var held: Set<OperationID> = []
        /// Annotations whose create it holds: private or not.
        public var creates: [AnnotationID: Bool] = [:]
        public init(claims: [ReplicaID: ReplicaClaim] = [:], minted: Set<ReplicaID> = [], held: Set<OperationID> = [],
                    creates: [AnnotationID: Bool] = [:]) {
            self.claims = claims
            self.minted = minted
            self.held = held
            self.creates = creates
        }
    }

    public func factsNeeded(for operations: [Operation]) -> FactRequest {
        var request = FactRequest()
        guard source != .server else { return request }
        for op in operations {
            request.replicas.insert(op.id.replica)
            if !op.isCreate { request.annotations.insert(op.annotation) }
            if op.author == user { request.ownOperations.append(op.id) }
        }
        return request
    }

    // MARK: Decision

    public enum Verdict: Sendable, Equatable {
        case accept
        /// Not taken in, for this reason.
        case refuse(String)
        /// Kept aside, unmerged and unsent, until the analyst adopts or discards it.
        case quarantine(String)

        public var isRefusal: Bool { if case .refuse = self { true } else { false } }
    }

    /// What to do with a batch: a verdict per operation (in order), and what the replica persists.
    public struct Decision: Sendable, Equatable {
        public var verdicts: [Verdict] = []
        /// Claims from the batch that prove the author of an accepted operation: kept, to check
        /// later operations under those ids against, and to send with them.
        public var learned: [ReplicaClaim] = []
        /// The batch's claims for quarantined operations' ids (that prove their author), kept with
        /// them: adopting needs them to push.
        public var quarantineClaims: [ReplicaID: ReplicaClaim] = [:]
        /// The clock after the accepted operations.
        public var clock: HLC = .zero

        public var accepted: Int { verdicts.count { $0 == .accept } }
        public var quarantined: Int { verdicts.count { $0 != .accept && !$0.isRefusal } }
    }

    /// The verdict on every operation of one batch, in order, given the replica's facts.
    /// `claims` are the ones the batch brought (a file's), `clock` the replica's.
    public func decide(_ operations: [Operation], claims: [ReplicaClaim], facts: Facts, clock: HybridClock) -> Decision {
        var decision = Decision()
        var clock = clock
        if source == .server {
            decision.verdicts.reserveCapacity(operations.count)
            for op in operations {
                do throws(Operation.Invalid) { try op.validate() } catch {
                    decision.verdicts.append(.refuse(error.description))
                    continue
                }
                decision.verdicts.append(.accept)
                clock.observe(op.hlc, now: now, bound: observeBoundMillis)
            }
            decision.clock = clock.last
            return decision
        }
        var offered: [ReplicaID: ReplicaClaim] = [:]
        for claim in claims where facts.claims[claim.replica] == nil && offered[claim.replica] == nil {
            offered[claim.replica] = claim
        }
        // A change is held to the label of its create: the one held here, else the one in the
        // same batch (taken or not: a file that says both is relabelled either way).
        var creates = facts.creates
        for op in operations where op.isCreate && op.annotation == AnnotationID(createdBy: op.id) && creates[op.annotation] == nil {
            creates[op.annotation] = op.isPrivate
        }
        decision.verdicts = operations.map { judge($0, claims: facts.claims, offered: offered, facts: facts, creates: creates) }
        var learned = Set<ReplicaID>()
        for (op, verdict) in zip(operations, decision.verdicts) {
            switch verdict {
            case .accept:
                clock.observe(op.hlc, now: now, bound: observeBoundMillis)
                if let claim = offered[op.id.replica], claim.proves(op.author), learned.insert(claim.replica).inserted {
                    decision.learned.append(claim)
                }
            case .quarantine:
                if let claim = offered[op.id.replica] ?? facts.claims[op.id.replica], claim.proves(op.author) {
                    decision.quarantineClaims[op.id.replica] = claim
                }
            case .refuse:
                break
            }
        }
        decision.clock = clock.last
        return decision
    }

    /// One operation from a file (or adopted): the first rule it breaks, or what to do with it.
    func judge(_ op: Operation, claims: [ReplicaID: ReplicaClaim], offered: [ReplicaID: ReplicaClaim],
               facts: Facts, creates: [AnnotationID: Bool]) -> Verdict {
        do throws(Operation.Invalid) { try op.validate() } catch { return .refuse(error.description) }
        if op.hlc.wall > now + maxSkewMillis {
            let ahead = (op.hlc.wall - now) / 60_000
            return .refuse("stamped \(ahead) minutes ahead of this machine's clock (the bound is \(maxSkewMillis / 60_000) minutes); the sender's clock is wrong")
        }
        if !Privacy.allows(user, op.author, isPrivate: op.isPrivate) {
            return .refuse("a private note of \(op.author)'s; only \(op.author) may hold it")
        }
        if !op.workspace.isEmpty, !workspace.isEmpty, op.workspace != workspace {
            return .refuse("belongs to workspace '\(op.workspace)', not '\(workspace)'")
        }
        // The claim held here (or the batch's) says whose the replica id is.
        if let claim = claims[op.id.replica] ?? offered[op.id.replica], !claim.proves(op.author) {
            return .refuse("its id \(op.id) belongs to a replica of another user than \(op.author); it was altered or forged")
        }
        // A note is private or not for good, and so is every change to it: a change labelled
        // otherwise than the create held here was relabelled (a stolen private note passed off
        // as a team note, or the reverse).
        if !op.isCreate, let heldPrivate = creates[op.annotation], heldPrivate != op.isPrivate {
            return .refuse("annotation \(op.annotation.short) was made \(heldPrivate ? "private" : "for the team"), but this change to it is labelled \(op.isPrivate ? "private" : "team"); it was relabelled")
        }
        guard source == .file, op.author == user else { return .accept }
        // Names this replica's user. What she holds already is hers (a duplicate, or her own
        // operation the server refused): the log keeps its copy.
        if facts.held.contains(op.id) { return .accept }
        if facts.minted.contains(op.id.replica) {
            return .refuse("it is under one of this replica's own ids, but this replica never made it; it was altered or forged")
        }
        return .quarantine("it names \(user) as its author but was not made on this replica")
    }
}
