/// What ``UserName`` and ``WorkspaceName`` share: one canonical text (``IdentityName``),
/// compared, hashed and ordered by its bytes, and carried as the plain string.
///
/// Two names are the same only when their bytes are: `==` and hashing compare the UTF-8 bytes
/// of the canonical text (never Swift's canonical-equivalence `String` equality), and `<`
/// orders by bytes, as SQLite's and PostgreSQL's `C` collation do. On the wire and in the
/// stores a name is the plain string (`rawValue`).
///
/// Made from what a person typed or a client sent with `init(_:)`, which canonicalises and
/// refuses what is outside the profile; from text already known canonical (read back from a
/// store, or carried by an operation whose shape is checked) with `init(stored:)`.
public protocol CanonicalName: Hashable, Comparable, Sendable, CustomStringConvertible, Codable, JSONWritable {
    /// The canonical text, as stored and sent.
    var rawValue: String { get }
    /// A name read back as it was stored or carried: not canonicalised (an operation's
    /// author and workspace are checked by `Operation.validate`, which asks `isCanonical`).
    init(stored: String)
}

extension CanonicalName {
    /// `raw` in canonical form (ASCII letters lower-cased), or the reason it is refused.
    public init(_ raw: String) throws(IdentityName.Refusal) {
        self.init(stored: try IdentityName.canonical(raw))
    }

    /// True when the text is in canonical form (what an operation must carry).
    public var isCanonical: Bool { IdentityName.isCanonical(rawValue) }

    public var isEmpty: Bool { rawValue.isEmpty }

    public var description: String { rawValue }

    // Inlinable, so that the stores and policies in other modules compare and hash a name as
    // directly as they would a concrete type's (these run for every operation a push or a page holds).
    @inlinable public static func == (a: Self, b: Self) -> Bool { IdentityName.same(a.rawValue, b.rawValue) }
    @inlinable public func hash(into hasher: inout Hasher) { IdentityName.hashBytes(of: rawValue, into: &hasher) }
    @inlinable public static func < (a: Self, b: Self) -> Bool { IdentityName.precedes(a.rawValue, b.rawValue) }

    /// The plain string, as every other form of an operation carries it.
    public init(from decoder: any Decoder) throws {
        self.init(stored: try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    public func write(to writer: inout JSONWriter) { writer.value(rawValue) }
}

/// A user's name in its one canonical form (``CanonicalName``).
public struct UserName: CanonicalName {
    public let rawValue: String

    public init(stored: String) {
        rawValue = stored
    }
}

/// A workspace's name in its one canonical form (``CanonicalName``). A replica not yet bound to
/// a workspace, and the operations it made before, carry the empty name, ``unbound``.
public struct WorkspaceName: CanonicalName {
    public let rawValue: String

    public init(stored: String) {
        rawValue = stored
    }

    /// No workspace yet: what a replica and its operations carry before it joins one.
    public static let unbound = WorkspaceName(stored: "")
}

/// A literal is taken as written and must already be canonical: `"alice"` is a user name,
/// `"Alice"` stops the program. For tests and fixed names; anything typed goes through `init(_:)`.
extension UserName: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        precondition(IdentityName.isCanonical(value), "a user name literal must be canonical: \(value)")
        self.init(stored: value)
    }
}

/// A literal is taken as written and must already be canonical, or empty (``WorkspaceName/unbound``).
extension WorkspaceName: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        precondition(value.isEmpty || IdentityName.isCanonical(value), "a workspace name literal must be canonical: \(value)")
        self.init(stored: value)
    }
}

extension IdentityName {
    /// Hashes the bytes of `name` (agreeing with ``same(_:_:)``, unlike `String`'s hash).
    @usableFromInline
    static func hashBytes(of name: String, into hasher: inout Hasher) {
        var count = 0
        for byte in name.utf8 {
            hasher.combine(byte)
            count += 1
        }
        hasher.combine(count)
    }

    /// Byte order: what `ORDER BY` gives under SQLite's `BINARY` collation.
    @usableFromInline
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
