import Foundation
import GlossCore
import GlossReplica
import GRDBSQLite

/// Row 1: remote operations into a replica, against raw SQLite UPSERTs of the same rows.
enum ApplyBench {
    struct Result: Codable {
        var operations: Int
        var glossSeconds: Double
        var rawSeconds: Double
        /// The same operations taken in from a file (`gloss ops apply`), at a tenth of the size:
        /// they are kept to relay to the server, so they also enter the index of pending ones.
        var fileOperations: Int
        var fileSeconds: Double
        var glossOpsPerSecond: Double { Double(operations) / glossSeconds }
        var rawOpsPerSecond: Double { Double(operations) / rawSeconds }
        var fileOpsPerSecond: Double { Double(fileOperations) / fileSeconds }
    }

    /// Applies `count` operations as pulled pages of 5,000 (what `gloss sync` asks for) through
    /// `Replica.applyPulled`, the path every operation from the team server takes, and each same
    /// page as raw UPSERTs right after it, so both see the same load on the machine; only the
    /// writes are timed, not making the operations.
    static func run(count: Int, directory: String) throws -> Result {
        let report = try BenchReports.sample()
        let workload = Workload(author: "alice", workspace: "bench", replica: 0xA11CE, report: report.id, count: count)
        let floor = try RawFloor(path: directory + "/apply-raw.sqlite")
        var raw = Duration.zero
        let gloss = try timeApplying(workload, count: count, home: directory + "/apply-replica", report: report) { replica, ops, payloads, cursor in
            var page = Sync.PullResponse(operations: ops, cursor: cursor, more: true)
            page.payloads = payloads
            return try replica.applyPulled(page)
        } after: { ops, payloads in
            raw += try floor.upsert(ops, payloads: payloads)
        } finish: {
            raw += try floor.checkpoint()
        }
        let fileCount = max(count / 10, 1)
        let file = try timeApplying(workload, count: fileCount, home: directory + "/apply-file-replica", report: report) { replica, ops, payloads, _ in
            try replica.apply(ops, payloads: payloads)
        } after: { _, _ in } finish: {}
        return Result(operations: count, glossSeconds: gloss.seconds, rawSeconds: raw.seconds,
                      fileOperations: fileCount, fileSeconds: file.seconds)
    }

    /// Removes what `run` wrote (gigabytes at full size), once its files are closed.
    static func removeFiles(in directory: String) {
        for name in ["apply-replica", "apply-file-replica", "apply-raw.sqlite", "apply-raw.sqlite-wal", "apply-raw.sqlite-shm"] {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    /// Applies the workload's first `count` operations in batches of 5,000 into a new replica
    /// with `apply`, then runs `after` on the same batch; returns the time `apply` took, with
    /// the search index's catch-up (pulled pages leave it for one pass) and the emptying of the
    /// write-ahead log at the end; then runs `finish`.
    private static func timeApplying(
        _ workload: Workload, count: Int, home: String, report: Report,
        apply: (Replica, [GlossCore.Operation], [String], Int64) throws -> ApplyResult,
        after: ([GlossCore.Operation], [String]) throws -> Void, finish: () throws -> Void
    ) throws -> Duration {
        let replica = try Replica.create(home: URL(fileURLWithPath: home), user: "reader", workspace: "bench")
        _ = try replica.importReport(report, source: "sample.txt")
        let batch = Sync.Limits.clientBatchSize
        var elapsed = Duration.zero
        for start in stride(from: 0, to: count, by: batch) {
            let ops = workload.operations(in: start..<min(start + batch, count))
            // Both get the operations with their wire JSON, as a pull page brings them.
            let payloads = ops.map(JSONWriter.string)
            let t0 = ContinuousClock.now
            let result = try apply(replica, ops, payloads, Int64(start + ops.count))
            elapsed += ContinuousClock.now - t0
            guard result.refused.isEmpty else { throw BenchError("apply refused \(result.refused[0])") }
            try after(ops, payloads)
        }
        let t0 = ContinuousClock.now
        try replica.indexPendingSearch()
        try replica.checkpoint()
        elapsed += ContinuousClock.now - t0
        try finish()
        return elapsed
    }
}

/// The physical floor: the same operations written through SQLite's C API, no Gloss or GRDB
/// code in between. Per operation, one UPSERT with an HLC guard into a per-annotation row keyed
/// by the annotation, carrying the operation's JSON, and one row into a log of the replica's
/// shape (`ON CONFLICT DO NOTHING`, indexed by the annotation row's rowid); prepared once, values
/// bound directly; same page size, page cache, WAL, checkpoint interval, `synchronous = NORMAL` and
/// transactions (one per page of 5,000) as the replica.
final class RawFloor {
    private var db: OpaquePointer?
    private var log: OpaquePointer?
    private var upsertRow: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            throw BenchError("raw floor: cannot open \(path)")
        }
        try exec("""
            PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 8192;
            CREATE TABLE operations (
                seq INTEGER PRIMARY KEY, replica INTEGER NOT NULL, counter INTEGER NOT NULL,
                hlc_wall INTEGER NOT NULL, hlc_logical INTEGER NOT NULL, author TEXT NOT NULL,
                workspace TEXT NOT NULL, annotation TEXT NOT NULL, annotation_row INTEGER, kind TEXT NOT NULL,
                private INTEGER NOT NULL, payload TEXT NOT NULL, acked INTEGER NOT NULL DEFAULT 0);
            CREATE UNIQUE INDEX operations_by_id ON operations(replica, counter);
            CREATE INDEX operations_by_annotation_row ON operations(annotation_row);
            CREATE TABLE annotations (id TEXT PRIMARY KEY NOT NULL, hlc INTEGER NOT NULL, state TEXT NOT NULL);
            """)
        log = try prepare("""
            INSERT INTO operations(replica, counter, hlc_wall, hlc_logical, author, workspace, annotation, annotation_row, kind, private, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT rowid FROM annotations WHERE id = ?7), ?, ?, ?) ON CONFLICT(replica, counter) DO NOTHING
            """)
        upsertRow = try prepare("""
            INSERT INTO annotations(id, hlc, state) VALUES (?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET hlc = excluded.hlc, state = excluded.state WHERE excluded.hlc > annotations.hlc
            """)
    }

