import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

/// `gloss-bench`: Gloss's throughput, latency and memory, each against the floor this machine
/// measures in the same run. Prints a table and writes JSON.
@main
struct GlossBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss-bench",
        abstract: "Measure Gloss against raw SQLite on this machine (see docs/BENCHMARKS.md).",
        discussion: """
            Examples:
              swift run -c release gloss-bench                 # full size (about 10 minutes)
              swift run -c release gloss-bench --quick         # tiny sizes: only shows the bench still works
            """)

    @Option(help: "Operations applied into a replica and pulled from the server.") var ops = 1_000_000
    @Option(help: "Reports imported.") var reports = 10_000
    @Option(help: "Concurrent clients against one server.") var clients = 100
    @Option(help: "How long the concurrent clients run, seconds.") var clientSeconds = 10.0
    @Option(help: "Operations per push of a concurrent client.") var clientBatch = 50
    @Option(help: ArgumentHelp("Operations per second all concurrent clients push together in the paced run (latency is measured at this rate). Default: 0.8× the most they could push, measured just before in the same run.",
                               valueName: "ops/s"))
    var clientRate: Double?
    @Option(help: "Operations per second the 5 clients of the fairness row push together into their workspace.") var fairRate = 500.0
    @Option(help: "Long polls open at once in the watchers row.") var watchers = 10_000
    @Option(help: "Whole-process runs of `gloss annotate` (and of the one-row baseline).") var runs = 21
    @Option(help: "Runs of the incremental sync.") var incrementalRuns = 5
    @Flag(help: "Tiny sizes, for CI: shows the bench still works, measures nothing worth keeping.") var quick = false
    @Option(help: ArgumentHelp("A PostgreSQL server for the scale-out rows (scripts/bench.sh starts a throwaway one); each run uses a new database on it.",
                               valueName: "postgres://USER@HOST:PORT/DATABASE")) var postgres: String?
    @Option(help: "Clients of the scale-out rows.") var postgresClients = 30
    @Option(help: "Pushes timed from one instance to a watcher on another.") var watchSamples = 200
    @Option(help: "Annotations in the small replica of the big-replica row (its commands' floor).") var smallReplica = 1_000
    @Option(help: "Annotations in the big replica of the big-replica row.") var bigReplica = 1_000_000
    @Option(help: "Notes on the report the page rows open in Chromium.") var pageNotes = 1_000
    @Option(help: "Where to write the JSON results.") var jsonOut = "out/bench.json"
    @Option(help: "Only these parts, comma-separated: apply, signing (signed operations, at a tenth of --ops), import, annotate, replica (big replicas), sync (pull and incremental), concurrent, fairness, watch, postgres, page (the reader page in Chromium).")
    var only: String?
    @Option(help: "Scratch folder (default: a new temporary one, removed afterwards).") var work: String?
    @Option(help: ArgumentHelp("Fail (exit 1) when the sync row's client or server peak RSS is over this many times its figure at a tenth of the operations (CI: 1.3).",
                               valueName: "ratio"))
    var maxRssGrowth: Double?

    mutating func run() async throws {
        if quick {
            ops = 2_000; reports = 100; clients = 4; clientSeconds = 2; runs = 3; incrementalRuns = 2; watchers = 50
            postgresClients = 4; watchSamples = 10; bigReplica = 10_000; pageNotes = 100
        }
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        let gloss = bin + "/gloss", glossServer = bin + "/gloss-server", oneRow = bin + "/gloss-bench-one-row"
        for binary in [gloss, glossServer, oneRow] where !FileManager.default.isExecutableFile(atPath: binary) {
            throw ValidationError("\(binary) is missing; build everything first: scripts/release.sh (or run scripts/bench.sh)")
        }
        let directory = work ?? FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if work == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let began = ContinuousClock.now
        func say(_ text: String) {
            FileHandle.standardError.write(Data("[\(String(format: "%6.1f", (ContinuousClock.now - began).seconds)) s] \(text)\n".utf8))
        }
        var results = Results(ops: ops, reports: reports, clients: clients, quick: quick)

        let parts = Set((only ?? "apply,signing,import,annotate,replica,sync,concurrent,fairness,watch,page" + (postgres == nil ? "" : ",postgres")).split(separator: ",").map(String.init))
        if parts.contains("apply") {
            Disk.settle()
            say("apply: \(ops) operations into a replica, then as raw SQLite UPSERTs")
            results.apply = try ApplyBench.run(count: ops, directory: directory)
            ApplyBench.removeFiles(in: directory)
        }
        if parts.contains("signing") {
            Disk.settle()
            say("signing: \(max(ops / 10, 1)) signed operations chained, signed, checked, and applied from files")
            results.signing = try SigningBench.run(count: max(ops / 10, 1), directory: directory)
            SigningBench.removeFiles(in: directory)
        }
        if parts.contains("import") {
            Disk.settle()
            say("import: \(reports) reports")
            results.importing = try ProcessBench.importReports(count: reports, directory: directory)
        }
        if parts.contains("annotate") {
            Disk.settle()
            say("annotate: \(runs) whole-process runs, and as many of gloss-bench-one-row")
            results.annotate = try ProcessBench.annotate(gloss: gloss, oneRow: oneRow, directory: directory, runs: runs)
        }
        if parts.contains("replica") {
            Disk.settle()
            results.replica = try ReplicaBench.run(gloss: gloss, directory: directory, small: smallReplica, big: bigReplica, runs: min(runs, 7), say: say)
            for name in ["replica-small", "replica-big"] { try? FileManager.default.removeItem(atPath: directory + "/" + name) }
        }
        if parts.contains("page") {
            Disk.settle()
            results.page = try PageBench.run(gloss: gloss, directory: directory, notes: pageNotes, runs: min(runs, 7), say: say)
        }
        if parts.contains("sync") || parts.contains("concurrent") || parts.contains("fairness") || parts.contains("watch") {
            try await serverParts(parts, results: &results, glossServer: glossServer, gloss: gloss, directory: directory, say: say)
        }
        if parts.contains("postgres") {
            guard let postgres else { throw ValidationError("the postgres rows need --postgres URL (scripts/bench.sh starts a throwaway server)") }
            let database = try Self.freshDatabase(on: postgres)
            results.postgres = try await PostgresBench.run(glossServer: glossServer, postgres: database, directory: directory,
                                                           clients: postgresClients, seconds: clientSeconds, batch: clientBatch,
                                                           watchSamples: watchSamples, say: say)
        }
        results.benchPeakRSS = Child.memory(path: "/proc/self/status", "VmHWM")
        results.seconds = (ContinuousClock.now - began).seconds

        print(results.table())
        let out = URL(fileURLWithPath: jsonOut)
        try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSON.encode(results, pretty: true).write(to: out)
        say("done in \(Int(results.seconds)) s; JSON in \(jsonOut)")
        if let ratio = maxRssGrowth {
            guard let pull = results.pull else { throw ValidationError("--max-rss-growth needs the sync row (--only sync)") }
            let grown = pull.growth(over: ratio)
            for line in grown { FileHandle.standardError.write(Data("memory grew: \(line)\n".utf8)) }
            if !grown.isEmpty { throw ExitCode(1) }
            say("memory flat: client \(pull.clientPeakRSS / 1_048_576) MB at \(pull.operations) vs \(pull.smallClientPeakRSS / 1_048_576) MB at \(pull.smallOperations), server \(pull.serverPeakRSS / 1_048_576) MB vs \(pull.serverPeakRSSAfterSmall / 1_048_576) MB (at most \(ratio)×)")
        }
    }

    /// A new database on the server `url` names (with `psql`), so every run starts empty.
    static func freshDatabase(on url: String) throws -> String {
        let name = "gloss_bench_\(getpid())_\(Int(Date().timeIntervalSince1970))"
        let result = try Child.run("/usr/bin/env", ["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)"],
                                   stderrPath: "/dev/null")
        guard result.status == 0 else { throw BenchError("could not create a database on \(url) with psql") }
        return url.replacingOccurrences(of: #"/[^/]*$"#, with: "/\(name)", options: .regularExpression)
    }

    /// The rows that need a real server: pull, incremental sync, concurrent clients.
    func serverParts(_ parts: Set<String>, results: inout Results, glossServer: String, gloss: String, directory: String,
                     say: (String) -> Void) async throws {

        say("server: starting gloss-server and adding \(clients + 2) users")
        let server = ServerProcess(binary: glossServer, directory: directory)
        defer { server.stop() }
        try server.admin(["init"])
        try server.admin(["workspace", "create", "bench"])
        try server.admin(["workspace", "create", "empty"])
        try server.admin(["workspace", "create", "load"])
        try server.admin(["workspace", "create", "fair"])
        try server.admin(["workspace", "create", "watch"])
        let writer = try server.addMember("alice", to: "bench")
        let reader = try server.addMember("reader", to: "bench")
        try server.admin(["member", "add", "empty", "reader", "--role", "member"])
        var clientTokens: [String] = []
        for i in 0..<clients { clientTokens.append(try server.addMember("client\(i)", to: "load")) }
        var fairTokens: [String] = []
        if parts.contains("fairness") { for i in 0..<5 { fairTokens.append(try server.addMember("steady\(i)", to: "fair")) } }
        let watchToken = parts.contains("watch") ? try server.addMember("watcher0", to: "watch") : ""
        // The watchers all come from 127.0.0.1: let one address hold them.
        try server.start(parts.contains("watch") ? ["--max-connections-per-client", "\(watchers + 100)"] : [])
        let report = try BenchReports.sample()
        let sync = try SyncBench(gloss: gloss, server: server, directory: directory, readerToken: reader)
        defer { sync.proxy.close() }
        if parts.contains("sync") {
            let workload = Workload(author: "alice", workspace: "bench", replica: 0xB0B, report: report.id, count: ops)
            results.pull = try await sync.pull(full: ops, workload: workload, token: writer, report: report, progress: say)
            say("incremental: 1 change on \(ops) operations, and on none, \(incrementalRuns) runs each")
            results.incremental = try sync.incremental(history: ops, fullWorkspace: "bench", emptyWorkspace: "empty", runs: incrementalRuns)
        }
        if parts.contains("concurrent") {
            Disk.settle()
            // The capacity first, then latency at a pace this machine can hold: paced above
            // its capacity, the p99 would measure a queue that only grows.
            say("concurrent: \(clients) clients for \(clientSeconds) s as fast as they can")
            let saturation = try await ConcurrentBench.run(server: server, tokens: clientTokens, workspace: "load", report: report,
                                                           seconds: clientSeconds, batch: clientBatch, pullLimit: 100,
                                                           maxOpsPerClient: 200_000, replicaBase: 0xC1_0000)
            results.saturation = saturation
            let rate = clientRate ?? (0.8 * saturation.acceptedPerSecond).rounded()
            Disk.settle()
            say("concurrent: the same clients for \(clientSeconds) s paced at \(Int(rate)) ops/s" + (clientRate == nil ? " (0.8× that)" : ""))
            results.concurrent = try await ConcurrentBench.run(server: server, tokens: clientTokens, workspace: "load", report: report,
                                                              seconds: clientSeconds, batch: clientBatch, pullLimit: 100,
                                                              maxOpsPerClient: 200_000, rate: rate)
        }
        if parts.contains("watch") {
            Disk.settle()
            say("watch: \(watchers) long polls open at once, then one push")
            results.watch = try await WatchBench.run(server: server, token: watchToken, workspace: "watch", report: report,
                                                     watchers: watchers, say: say)
        }
        if parts.contains("fairness") {
            // Workspace B's 5 clients at a steady pace, alone; then the same beside 30 clients
            // flooding workspace A as fast as they can. B's latency should not notice A.
            Disk.settle()
            let flooders = Array(clientTokens.prefix(30))
            say("fairness: 5 clients in workspace B paced at \(Int(fairRate)) ops/s for \(clientSeconds) s, alone")
            let alone = try await ConcurrentBench.run(server: server, tokens: fairTokens, workspace: "fair", report: report,
                                                      seconds: clientSeconds, batch: clientBatch, pullLimit: 100,
                                                      maxOpsPerClient: 200_000, rate: fairRate, replicaBase: 0xD0_0000, users: "steady")
            Disk.settle()
            say("fairness: the same beside \(flooders.count) clients flooding workspace A")
            let (clientSeconds, clientBatch, fairRate, endpoint) = (clientSeconds, clientBatch, fairRate, server.endpoint)
            async let flood = ConcurrentBench.run(servers: [endpoint], tokens: flooders, workspace: "load", report: report,
                                                  seconds: clientSeconds, batch: clientBatch, pullLimit: 100,
                                                  maxOpsPerClient: 200_000, replicaBase: 0xD1_0000)
            let beside = try await ConcurrentBench.run(servers: [endpoint], tokens: fairTokens, workspace: "fair", report: report,
                                                       seconds: clientSeconds, batch: clientBatch, pullLimit: 100,
                                                       maxOpsPerClient: 200_000, rate: fairRate, replicaBase: 0xD2_0000, users: "steady")
            results.fairness = Results.Fairness(alone: alone, beside: beside, flood: try await flood)
        }
    }
}
