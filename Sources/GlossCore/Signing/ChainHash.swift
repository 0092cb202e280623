import Crypto

/// A SHA-256 value in a chain: an operation's digest or a link (the hash of the chain up to a
/// position). Written as base64url text (43 characters).
///
/// Held inline, as four words: a checked batch makes, compares and keeps two of these per
/// operation, and an array each was an allocation and a reference count apiece.
public struct ChainHash: Hashable, Sendable, CustomStringConvertible {
    private let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// The first 32 bytes of `raw`, in order.
    private init(_ raw: UnsafeRawBufferPointer) {
        w0 = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        w2 = raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        w3 = raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self = bytes.withUnsafeBytes { ChainHash($0) }
    }

    init(digest: SHA256.Digest) { self = digest.withUnsafeBytes { ChainHash($0) } }

    public init?(text: String) {
        guard let bytes = Base64URL.decode(text) else { return nil }
        self.init(bytes: bytes)
    }

    /// The 32 bytes, in order, without a copy on the heap.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var words = (w0, w1, w2, w3)
        return try withUnsafeBytes(of: &words) { try body($0) }
    }

    public var bytes: [UInt8] { withBytes { Array($0) } }
    public var text: String { withBytes { Base64URL.encode($0) } }
    public var description: String { String(bytes.hexString.prefix(12)) }
}

extension ChainHash {
    /// The digest an operation is chained and signed by: SHA-256 of a domain tag and the
    /// operation's canonical bytes, its JSON as ``JSONWriter`` writes it (keys sorted, one
    /// escape for each character, no spaces), which is a function of the operation's value:
    /// a receiver writes it again from what it read, so how the text travelled (escapes,
    /// spacing, key order) does not matter, and every field (id, author, workspace, label,
    /// stamp, change) is covered.
    public static func of(_ operation: Operation) -> ChainHash {
        var writer = JSONWriter(capacity: 512)
        operation.write(to: &writer)
        var hasher = SHA256()
        hasher.update(data: Self.operationTag)
        hasher.update(data: writer.bytes)
        return ChainHash(digest: hasher.finalize())
    }

    /// The digest of `text` taken as an operation's canonical bytes: ``of(_:)`` of the
    /// operation it reads as, when it is that operation written by ``JSONWriter``, without
    /// writing it again. Text that travelled otherwise gives another digest, so a receiver that
    /// finds this one unequal to the signed digest must still try ``of(_:)``.
    public static func of(canonical text: String) -> ChainHash {
        var hasher = SHA256()
        hasher.update(data: Self.operationTag)
        var text = text
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return ChainHash(digest: hasher.finalize())
    }

    /// What an operation says apart from its id (and the annotation a create derives from it):
    /// an operation replayed under a new id has the same content.
    static func content(of operation: Operation) -> ChainHash {
        var blank = operation
        blank.id = OperationID(replica: ReplicaID(rawValue: 0), counter: 0)
        if blank.isCreate { blank.annotation = AnnotationID(rawValue: "") }
        return of(blank)
    }

    /// Position 0 of a chain: the hash of the chain's identity, so a chain cannot be moved to
    /// another workspace, replica, author or label.
    public static func genesis(of chain: ChainID) -> ChainHash {
        var message = SigningMessage("gloss-chain-v1")
        message.text(chain.workspace.rawValue)
        message.number(chain.replica.rawValue)
        message.text(chain.author.rawValue)
        message.flag(chain.isPrivate)
        return ChainHash(digest: SHA256.hash(data: message.bytes))
    }

    /// The link after this one for the operation `counter` of the chain's replica, with `digest`:
    /// SHA-256(0x01 ‖ previous link ‖ counter (8 bytes, big-endian) ‖ digest).
    public func next(counter: UInt64, digest: ChainHash) -> ChainHash {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0x01)) { hasher.update(bufferPointer: $0) }
        withBytes { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: counter.bigEndian) { hasher.update(bufferPointer: $0) }
        digest.withBytes { hasher.update(bufferPointer: $0) }
        return ChainHash(digest: hasher.finalize())
    }

    private static let operationTag = Array("gloss-op-v1\u{0}".utf8)
}
