/// The server's rules for accepting one pushed operation, as a pure function.
///
/// Rules that need only operations (authorship of body, target, judgment, delete) are also
/// applied by every replica's merge; the server refuses breaches up front so the pusher learns
/// why. Rules that need the server's knowledge (roles, the pusher's identity, its clock) are
/// only here.
public struct PushPolicy: Sendable {
    /// What the server knows about an annotation from its create operation.
    public struct Creator: Sendable, Equatable {
        public var author: String
        public var isPrivate: Bool
        public init(author: String, isPrivate: Bool) {
            self.author = author
            self.isPrivate = isPrivate
        }
    }

    public var workspace: String
    public var user: String
    public var role: Role
    /// The server's clock, ms.
    public var now: Int64
    public var maxSkewMillis: Int64

    public init(workspace: String, user: String, role: Role, now: Int64, maxSkewMillis: Int64 = HybridClock.defaultMaxSkewMillis) {
        self.workspace = workspace
        self.user = user
        self.role = role
        self.now = now
        self.maxSkewMillis = maxSkewMillis
    }

    /// Nil when the operation may be stored; otherwise why not.
    /// `creator` answers for annotations whose create the server holds (or that came earlier in this push).
    public func refusal(of op: Operation, creator: (AnnotationID) -> Creator?) -> Sync.Refusal? {
        func refuse(_ code: Sync.Refusal.Code, _ reason: String) -> Sync.Refusal { .init(op: op.id, code: code, reason: reason) }
        do { try op.validate() } catch { return refuse(.invalid, error.description) }
        guard role.canWrite else {
            return refuse(.readOnly, "\(user) is a reader in '\(workspace)' and cannot change annotations; ask an admin for the member role")
        }
        guard op.author == user else {
            return refuse(.forgedAuthor, "the operation names \(op.author) as its author but the token is \(user)'s; \(op.author) must sync it")
        }
        guard op.workspace == workspace else {
            return refuse(.wrongWorkspace, "the operation belongs to workspace '\(op.workspace)', not '\(workspace)'")
        }
        if op.hlc.wall > now + maxSkewMillis {
            let minutes = (op.hlc.wall - now) / 60_000
            return refuse(.clockAhead, "stamped \(Self.duration(minutes: minutes)) ahead of the server's clock (the bound is \(maxSkewMillis / 60_000) minutes): set this machine's clock right, then run `gloss sync --restamp`")
        }
        if case .create = op.change { return nil }
        guard let owner = creator(op.annotation) else {
            return refuse(.unknownAnnotation, "annotation \(op.annotation.short) is not on the server; its author has not synced it yet")
        }
        if owner.isPrivate != op.isPrivate || (owner.isPrivate && owner.author != user) {
            return refuse(.privacy, "annotation \(op.annotation.short) is private to its author")
        }
        switch op.change {
        case .editBody, .retarget, .judge, .delete:
            guard owner.author == user else {
                return refuse(.notAuthor, "only \(owner.author), its author, can \(op.change.kind) annotation \(op.annotation.short); reply instead")
            }
            return nil
        default:
            return nil
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
