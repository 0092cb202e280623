/// One hash chain: the operations one replica (one writing process) made for one author in
/// one workspace, team and private apart.
///
/// Team operations and private ones are two chains, so the team chain, which every member
/// receives, says nothing of the private one: neither how many private operations there are
/// nor what they hold. The private chain goes only where its operations go (the author's own
/// replicas, and the server, which stores them).
public struct ChainID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var workspace: WorkspaceName
    public var replica: ReplicaID
    public var author: UserName
    public var isPrivate: Bool

    public init(workspace: WorkspaceName, replica: ReplicaID, author: UserName, isPrivate: Bool) {
        self.workspace = workspace
        self.replica = replica
        self.author = author
        self.isPrivate = isPrivate
    }

    /// The chain `operation` belongs to.
    public init(of operation: Operation) {
        self.init(workspace: operation.workspace, replica: operation.id.replica, author: operation.author,
                  isPrivate: operation.isPrivate)
    }

    /// True when `operation` belongs to this chain (``init(of:)`` would give it), without making one.
    public func holds(_ operation: Operation) -> Bool {
        replica == operation.id.replica && isPrivate == operation.isPrivate && author == operation.author && workspace == operation.workspace
    }

    public var description: String { "\(author)'s \(isPrivate ? "private" : "team") chain of replica \(replica) in \(workspace)" }

    public static func < (a: ChainID, b: ChainID) -> Bool {
        (a.workspace, a.replica, a.author, a.isPrivate ? 1 : 0) < (b.workspace, b.replica, b.author, b.isPrivate ? 1 : 0)
    }
}

/// How far a chain goes: its number of operations and the link after the last one.
public struct ChainPosition: Hashable, Sendable {
    public var count: UInt64
    public var link: ChainHash
    public init(count: UInt64, link: ChainHash) {
        self.count = count
        self.link = link
    }

    /// The empty chain.
    public static func start(of chain: ChainID) -> ChainPosition {
        ChainPosition(count: 0, link: .genesis(of: chain))
    }
}

/// One position of a chain: which operation of the replica (its counter) and its digest.
public struct ChainEntry: Hashable, Sendable {
    public var counter: UInt64
    public var digest: ChainHash
    public init(counter: UInt64, digest: ChainHash) {
        self.counter = counter
        self.digest = digest
    }
}
