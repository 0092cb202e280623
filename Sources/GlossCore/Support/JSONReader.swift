import Foundation

/// Why a wire or stored form could not be read: what was expected, and where.
public struct MalformedJSON: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    /// Where in the value, as `.operations[3].hlc`; empty at the top.
    public var path = ""

    init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String {
        path.isEmpty ? "\(message) at byte \(offset)" : "\(message) at \(path) (byte \(offset))"
    }
}

/// A strict JSON reader over UTF-8 bytes, for the one form read in bulk: a pulled page of
/// operations. The counterpart of ``JSONWriter``.
///
/// `JSONDecoder` spent about 36 µs on each pulled operation (generic containers, key hashing,
/// metadata look-ups), a third of a fresh pull. This reads values in place, in the order they
/// come, and leaves the mapping to the types (`Operation+Reading.swift`), which mirror their
/// `Codable` forms; tests check the two agree, and the sync fuzz target runs both.
///
/// Strict as `JSONDecoder` is: RFC 8259 syntax, valid UTF-8, integers where integers are
/// expected; unknown object keys are skipped, as `Codable` skips them.
struct JSONReader {
    typealias Failure = MalformedJSON

    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var offset = 0
    private var depth = 0
    /// Deeper nesting than any wire form has is refused, so hostile input cannot exhaust the stack.
    static let maxDepth = 32

