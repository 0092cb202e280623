import GlossCore
import ServiceLifecycle
import NIOConcurrencyHelpers

/// Ends the parked long polls whose token was revoked or whose user left the workspace, by an
/// admin command in another process that tells this one nothing.
///
/// Each parked poll used to wake every 500 ms to re-check its own token and re-read the log:
/// with 10,000 `sync --watch` polls open, that kept 1.4 of the machine's 2 cores busy while
/// nothing happened, and one push's wake-up queued behind it. Now a poll parks until a push (or
/// its re-read interval, ``SyncRoutes/rereadInterval``), and every ``interval`` this guard asks
/// the store once per workspace which of the parked polls' tokens still hold
/// (``SyncStore/allowedTokens(_:in:)``) and wakes only the others, which re-check on their own
/// and end with 401 or 403. A read that fails wakes them all: each then re-checks alone.
final class PollGuard: Service, Sendable {
    let interval: Duration
    let allowed: @Sendable (_ tokens: [String], _ workspace: WorkspaceName) async throws -> Set<String>

    private struct Parked {
        var token: String
        var workspace: WorkspaceName
        var wake: @Sendable () -> Void
    }
    private let parked = NIOLockedValueBox<(next: UInt64, polls: [UInt64: Parked])>((0, [:]))

    init(interval: Duration, allowed: @escaping @Sendable (_ tokens: [String], _ workspace: WorkspaceName) async throws -> Set<String>) {
        self.interval = interval
        self.allowed = allowed
    }

    /// Registers a parked poll; `wake` ends its wait early. Returns the id to ``leave(_:)`` with.
    func park(token: String, workspace: WorkspaceName, wake: @escaping @Sendable () -> Void) -> UInt64 {
        parked.withLockedValue { state in
            state.next += 1
            state.polls[state.next] = Parked(token: token, workspace: workspace, wake: wake)
            return state.next
        }
    }

    func leave(_ id: UInt64) {
        _ = parked.withLockedValue { $0.polls.removeValue(forKey: id) }
    }

    var count: Int { parked.withLockedValue { $0.polls.count } }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: self.interval)) != nil {
                await self.sweep()
            }
        }
    }

    /// One look at every parked poll: wakes those whose token no longer holds in their workspace.
    func sweep() async {
        let polls = parked.withLockedValue { $0.polls }
        var tokens: [WorkspaceName: Set<String>] = [:]
        for poll in polls.values { tokens[poll.workspace, default: []].insert(poll.token) }
        for (workspace, asked) in tokens {
            let holding = (try? await allowed(Array(asked), workspace)) ?? []
            for poll in polls.values where poll.workspace == workspace && !holding.contains(poll.token) {
                poll.wake()
            }
        }
    }
}

extension PollGuard {
    /// A guard that asks `store`, every ``SyncRoutes/recheckInterval``.
    static func over(_ store: any SyncStore) -> PollGuard {
        PollGuard(interval: SyncRoutes<SQLiteSyncStore>.recheckInterval) { try await store.allowedTokens($0, in: $1) }
    }
}
