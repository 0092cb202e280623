import GRDB
import GRDBSQLite
import Logging
import ServiceLifecycle

/// Copies the WAL into the database file twenty times a second, on a connection of its own, so
/// that pushes do not: with SQLite's automatic checkpoints the commit that crossed the threshold
/// did the copy and its fsyncs, and every push waiting on that commit waited too (the 100-client
/// bench's push p99). PASSIVE checkpoints run beside the writer and readers without blocking
/// them; the writer's own automatic checkpoint stays, at a higher threshold, as a backstop.
///
/// Often and small: a commit's fsync of the WAL can wait behind the checkpoint's fsync of the
/// database file, so the less each checkpoint has to write, the shorter that wait. With 100
/// clients paced at 21,000 ops/s, the more frequent checkpoints gave the lower p99 in each of
/// six alternating pairs of runs: 500 → 100 ms three times (68 → 42, 152 → 104, 100 → 53 ms),
/// 100 → 50 ms twice (158 → 88, 121 → 74 ms), 500 → 50 ms once (175 → 130 ms, a loaded disk).
struct CheckpointService: Service {
    let path: String
    /// Where a checkpoint that fails is reported (the server goes on: the writer's own
    /// automatic checkpoint is the backstop).
    let logger: Logger
    var interval: Duration = .milliseconds(50)

    func run() async throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let connection = try DatabaseQueue(path: path, configuration: config)
        // Stops quietly when the server shuts down (the sleep is cancelled then).
        try await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: interval)) != nil {
                let code = try await connection.writeWithoutTransaction { db in
                    sqlite3_wal_checkpoint_v2(db.sqliteConnection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                }
                // PASSIVE gives way to a busy writer or reader: only another answer is a fault.
                if code != SQLITE_OK, code != SQLITE_BUSY {
                    logger.warning("WAL checkpoint failed", metadata: ["code": "\(code)", "message": "\(String(cString: sqlite3_errstr(code)))"])
                }
            }
        }
    }
}
