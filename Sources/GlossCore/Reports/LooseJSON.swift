/// A forgiving reader for the one JSON object at the end of a seed report.
///
/// The generator that writes seed reports does not always emit strict JSON, so this reader
/// accepts what it has been seen to write and still refuses what is truly broken:
///
/// - Raw control characters (newlines, tabs) inside strings are kept as they are.
/// - Escapes `\n \t \r \b \f \" \\ \/ \'` and `\uXXXX` (surrogate pairs joined; a lone
///   surrogate becomes U+FFFD) are decoded; an unknown escape is kept literally.
/// - A `"` inside a string ends it only when what follows could follow a JSON string
///   (`:`, `}`, `]`, the end of input, or `,` before a `"key":` or the end of the object);
///   otherwise it is a quotation mark the generator forgot to escape (`<a href="x">`).
/// - Values other than strings (numbers, literals, nested objects and arrays) are skipped
///   without being interpreted.
/// - Anything after the closing `}` is ignored.
///
/// A string or object that is never closed is an error, so a truncated file is refused
/// rather than half-imported.
struct LooseJSON {
    /// A member value: a decoded string, or something else that was skipped.
    enum Value: Equatable {
        case string(String)
        case other
    }

    struct Member: Equatable {
        var key: String
        var value: Value
    }

    /// Why the bytes are not a readable JSON object; `detail` is short and human.
    struct Failure: Error, Equatable {
        var detail: String
    }

    private let bytes: [UInt8]
    private var index = 0
    /// The key whose value is being read, to name it when its string is never closed.
    private var currentKey: String?
    /// How to name a key in messages ("the body" for the one that matters).
    private let describeKey: (String) -> String

    private init(_ bytes: [UInt8], describeKey: @escaping (String) -> String) {
        self.bytes = bytes
        self.describeKey = describeKey
    }

    /// The members of the object that `bytes` starts with (after optional white space).
    /// - Parameter describeKey: names a key in error details, e.g. "the body".
    static func members(
        of bytes: [UInt8],
        describeKey: @escaping (String) -> String = { "the \"\($0)\"" }
    ) throws(Failure) -> [Member] {
        var reader = LooseJSON(bytes, describeKey: describeKey)
        return try reader.readObject()
    }

    // MARK: - Objects and values

