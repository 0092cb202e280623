import Foundation
import GlossCore
import GlossRemote

/// The scale-out rows (docs/BENCHMARKS.md, "PostgreSQL"): the same closed-loop clients against
/// the SQLite store, one instance on PostgreSQL and three instances on it, in one run; and how
/// long a push through one instance takes to reach a watcher (a long poll) on another.
enum PostgresBench {
    struct Result: Codable {
        var sqlite: ConcurrentBench.Result
        var postgresOne: ConcurrentBench.Result
        var postgresThree: ConcurrentBench.Result
        var watch: WatchResult
    }

    struct WatchResult: Codable {
        var samples: Int
        var p50: Double
        var p99: Double
        var max: Double
    }

    static func run(glossServer: String, postgres: String, directory: String, clients: Int, seconds: Double, batch: Int,
                    watchSamples: Int, say: (String) -> Void) async throws -> Result {
        let report = try BenchReports.sample()
        func team(_ admin: ServerProcess) throws -> [String] {
            try admin.admin(["init"])
            try admin.admin(["workspace", "create", "load"])
            return try (0..<clients).map { try admin.addMember("client\($0)", to: "load") }
        }
        func closedLoop(_ servers: [ServerProcess], _ tokens: [String], base: UInt64) async throws -> ConcurrentBench.Result {
            try await ConcurrentBench.run(servers: servers.map(\.endpoint), tokens: tokens, workspace: "load", report: report, seconds: seconds,
                                          batch: batch, pullLimit: 100, maxOpsPerClient: 200_000, replicaBase: base)
        }

        say("postgres: \(clients) clients as fast as they can against the SQLite store")
        let sqlite = ServerProcess(binary: glossServer, directory: directory, name: "pg-bench-sqlite")
        let sqliteTokens = try team(sqlite)
        try sqlite.start()
        Disk.settle()
        let onSQLite = try await closedLoop([sqlite], sqliteTokens, base: 0xD0_0000)
        sqlite.stop()

        say("postgres: the same against one instance on PostgreSQL")
        let first = ServerProcess(binary: glossServer, directory: directory, postgres: postgres, name: "pg-bench-1")
        let tokens = try team(first)
        try first.start()
        Disk.settle()
        let onOne = try await closedLoop([first], tokens, base: 0xD1_0000)

        say("postgres: the same against three instances on it")
        let others = [ServerProcess(binary: glossServer, directory: directory, postgres: postgres, name: "pg-bench-2"),
                      ServerProcess(binary: glossServer, directory: directory, postgres: postgres, name: "pg-bench-3")]
        for other in others { try other.start() }
        defer { first.stop(); for other in others { other.stop() } }
        Disk.settle()
        let onThree = try await closedLoop([first] + others, tokens, base: 0xD2_0000)

        say("postgres: \(watchSamples) pushes through instance 1, each heard by a long poll on instance 2")
        let watch = try await watchLatency(from: first.url, to: others[0].url, tokens: tokens, report: report, samples: watchSamples)
        return Result(sqlite: onSQLite, postgresOne: onOne, postgresThree: onThree, watch: watch)
    }

    /// A watcher long-polls instance `to`; a writer pushes one operation at a time through
    /// instance `from`. Latency runs from the push being sent to the watcher holding it, so it
    /// includes the push itself, the commit, the NOTIFY and the wake-up on the other instance.
    static func watchLatency(from: String, to: String, tokens: [String], report: Report, samples: Int) async throws -> WatchResult {
        let writer = LoadClient(base: from, workspace: "load", token: tokens[0])
        let watcher = LoadClient(base: to, workspace: "load", token: tokens[1])
        defer { Task { try? await writer.shutdown(); try? await watcher.shutdown() } }
        var cursor = try await watcher.pull(after: 0, limit: 10_000, wait: 0).cursor
        while true {
            let page = try await watcher.pull(after: cursor, limit: 10_000, wait: 0)
            cursor = page.cursor
            if !page.more { break }
        }
        let workload = Workload(author: "client0", workspace: "load", replica: 0xD3_0000, report: report.id, count: samples)
        var latencies: [Double] = []
        for i in 0..<samples {
            let from = cursor
            let heard = Task {
                var at = from
                while true {
                    let page = try await watcher.pull(after: at, limit: 100, wait: 10)
                    at = page.cursor
                    if !page.operations.isEmpty { return (at, ContinuousClock.now) }
                }
            }
            // Give the long poll time to be parked on the other instance before pushing.
            try await Task.sleep(for: .milliseconds(40))
            let sent = ContinuousClock.now
            let response = try await writer.push(Sync.PushRequest(replica: workload.replica, operations: workload.operations(in: i..<(i + 1)),
                                                                  claims: [workload.claim]))
            guard response.accepted.count == 1 else { throw BenchError("watch: push \(i) was not accepted") }
            let (next, arrived) = try await heard.value
            cursor = next
            latencies.append((arrived - sent).seconds)
        }
        let sorted = latencies.sorted()
        return WatchResult(samples: samples, p50: ConcurrentBench.percentile(sorted, 0.5), p99: ConcurrentBench.percentile(sorted, 0.99),
                           max: sorted.last ?? 0)
    }
}
