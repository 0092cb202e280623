/// Every rule the server applies to a push, as a pure function of facts the store looked up.
///
/// A store asks ``factsNeeded(for:)`` what to look up, fetches those facts in its transaction
/// (``PushFacts``), and hands them to ``decide(_:claims:facts:)``, which returns a verdict per
/// operation and what to persist. No rule lives in a store, so a second store (PostgreSQL)
/// follows without touching one.
///
/// Rules that need only operations (authorship of body, target, judgment, delete) are also
/// applied by every replica's merge; the server refuses breaches up front so the pusher learns
/// why. Rules that need the server's knowledge (roles, the pusher's identity, which user a
/// replica belongs to, what is already stored, its clock, counts) are only here.
public struct PushPolicy: Sendable {
    /// What the server knows about an annotation from its create and the operations on it.
    public struct Creator: Sendable, Equatable {
        public var author: UserName
        public var isPrivate: Bool
        /// Tags its author has added (on the create and since).
        public var ownTagAdditions = 0
        /// What everyone else has added to it, together.
        public var others = Budget()
        public init(author: UserName, isPrivate: Bool, ownTagAdditions: Int = 0, others: Budget = Budget()) {
            self.author = author
            self.isPrivate = isPrivate
            self.ownTagAdditions = ownTagAdditions
            self.others = others
        }
    }

    /// Operations stored on an annotation and tags ever added to it (an upper bound on the tags
    /// it shows).
    public struct Budget: Sendable, Equatable {
        public var operations = 0
        public var tagAdditions = 0
        public init(operations: Int = 0, tagAdditions: Int = 0) {
            self.operations = operations
            self.tagAdditions = tagAdditions
        }
    }

    /// Caps on what one annotation may gather, so that no member can grow someone else's note
    /// without bound, and no note can carry endless tags: everyone but its author may add at
    /// most `operationsPerAnnotation` operations to it, together; its author may add at most
    /// `tagAdditionsPerAnnotation` tags, and everyone else as many, together. An author's own
    /// other changes to their own note are not counted: they grow only their own log, as more
    /// notes would (and counting them cost a fifth of the server's push capacity).
    public struct Limits: Sendable, Equatable {
        public var operationsPerAnnotation = 10_000
        public var tagAdditionsPerAnnotation = 1_000
        public init() {}
    }

    public var workspace: WorkspaceName
    public var user: UserName
    public var role: Role
    /// The server's clock, ms.
    public var now: Int64
    public var maxSkewMillis: Int64
    public var limits: Limits

    public init(workspace: WorkspaceName, user: UserName, role: Role, now: Int64,
                maxSkewMillis: Int64 = HybridClock.defaultMaxSkewMillis, limits: Limits = Limits()) {
        self.workspace = workspace
        self.user = user
        self.role = role
        self.now = now
        self.maxSkewMillis = maxSkewMillis
        self.limits = limits
    }

    // MARK: Facts

    /// Which facts a push needs, for the store to look up in one go.
    public struct FactRequest: Sendable, Equatable {
        /// Operation ids whose stored payload (if any) matters.
        public var operations: [OperationID] = []
        /// Relayed operation ids whose recorded refusal (if any) matters.
        public var refusals: [OperationID] = []
        public var replicas: Set<ReplicaID> = []
        /// Annotations changed (not created) by the push.
        public var annotations: Set<AnnotationID> = []
        /// Reports the push's creates point at.
        public var reports: Set<ReportID> = []
    }

    /// A refusal recorded for good, with the operation it was given for.
    public struct RecordedRefusal: Sendable, Equatable {
        public var code: Sync.Refusal.Code
        public var reason: String
        /// The canonical wire JSON of the refused operation.
        public var payload: String
        public init(code: Sync.Refusal.Code, reason: String, payload: String) {
            self.code = code
            self.reason = reason
            self.payload = payload
        }
    }

    /// What the store holds, for the ids in a ``FactRequest``, in the push's workspace.
    public struct PushFacts: Sendable {
        /// Canonical wire JSON of operations already stored, by id.
        public var stored: [OperationID: String] = [:]
        public var refusals: [OperationID: RecordedRefusal] = [:]
        /// The user each registered replica belongs to.
        public var owners: [ReplicaID: UserName] = [:]
        public var creators: [AnnotationID: Creator] = [:]
        /// Annotations whose create was refused for good, with the reason.
        public var refusedCreates: [AnnotationID: String] = [:]
        /// Reports present in the workspace.
        public var reports: Set<ReportID> = []
        public init() {}
    }

    public func factsNeeded(for operations: [Operation]) -> FactRequest {
        var request = FactRequest()
        for op in operations {
            request.operations.append(op.id)
            request.replicas.insert(op.id.replica)
            if op.author != user { request.refusals.append(op.id) }
            if case let .create(creation) = op.change {
                request.reports.insert(creation.report)
            } else {
                request.annotations.insert(op.annotation)
            }
            if case let .retarget(target) = op.change, let source = target.source { request.reports.insert(source) }
        }
        return request
    }

