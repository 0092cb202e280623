/// What a replica knows of a workspace's keys: the pinned root, and the root's statements it
/// has checked. The facts ``SignaturePolicy`` decides on.
///
/// The state is a function of the *set* of statements, whatever order they arrive in, so
/// every replica that holds the same statements decides alike:
/// - a key bound to two users is bound to neither (``KeyStatus/conflicting``);
/// - a key revoked twice is revoked by the earliest revocation (by `issued`, then signature
///   bytes), the one that keeps the least it could have signed since;
/// - legacy bounds are the highest any cutoff gives.
public struct KeyRing: Sendable {
    public enum Problem: Error, Equatable, Sendable {
        /// Not signed by this workspace's pinned root (a forged binding, another workspace's root).
        case notSignedByRoot
        /// Made for another workspace.
        case otherWorkspace(WorkspaceName)
    }

    public enum KeyStatus: Equatable, Sendable {
        case unbound
        case bound(UserName)
        /// Bound to more than one user: usable by none.
        case conflicting
        case revoked(UserName, KeyRevocation)
    }

    public let workspace: WorkspaceName
    public let root: RootPublicKey
    /// Every statement taken, for an export to carry (a receiver needs them all to check).
    public private(set) var bindings: [KeyBinding] = []
    public private(set) var revocations: [KeyRevocation] = []
    public private(set) var cutoffs: [LegacyCutoff] = []

    private var users: [DevicePublicKey: Set<UserName>] = [:]
    private var revoked: [DevicePublicKey: KeyRevocation] = [:]
    private var legacy: [ReplicaID: UInt64] = [:]

    public init(workspace: WorkspaceName, root: RootPublicKey) {
        self.workspace = workspace
        self.root = root
    }

    public mutating func add(_ binding: KeyBinding) throws(Problem) {
        try check(binding.workspace, binding.signature, binding.message)
        guard !bindings.contains(binding) else { return }
        bindings.append(binding)
        users[binding.key, default: []].insert(binding.user)
    }

    public mutating func add(_ revocation: KeyRevocation) throws(Problem) {
        try check(revocation.workspace, revocation.signature, revocation.message)
        guard !revocations.contains(revocation) else { return }
        revocations.append(revocation)
        if let current = revoked[revocation.key], !Self.precedes(revocation, current) { return }
        revoked[revocation.key] = revocation
    }

    public mutating func add(_ cutoff: LegacyCutoff) throws(Problem) {
        try check(cutoff.workspace, cutoff.signature, cutoff.message)
        guard !cutoffs.contains(cutoff) else { return }
        cutoffs.append(cutoff)
        legacy.merge(cutoff.replicas, uniquingKeysWith: max)
    }

    public func status(of key: DevicePublicKey) -> KeyStatus {
        guard let names = users[key], let user = names.first else { return .unbound }
        guard names.count == 1 else { return .conflicting }
        if let revocation = revoked[key] { return .revoked(user, revocation) }
        return .bound(user)
    }

    /// The keys bound to `user` (revoked or not): what `gloss-server user keys` lists, and
    /// what an analyst's replica compares with the keys it knows are hers.
    public func keys(of user: UserName) -> [DevicePublicKey] {
        users.filter { $0.value.contains(user) }.keys.sorted()
    }

    /// The highest legacy counter under `replica`, if it is a legacy replica.
    public func legacyBound(of replica: ReplicaID) -> UInt64? { legacy[replica] }

    private func check(_ statementWorkspace: WorkspaceName, _ signature: Signature, _ message: SigningMessage) throws(Problem) {
        guard statementWorkspace == workspace else { throw .otherWorkspace(statementWorkspace) }
        guard root.key.verifies(signature, of: message) else { throw .notSignedByRoot }
    }

    private static func precedes(_ a: KeyRevocation, _ b: KeyRevocation) -> Bool {
        if a.issued != b.issued { return a.issued < b.issued }
        return a.signature.bytes.lexicographicallyPrecedes(b.signature.bytes)
    }
}
