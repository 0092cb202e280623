import Foundation
import Synchronization

/// Opening a replica made by an earlier version of Gloss migrates its file, once. Most
/// migrations take milliseconds; one that rebuilds or counts a big replica's rows takes seconds,
/// and a command silent that long looks hung. So the opener hears `.started` when migrating has
/// taken over a second, and `.finished` when it ends (only after a `.started`).
///
/// Each migration is one transaction: a migration cut short leaves the file as it was, and the
/// next command runs it again.
public enum Upgrade: Sendable, Equatable {
    /// Still migrating after `after`: these migrations were pending, by name.
    case started(migrations: [String])
    case finished(seconds: Double)

    /// How long migrating runs before `.started` is said.
    public static let quietFor: Duration = .seconds(1)

    /// Runs `migrate`, telling `listener` as above. The second is timed on a thread of its own:
    /// the dispatch and concurrency pools are as wide as the cores, which other work may hold.
    static func announcing(_ pending: [String], to listener: (@Sendable (Upgrade) -> Void)?, after delay: Duration = quietFor,
                           _ migrate: () throws -> Void) throws {
        guard let listener else { return try migrate() }
        let began = ContinuousClock.now
        let watch = Watch()
        Thread {
            guard watch.ended.wait(timeout: .now() + delay.timeInterval) == .timedOut else { return }
            watch.state.withLock { state in
                guard !state.ended else { return }
                state.announced = true
                listener(.started(migrations: pending))
            }
        }.start()
        defer {
            let announced = watch.state.withLock { state in
                state.ended = true
                return state.announced
            }
            watch.ended.signal()
            if announced { listener(.finished(seconds: (ContinuousClock.now - began).timeInterval)) }
        }
        try migrate()
    }

    /// Whether migrating ended, and whether `.started` was said: under one lock, so the two never cross.
    private final class Watch: Sendable {
        let state = Mutex((ended: false, announced: false))
        let ended = DispatchSemaphore(value: 0)
    }
}

extension Duration {
    var timeInterval: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