    // MARK: Decision

    public enum Verdict: Sendable, Equatable {
        case accepted
        /// The server holds exactly this operation (the same canonical bytes) already.
        case duplicate
        case refused(Sync.Refusal)
    }

    /// What to do with a push: a verdict per operation (in order), and what the store persists.
    public struct Decision: Sendable {
        public var verdicts: [Verdict] = []
        /// Replicas to register to the pushing user (their claims proved it).
        public var registrations: [ReplicaID] = []
        /// Refusals for good to record, by position in the push: only of operations whose id
        /// the pusher owns, so no one can plant a refusal under someone else's id.
        public var recorded: [Int] = []
        /// Per annotation: the tags this push adds for its author, and what it adds for everyone
        /// else (only annotations where something counted changed). A create's own tags are not
        /// here: the store counts them as it makes the annotation's row (`tagsAdded(by:)`).
        public var counts: [AnnotationID: (ownTagAdditions: Int, others: Budget)] = [:]

        public var accepted: [Int] { verdicts.indices.filter { verdicts[$0] == .accepted } }
    }

    /// The verdict on every operation of one push, in order, given the store's facts.
    ///
    /// `payloads` are the operations' canonical wire JSON (what the store keeps), so
    /// "already stored" means the same bytes, never only the same id.
    public func decide(_ operations: [Operation], payloads: [String], claims: [ReplicaClaim], facts: PushFacts) -> Decision {
        var state = BatchState(facts: facts, claims: Dictionary(claims.map { ($0.replica, $0) }, uniquingKeysWith: { a, _ in a }))
        var decision = Decision()
        for (index, (op, payload)) in zip(operations, payloads).enumerated() {
            let (verdict, record) = judge(op, payload: payload, state: &state)
            decision.verdicts.append(verdict)
            if record { decision.recorded.append(index) }
            if verdict == .accepted { state.stored[op.id] = payload }
        }
        decision.counts = state.counted
        decision.registrations = state.registered
        return decision
    }

    /// The facts as this push changes them: what it stored, registered and created so far.
    struct BatchState {
        var stored: [OperationID: String]
        var refusals: [OperationID: RecordedRefusal]
        var owners: [ReplicaID: UserName]
        var creators: [AnnotationID: Creator]
        var refusedCreates: [AnnotationID: String]
        var reports: Set<ReportID>
        var claims: [ReplicaID: ReplicaClaim]
        var registered: [ReplicaID] = []
        /// What accepted changes added to the annotations' budgets (``Decision/counts``).
        var counted: [AnnotationID: (ownTagAdditions: Int, others: Budget)] = [:]

        init(facts: PushFacts, claims: [ReplicaID: ReplicaClaim]) {
            stored = facts.stored
            refusals = facts.refusals
            owners = facts.owners
            creators = facts.creators
            refusedCreates = facts.refusedCreates
            reports = facts.reports
            self.claims = claims
        }
    }

