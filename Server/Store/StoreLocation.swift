import Foundation
import Logging

/// Where a command's store is: a SQLite file or a PostgreSQL database.
enum StoreLocation: Sendable, CustomStringConvertible {
    case sqlite(String)
    case postgres(PostgresURL)

    /// Whether opening may create the team database, or must find it.
    ///
    /// An admin who mistypes `--db` must hear so, not get a second, empty team: only `init`
    /// (``new``) and `--create` (``existingOrNew``) make one.
    enum Opening: Sendable {
        /// The database must exist and hold a team (every command without `--create`).
        case existing
        /// Made (empty, migrated) when missing (`--create`).
        case existingOrNew
        /// Made, and refused when it already exists (`gloss-server init`).
        case new
    }

    var description: String {
        switch self {
        case let .sqlite(path): path
        case let .postgres(url): url.description
        }
    }

    /// Opens the store, runs `body` with it, and closes it (a PostgreSQL store's connections).
    /// Throws ``StoreError`` `.notFound` for a missing database unless `opening` may create it,
    /// and `.conflict` for an existing one when it must be new. With `pool: .asService`, a
    /// PostgreSQL store's pool is `body`'s to run in its service group.
    func withStore<T>(_ opening: Opening = .existing, logger: Logger = Logger(label: "gloss-server"),
                      metrics: ServerMetrics = ServerMetrics(), pool: PostgresSyncStore.PoolRunning = .byItself,
                      _ body: (any SyncStore) async throws -> T) async throws -> T {
        switch self {
        case let .sqlite(path):
            try Self.check(sqlite: path, opening)
            return try await body(try SQLiteSyncStore(path: path))
        case let .postgres(url):
            let store = try await PostgresSyncStore.open(url, opening, logger: logger, metrics: metrics, pool: pool)
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

    /// Refuses a SQLite file that is missing (unless it may be made) or present (when it must be new).
    static func check(sqlite path: String, _ opening: Opening) throws {
        let exists = FileManager.default.fileExists(atPath: path)
        switch opening {
        case .existing where !exists:
            let guess = DatabaseFileGuess.similar(to: path).map { "did you mean \($0)? " } ?? ""
            throw StoreError(.notFound, "no team database at \(path)",
                             hint: "\(guess)To start a new team there, make an empty database with "
                                 + "`gloss-server init --db \(path)` (or add --create to this command)")
        case .new where exists:
            throw StoreError(.conflict, "\(path) already exists; it was left as it is",
                             hint: "to work on that team, name it with --db (`gloss-server --db \(path) serve`); for a new team, choose a new file name")
        default:
            return
        }
    }
}
