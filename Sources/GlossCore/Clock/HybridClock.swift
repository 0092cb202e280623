/// The clock of one replica: it never goes backwards and bounds how far others may pull it ahead.
///
/// A value type with no hidden clock: the caller passes the wall time (`now`, milliseconds)
/// in, so tests drive it by hand and the replica persists ``last`` after every change.
public struct HybridClock: Sendable, Equatable {
    /// How far ahead of this machine's wall clock an operation may be stamped (15 minutes).
    ///
    /// An operation beyond the bound is refused where it enters (a replica applying a file,
    /// the server accepting a push), so one analyst with a clock years ahead cannot win
    /// every merge; the analyst corrects the clock and their unsent work is re-stamped.
    public static let defaultMaxSkewMillis: Int64 = 15 * 60 * 1000

    /// How far past this machine's wall clock a received operation may move the clock (1 minute).
    ///
    /// An operation within the skew bound is taken in, but its stamp moves this clock at most to
    /// `now` + this bound (``observe(_:now:bound:)``): so a teammate who stamps a link, a note or
    /// anything else 14 minutes ahead cannot drag every receiver's clock (and every change they
    /// make next) 14 minutes forward. A change to something that carries a later stamp is still
    /// ordered after it: the replica stamps it after what it changes (``OperationRecorder/follow(_:)``).
    /// A minute leaves clocks that NTP keeps within a second untouched, and keeps a wrong clock's
    /// reach small.
    public static let defaultObserveBoundMillis: Int64 = 60 * 1000

    /// The latest reading issued or observed; persisted so restarts never go backwards.
    public private(set) var last: HLC
    public let maxSkewMillis: Int64

    public init(last: HLC = .zero, maxSkewMillis: Int64 = HybridClock.defaultMaxSkewMillis) {
        self.last = last
        self.maxSkewMillis = maxSkewMillis
    }

    /// A new reading for a local change: strictly after every earlier reading.
    public mutating func tick(now: Int64) -> HLC {
        if now > last.wall {
            last = HLC(wall: now, logical: 0)
        } else {
            last = HLC(wall: last.wall, logical: last.logical + 1)
        }
        return last
    }

    /// Whether a remote reading is within the skew bound of `now`.
    public func accepts(_ remote: HLC, now: Int64) -> Bool {
        remote.wall <= now + maxSkewMillis
    }

    /// Folds in a remote reading (already checked with ``accepts(_:now:)``) so later local
    /// changes are ordered after what this replica has seen.
    public mutating func observe(_ remote: HLC) {
        if remote > last { last = remote }
    }

    /// Folds in a received reading, but no further than `bound` past `now`: what any operation
    /// taken from a file or a pull may do to this clock (``defaultObserveBoundMillis``).
    public mutating func observe(_ remote: HLC, now: Int64, bound: Int64 = HybridClock.defaultObserveBoundMillis) {
        let ceiling = HLC(wall: now + bound, logical: 0)
        observe(remote > ceiling ? ceiling : remote)
    }
}
