/// The one canonical form of user and workspace names, and how two of them are compared.
///
/// The profile is stricter than PRECIS UsernameCaseMapped (RFC 8265): ASCII only, mapped to
/// lower case, so that one name has one spelling in bytes and Swift's `==` (which treats
/// canonically equivalent strings as equal: `"\u{212A}ate" == "Kate"`) can never disagree
/// with SQLite's byte comparison. Names are 1–64 bytes of `a–z`, `0–9`, `-`, `_`, `.` and
/// `@`, starting with a letter or digit.
///
/// Names are refused at creation when they are confusable with an existing one: two names
/// whose ``skeleton(of:)`` is the same (`r.n`, `rn`, `m`; `0` and `o`; `1` and `l`) cannot
/// both exist. Every entry point (an operation's author and workspace, an admin command, a
/// replica's `init`) takes a name through ``canonical(_:)``, and every comparison of two
/// identities compares their bytes (``same(_:_:)``).
public enum IdentityName {
    public static let maxBytes = 64

    /// Why a name was refused, without quoting it back (it may be anything a client sent).
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case tooLong
        case notASCII
        case badCharacter
        case badStart
        case confusable(with: String)

        public var description: String {
            switch self {
            case .empty: "a name cannot be empty"
            case .tooLong: "a name is at most \(IdentityName.maxBytes) bytes"
            case .notASCII: "a name is plain ASCII: letters a–z, digits, '-', '_', '.', '@' (look-alike letters from other scripts are refused)"
            case .badCharacter: "a name holds only letters a–z, digits, '-', '_', '.' and '@'"
            case .badStart: "a name starts with a letter or a digit"
            case let .confusable(other): "it reads like the existing name '\(other)'"
            }
        }
    }

    /// The canonical form of `raw`: ASCII letters mapped to lower case; anything outside the
    /// profile is refused, never silently changed.
    public static func canonical(_ raw: String) throws(Refusal) -> String {
        let bytes = Array(raw.utf8)
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= maxBytes else { throw .tooLong }
        guard bytes.allSatisfy({ $0 < 0x80 }) else { throw .notASCII }
        let lowered = bytes.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        guard lowered.allSatisfy(isAllowed) else { throw .badCharacter }
        guard isAlphanumeric(lowered[0]) else { throw .badStart }
        return String(decoding: lowered, as: UTF8.self)
    }

    /// True when `name` is already in canonical form (what an operation must carry).
    /// Checked on every operation that enters a replica or the server, so it only scans bytes.
    public static func isCanonical(_ name: String) -> Bool {
        var count = 0
        for byte in name.utf8 {
            guard count == 0 ? isAlphanumeric(byte) : isAllowed(byte) else { return false }
            count += 1
        }
        return count > 0 && count <= maxBytes
    }

    /// Identity comparison: the same bytes. Not Swift's `==`, which equates canonically
    /// equivalent Unicode strings that SQLite (and every other store) keeps apart.
    @inlinable
    public static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    /// What a name looks like to a hurried reader: separators dropped and look-alike letters
    /// folded (`0`→`o`, `1`→`l`, `rn`→`m`, `vv`→`w`). Two names with one skeleton are confusable.
    public static func skeleton(of canonicalName: String) -> String {
        var folded: [UInt8] = []
        for byte in canonicalName.utf8 {
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."): continue
            case UInt8(ascii: "0"): folded.append(UInt8(ascii: "o"))
            case UInt8(ascii: "1"): folded.append(UInt8(ascii: "l"))
            default: folded.append(byte)
            }
        }
        var text = String(decoding: folded, as: UTF8.self)
        for (pair, single) in [("rn", "m"), ("vv", "w"), ("cl", "d")] {
            text = text.replacing(pair, with: single)
        }
        return text
    }

    /// The existing name `candidate` would be confused with, if any (itself excluded).
    public static func confusable(_ candidate: String, among existing: some Sequence<String>) -> String? {
        let key = skeleton(of: candidate)
        return existing.first { !same($0, candidate) && skeleton(of: $0) == key }
    }

    static func isAllowed(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "@")
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
    }
}
