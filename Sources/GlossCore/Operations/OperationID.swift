/// The globally unique id of an operation: the writing replica and its counter there.
///
/// Written `REPLICA-COUNTER`, e.g. `3f9a1c2b7d4e8a10-17`. Counters start at 1 and never repeat
/// for one replica id.
public struct OperationID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var replica: ReplicaID
    public var counter: UInt64

    public init(replica: ReplicaID, counter: UInt64) {
        self.replica = replica
        self.counter = counter
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let replica = ReplicaID(hex: String(parts[0])),
              let counter = UInt64(parts[1]), counter > 0 else { return nil }
        self.init(replica: replica, counter: counter)
    }

    public var description: String { "\(replica.hex)-\(counter)" }

    public static func < (a: OperationID, b: OperationID) -> Bool {
        (a.replica, a.counter) < (b.replica, b.counter)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = OperationID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad operation id '\(text)'"))
        }
        self = id
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The total order used by every last-writer-wins rule: HLC first, then the operation id.
public struct Stamp: Hashable, Comparable, Sendable, Codable {
    public var hlc: HLC
    public var op: OperationID

    public init(hlc: HLC, op: OperationID) {
        self.hlc = hlc
        self.op = op
    }

    public static func < (a: Stamp, b: Stamp) -> Bool {
        if a.hlc != b.hlc { return a.hlc < b.hlc }
        return a.op < b.op
    }
}
