import Foundation
import GRDB

/// Backups and repair.
extension Replica {
    /// Writes a consistent copy of the replica to `url` (SQLite's `VACUUM INTO`), while it stays in use.
    ///
    /// Restoring the copy later is safe: it lives at another inode, so it takes a fresh replica
    /// id when first opened (see `Replica+Identity.swift`) and never reuses a counter.
    public func backup(to url: URL) throws {
        if FileManager.default.fileExists(atPath: url.path) {
            throw GlossError(.invalidArgument, "\(url.path) already exists", hint: "choose a new file name for the backup")
        }
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [url.path])
        }
    }

    /// Copies every page waiting in the write-ahead log into the database file and empties
    /// the log (what closing the replica does too).
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in
            _ = try db.checkpoint(.truncate)
        }
    }

    /// Makes the next sync pull the whole workspace again from the server (repairs a replica
    /// that may have missed something; duplicates are recognised by id).
    public func resetPullCursor() throws {
        try pool.write { db in
            var meta = try Meta.load(db)
            meta.pullCursor = 0
            try meta.save(db)
        }
    }

    /// Ids of every operation in the log, and which of them the server acknowledged.
    public func operationIDs() throws -> (all: [OperationID], acknowledged: Set<OperationID>) {
        try pool.read { db in
            var all: [OperationID] = [], acked = Set<OperationID>()
            for row in try Row.fetchAll(db, sql: "SELECT replica, counter, acked FROM operations ORDER BY seq") {
                let id = OperationID(replica: ReplicaID(rawValue: UInt64(bitPattern: row["replica"])), counter: UInt64(bitPattern: row["counter"]))
                all.append(id)
                if row["acked"] as Bool { acked.insert(id) }
            }
            return (all, acked)
        }
    }
}
