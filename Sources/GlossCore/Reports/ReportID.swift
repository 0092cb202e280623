import Crypto
import Foundation

/// The content id of a report: the lowercase hex SHA-256 of its canonical text.
public struct ReportID: RawRepresentable, Codable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public init(sha256Of text: String) {
        rawValue = SHA256.hash(data: Data(text.utf8)).hexString
    }

    public var description: String { rawValue }
    /// The git-style short form shown to people.
    public var short: String { String(rawValue.prefix(8)) }
    public static func < (a: ReportID, b: ReportID) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal digits of these bytes.
    public var hexString: String {
        var out = ""
        for byte in self {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return out
    }
}

private let hexDigits: [Character] = Array("0123456789abcdef")
