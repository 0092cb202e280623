import AsyncHTTPClient
import Foundation
import GlossCore
import GlossRemote
import NIOCore

/// Issue 27's watchers row: `watchers` long polls (`gloss sync --watch`'s request) open on one
/// server at once, then one push; how long until each poll has its answer, and the server's
/// memory while it holds them all.
///
/// The polls are one AsyncHTTPClient with a connection per poll (its pool's limit raised to
/// `watchers`), not `watchers` processes: what is measured is the server's side. The server runs
/// with `--max-connections-per-client` above `watchers`, since they all come from 127.0.0.1.
enum WatchBench {
    struct Result: Codable {
        var watchers: Int
        /// Polls answered by the push (the others timed out or failed).
        var woken: Int
        /// Polls answered before the push: none should be.
        var early: Int
        var failed: Int
        var p50: Double
        var p99: Double
        var max: Double
        /// Seconds until every poll was open on the server (its socket count).
        var openSeconds: Double
        var serverRSS: Int
        var serverPeakRSS: Int
        /// CPU from the push to the last answer, in cores: the server's, and the bench
        /// process's (its 10,000 clients read their answers on the same machine).
        var serverCores: Double? = nil
        var clientCores: Double? = nil
        /// The server's CPU while the polls wait, before the push, in cores.
        var parkedCores: Double? = nil
    }

    static func run(server: ServerProcess, token: String, workspace: String, report: Report, watchers: Int,
                    say: (String) -> Void) async throws -> Result {
        let base = URL(string: server.url)!
        let workload = Workload(author: "watcher0", workspace: WorkspaceName(stored: workspace), replica: 0xE0_0000, report: report.id, count: 2)
        let head: Int64 = try await HTTPTransport.with(base: base, workspace: WorkspaceName(stored: workspace), token: token) { transport in
            try await transport.upload(report)
            _ = try await transport.push(Sync.PushRequest(replica: workload.replica, operations: workload.operations(in: 0..<1),
                                                          claims: [workload.claim]))
            return try await transport.pull(after: 0, epoch: nil, limit: 10, wait: 0).cursor
        }
        var pool = HTTPClient.Configuration.ConnectionPool()
        pool.concurrentHTTP1ConnectionsPerHostSoftLimit = watchers
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                              configuration: .init(timeout: .init(connect: .seconds(30), read: .seconds(90)), connectionPool: pool))
        let url = "\(server.url)/v1/workspaces/\(workspace)/operations?after=\(head)&limit=100&wait=30"
        // The server's open connections, counted by the kernel: its established TCP sockets on
        // its port. (Counting its file descriptors from a baseline read the earlier rows' clients
        // as watchers while they were still closing, and waited out the deadline.)
        let port = base.port ?? 0
        let sockets = { Self.established(onPort: port) }
        // What the earlier rows left open is closed first, so that what is counted is the watchers.
        let settled = ContinuousClock.now + .seconds(15)
        while sockets() > 0, ContinuousClock.now < settled { try await Task.sleep(for: .milliseconds(100)) }
        let before = sockets()
        let started = ContinuousClock.now
        let result: Result
        do { result = try await withThrowingTaskGroup(of: ContinuousClock.Instant?.self) { group in
            for _ in 0..<watchers {
                group.addTask {
                    var request = HTTPClientRequest(url: url)
                    request.headers.add(name: "Authorization", value: "Bearer \(token)")
                    do {
                        let response = try await http.execute(request, timeout: .seconds(90))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        return response.status == .ok ? ContinuousClock.now : nil
                    } catch {
                        return nil
                    }
                }
            }
            say("watch: \(watchers) long polls sent; waiting until the server holds them")
            let deadline = ContinuousClock.now + .seconds(120)
            while sockets() - before < watchers, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            let openSeconds = (ContinuousClock.now - started).seconds
            try await Task.sleep(for: .seconds(2))  // the last ones read and parked
            // The server's CPU while the polls only wait (each re-checks its token every 500 ms).
            let parkedCPU = Child.cpuSeconds(server.pid), parkedFrom = ContinuousClock.now
            try await Task.sleep(for: .seconds(2))
            let parkedCores = (Child.cpuSeconds(server.pid) - parkedCPU) / (ContinuousClock.now - parkedFrom).seconds
            let rss = server.currentRSS
            say("watch: \(sockets() - before) connections open after \(String(format: "%.1f", openSeconds)) s (server RSS \(rss / 1_048_576) MB); one push")
            let pushed = ContinuousClock.now
            let serverCPU = Child.cpuSeconds(server.pid), clientCPU = Child.cpuSeconds(path: "/proc/self/stat")
            try await HTTPTransport.with(base: base, workspace: WorkspaceName(stored: workspace), token: token) { transport in
                _ = try await transport.push(Sync.PushRequest(replica: workload.replica, operations: workload.operations(in: 1..<2),
                                                              claims: [workload.claim]))
            }
            var latencies: [Double] = [], early = 0, failed = 0
            for try await arrival in group {
                guard let arrival else { failed += 1; continue }
                if arrival < pushed { early += 1 } else { latencies.append((arrival - pushed).seconds) }
            }
            let woke = (ContinuousClock.now - pushed).seconds
            let serverCores = (Child.cpuSeconds(server.pid) - serverCPU) / woke
            let clientCores = (Child.cpuSeconds(path: "/proc/self/stat") - clientCPU) / woke
            latencies.sort()
            func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
            return Result(watchers: watchers, woken: latencies.count, early: early, failed: failed, p50: percentile(0.5),
                          p99: percentile(0.99), max: latencies.last ?? 0, openSeconds: openSeconds,
                          serverRSS: rss, serverPeakRSS: server.peakRSS, serverCores: serverCores, clientCores: clientCores,
                          parkedCores: parkedCores)
        } } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        return result
    }

    /// Established TCP connections whose local end is `port` on this machine (`/proc/net/tcp`
    /// and `tcp6`): the server's side of each connection to it.
    static func established(onPort port: Int) -> Int {
        let wanted = String(format: ":%04X", port)
        var count = 0
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = Child.procFile(table) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: true)
                // sl, local address:port, remote address:port, state (01: established)
                if fields.count >= 4, fields[1].hasSuffix(wanted), fields[3] == "01" { count += 1 }
            }
        }
        return count
    }
}
