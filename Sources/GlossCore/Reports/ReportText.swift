import Foundation

/// The checks every report file passes before any format is read: size, emptiness, binary
/// content and UTF-8 validity, in that order.
enum ReportText {
    /// Share of suspicious bytes (control characters and bytes of invalid UTF-8 sequences)
    /// above which a file is called binary rather than badly encoded text.
    static let binaryThreshold = 0.10

    /// Decodes a report file to text, or says why it is not one.
    ///
    /// A leading UTF-8 byte-order mark is dropped and line endings (`\r\n`, lone `\r`)
    /// become `\n`; no other code point is changed.
    static func decode(_ data: Data) throws(ReportImportError) -> String {
        guard data.count <= ReportParser.maxBytes else {
            throw .tooLarge(bytes: data.count, limit: ReportParser.maxBytes)
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard bytes.contains(where: { !isASCIIWhitespace($0) }) else { throw .empty }
        guard !bytes.contains(0) else { throw .binary }

        let check = UTF8Check(bytes)
        let suspicious = check.invalidByteCount + bytes.count(where: isControl)
        if Double(suspicious) > binaryThreshold * Double(bytes.count) { throw .binary }
        if let offset = check.firstInvalidOffset {
            // Offsets name the file's bytes, so count the dropped byte-order mark back in.
            let bomLength = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            throw .invalidUTF8(byteOffset: offset + bomLength)
        }
        return String(decoding: normalisingLineEndings(bytes), as: UTF8.self)
    }

    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// A C0 control character other than tab, newline, vertical tab, form feed or carriage
    /// return, or DEL.
    static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && !(0x09...0x0D).contains(byte)) || byte == 0x7F
    }

    static func normalisingLineEndings(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0x0D) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D {
                out.append(0x0A)
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }
}

/// A strict UTF-8 validation pass (no overlong forms, no surrogates, nothing above U+10FFFF)
/// that remembers where the first bad byte is and how many bytes are bad.
struct UTF8Check {
    private(set) var firstInvalidOffset: Int?
    private(set) var invalidByteCount = 0

    init(_ bytes: [UInt8]) {
        var index = 0
        while index < bytes.count {
            let length = Self.sequenceLength(in: bytes, at: index)
            if length == 0 {
                if firstInvalidOffset == nil { firstInvalidOffset = index }
                invalidByteCount += 1
                index += 1
            } else {
                index += length
            }
        }
    }

    /// The length of the valid UTF-8 sequence starting at `index`, or 0 when it is invalid.
    static func sequenceLength(in bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return 0
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) {
            return 0
        }
        return length
    }
}
