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

    /// The mark beside the replica's file (`replica.mark`): how many writing processes the file
    /// had seen when one last wrote. Each process that changes something mints its own replica
    /// id and keeps it in the file (``WriterSession``), so the count only grows, and a file that
    /// holds fewer than its mark says was put back from an older copy: a backup restored over
    /// it, whose content was out of this replica's hands meanwhile. Nil in memory.
    var markURL: URL? {
        path == Self.inMemoryPath ? nil : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("replica.mark")
    }

    /// How many writing processes the file holds.
    static func writerCount(in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM signing_replicas") ?? 0
    }

    /// Writes `writers` as the mark (after a process's first change commits, and once a restore
    /// was checked). Best effort: a mark that could not be written only misses a restore, never
    /// makes one up.
    func writeMark(_ writers: Int) {
        guard let url = markURL else { return }
        try? Data("\(writers)\n".utf8).write(to: url, options: .atomic)
    }

    /// True when the file holds fewer writers than the mark beside it says: it was restored
    /// from an older copy since this replica was last used here. Check it with
    /// ``recheckSignatures()``, then ``acceptRestore()``.
    public func restoredFromOlderCopy() throws -> Bool {
        guard let url = markURL, let text = try? String(contentsOf: url, encoding: .utf8),
              let marked = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return false }
        return try pool.read(Self.writerCount) < marked
    }

    /// The restored file is this replica's from now on: the mark follows it.
    public func acceptRestore() throws { writeMark(try pool.read(Self.writerCount)) }

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
