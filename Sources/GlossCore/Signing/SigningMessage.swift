/// The exact bytes a signature covers: a domain tag, then each field in a fixed order, with
/// lengths, so no two different statements share their bytes and a signature made for one
/// kind of statement (a chain head, a key binding, a revocation) is never valid for another.
///
/// Not JSON: a statement's JSON form may change (field order, escapes, new fields) without
/// changing what was signed.
struct SigningMessage {
    private(set) var bytes: [UInt8] = []

    /// Starts a message of one kind, e.g. `gloss-head-v1`.
    init(_ domain: StaticString) {
        domain.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(0)
    }

    /// A text, its UTF-8 length first (4 bytes, big-endian).
    mutating func text(_ value: String) {
        let utf8 = Array(value.utf8)
        number(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// A value of fixed size (a key, a hash).
    mutating func fixed(_ value: [UInt8]) { bytes.append(contentsOf: value) }

    mutating func flag(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func number<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
