import Crypto
import Foundation

/// The id of an annotation: 16 hex digits derived from the id of the operation that created it.
///
/// Derived, not chosen, so no operation can claim another's annotation, and hashed so that
/// short git-style prefixes are spread evenly and stay unique.
public struct AnnotationID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public init(createdBy op: OperationID) {
        let digest = SHA256.hash(data: Data(op.description.utf8))
        rawValue = digest.prefix(8).hexString
    }

    public var description: String { rawValue }
    public var short: String { String(rawValue.prefix(8)) }
    public static func < (a: AnnotationID, b: AnnotationID) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
