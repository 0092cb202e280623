import Foundation

/// A small, fast, seedable generator (SplitMix64), so a failing case can be replayed by seed.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array {
    public func randomElement(using rng: inout SeededRandom) -> Element? {
        isEmpty ? nil : self[Int(rng.next() % UInt64(count))]
    }
}

extension SeededRandom {
    /// A seed from `GLOSS_SEED` when set (to replay a failure), else a fresh one.
    public static func seed(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> UInt64 {
        if let text = environment["GLOSS_SEED"], let seed = UInt64(text) { return seed }
        var system = SystemRandomNumberGenerator()
        return system.next() >> 1
    }

    /// A uniformly distributed integer in `range`.
    public mutating func int(in range: Range<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
