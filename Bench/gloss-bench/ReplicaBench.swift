import Foundation
import GlossCore
import GlossReplica
import GRDB
import GlossSchema

/// The big-replica row: every everyday command as a whole process on two replicas built the
/// same way, one small and one big, which print the same (see ``BigReplicaWorkload``). A
/// command that costs what it prints takes as long on both.
enum ReplicaBench {
    struct Command: Codable {
        var command: String
        var smallMs: Double
        var bigMs: Double
        var smallPeakRSS: Int
        var bigPeakRSS: Int
        var timeRatio: Double { bigMs / max(smallMs, 0.001) }
        var memoryRatio: Double { Double(bigPeakRSS) / Double(max(smallPeakRSS, 1)) }
    }

    /// Where a replica's bytes go, from SQLite's `dbstat` (pages in use, by what they hold).
    struct Footprint: Codable {
        var annotations: Int
        var fileBytes: Int
        var parts: [String: Int]
        var bytesPerAnnotation: Double { Double(fileBytes) / Double(max(annotations, 1)) }
    }

    struct Result: Codable {
        var small: Footprint
        var big: Footprint
        var runs: Int
        var commands: [Command]
        var buildSeconds: Double
        /// Opening the big replica as a build of the previous version left it: the one-time migration.
        var migrationSeconds: Double
        var migrationNotice: String
    }

    static func run(gloss: String, directory: String, small: Int, big: Int, runs: Int, say: (String) -> Void) throws -> Result {
        let t0 = ContinuousClock.now
        let smallHome = directory + "/replica-small", bigHome = directory + "/replica-big"
        say("replica: building one with \(small) annotations and one with \(big), the same way")
        let smallWorkload = try build(home: smallHome, annotations: small, say: say)
        let bigWorkload = try build(home: bigHome, annotations: big, say: say)
        let buildSeconds = (ContinuousClock.now - t0).seconds
        let smallFootprint = try footprint(home: smallHome, annotations: small)
        let bigFootprint = try footprint(home: bigHome, annotations: big)

        say("replica: opening the big one as the previous version left it (the one-time migration)")
        let (migrationSeconds, notice) = try migrateAsOlderVersion(gloss: gloss, home: bigHome)

        // The note `edit` changes: alice's own, made first on each (and `annotate` adds one per run on both).
        let smallNote = try own(gloss: gloss, home: smallHome, report: smallWorkload.shown)
        let bigNote = try own(gloss: gloss, home: bigHome, report: bigWorkload.shown)
        let report = smallWorkload.shown.short
        let commands: [(name: String, arguments: (String) -> [String])] = [
            ("reports", { _ in ["reports"] }),
            ("show REPORT", { _ in ["show", report] }),
            ("list --report", { _ in ["list", "--report", report] }),
            ("list --tag", { _ in ["list", "--tag", BigReplicaWorkload.watchedTag] }),
            ("list --report --author", { _ in ["list", "--report", report, "--author", BigReplicaWorkload.author.rawValue] }),
            ("list --author (your own)", { _ in ["list", "--author", "alice"] }),
            ("search", { _ in ["search", BigReplicaWorkload.rareWord] }),
            ("status", { _ in ["status"] }),
            ("conflicts", { _ in ["conflicts"] }),
            ("log", { _ in ["log", "--limit", "20"] }),
            ("annotate", { _ in ["annotate", report, "--quote", "controlled items", "--comment", "one more", "--tag", "bench"] }),
            ("edit", { note in ["edit", note, "--comment", "edited again \(UUID().uuidString.prefix(8))"] }),
            ("export --report (markdown)", { _ in ["export", "--format", "markdown", "--report", report] }),
        ]
        var results: [Command] = []
        for (name, arguments) in commands {
            say("replica: \(name)")
            var smallTimes: [Double] = [], bigTimes: [Double] = []
            // Interleaved, so both see the same machine; the peak memory from one more run each, apart.
            for _ in 0..<runs {
                smallTimes.append(try Child.run(gloss, ["--home", smallHome] + arguments(smallNote)).seconds * 1000)
                bigTimes.append(try Child.run(gloss, ["--home", bigHome] + arguments(bigNote)).seconds * 1000)
            }
            let smallRSS = try Child.run(gloss, ["--home", smallHome] + arguments(smallNote), peakRSS: true).peakRSS
            let bigRSS = try Child.run(gloss, ["--home", bigHome] + arguments(bigNote), peakRSS: true).peakRSS
            results.append(Command(command: name, smallMs: ProcessBench.median(smallTimes), bigMs: ProcessBench.median(bigTimes),
                                   smallPeakRSS: smallRSS, bigPeakRSS: bigRSS))
        }
        return Result(small: smallFootprint, big: bigFootprint,
                      runs: runs, commands: results, buildSeconds: buildSeconds, migrationSeconds: migrationSeconds, migrationNotice: notice)
    }

