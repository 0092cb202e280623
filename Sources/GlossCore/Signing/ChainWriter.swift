/// The signing side of one chain: appends a replica's operations in the order it sends them,
/// signs heads, and cuts the runs (``ChainSegment``) a push or an export carries.
///
/// Pure: the replica persists what it appended (each position's counter, digest and link) and
/// the heads it signed, and makes the writer again from them.
public struct ChainWriter: Sendable {
    public enum Problem: Error, Equatable, Sendable {
        /// The operation belongs to another chain (author, replica or workspace).
        case otherChain(OperationID)
        /// Its id is in the chain already.
        case alreadyChained(OperationID)
    }

    public let chain: ChainID
    /// The device key that started the replica, the only one that signs its chains.
    public let key: DevicePublicKey
    /// The nonce of the replica's claim (``ReplicaClaim/mint(for:key:nonce:)``), which every head carries.
    public let nonce: String
    /// The position the writer starts after: 0 for a whole chain, or where a writer restored
    /// from a kept position (``init(chain:key:nonce:after:restoring:)``) begins.
    public private(set) var base: UInt64 = 0
    /// Position `base + n` is `entries[n - 1]`.
    public private(set) var entries: [ChainEntry] = []
    /// `links[n]` is the link after position `base + n` (`links[0]` the genesis, or the kept link).
    public private(set) var links: [ChainHash]
    private var counters: Set<UInt64> = []

    /// The chain of a replica minted with `key` and `nonce` (``ReplicaClaim/mint(for:key:nonce:)``).
    public init(chain: ChainID, key: DevicePublicKey, nonce: String) {
        self.chain = chain
        self.key = key
        self.nonce = nonce
        links = [.genesis(of: chain)]
    }

    /// The writer again, from the entries the replica kept (their links are hashed anew: one
    /// SHA-256 each).
    public init(chain: ChainID, key: DevicePublicKey, nonce: String, restoring entries: [ChainEntry]) {
        self.init(chain: chain, key: key, nonce: nonce)
        for entry in entries { add(entry) }
    }

    /// The writer again from a kept position onward: `start` (count and link) and the entries
    /// kept after it. A push needs only the run from its first operation, so a long chain is not
    /// hashed again from its genesis at every push. Counters before `start` are not known here:
    /// the caller appends only operations made after them.
    public init(chain: ChainID, key: DevicePublicKey, nonce: String, after start: ChainPosition, restoring entries: [ChainEntry]) {
        self.init(chain: chain, key: key, nonce: nonce)
        base = start.count
        links = [start.link]
        for entry in entries { add(entry) }
    }

    public var position: ChainPosition { ChainPosition(count: base + UInt64(entries.count), link: links[entries.count]) }

    /// Appends the operations of `log` that carry this chain's label, in order, and leaves out
    /// the others (a team chain never holds a private operation, nor anything about one).
    /// Throws for an operation of another author, replica or workspace, or one chained already.
    public mutating func append(contentsOf log: [Operation]) throws(Problem) {
        for op in log where op.isPrivate == chain.isPrivate { try append(op) }
    }

    public mutating func append(_ op: Operation) throws(Problem) {
        guard ChainID(of: op) == chain else { throw .otherChain(op.id) }
        guard !counters.contains(op.id.counter) else { throw .alreadyChained(op.id) }
        add(ChainEntry(counter: op.id.counter, digest: .of(op)))
    }

    private mutating func add(_ entry: ChainEntry) {
        counters.insert(entry.counter)
        entries.append(entry)
        links.append(links[links.count - 1].next(counter: entry.counter, digest: entry.digest))
    }

    /// The head at the current position, signed by `key`.
    public func sign(with device: DeviceKey) -> SignedHead {
        ChainHead(chain: chain, nonce: nonce, position: position, key: key).signed(with: device)
    }

    /// The run from position `count` up to `head` (one this writer signed).
    public func segment(after count: UInt64, to head: SignedHead) -> ChainSegment {
        precondition(head.head.position.count >= base && count >= base, "a position this writer holds")
        let end = Int(head.head.position.count - base)
        precondition(head.head.chain == chain && end <= entries.count && links[end] == head.head.position.link,
                     "a head of this chain")
        let begin = min(Int(count - base), end)
        return ChainSegment(from: links[begin], entries: Array(entries[begin..<end]), head: head)
    }
}
