import GRDB

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
/// The batching is ``Batcher``'s; this is its SQLite transaction.
final class GroupCommit<Job: Sendable, Output: Sendable>: Sendable {
    typealias Write = @Sendable (Job, Database) throws -> Output

    private let batcher: Batcher<Job, Output>

    init(pool: DatabasePool, maxJobs: Int = 100, write: @escaping Write) {
        batcher = Batcher(maxJobs: maxJobs) { jobs in
            do {
                return try await pool.writeWithoutTransaction { db in
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
                return jobs.map { _ in .failure(error) }
            }
        }
    }

    /// Runs `job` in the next transaction and returns its output once that transaction has committed.
    func submit(_ job: Job) async throws -> Output {
        try await batcher.submit(job)
    }
}