    /// A replica for alice holding `annotations` notes by bob over 100 reports, pulled as from the
    /// team server (pages of 5,000, then the search index caught up and the log checkpointed).
    static func build(home: String, annotations: Int, say: (String) -> Void) throws -> BigReplicaWorkload {
        let replica = try Replica.create(home: URL(fileURLWithPath: home), user: "alice", workspace: "bench")
        var reports: [Report] = []
        for i in 0..<BigReplicaWorkload.reports {
            let report = try ReportParser.parse(BenchReports.numbered(i), fileName: "report-\(i).txt")
            _ = try replica.importReport(report, source: "report-\(i).txt")
            reports.append(report)
        }
        let workload = try BigReplicaWorkload(reports: reports, annotations: annotations)
        let batch = Sync.Limits.clientBatchSize
        var lastSaid = ContinuousClock.now
        for start in stride(from: 0, to: workload.operationCount, by: batch) {
            let ops = workload.operations(in: start..<min(start + batch, workload.operationCount))
            var page = Sync.PullResponse(operations: ops, cursor: Int64(start + ops.count), more: true)
            page.payloads = ops.map(JSONWriter.string)
            let result = try replica.applyPulled(page)
            guard result.refused.isEmpty else { throw BenchError("building the replica: refused \(result.refused[0])") }
            if ContinuousClock.now - lastSaid > .seconds(30) {
                say("replica: \(start + ops.count) of \(workload.operationCount) operations applied")
                lastSaid = .now
            }
        }
        try replica.indexPendingSearch()
        try replica.checkpoint()
        return workload
    }

    /// Makes alice's first note on `report` and returns its id, for `edit`.
    static func own(gloss: String, home: String, report: ReportID) throws -> String {
        let out = try Child.run(gloss, ["--home", home, "--json", "annotate", report.short, "--comment", "alice's own note"]).stdout
        guard let id = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], let note = id["id"] as? String else {
            throw BenchError("gloss annotate --json printed no id: \(out.prefix(200))")
        }
        return note
    }

    /// Takes the replica back to the previous schema version (drops what the last migration made),
    /// then times one `gloss status` opening it, which migrates; returns its seconds and what it
    /// said on standard error.
    static func migrateAsOlderVersion(gloss: String, home: String) throws -> (Double, String) {
        let path = home + "/" + Replica.fileName
        let last = Schema.replicaMigrationNames.last!
        guard last == BigReplicaWorkload.lastMigration else {
            throw BenchError("the replica's last migration is \(last), but the bench knows how to undo \(BigReplicaWorkload.lastMigration): update BigReplicaWorkload.undoLastMigration")
        }
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: BigReplicaWorkload.undoLastMigration)
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [last])
            try db.execute(sql: "PRAGMA user_version = \(Schema.replicaMigrationNames.count - 1)")
        }
        try queue.close()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-migrate-\(getpid()).err").path
        defer { try? FileManager.default.removeItem(atPath: errors) }
        let run = try Child.run(gloss, ["--home", home, "status"], stderrPath: errors)
        let said = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        return (run.seconds, said.split(whereSeparator: \.isNewline).joined(separator: " / "))
    }

    /// The file's size and what fills it, by part: the operation log, the annotations' state, the
    /// search index, tags, reports, and the rest.
    static func footprint(home: String, annotations: Int) throws -> Footprint {
        let path = home + "/" + Replica.fileName
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        let byName = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name")
                .map { (name: $0["name"] as String, bytes: $0["bytes"] as Int) }
        }
        var parts: [String: Int] = [:]
        for (name, bytes) in byName { parts[part(of: name), default: 0] += bytes }
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return Footprint(annotations: annotations, fileBytes: size, parts: parts)
    }

    static func part(of table: String) -> String {
        if table.hasPrefix("operations") { return "operation log" }
        if table.hasPrefix("annotation_search") || table.hasPrefix("report_search") || table == "search_pending" { return "search index" }
        if table.hasPrefix("annotation_tag") { return "tags" }
        if table.hasPrefix("annotations") || table.hasPrefix("sqlite_autoindex_annotations") { return "annotation state" }
        if table.hasPrefix("reports") || table.hasPrefix("sqlite_autoindex_reports") { return "reports" }
        return "other"
    }
}