    deinit {
        sqlite3_finalize(log)
        sqlite3_finalize(upsertRow)
        sqlite3_close(db)
    }

    /// Writes one batch in one transaction; returns the time the transaction took (the
    /// operations' JSON is given, made before, untimed).
    func upsert(_ ops: [GlossCore.Operation], payloads: [String]) throws -> Duration {
        let t0 = ContinuousClock.now
        try exec("BEGIN")
        for (op, payload) in zip(ops, payloads) {
            bind(upsertRow, 1, op.annotation.rawValue); bind(upsertRow, 2, op.hlc.wall << 16 | Int64(op.hlc.logical))
            bind(upsertRow, 3, payload)
            try step(upsertRow)
            bind(log, 1, Int64(bitPattern: op.id.replica.rawValue)); bind(log, 2, Int64(bitPattern: op.id.counter))
            bind(log, 3, op.hlc.wall); bind(log, 4, Int64(op.hlc.logical)); bind(log, 5, op.author.rawValue)
            bind(log, 6, op.workspace.rawValue); bind(log, 7, op.annotation.rawValue); bind(log, 8, op.change.kind)
            bind(log, 9, 0); bind(log, 10, payload)
            try step(log)
        }
        try exec("COMMIT")
        return ContinuousClock.now - t0
    }

    /// Empties the write-ahead log into the database file; returns the time it took.
    func checkpoint() throws -> Duration {
        let t0 = ContinuousClock.now
        try exec("PRAGMA wal_checkpoint(TRUNCATE)")
        return ContinuousClock.now - t0
    }

    private func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError("raw floor: \(String(cString: sqlite3_errmsg(db)))") }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK else {
            throw BenchError("raw floor: \(String(cString: sqlite3_errmsg(db)))")
        }
        return statement
    }

    private func bind(_ statement: OpaquePointer?, _ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(statement, index, value)
    }

    private func bind(_ statement: OpaquePointer?, _ index: Int32, _ value: String) {
        var text = value
        text.withUTF8 { utf8 in
            _ = sqlite3_bind_text(statement, index, utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                  Int32(utf8.count), unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self))
        }
    }

    private func step(_ statement: OpaquePointer?) throws {
        defer { sqlite3_reset(statement) }
        guard sqlite3_step(statement) == SQLITE_DONE else { throw BenchError("raw floor: \(String(cString: sqlite3_errmsg(db)))") }
    }
}

/// Report texts for the benchmarks.
enum BenchReports {
    static let sampleText = """
        Rare earth export controls tighten
        Beijing widened licensing on processing equipment; volumes may fall.
        {"situation_report_body_HTML": "<h2>Big Picture</h2><p>Export controls on rare earth processing equipment \
        widened this week, with licensing now required for servicing and spare parts.</p>\
        <h2>What Happened</h2><p>The ministry published a list of items.</p>\
        <h2>Why It Matters</h2><p>Supply chain pressure on magnets and lithography servicing is likely.</p>"}
        """

    static func sample() throws -> Report {
        try ReportParser.parse(Data(sampleText.utf8), fileName: "sample.txt")
    }

    /// The `index`-th of many distinct reports (a seed report with a numbered paragraph).
    static func numbered(_ index: Int) -> Data {
        Data("""
            Situation report \(index)
            Weekly update number \(index) on export controls and supply chains.
            {"situation_report_body_HTML": "<h2>Big Picture</h2><p>Report \(index): export controls on rare earth \
            processing widened, with licensing for servicing and spare parts.</p>\
            <h2>What Happened</h2><p>The ministry published list \(index) of controlled items, effective at once.</p>\
            <h2>Why It Matters</h2><p>Supply chain pressure on magnets is likely; volumes may fall by \(index % 40) percent.</p>"}
            """.utf8)
    }
}

