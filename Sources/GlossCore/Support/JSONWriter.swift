/// A direct JSON writer for the values Gloss writes on every apply: operations (the log's
/// payload), annotation states and views.
///
/// `JSONEncoder` goes through `Codable`'s existential containers and runtime type lookups;
/// for a small operation that costs more than the SQLite insert of its row. This writer emits
/// the same text `JSON.encoder()` gives (sorted keys, `nil` left out, slashes unescaped), so
/// `JSONDecoder` reads it back unchanged; `JSONWriterTests` holds the two side by side.
/// Maps keyed by operation id, which `JSONEncoder` writes as `[key, value, …]` pairs in hash
/// order, come out here sorted by key: the same shape, in a deterministic order.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// `value` as JSON text.
    public static func string<T: JSONWritable>(_ value: T) -> String {
        var writer = JSONWriter(capacity: 4096)
        value.write(to: &writer)
        return writer.string
    }

    // MARK: structure

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `json`, a value already in this writer's form (an operation as the log keeps it),
    /// as it is.
    public mutating func raw(_ json: String) {
        separate()
        var json = json
        json.withUTF8 { bytes.append(contentsOf: $0) }
        needsComma = true
    }

    /// Writes `"name":[…]` of values already in this writer's form (``raw(_:)``): stored
    /// operations or reports put into a page or a file as they are.
    public mutating func rawArray(_ name: StaticString, _ texts: [String]) {
        key(name)
        array { writer in for text in texts { writer.raw(text) } }
    }

    /// Writes `"name":`; the value written next belongs to it. Keys must come in sorted order.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A key only known at run time (the keys of a string-keyed map).
    public mutating func key(_ name: String) {
        value(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func field<T: JSONWritable>(_ name: StaticString, _ value: T) {
        key(name)
        value.write(to: &self)
    }

    /// Leaves the field out when `value` is nil, as synthesised `Encodable` does.
    public mutating func field<T: JSONWritable>(_ name: StaticString, _ value: T?) {
        guard let value else { return }
        field(name, value)
    }

    // MARK: scalars

    public mutating func value(_ string: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var start = 0
            for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                escape(byte)
                start = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func value(_ number: Int64) {
        separate()
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDecimal(number.magnitude)
        needsComma = true
    }

    public mutating func value(_ flag: Bool) {
        separate()
        let word: StaticString = flag ? "true" : "false"
        word.withUTF8Buffer { bytes.append(contentsOf: $0) }
        needsComma = true
    }

    /// An operation id as its `description` reads, `REPLICA-COUNTER`, without making the string.
    public mutating func value(_ id: OperationID) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        appendHex(id.replica.rawValue)
        bytes.append(UInt8(ascii: "-"))
        appendDecimal(id.counter)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// A replica id as its `hex` reads: 16 lower-case hex digits.
    public mutating func value(_ id: ReplicaID) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        appendHex(id.rawValue)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        // At most 20 digits, made right to left in a small buffer, then appended at once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var value = value
            var index = 20
            while value > 0 {
                index -= 1
                digits[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }

    private mutating func appendHex(_ value: UInt64) {
        for shift in stride(from: 60, through: 0, by: -4) {
            let digit = UInt8((value >> UInt64(shift)) & 0xF)
            bytes.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
        }
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: Array("u00".utf8))
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0xF)])
        }
    }
}

/// A value ``JSONWriter`` writes directly, in the form its `Encodable` conformance gives.
public protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension String: JSONWritable {
    public func write(to writer: inout JSONWriter) { writer.value(self) }
}

extension Int64: JSONWritable {
    public func write(to writer: inout JSONWriter) { writer.value(self) }
}

extension Int: JSONWritable {
    public func write(to writer: inout JSONWriter) { writer.value(Int64(self)) }
}

extension UInt32: JSONWritable {
    public func write(to writer: inout JSONWriter) { writer.value(Int64(self)) }
}

extension Bool: JSONWritable {
    public func write(to writer: inout JSONWriter) { writer.value(self) }
}

extension Array: JSONWritable where Element: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.array { w in for element in self { element.write(to: &w) } }
    }
}

extension Dictionary: JSONWritable where Key == String, Value: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { w in
            for key in keys.sorted() {
                w.key(key)
                self[key]!.write(to: &w)
            }
        }
    }
}

extension RawRepresentable where RawValue == String, Self: JSONWritable {
    public func write(to writer: inout JSONWriter) { writer.value(rawValue) }
}