/// Two operations per annotation, as a year of team work leaves them: each note is created
/// (quote, comment, two tags), then edited, resolved or judged. Made in blocks of 1,000 notes, the
/// creates first, so a pulled page touches 2,500 notes as a real pull does.
///
/// Whatever the size, the two replicas print the same: the shown report holds the first 10
/// notes (the others spread over the other 99 reports), the watched tag and the rare word are
/// on exactly those 10, and nothing is in conflict.
struct BigReplicaWorkload {
    static let reports = 100
    static let author: UserName = "bob"
    static let watchedTag = "watched"
    static let rareWord = "tungsten"
    static let onShownReport = 10
    static let block = 1_000

    /// What the last replica migration (`014_signing`) made, dropped again: `gloss-bench`
    /// re-runs it to time it. Kept in step with `Schema.replicaMigrationNames.last`
    /// (``ReplicaBench/migrateAsOlderVersion(gloss:home:)`` checks the name).
    static let lastMigration = "014_signing"
    static let undoLastMigration = """
        DROP TABLE signing_replicas; DROP TABLE chains; DROP TABLE chain_links; DROP TABLE chain_runs;
        DROP TABLE trust_roots; DROP TABLE trust_statements; DROP TABLE held_operations;
        """

    let reports: [Report]
    let annotations: Int
    let claim: ReplicaClaim
    let startWall: Int64
    /// Where each report's quotes point.
    private let targets: [Target]

    var shown: ReportID { reports[0].id }
    var operationCount: Int { annotations * 2 }

    init(reports: [Report], annotations: Int) throws {
        guard annotations >= Self.block, annotations % Self.block == 0 else {
            throw BenchError("replica sizes are whole thousands (got \(annotations))")
        }
        self.reports = reports
        self.annotations = annotations
        claim = ReplicaClaim.mint(for: Self.author, salt: Array(repeating: 0xB0, count: 16))
        startWall = Int64(Date().timeIntervalSince1970 * 1000) - Int64(annotations / 8) - 60_000
        targets = try reports.map { try TextAnchor(text: $0.text).target(quote: "controlled items", occurrence: nil) }
    }

    func operations(in range: Range<Int>) -> [GlossCore.Operation] { range.map(operation(at:)) }

    func operation(at index: Int) -> GlossCore.Operation {
        let block = index / (2 * Self.block), within = index % (2 * Self.block)
        let note = block * Self.block + within % Self.block
        let create = OperationID(replica: claim.replica, counter: UInt64(block * 2 * Self.block + within % Self.block + 1))
        let annotation = AnnotationID(createdBy: create)
        let hlc = HLC(wall: startWall + Int64(index / 16), logical: UInt32(index % 16))
        let change: Change
        if within < Self.block {
            let shown = note < Self.onShownReport
            let report = shown ? 0 : 1 + note % (Self.reports - 1)
            change = .create(Creation(report: reports[report].id, target: targets[report], motivation: .commenting,
                                      body: body(note, rare: shown), tags: [shown ? Self.watchedTag : "topic-\(note % 50)", "bench"]))
        } else {
            switch note % 3 {
            case 0: change = .editBody(text: body(note, rare: note < Self.onShownReport) + " (revised)", seen: [create])
            case 1: change = .setStatus(.resolved)
            default: change = .judge(Judgment(confidence: .moderate, likelihood: .likely))
            }
        }
        return GlossCore.Operation(id: OperationID(replica: claim.replica, counter: UInt64(index + 1)), hlc: hlc, author: Self.author,
                                   workspace: "bench", annotation: annotation, isPrivate: false, change: change)
    }

    private func body(_ note: Int, rare: Bool) -> String {
        let words = ["supply", "chain", "export", "controls", "escalation", "likely", "volumes", "processing",
                     "retaliation", "licensing", "servicing", "talks", "pressure", "capacity", "signal", "assessment"]
        var text = "Note \(note): " + (rare ? Self.rareWord + " " : "")
        var i = UInt64(note)
        while text.utf8.count < 160 {
            text += words[Int(i % UInt64(words.count))] + " "
            i = i &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        }
        return text
    }
}