    private mutating func readObject() throws(Failure) -> [Member] {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else { throw unexpected(expecting: "'{'") }
        index += 1
        var members: [Member] = []
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw Failure(detail: "the object is never closed") }
            if byte == UInt8(ascii: "}") { index += 1; return members }
            if !members.isEmpty {
                guard byte == UInt8(ascii: ",") else { throw unexpected(expecting: "',' or '}'") }
                index += 1
                skipWhitespace()
                // A trailing comma before '}' is tolerated.
                if peek() == UInt8(ascii: "}") { index += 1; return members }
            }
            guard peek() == UInt8(ascii: "\"") else {
                throw peek() == nil
                    ? Failure(detail: "the object is never closed")
                    : unexpected(expecting: "a key")
            }
            currentKey = nil
            let key = try readString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw unexpected(expecting: "':' after a key") }
            index += 1
            skipWhitespace()
            currentKey = key
            let value: Value
            switch peek() {
            case UInt8(ascii: "\""): value = .string(try readString())
            case nil: throw Failure(detail: "\(describeKey(key)) value is missing")
            default: try skipValue(); value = .other
            }
            members.append(Member(key: key, value: value))
        }
    }

    /// Skips a number, literal, object or array without interpreting it.
    private mutating func skipValue() throws(Failure) {
        var depth = 0
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                _ = try readString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 { return }
            default:
                break
            }
            index += 1
        }
        if depth > 0 { throw Failure(detail: "a nested value is never closed") }
    }

    // MARK: - Strings

    /// Reads a string starting at the opening quote and returns its decoded text.
    private mutating func readString() throws(Failure) -> String {
        index += 1 // opening quote
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if endsString(at: index) {
                    index += 1
                    return String(decoding: out, as: UTF8.self)
                }
                out.append(byte)
                index += 1
            } else if byte == UInt8(ascii: "\\") {
                readEscape(into: &out)
            } else {
                out.append(byte)
                index += 1
            }
        }
        let what = currentKey.map(describeKey) ?? "a key"
        throw Failure(detail: "\(what) string is never closed")
    }

    /// Whether the quote at `position` can end a string, judged by what follows it.
    private func endsString(at position: Int) -> Bool {
        var next = position + 1
        skipWhitespace(from: &next)
        guard next < bytes.count else { return true }
        switch bytes[next] {
        case UInt8(ascii: ":"), UInt8(ascii: "}"), UInt8(ascii: "]"):
            return true
        case UInt8(ascii: ","):
            next += 1
            skipWhitespace(from: &next)
            guard next < bytes.count else { return true }
            if bytes[next] == UInt8(ascii: "\"") { return isKey(at: next) }
            return bytes[next] == UInt8(ascii: "}") || bytes[next] == UInt8(ascii: "]")
        default:
            return false
        }
    }

    /// Whether the quote at `position` opens an object key: a short, single-line string
    /// followed by `:`. This tells `…", "next": …` from prose such as `"yes", "no"`.
    private func isKey(at position: Int) -> Bool {
        var close = position + 1
        while close < bytes.count, bytes[close] != UInt8(ascii: "\""), bytes[close] != 0x0A {
            close += bytes[close] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard close < bytes.count, bytes[close] == UInt8(ascii: "\"") else { return false }
        var next = close + 1
        skipWhitespace(from: &next)
        return next < bytes.count && bytes[next] == UInt8(ascii: ":")
    }

    /// Decodes the escape at `index` (a backslash) and moves past it.
    private mutating func readEscape(into out: inout [UInt8]) {
        guard index + 1 < bytes.count else {
            out.append(UInt8(ascii: "\\"))
            index += 1
            return
        }
        let code = bytes[index + 1]
        let simple: UInt8? = switch code {
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "'"): code
        default: nil
        }
        if let simple {
            out.append(simple)
            index += 2
        } else if code == UInt8(ascii: "u"), let unit = hexUnit(at: index + 2) {
            index += 6
            append(codeUnit: unit, into: &out)
        } else {
            out.append(UInt8(ascii: "\\"))
            index += 1
        }
    }

    /// Appends the scalar for a `\uXXXX` unit, joining a surrogate pair when the low half
    /// follows; a lone surrogate becomes U+FFFD.
    private mutating func append(codeUnit unit: UInt16, into out: inout [UInt8]) {
        var scalar = Unicode.Scalar(unit)
        if UTF16.isLeadSurrogate(unit),
           index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
           let low = hexUnit(at: index + 2), UTF16.isTrailSurrogate(low) {
            index += 6
            let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            scalar = Unicode.Scalar(value)
        }
        let resolved = scalar ?? Unicode.Scalar(0xFFFD)!
        out.append(contentsOf: Array(String(resolved).utf8))
    }

    private func hexUnit(at position: Int) -> UInt16? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for byte in bytes[position..<position + 4] {
            guard let digit = HexDigit.value(byte) else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    // MARK: - Helpers

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() { skipWhitespace(from: &index) }

    private func skipWhitespace(from position: inout Int) {
        while position < bytes.count, ReportText.isASCIIWhitespace(bytes[position]) { position += 1 }
    }

    private func unexpected(expecting what: String) -> Failure {
        guard let byte = peek() else { return Failure(detail: "the object is never closed") }
        let shown = byte < 0x80 ? String(UnicodeScalar(byte)) : "0x" + String(byte, radix: 16, uppercase: true)
        return Failure(detail: "expected \(what) but found '\(shown)' at byte \(index) of the JSON")
    }
}

/// Hexadecimal digit values, shared by the JSON and HTML entity readers.
enum HexDigit {
    static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
