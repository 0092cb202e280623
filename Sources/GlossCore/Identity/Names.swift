/// A user's name in its one canonical form (``IdentityName``).
///
/// Two user names are the same only when their bytes are: `==` and hashing compare the UTF-8
/// bytes of the canonical text (never Swift's canonical-equivalence `String` equality), and
/// `<` orders by bytes, as SQLite's and PostgreSQL's `C` collation do. On the wire and in the
/// stores a user name is the plain string (`rawValue`).
///
/// Made from what a person typed or a client sent with ``init(_:)``, which canonicalises and
/// refuses what is outside the profile; from text already known canonical (read back from a
/// store, or carried by an operation whose shape is checked) with ``init(stored:)``.
public struct UserName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The canonical text, as stored and sent.
    public let rawValue: String

    /// `raw` in canonical form (ASCII letters lower-cased), or the reason it is refused.
    public init(_ raw: String) throws(IdentityName.Refusal) {
        rawValue = try IdentityName.canonical(raw)
    }

    /// A name read back as it was stored or carried: not canonicalised (an operation's
    /// author is checked by `Operation.validate`, which asks ``isCanonical``).
    public init(stored: String) {
        rawValue = stored
    }

    /// True when the text is in canonical form (what an operation must carry).
    public var isCanonical: Bool { IdentityName.isCanonical(rawValue) }

    public var isEmpty: Bool { rawValue.isEmpty }

    public var description: String { rawValue }

    public static func == (a: UserName, b: UserName) -> Bool { IdentityName.same(a.rawValue, b.rawValue) }
    public func hash(into hasher: inout Hasher) { IdentityName.hashBytes(of: rawValue, into: &hasher) }
    public static func < (a: UserName, b: UserName) -> Bool { IdentityName.precedes(a.rawValue, b.rawValue) }
}

/// A workspace's name in its one canonical form (``IdentityName``), compared by bytes as
/// ``UserName`` is. A replica not yet bound to a workspace, and the operations it made before,
/// carry the empty name, ``unbound``.
public struct WorkspaceName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The canonical text, as stored and sent; empty for ``unbound``.
    public let rawValue: String

    /// `raw` in canonical form (ASCII letters lower-cased), or the reason it is refused.
    public init(_ raw: String) throws(IdentityName.Refusal) {
        rawValue = try IdentityName.canonical(raw)
    }

    /// A name read back as it was stored or carried: not canonicalised (empty for ``unbound``).
    public init(stored: String) {
        rawValue = stored
    }

    /// No workspace yet: what a replica and its operations carry before it joins one.
    public static let unbound = WorkspaceName(stored: "")

    /// True for ``unbound``.
    public var isEmpty: Bool { rawValue.isEmpty }

    /// True when the text is in canonical form.
    public var isCanonical: Bool { IdentityName.isCanonical(rawValue) }

    public var description: String { rawValue }

    public static func == (a: WorkspaceName, b: WorkspaceName) -> Bool { IdentityName.same(a.rawValue, b.rawValue) }
    public func hash(into hasher: inout Hasher) { IdentityName.hashBytes(of: rawValue, into: &hasher) }
    public static func < (a: WorkspaceName, b: WorkspaceName) -> Bool { IdentityName.precedes(a.rawValue, b.rawValue) }
}

/// A literal is taken as written and must already be canonical: `"alice"` is a user name,
/// `"Alice"` stops the program. For tests and fixed names; anything typed goes through `init(_:)`.
extension UserName: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        precondition(IdentityName.isCanonical(value), "a user name literal must be canonical: \(value)")
        self.init(stored: value)
    }
}

/// A literal is taken as written and must already be canonical, or empty (``unbound``).
extension WorkspaceName: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        precondition(value.isEmpty || IdentityName.isCanonical(value), "a workspace name literal must be canonical: \(value)")
        self.init(stored: value)
    }
}

/// The plain string, as every other form of an operation carries it.
extension UserName: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(stored: try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

extension WorkspaceName: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(stored: try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

extension UserName: JSONWritable {
    public func write(to writer: inout JSONWriter) { writer.value(rawValue) }
}

extension WorkspaceName: JSONWritable {
    public func write(to writer: inout JSONWriter) { writer.value(rawValue) }
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
