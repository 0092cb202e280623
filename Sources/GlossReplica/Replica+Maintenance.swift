import Foundation
import GRDB
import GlossCore

/// Backups and repair.
extension Replica {
    /// Writes a consistent copy of the replica to `url` (SQLite's `VACUUM INTO`), while it stays in use.
    ///
    /// Restoring the copy later is safe: every writing process mints a fresh replica id
    /// (``WriterSession``), so the restored file never reuses an operation id.
    public func backup(to url: URL) throws {
        if FileManager.default.fileExists(atPath: url.path) {
            throw ReplicaError.backupExists(path: url.path)
        }
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [url.path])
        }
    }

    /// Copies every page waiting in the write-ahead log into the database file and empties
    /// the log (what closing the replica does too). Returns false when a reader kept some
    /// pages in the log (they are copied by a later checkpoint).
    @discardableResult
    public func checkpoint() throws -> Bool {
        try pool.writeWithoutTransaction { db in
            let (logged, copied) = try db.checkpoint(.truncate)
            return copied == logged
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
            for row in try OperationRow.fetchAll(db, sql: "SELECT * FROM operations ORDER BY seq") {
                all.append(row.id)
                if row.acked { acked.insert(row.id) }
            }
            return (all, acked)
        }
    }
}
