/// How long to wait before trying an unreachable server again: `first`, doubling after each
/// failure up to `cap`, each wait drawn at random in the upper half of that ceiling ("equal
/// jitter"), so that clients cut off together by a restart do not all knock again in the same
/// instant. Pure: the caller passes the random draw; ``reset()`` after a success.
///
/// `gloss sync --watch` uses the defaults, 0.5 s doubling to 10 s: a restarted server is
/// found again within a few seconds, and one that stays down costs a request every 5–10 s.
public struct Backoff: Sendable, Equatable {
    public let first: Duration
    public let cap: Duration
    /// Failures since the last success.
    public private(set) var failures = 0

    public init(first: Duration = .milliseconds(500), cap: Duration = .seconds(10)) {
        precondition(first > .zero && cap >= first, "a backoff starts above zero and its cap is no smaller than its start")
        self.first = first
        self.cap = cap
    }

    /// The ceiling of the next wait: `first` × 2^failures, at most `cap`.
    public var ceiling: Duration {
        var ceiling = first
        for _ in 0..<failures {
            if ceiling >= cap { break }
            ceiling *= 2
        }
        return min(ceiling, cap)
    }

    /// Counts one more failure and returns the wait before the next attempt: within
    /// [ceiling / 2, ceiling], placed by `random` (in 0..<1; clamped).
    public mutating func next(random: Double) -> Duration {
        let ceiling = self.ceiling
        failures += 1
        let fraction = 0.5 + min(max(random, 0), 1) / 2
        let (seconds, attoseconds) = ceiling.components
        let millis = (Double(seconds) * 1_000 + Double(attoseconds) / 1e15) * fraction
        return .milliseconds(Int64(millis.rounded()))
    }

    /// A success: the next failure waits `first` again.
    public mutating func reset() { failures = 0 }
}
