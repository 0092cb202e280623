/// The identity of one replica: 64 bits, shown as 16 hex digits.
///
/// Derived from its user's name and a fresh salt by each writing process (``ReplicaClaim``,
/// `WriterSession`), so it is never shared by two live replicas and belongs to one user.
public struct ReplicaID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public init?(hex: String) {
        guard hex.count == 16, let value = UInt64(hex, radix: 16) else { return nil }
        rawValue = value
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> ReplicaID {
        ReplicaID(rawValue: UInt64.random(in: 1...UInt64.max, using: &generator))
    }

    public var hex: String {
        let digits = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    public var description: String { hex }
    public static func < (a: ReplicaID, b: ReplicaID) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ReplicaID(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad replica id '\(text)'"))
        }
        self = id
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}
