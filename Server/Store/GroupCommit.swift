import GRDB
import NIOConcurrencyHelpers

/// Group commit: writes that arrive while the writer is busy wait together, then run one after
/// another in a single transaction, so N concurrent pushes cost one commit (one fsync under
/// `synchronous = FULL`) instead of N.
///
/// Each write runs in its own savepoint, in arrival order, and sees the writes before it as it
/// would have seen them committed: its result is what it would have been alone. A write that
/// throws is rolled back to its savepoint and its caller gets the error; the others go on.
/// Every caller is answered only after the commit that holds its write, and if that commit
/// fails, every caller in it gets the error: nothing is acknowledged that is not on disk.
///
/// The transaction runs in a task of its own, so a caller that goes away (its task cancelled)
/// cannot interrupt the others' transaction; it still waits for its answer.
final class GroupCommit<Job: Sendable, Output: Sendable>: Sendable {
    typealias Write = @Sendable (Job, Database) throws -> Output

    private struct Waiting {
        var job: Job
        var continuation: CheckedContinuation<Output, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        /// True while a task is writing; new jobs then wait for its next transaction.
        var writing = false
    }

    private let pool: DatabasePool
    private let write: Write
    /// At most this many jobs in one transaction; the rest wait for the next.
    private let maxJobs: Int
    /// A pthread mutex (NIO's), not `Synchronization.Mutex`: ThreadSanitizer sees its
    /// hand-offs, whereas Mutex's contended path (a futex inside the uninstrumented standard
    /// library) showed it as a race between two pushes.
    private let state = NIOLockedValueBox(State())

    init(pool: DatabasePool, maxJobs: Int = 100, write: @escaping Write) {
        self.pool = pool
        self.maxJobs = maxJobs
        self.write = write
    }

    /// Runs `job` in the next transaction and returns its output once that transaction has committed.
    func submit(_ job: Job) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let startsWriter = state.withLockedValue { state in
                state.waiting.append(Waiting(job: job, continuation: continuation))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if startsWriter { Task { await self.drain() } }
        }
    }

    /// Writes batches until no job waits.
    private func drain() async {
        while true {
            let batch = state.withLockedValue { state in
                let batch = Array(state.waiting.prefix(maxJobs))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            let results: [Result<Output, any Error>]
            do {
                let jobs = batch.map(\.job)
                results = try await pool.writeWithoutTransaction { [write] db in
                    var results: [Result<Output, any Error>] = []
                    try db.inTransaction {
                        for job in jobs {
                            results.append(Result(catching: {
                                var output: Output?
                                try db.inSavepoint {
                                    output = try write(job, db)
                                    return .commit
                                }
                                return output!
                            }))
                        }
                        return .commit
                    }
                    return results
                }
            } catch {
                results = batch.map { _ in .failure(error) }
            }
            for (waiting, result) in zip(batch, results) { waiting.continuation.resume(with: result) }
        }
    }
}