    /// One operation's verdict, and whether a refusal is to be recorded for good.
    func judge(_ op: Operation, payload: String, state: inout BatchState) -> (Verdict, record: Bool) {
        func refuse(_ code: Sync.Refusal.Code, _ reason: String) -> Sync.Refusal { .init(op: op.id, code: code, reason: reason) }
        do { try op.validate() } catch { return (.refused(refuse(.invalid, error.description)), false) }

        // A relayed operation (received by file from its author) is taken only from its author.
        // The relayer learns its fate only when it holds exactly the stored or refused bytes,
        // so a push cannot probe for someone else's (private) operations.
        guard op.author == user else {
            if let stored = state.stored[op.id], sameBytes(stored, payload) { return (.duplicate, false) }
            if let recorded = state.refusals[op.id], sameBytes(recorded.payload, payload) {
                return (.refused(refuse(recorded.code, recorded.reason)), false)
            }
            return (.refused(refuse(.awaitingAuthor,
                                    "relayed from \(op.author): the server takes it from \(op.author) only; it stays with you until then")), false)
        }
        guard op.workspace == workspace else {
            return (.refused(refuse(.wrongWorkspace, "the operation belongs to another workspace than '\(workspace)'")), false)
        }
        // The operation id must name a replica of the pusher's: registered to them, or proved by
        // a claim that comes with this push. Without a claim the answer is the same whether the
        // replica is someone else's or unknown, so it tells nothing about other users' replicas.
        if let owner = state.owners[op.id.replica], owner == user {
            // Theirs already.
        } else if let claim = state.claims[op.id.replica] {
            guard state.owners[op.id.replica] == nil, claim.proves(user) else { return (.refused(Self.foreignReplica(op)), false) }
            state.owners[op.id.replica] = user
            state.registered.append(op.id.replica)
        } else {
            return (.refused(refuse(.awaitingClaim,
                                    "operation \(op.id) is under a replica id the server has no proof of yet: it must come from the machine that made it, or be issued again here")), false)
        }
        // From here on the id is the pusher's own: anything stored under it is theirs too.
        if let stored = state.stored[op.id] {
            if sameBytes(stored, payload) { return (.duplicate, false) }
            return (.refused(refuse(.idTaken, "the server holds a different operation under id \(op.id); this one is not stored")), false)
        }
        guard role.canWrite else {
            return (.refused(refuse(.readOnly, "\(user) is a reader in '\(workspace)' and cannot change annotations; ask an admin for the member role")), true)
        }
        if op.hlc.wall > now + maxSkewMillis {
            let minutes = (op.hlc.wall - now) / 60_000
            return (.refused(refuse(.clockAhead, "stamped \(Self.duration(minutes: minutes)) ahead of the server's clock (the bound is \(maxSkewMillis / 60_000) minutes): the machine's clock must be set right and the change issued again")), true)
        }
        if case let .retarget(target) = op.change, let source = target.source, !state.reports.contains(source) {
            return (.refused(refuse(.missingReport, "report \(source.short) is not on the server: push the report first")), false)
        }
        if case let .create(creation) = op.change {
            guard state.reports.contains(creation.report) else {
                return (.refused(refuse(.missingReport, "report \(creation.report.short) is not on the server: push the report first")), false)
            }
            if Self.tagsAdded(by: op) > limits.tagAdditionsPerAnnotation {
                return (.refused(refuse(.tooMany, "an annotation takes at most \(limits.tagAdditionsPerAnnotation) tags")), true)
            }
            state.creators[op.annotation] = Creator(author: op.author, isPrivate: op.isPrivate, ownTagAdditions: Self.tagsAdded(by: op))
            return (.accepted, false)
        }
        guard var owner = state.creators[op.annotation] else {
            if let dead = state.refusedCreates[op.annotation] {
                return (.refused(refuse(.refusedAnnotation, "annotation \(op.annotation.short) was never accepted (\(dead)); this change to it is dropped")), true)
            }
            return (.refused(refuse(.unknownAnnotation, "annotation \(op.annotation.short) is not on the server; its author has not synced it yet")), false)
        }
        if owner.isPrivate != op.isPrivate || !Privacy.allows(user, owner.author, isPrivate: owner.isPrivate) {
            return (.refused(refuse(.privacy, "annotation \(op.annotation.short) is private to its author")), true)
        }
        switch op.change {
        case .editBody, .retarget, .judge, .delete:
            guard owner.author == user else {
                return (.refused(refuse(.notAuthor, "only \(owner.author), its author, can \(op.change.kind) annotation \(op.annotation.short); reply instead")), true)
            }
        default: break
        }
        let tags = Self.tagsAdded(by: op)
        var count = state.counted[op.annotation] ?? (0, Budget())
        if owner.author == user {
            guard owner.ownTagAdditions + tags <= limits.tagAdditionsPerAnnotation else {
                return (.refused(refuse(.tooMany, "annotation \(op.annotation.short) has had \(limits.tagAdditionsPerAnnotation) tags added by its author; remove some and use fewer")), true)
            }
            // An author's other changes to their own note are not counted (``Limits``).
            guard tags > 0 else { return (.accepted, false) }
            owner.ownTagAdditions += tags
            count.ownTagAdditions += tags
        } else {
            guard owner.others.operations < limits.operationsPerAnnotation else {
                return (.refused(refuse(.tooMany, "annotation \(op.annotation.short) has taken \(limits.operationsPerAnnotation) changes from others than its author; reply or start a new note")), true)
            }
            guard owner.others.tagAdditions + tags <= limits.tagAdditionsPerAnnotation else {
                return (.refused(refuse(.tooMany, "annotation \(op.annotation.short) has had \(limits.tagAdditionsPerAnnotation) tags added by others than its author; remove some and use fewer")), true)
            }
            owner.others.add(Budget(operations: 1, tagAdditions: tags))
            count.others.add(Budget(operations: 1, tagAdditions: tags))
        }
        state.creators[op.annotation] = owner
        state.counted[op.annotation] = count
        return (.accepted, false)
    }

    func sameBytes(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    static func foreignReplica(_ op: Operation) -> Sync.Refusal {
        .init(op: op.id, code: .foreignReplica,
              reason: "operation \(op.id) is under a replica id that is not yours; it is not stored")
    }

    public static func tagsAdded(by op: Operation) -> Int {
        switch op.change {
        case let .create(creation): creation.tags.count
        case .addTag: 1
        default: 0
        }
    }

    static func duration(minutes: Int64) -> String {
        switch minutes {
        case ..<120: "\(minutes) minutes"
        case ..<(48 * 60): "\(minutes / 60) hours"
        case ..<(730 * 24 * 60): "\(minutes / 60 / 24) days"
        default: "\(minutes / 60 / 24 / 365) years"
        }
    }
}

extension PushPolicy.Budget {
    mutating func add(_ other: Self) {
        operations += other.operations
        tagAdditions += other.tagAdditions
    }
}
