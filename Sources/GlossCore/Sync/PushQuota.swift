/// How much one member, and one workspace, may push to a server: a token bucket per member
/// (operations and bytes) and per workspace (operations), each refilled at a steady rate up to
/// a burst. A push that the buckets cannot cover is refused as a whole with the time to wait
/// (HTTP 429 with `Retry-After`), so one member's flood cannot fill the disk and every
/// teammate's next pull, and one team's cannot starve another's. Pure: the time is passed in.
public struct PushQuota: Sendable, Equatable {
    /// Steady rate and burst of one bucket; a rate of 0 means no limit.
    public struct Rate: Sendable, Equatable {
        public var perSecond: Double
        public var burst: Double

        public init(perSecond: Double, burst: Double) {
            self.perSecond = perSecond
            self.burst = burst
        }

        public static let unlimited = Rate(perSecond: 0, burst: 0)
        public var isUnlimited: Bool { perSecond <= 0 }
    }

    public var memberOperations: Rate
    public var memberBytes: Rate
    public var workspaceOperations: Rate

    public init(memberOperations: Rate, memberBytes: Rate, workspaceOperations: Rate) {
        self.memberOperations = memberOperations
        self.memberBytes = memberBytes
        self.workspaceOperations = workspaceOperations
    }

    /// The defaults (`gloss-server serve --help`): an analyst back from weeks offline pushes
    /// tens of thousands of notes at once (the burst); a member sustains 2,000 operations and
    /// 8 MiB a second, a workspace 10,000 operations a second.
    public static let standard = PushQuota(
        memberOperations: Rate(perSecond: 2_000, burst: 50_000),
        memberBytes: Rate(perSecond: 8 * 1024 * 1024, burst: 128 * 1024 * 1024),
        workspaceOperations: Rate(perSecond: 10_000, burst: 200_000))

    public static let unlimited = PushQuota(memberOperations: .unlimited, memberBytes: .unlimited, workspaceOperations: .unlimited)
}

/// One bucket's level at a time.
public struct TokenBucket: Sendable, Equatable {
    public private(set) var tokens: Double
    /// Milliseconds since the epoch of the last refill.
    public private(set) var updated: Int64

    /// A full bucket.
    public init(rate: PushQuota.Rate, now: Int64) {
        tokens = rate.burst
        updated = now
    }

    /// The level at `now` (refilled since the last update, up to the burst).
    public func level(rate: PushQuota.Rate, now: Int64) -> Double {
        let elapsed = Double(max(0, now - updated)) / 1000
        return min(rate.burst, tokens + elapsed * rate.perSecond)
    }

    /// How many milliseconds until `cost` fits (0 when it fits now). A cost above the burst is
    /// counted as the burst, so that a push the limits allow at all is never refused forever.
    public func wait(for cost: Double, rate: PushQuota.Rate, now: Int64) -> Int64 {
        guard !rate.isUnlimited else { return 0 }
        let missing = min(cost, rate.burst) - level(rate: rate, now: now)
        // Within a millionth of a token counts as there: the refill is in floating point.
        return missing <= 1e-6 ? 0 : Int64((missing / rate.perSecond * 1000).rounded(.up))
    }

    /// Takes `cost` at `now` (the level may go below zero for a cost above the burst).
    public mutating func take(_ cost: Double, rate: PushQuota.Rate, now: Int64) {
        guard !rate.isUnlimited else { return }
        tokens = level(rate: rate, now: now) - min(cost, rate.burst)
        updated = max(updated, now)
    }
}

extension PushQuota {
    /// The buckets one push draws on.
    public struct Buckets: Sendable, Equatable {
        public var memberOperations: TokenBucket
        public var memberBytes: TokenBucket
        public var workspaceOperations: TokenBucket

        public init(memberOperations: TokenBucket, memberBytes: TokenBucket, workspaceOperations: TokenBucket) {
            self.memberOperations = memberOperations
            self.memberBytes = memberBytes
            self.workspaceOperations = workspaceOperations
        }

        /// Full buckets, for a member and a workspace seen for the first time.
        public init(_ quota: PushQuota, now: Int64) {
            self.init(memberOperations: TokenBucket(rate: quota.memberOperations, now: now),
                      memberBytes: TokenBucket(rate: quota.memberBytes, now: now),
                      workspaceOperations: TokenBucket(rate: quota.workspaceOperations, now: now))
        }
    }

    /// Whether a push of `operations` operations and `bytes` bytes may go now: nil and the
    /// buckets drawn on, or the milliseconds to wait (nothing drawn, so a refused push costs
    /// nothing and the member's retry after the wait goes through).
    public func admit(operations: Int, bytes: Int, buckets: inout Buckets, now: Int64) -> Int64? {
        let waits = [
            buckets.memberOperations.wait(for: Double(operations), rate: memberOperations, now: now),
            buckets.memberBytes.wait(for: Double(bytes), rate: memberBytes, now: now),
            buckets.workspaceOperations.wait(for: Double(operations), rate: workspaceOperations, now: now),
        ]
        if let wait = waits.max(), wait > 0 { return wait }
        buckets.memberOperations.take(Double(operations), rate: memberOperations, now: now)
        buckets.memberBytes.take(Double(bytes), rate: memberBytes, now: now)
        buckets.workspaceOperations.take(Double(operations), rate: workspaceOperations, now: now)
        return nil
    }
}
