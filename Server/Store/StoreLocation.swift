import Logging

/// Where a command's store is: a SQLite file (the default) or a PostgreSQL database.
enum StoreLocation: Sendable, CustomStringConvertible {
    case sqlite(String)
    case postgres(PostgresURL)

    var description: String {
        switch self {
        case let .sqlite(path): path
        case let .postgres(url): url.description
        }
    }

    /// Opens the store, runs `body` with it, and closes it (a PostgreSQL store's connections).
    func withStore<T>(logger: Logger = Logger(label: "gloss-server"), metrics: ServerMetrics = ServerMetrics(),
                      _ body: (any SyncStore) async throws -> T) async throws -> T {
        switch self {
        case let .sqlite(path):
            return try await body(try SQLiteSyncStore(path: path))
        case let .postgres(url):
            let store = try await PostgresSyncStore.open(url, logger: logger, metrics: metrics)
            do {
                let result = try await body(store)
                await store.shutdown()
                return result
            } catch {
                await store.shutdown()
                throw error
            }
        }
    }
}
