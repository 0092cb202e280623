import GRDB
import GRDBSQLite
import ServiceLifecycle

/// Copies the WAL into the database file twice a second, on a connection of its own, so that
/// pushes do not: with SQLite's automatic checkpoints the commit that crossed the threshold
/// did the copy and its fsyncs, and every push waiting on that commit waited too (the 100-client
/// bench's push p99). PASSIVE checkpoints run beside the writer and readers without blocking
/// them; the writer's own automatic checkpoint stays, at a higher threshold, as a backstop.
struct CheckpointService: Service {
    let path: String
    var interval: Duration = .milliseconds(500)

    func run() async throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let connection = try DatabaseQueue(path: path, configuration: config)
        // Stops quietly when the server shuts down (the sleep is cancelled then).
        try await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: interval)) != nil {
                try await connection.writeWithoutTransaction { db in
                    _ = sqlite3_wal_checkpoint_v2(db.sqliteConnection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                }
            }
        }
    }
}
