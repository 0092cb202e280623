/// A hybrid logical clock reading: wall-clock milliseconds plus a logical counter.
///
/// Ordered by `(wall, logical)`. Ties between replicas are broken by ``Stamp``, which adds
/// the operation id, so every two operations are ordered the same way on every replica.
public struct HLC: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch, as the writing replica's clock (or a later reading) saw it.
    public var wall: Int64
    /// Distinguishes readings within one millisecond.
    public var logical: UInt32

    public init(wall: Int64, logical: UInt32 = 0) {
        self.wall = wall
        self.logical = logical
    }

    public static let zero = HLC(wall: 0, logical: 0)

    public static func < (a: HLC, b: HLC) -> Bool {
        (a.wall, a.logical) < (b.wall, b.logical)
    }

    public var description: String { "\(wall).\(logical)" }
}
