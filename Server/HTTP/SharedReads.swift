import GlossCore
import NIOConcurrencyHelpers

/// One read of a workspace's log for all the long polls woken by the same push.
///
/// A push wakes every poll waiting on its workspace at once, and those waiting at the head all
/// ask for the same rows: 10,000 watchers read the same one operation 10,000 times. Here the
/// first to ask reads (``SyncStore/tail(of:after:limit:)``) and the others that ask for the same
/// rows while it reads wait for its answer; each then takes its own user's page of it
/// (``LogTail/page(for:after:limit:maxBytes:)``: others' private notes stay theirs). Nothing is
/// kept once the read is answered, so nothing here can be stale past the read it shares.
final class SharedReads: Sendable {
    private struct Key: Hashable {
        var workspace: WorkspaceName
        var after: Int64
        var limit: Int
    }

    private let inFlight = NIOLockedValueBox<[Key: Task<LogTail, any Error>]>([:])

    /// The tail of `workspace` after `after`: read by `read`, or by the same read another
    /// request started and has not finished.
    func tail(of workspace: WorkspaceName, after: Int64, limit: Int,
              read: @escaping @Sendable () async throws -> LogTail) async throws -> LogTail {
        let key = Key(workspace: workspace, after: after, limit: limit)
        let task = inFlight.withLockedValue { reads -> Task<LogTail, any Error> in
            if let running = reads[key] { return running }
            let started = Task { try await read() }
            reads[key] = started
            return started
        }
        defer { inFlight.withLockedValue { reads in if reads[key] == task { reads[key] = nil } } }
        return try await task.value
    }

    /// Reads in flight, for tests.
    var count: Int { inFlight.withLockedValue { $0.count } }
}
