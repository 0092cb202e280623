import PostgresNIO

/// A connection inside one of ``PostgresSyncStore``'s transactions, whose statements first
/// check that it is still open.
///
/// PostgresNIO 1.33.2 writes a statement to its channel without a promise for the write, so a
/// statement sent on a connection the server has already closed fails nowhere and its caller
/// waits forever. PostgreSQL closes a connection that an admin or a restart terminates, and a
/// transaction's connection sits idle between statements while the policy decides: the history
/// check (`PostgresClusterTests`), terminating every connection at random, left pushes waiting
/// for good. The check leaves a window of the statement's own hand-over to the event loop, which
/// ``AnswerBound`` closes.
struct TransactionConnection: Sendable {
    let connection: PostgresConnection

    @discardableResult
    func query(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        guard !connection.isClosed else { throw ConnectionClosed() }
        let connection = connection
        return try await AnswerBound.within { try await connection.query(query, logger: logger) }
    }
}

/// The server closed a transaction's connection before it ended: PostgreSQL rolled it back, so
/// nothing of it was kept, and the request fails as any other lost connection does (a 5xx that
/// clients send again).
struct ConnectionClosed: Error, CustomStringConvertible {
    var description: String { "PostgreSQL closed the connection in the middle of a transaction; nothing of it was kept" }
}
