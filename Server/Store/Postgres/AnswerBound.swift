import NIOConcurrencyHelpers

/// How long the store waits for PostgreSQL to answer one statement before it gives up on it.
///
/// PostgresNIO loses a statement written to a connection the server has just closed (a restart,
/// an admin's `pg_terminate_backend`): its caller is answered neither with rows nor with an
/// error (vapor/postgres-nio#487 fixed it and #501 reverted the fix). ``TransactionConnection``
/// checks `isClosed` first, which leaves the window of the close's own hand-over to the event
/// loop; a pooled read had no check at all. Without a bound, the one request that fell in that
/// window waited forever, and with a push the workspace's group commit waited behind it: no push
/// to that workspace went through until the server restarted. ThreadSanitizer's slowness made the
/// window wide enough to hang CI's server suite (`PostgresInterleavingTests`).
///
/// With the bound, that request fails (a 5xx that clients send again) and the group commit goes
/// on. The statement's task is left behind, holding its pool connection: one per statement lost
/// this way, which only a restart of PostgreSQL, with a request in flight, can cause.
enum AnswerBound {
    /// Long enough for the largest statement the store sends (an import's 5,000-operation
    /// chunk), short enough that a lost one does not look like a dead server.
    static let statement: Duration = .seconds(60)

    /// `body`'s value, or ``NoAnswer`` once `limit` has passed without one. The caller's
    /// cancellation reaches `body`.
    static func within<T: Sendable>(_ limit: Duration = statement,
                                    _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let answer = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(nil)
        let work = NIOLockedValueBox<Task<Void, Never>?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                answer.withLockedValue { $0 = continuation }
                let timer = Task {
                    try? await Task.sleep(for: limit)
                    guard !Task.isCancelled else { return }
                    answer.withLockedValue { $0.take() }?.resume(throwing: NoAnswer(limit: limit))
                }
                let task = Task {
                    let result: Result<T, any Error>
                    do { result = .success(try await body()) } catch { result = .failure(error) }
                    timer.cancel()
                    answer.withLockedValue { $0.take() }?.resume(with: result)
                }
                work.withLockedValue { $0 = task }
            }
        } onCancel: {
            work.withLockedValue { $0 }?.cancel()
        }
    }
}

/// PostgreSQL did not answer a statement within ``AnswerBound/statement``.
struct NoAnswer: Error, CustomStringConvertible {
    let limit: Duration
    var description: String {
        "PostgreSQL did not answer within \(limit.components.seconds) s (its connection may have been closed by a restart); nothing was acknowledged"
    }
}
