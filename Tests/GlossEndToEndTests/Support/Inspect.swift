import Foundation
import GRDB
import Testing

/// Looks inside replica and server database files, read-only, to check what a user cannot see.
enum Inspect {
    static func queue(_ path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        return try DatabaseQueue(path: path, configuration: config)
    }

    /// `PRAGMA integrity_check` of a SQLite file.
    static func integrity(_ path: String) throws -> String {
        try queue(path).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") ?? "" }
    }

    /// Operation ids in a replica, and which of them the server acknowledged.
    static func replicaOperations(_ home: URL) throws -> (all: [String], acked: Set<String>) {
        try queue(home.appendingPathComponent("replica.sqlite").path).read { db in
            var all: [String] = [], acked = Set<String>()
            for row in try Row.fetchAll(db, sql: "SELECT replica, counter, acked FROM operations ORDER BY seq") {
                let id = String(format: "%016llx-%lld", UInt64(bitPattern: row["replica"] as Int64), row["counter"] as Int64)
                all.append(id)
                if row["acked"] as Int64 == 1 { acked.insert(id) }
            }
            return (all, acked)
        }
    }

    /// Operation ids stored by the server, with how many times each appears.
    static func serverOperations(_ db: URL) throws -> [String: Int] {
        try queue(db.path).read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT replica, counter FROM operations") {
                counts["\(row["replica"] as String)-\(row["counter"] as Int64)", default: 0] += 1
            }
            return counts
        }
    }
}
