import Foundation
import GlossCore
import GRDB

/// Row 1: remote operations into a replica, against raw SQLite UPSERTs of the same rows.
enum ApplyBench {
    struct Result: Codable {
        var operations: Int
        var glossSeconds: Double
        var rawSeconds: Double
        var glossOpsPerSecond: Double { Double(operations) / glossSeconds }
        var rawOpsPerSecond: Double { Double(operations) / rawSeconds }
    }

    /// Applies `count` operations in 1,000-operation batches (a pull page) through `Replica.apply`,
    /// and each same batch as raw UPSERTs right after it, so both see the same load on the
    /// machine; only the writes are timed, not making the operations.
    static func run(count: Int, directory: String) throws -> Result {
        let home = URL(fileURLWithPath: directory + "/apply-replica")
        let replica = try Replica.create(home: home, user: "reader", workspace: "bench")
        let report = try BenchReports.sample()
        _ = try replica.importReport(report, source: "sample.txt")
        let workload = Workload(author: "alice", workspace: "bench", replica: 0xA11CE, report: report.id, count: count)
        let batch = Workload.blockSize
        let floor = try RawFloor(path: directory + "/apply-raw.sqlite")
        var gloss = Duration.zero, raw = Duration.zero
        for start in stride(from: 0, to: count, by: batch) {
            let ops = workload.operations(in: start..<min(start + batch, count))
            let t0 = ContinuousClock.now
            let result = try replica.apply(ops)
            gloss += ContinuousClock.now - t0
            guard result.refused.isEmpty else { throw BenchError("apply refused \(result.refused[0])") }
            raw += try floor.upsert(ops)
        }
        return Result(operations: count, glossSeconds: gloss.seconds, rawSeconds: raw.seconds)
    }
}

/// The physical floor: the same operations written with raw SQLite through GRDB's plain
/// statements, no Gloss code in between. Per operation, one row into a log of the replica's
/// shape (`ON CONFLICT DO NOTHING`) and one UPSERT with an HLC guard into a per-annotation
/// row keyed by the annotation, carrying the operation's JSON; same page cache, WAL,
/// `synchronous = NORMAL` and 1,000-row transactions as the replica.
struct RawFloor {
    let queue: DatabaseQueue

    init(path: String) throws {
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536")
        }
        queue = try DatabaseQueue(path: path, configuration: config)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: """
                CREATE TABLE operations (
                    seq INTEGER PRIMARY KEY, replica INTEGER NOT NULL, counter INTEGER NOT NULL,
                    hlc_wall INTEGER NOT NULL, hlc_logical INTEGER NOT NULL, author TEXT NOT NULL,
                    workspace TEXT NOT NULL, annotation TEXT NOT NULL, kind TEXT NOT NULL,
                    private INTEGER NOT NULL, payload TEXT NOT NULL, acked INTEGER NOT NULL DEFAULT 0);
                CREATE UNIQUE INDEX operations_by_id ON operations(replica, counter);
                CREATE INDEX operations_by_annotation ON operations(annotation);
                CREATE TABLE annotations (id TEXT PRIMARY KEY NOT NULL, hlc INTEGER NOT NULL, state TEXT NOT NULL);
                """)
        }
    }

    /// Writes one batch in one transaction; returns the time the transaction took (the
    /// operations' JSON is made before, untimed).
    func upsert(_ ops: [GlossCore.Operation]) throws -> Duration {
        let payloads = ops.map(JSONWriter.string)
        let t0 = ContinuousClock.now
        try queue.write { db in
            let log = try db.cachedStatement(sql: """
                INSERT INTO operations(replica, counter, hlc_wall, hlc_logical, author, workspace, annotation, kind, private, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(replica, counter) DO NOTHING
                """)
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO annotations(id, hlc, state) VALUES (?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET hlc = excluded.hlc, state = excluded.state WHERE excluded.hlc > annotations.hlc
                """)
            for (op, payload) in zip(ops, payloads) {
                try log.execute(arguments: [
                    Int64(bitPattern: op.id.replica.rawValue), Int64(bitPattern: op.id.counter), op.hlc.wall,
                    Int64(op.hlc.logical), op.author, op.workspace, op.annotation.rawValue, op.change.kind, false, payload,
                ])
                try upsert.execute(arguments: [op.annotation.rawValue, op.hlc.wall << 16 | Int64(op.hlc.logical), payload])
            }
        }
        return ContinuousClock.now - t0
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
