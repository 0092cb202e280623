/// The root of trust's statements (``RootKey``): which device key is whose, which keys are
/// revoked and how much of what they signed stays, and which old operations are legacy.
/// Each is signed by the workspace's root and travels to every replica (in pulls and in
/// `gloss ops export` files), so a replica that never talks to a server checks them too.

/// `key` belongs to `user` in `workspace`: the root's signature on it is what makes a chain
/// head signed by `key` count as `user`'s.
public struct KeyBinding: Hashable, Sendable {
    public var workspace: WorkspaceName
    public var user: UserName
    public var key: DevicePublicKey
    /// When the root bound it, ms (shown to people; no rule depends on it).
    public var issued: Int64
    public var signature: Signature

    public init(workspace: WorkspaceName, user: UserName, key: DevicePublicKey, issued: Int64, signature: Signature) {
        self.workspace = workspace
        self.user = user
        self.key = key
        self.issued = issued
        self.signature = signature
    }

    /// The binding of `key` to `user`, signed by `root`.
    public static func make(workspace: WorkspaceName, user: UserName, key: DevicePublicKey, issued: Int64, root: RootKey) -> KeyBinding {
        var binding = KeyBinding(workspace: workspace, user: user, key: key, issued: issued, signature: Signature(bytes: []))
        binding.signature = root.key.sign(binding.message)
        return binding
    }

    var message: SigningMessage {
        var message = SigningMessage("gloss-key-binding-v1")
        message.text(workspace.rawValue)
        message.text(user.rawValue)
        message.fixed(key.rawRepresentation)
        message.number(issued)
        return message
    }
}

/// `key` is revoked: of each chain it signed, the positions up to the mark ``kept`` names stay
/// (a revocation names the chain's count *and* link there, so a stolen key cannot sign an
/// other history for those positions either: one that does not pass through the mark is
/// refused); everything else it signs, before or after, is refused everywhere. A chain the
/// revocation does not name keeps nothing.
public struct KeyRevocation: Hashable, Sendable {
    public var workspace: WorkspaceName
    public var key: DevicePublicKey
    /// Per chain the key signed (its replica and label: the author is the key's user), what stays.
    public var kept: [Mark]
    public var issued: Int64
    public var signature: Signature

    public struct Mark: Hashable, Sendable {
        public var replica: ReplicaID
        public var isPrivate: Bool
        public var position: ChainPosition
        public init(replica: ReplicaID, isPrivate: Bool, position: ChainPosition) {
            self.replica = replica
            self.isPrivate = isPrivate
            self.position = position
        }
    }

    public init(workspace: WorkspaceName, key: DevicePublicKey, kept: [Mark], issued: Int64, signature: Signature) {
        self.workspace = workspace
        self.key = key
        self.kept = kept
        self.issued = issued
        self.signature = signature
    }

    public static func make(workspace: WorkspaceName, key: DevicePublicKey, kept: [Mark], issued: Int64, root: RootKey) -> KeyRevocation {
        var revocation = KeyRevocation(workspace: workspace, key: key, kept: kept, issued: issued, signature: Signature(bytes: []))
        revocation.signature = root.key.sign(revocation.message)
        return revocation
    }

    var message: SigningMessage {
        var message = SigningMessage("gloss-key-revocation-v1")
        message.text(workspace.rawValue)
        message.fixed(key.rawRepresentation)
        message.number(issued)
        message.number(UInt32(kept.count))
        for mark in kept {
            message.number(mark.replica.rawValue)
            message.flag(mark.isPrivate)
            message.number(mark.position.count)
            message.fixed(mark.position.link.bytes)
        }
        return message
    }
}

/// The operations written before signing began, which carry no signature: under each replica
/// id named, counters up to its bound are **legacy**, taken unsigned as before and marked so.
/// Replica ids are minted per writing process, so every process since the upgrade writes
/// under a new id that is not named here: the set of legacy operations is closed, and a
/// forger cannot add to it (a new id, or a counter past the bound, is refused as unsigned).
/// What it cannot stop: the content of a legacy operation is not signed, so a file can still
/// carry an altered copy of one, as before (the server's copy replaces it on the next pull).
public struct LegacyCutoff: Hashable, Sendable {
    public var workspace: WorkspaceName
    /// Highest legacy counter per replica id.
    public var replicas: [ReplicaID: UInt64]
    public var issued: Int64
    public var signature: Signature

    public init(workspace: WorkspaceName, replicas: [ReplicaID: UInt64], issued: Int64, signature: Signature) {
        self.workspace = workspace
        self.replicas = replicas
        self.issued = issued
        self.signature = signature
    }

    public static func make(workspace: WorkspaceName, replicas: [ReplicaID: UInt64], issued: Int64, root: RootKey) -> LegacyCutoff {
        var cutoff = LegacyCutoff(workspace: workspace, replicas: replicas, issued: issued, signature: Signature(bytes: []))
        cutoff.signature = root.key.sign(cutoff.message)
        return cutoff
    }

    /// The cutoff a root signs when it is made for a workspace that already holds operations
    /// (an upgrade): each replica's highest counter among the team operations held, which
    /// every replica that pins the root then accepts as legacy. Private operations are left
    /// out: a signed count of them is what a chain must not tell others. So a legacy private
    /// note past its replica's last team operation is kept aside as unsigned on its author's
    /// other devices (docs/RELIABILITY.md, "Upgrade"). Nil when the workspace holds none.
    public static func upgrade(workspace: WorkspaceName, highestTeamCounters: [ReplicaID: UInt64], issued: Int64,
                               root: RootKey) -> LegacyCutoff? {
        highestTeamCounters.isEmpty ? nil : make(workspace: workspace, replicas: highestTeamCounters, issued: issued, root: root)
    }

    var message: SigningMessage {
        var message = SigningMessage("gloss-legacy-v1")
        message.text(workspace.rawValue)
        message.number(issued)
        message.number(UInt32(replicas.count))
        for replica in replicas.keys.sorted() {
            message.number(replica.rawValue)
            message.number(replicas[replica]!)
        }
        return message
    }
}

/// One statement of the root's, whichever kind: how a replica keeps, loads and carries them.
public enum TrustStatement: Hashable, Sendable {
    case binding(KeyBinding)
    case revocation(KeyRevocation)
    case cutoff(LegacyCutoff)

    /// Its kind's name, as a replica keeps it beside the JSON.
    public var kind: String {
        switch self {
        case .binding: "binding"
        case .revocation: "revocation"
        case .cutoff: "cutoff"
        }
    }

    /// The statement's JSON, as ``JSONWriter`` writes it.
    public var json: String {
        switch self {
        case let .binding(binding): JSONWriter.string(binding)
        case let .revocation(revocation): JSONWriter.string(revocation)
        case let .cutoff(cutoff): JSONWriter.string(cutoff)
        }
    }

    /// A statement kept as `kind` and `json`.
    public init(kind: String, json: String) throws {
        switch kind {
        case "binding": self = .binding(try KeyBinding.read(json))
        case "revocation": self = .revocation(try KeyRevocation.read(json))
        case "cutoff": self = .cutoff(try LegacyCutoff.read(json))
        default: throw MalformedJSON(message: "'\(kind)' is not a kind of statement", offset: 0)
        }
    }
}

extension KeyRing {
    /// Takes one statement, whichever its kind.
    public mutating func add(_ statement: TrustStatement) throws(Problem) {
        switch statement {
        case let .binding(binding): try add(binding)
        case let .revocation(revocation): try add(revocation)
        case let .cutoff(cutoff): try add(cutoff)
        }
    }
}