    /// Checks the whole input is UTF-8 once, so strings are then taken as they are.
    init(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw Failure(message: "the text is not valid UTF-8", offset: 0) }
        self.bytes = bytes
    }

    func fail(_ message: String) -> Failure { Failure(message: message, offset: offset) }

    /// Reads all of `text` as one value with `read`; throws ``MalformedJSON`` saying where it stopped.
    static func whole<T>(_ text: String, _ read: (inout JSONReader) throws -> T) throws -> T {
        var text = text
        return try text.withUTF8 { try whole($0, read) }
    }

    /// Reads all of `bytes` as one value with `read`.
    static func whole<T>(_ data: Data, _ read: (inout JSONReader) throws -> T) throws -> T {
        try data.withUnsafeBytes { try whole($0.bindMemory(to: UInt8.self), read) }
    }

    static func whole<T>(_ bytes: UnsafeBufferPointer<UInt8>, _ read: (inout JSONReader) throws -> T) throws -> T {
        var reader = try JSONReader(bytes)
        let value = try read(&reader)
        try reader.end()
        return value
    }

    // MARK: structure

    /// Reads an object, calling `field` with each key; `field` must read (or skip) the value.
    /// Keys written with escapes, and a key given twice, are refused: no wire form has them,
    /// and `JSONDecoder` would read them differently (it unescapes keys, and keeps the first).
    mutating func object(_ field: (inout JSONReader, Key) throws -> Void) throws {
        try open(UInt8(ascii: "{"))
        defer { depth -= 1 }
        skipSpace()
        if peek == UInt8(ascii: "}") { offset += 1; return }
        var keys: [Key] = []
        while true {
            skipSpace()
            let key = try rawString()
            guard !key.hasEscapes else { throw fail("escaped object key") }
            guard !keys.contains(where: { $0.bytes.elementsEqual(key.bytes) }) else { throw fail("duplicate object key") }
            keys.append(key)
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            do {
                try field(&self, key)
            } catch var failure as Failure {
                failure.path = ".\((try? key.string()) ?? "?")" + failure.path
                throw failure
            }
            skipSpace()
            if peek == UInt8(ascii: ",") { offset += 1; continue }
            try expect(UInt8(ascii: "}"))
            return
        }
    }

    /// Reads an array, calling `element` for each element.
    mutating func array(_ element: (inout JSONReader) throws -> Void) throws {
        try open(UInt8(ascii: "["))
        defer { depth -= 1 }
        skipSpace()
        if peek == UInt8(ascii: "]") { offset += 1; return }
        var index = 0
        while true {
            skipSpace()
            do {
                try element(&self)
            } catch var failure as Failure {
                failure.path = "[\(index)]" + failure.path
                throw failure
            }
            index += 1
            skipSpace()
            if peek == UInt8(ascii: ",") { offset += 1; continue }
            try expect(UInt8(ascii: "]"))
            return
        }
    }

    /// Reads any value and throws it away.
    mutating func skip() throws {
        skipSpace()
        switch peek {
        case UInt8(ascii: "{"): try object { reader, _ in try reader.skip() }
        case UInt8(ascii: "["): try array { try $0.skip() }
        case UInt8(ascii: "\""): _ = try rawString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"): guard try null() else { throw fail("expected a value") }
        default: try number()
        }
    }

    /// The end of the input: only white space may follow the value read.
    mutating func end() throws {
        skipSpace()
        guard offset == bytes.count else { throw fail("unexpected text after the JSON value") }
    }

    /// The bytes of the value that starts here, read by `body` (for keeping a value's text).
    mutating func captured(_ body: (inout JSONReader) throws -> Void) throws -> String {
        skipSpace()
        let start = offset
        try body(&self)
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    // MARK: scalars

    mutating func string() throws -> String {
        skipSpace()
        return try rawString().string()
    }

    /// A string or `null`.
    /// A string that `parse` turns into a value (an id, say); a failure names `what` and the text.
    mutating func string<T>(_ what: String, _ parse: (String) -> T?) throws -> T {
        let text = try string()
        guard let value = parse(text) else { throw fail("bad \(what) '\(text)'") }
        return value
    }

    mutating func optionalString() throws -> String? {
        try null() ? nil : string()
    }

    mutating func bool() throws -> Bool {
        skipSpace()
        if matches("true") { return true }
        if matches("false") { return false }
        throw fail("expected true or false")
    }

    /// Consumes `null` if it is next.
    mutating func null() throws -> Bool {
        skipSpace()
        return matches("null")
    }

    mutating func int64() throws -> Int64 {
        skipSpace()
        let start = offset
        try number()
        let text = UnsafeBufferPointer(rebasing: bytes[start..<offset])
        var value: Int64 = 0
        var negative = false
        for (i, byte) in text.enumerated() {
            if i == 0, byte == UInt8(ascii: "-") { negative = true; continue }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { throw Failure(message: "expected an integer", offset: start) }
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !o1, !o2 else { throw Failure(message: "integer out of range", offset: start) }
            value = sum
        }
        return value
    }

    mutating func int() throws -> Int { Int(try int64()) }

    /// A string-valued enum, refusing unknown values as `Codable` does.
    mutating func rawValue<T: RawRepresentable<String>>() throws -> T {
        let text = try string()
        guard let value = T(rawValue: text) else { throw fail("unknown value '\(text)'") }
        return value
    }

    /// A string-valued enum or `null`.
    mutating func optionalRawValue<T: RawRepresentable<String>>() throws -> T? {
        try null() ? nil : rawValue() as T
    }

    mutating func uint32() throws -> UInt32 {
        let start = offset
        guard let value = UInt32(exactly: try int64()) else { throw Failure(message: "integer out of range", offset: start) }
        return value
    }

    // MARK: keys

    /// An object key, compared without making a String.
    struct Key {
        fileprivate let bytes: UnsafeBufferPointer<UInt8>
        fileprivate let hasEscapes: Bool

        static func == (key: Key, name: StaticString) -> Bool {
            key.bytes.count == name.utf8CodeUnitCount
                && memcmp(key.bytes.baseAddress!, name.utf8Start, key.bytes.count) == 0
        }

        static func ~= (name: StaticString, key: Key) -> Bool { key == name }

        func string() throws -> String {
            hasEscapes ? try Self.unescape(bytes) : String(decoding: bytes, as: UTF8.self)
        }

        private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) throws -> String {
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var i = 0
            func hex4(_ at: Int) throws -> UInt16 {
                guard at + 4 <= raw.count else { throw Failure(message: "bad \\u escape", offset: at) }
                var v: UInt16 = 0
                for b in raw[at..<at + 4] {
                    let d: UInt8
                    switch b {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
                    default: throw Failure(message: "bad \\u escape", offset: at)
                    }
                    v = v << 4 | UInt16(d)
                }
                return v
            }
            while i < raw.count {
                let b = raw[i]
                guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
                guard i + 1 < raw.count else { throw Failure(message: "bad escape", offset: i) }
                let e = raw[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = UInt32(try hex4(i))
                    i += 4
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u") else {
                            throw Failure(message: "unpaired surrogate in a \\u escape", offset: i)
                        }
                        let low = UInt32(try hex4(i + 2))
                        guard (0xDC00..<0xE000).contains(low) else { throw Failure(message: "unpaired surrogate in a \\u escape", offset: i) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw Failure(message: "unpaired surrogate in a \\u escape", offset: i) }
                    out.append(contentsOf: String(Character(u)).utf8)
                default: throw Failure(message: "bad escape", offset: i - 1)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    // MARK: lexing

    private var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func skipSpace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard peek == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        offset += 1
    }

    private mutating func open(_ byte: UInt8) throws {
        skipSpace()
        try expect(byte)
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("nested too deeply") }
    }

    private mutating func matches(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard offset + n <= bytes.count, memcmp(bytes.baseAddress! + offset, word.utf8Start, n) == 0 else { return false }
        offset += n
        return true
    }

    /// The raw bytes between the quotes of the string that starts here.
    private mutating func rawString() throws -> Key {
        try expect(UInt8(ascii: "\""))
        let start = offset
        var escapes = false
        while offset < bytes.count {
            let b = bytes[offset]
            if b == UInt8(ascii: "\"") {
                let key = Key(bytes: UnsafeBufferPointer(rebasing: bytes[start..<offset]), hasEscapes: escapes)
                offset += 1
                return key
            }
            if b == UInt8(ascii: "\\") { escapes = true; offset += 2; continue }
            guard b >= 0x20 else { throw fail("control character in a string") }
            offset += 1
        }
        throw fail("unterminated string")
    }

    /// Validates a JSON number's syntax and moves past it.
    private mutating func number() throws {
        let start = offset
        if peek == UInt8(ascii: "-") { offset += 1 }
        func digits() -> Int {
            let from = offset
            while let b = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) { offset += 1 }
            return offset - from
        }
        let first = peek
        let count = digits()
        guard count > 0, !(first == UInt8(ascii: "0") && count > 1) else { throw Failure(message: "expected a number", offset: start) }
        if peek == UInt8(ascii: ".") {
            offset += 1
            guard digits() > 0 else { throw Failure(message: "expected a number", offset: start) }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            offset += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { offset += 1 }
            guard digits() > 0 else { throw Failure(message: "expected a number", offset: start) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
