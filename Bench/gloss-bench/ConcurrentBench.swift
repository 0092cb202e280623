import Foundation
import GlossCore
import GlossReplica
import GlossRemote

/// Row 4: many clients pushing and pulling at once against one real server.
///
/// Each client is a task with its own user, token and ``LoadClient`` (its own connection),
/// alternating a push of `batch` new operations and a pull of up to `pullLimit` from its cursor,
/// until `seconds` have passed or it has pushed `maxOpsPerClient`.
///
/// Two ways: as fast as the clients can (a closed loop: each round starts when the last answer
/// arrives, which finds the server's capacity, but then latency only says how many clients
/// queue: 100 clients ÷ requests per second), and at a set aggregate `rate` of pushed
/// operations (wrk2's constant throughput): client `i`'s rounds are due every
/// `batch × clients ÷ rate` seconds, staggered, and a push's latency counts from when it was
/// due, so a server that falls behind is charged for the wait (no coordinated omission).
enum ConcurrentBench {
    struct Result: Codable {
        var clients: Int
        var seconds: Double
        var accepted: Int
        /// Operations the clients received in pull pages.
        var pulled: Int
        var pushes: Int
        var pulls: Int
        var pushP50: Double
        var pushP99: Double
        var pullP50: Double
        var pullP99: Double
        var p50: Double
        var p99: Double
        /// CPU the bench process (the clients) and the server used during the run, in cores.
        var clientCores: Double
        var serverCores: Double
        /// The aggregate push rate asked for (operations per second); nil: as fast as possible.
        var rate: Double?
        /// Where the machine's time went meanwhile (``MachineCPU``): every PostgreSQL process's
        /// CPU, the machine's busy cores and the cores idle waiting on I/O (fsync), in cores.
        var postgresCores: Double? = nil
        var busyCores: Double? = nil
        var ioWaitCores: Double? = nil
        var acceptedPerSecond: Double { Double(accepted) / seconds }
    }

    struct ClientStats: Sendable {
        var accepted = 0
        var pulled = 0
        var push: [Double] = []
        var pull: [Double] = []
    }

    static func run(server: ServerProcess, tokens: [String], workspace: String, report: Report,
                    seconds: Double, batch: Int, pullLimit: Int, maxOpsPerClient: Int,
                    rate: Double? = nil, replicaBase: UInt64 = 0xC0_0000, users: String = "client") async throws -> Result {
        try await run(servers: [server.endpoint], tokens: tokens, workspace: workspace, report: report, seconds: seconds, batch: batch,
                      pullLimit: pullLimit, maxOpsPerClient: maxOpsPerClient, rate: rate, replicaBase: replicaBase, users: users)
    }

    /// The same against several instances of one store: client `i` talks to `servers[i % count]`.
    /// Client `i` is user `users` + `i` (`client3`), whose token is `tokens[i]`.
    static func run(servers: [ServerProcess.Endpoint], tokens: [String], workspace: String, report: Report,
                    seconds: Double, batch: Int, pullLimit: Int, maxOpsPerClient: Int,
                    rate: Double? = nil, replicaBase: UInt64 = 0xC0_0000, users: String = "client") async throws -> Result {
        let urls = servers.map(\.url)
        try await HTTPTransport.with(base: URL(string: urls[0])!, workspace: WorkspaceName(stored: workspace), token: tokens[0]) { try await $0.upload(report) }
        let start = ContinuousClock.now
        let clientCPU = Child.cpuSeconds(path: "/proc/self/stat")
        let serverCPU = servers.reduce(0.0) { $0 + Child.cpuSeconds($1.pid) }
        let machine = MachineCPU.now()
        let deadline = start + .milliseconds(Int(seconds * 1000))
        // Paced: each client's rounds are due every `interval`, client i's first at i/clients of one.
        let interval = rate.map { Duration.seconds(Double(batch * tokens.count) / $0) }
        let stats = try await withThrowingTaskGroup(of: ClientStats.self) { group in
            for (i, token) in tokens.enumerated() {
                group.addTask {
                    let client = LoadClient(base: urls[i % urls.count], workspace: workspace, token: token)
                    let workload = Workload(author: UserName(stored: "\(users)\(i)"), workspace: WorkspaceName(stored: workspace), replica: replicaBase + UInt64(i),
                                            report: report.id, count: maxOpsPerClient)
                    var due = start + (interval ?? .zero) * (Double(i) / Double(tokens.count))
                    var stats = ClientStats()
                    var next = 0
                    var cursor: Int64 = 0
                    do {
                        while ContinuousClock.now < deadline, next < maxOpsPerClient {
                            let ops = workload.operations(in: next..<min(next + batch, maxOpsPerClient))
                            next += ops.count
                            // Paced, a push waits until it is due, and its latency counts from then.
                            var t0 = ContinuousClock.now
                            if let interval {
                                if t0 < due { try await Task.sleep(until: due, clock: .continuous) }
                                t0 = due
                                due += interval
                            }
                            let response = try await client.push(Sync.PushRequest(replica: workload.replica, operations: ops, claims: [workload.claim]))
                            stats.push.append((ContinuousClock.now - t0).seconds)
                            stats.accepted += response.accepted.count
                            guard response.refused.isEmpty else { throw BenchError("\(users)\(i): refused \(response.refused[0])") }
                            let t1 = ContinuousClock.now
                            let page = try await client.pull(after: cursor, limit: pullLimit, wait: 0)
                            stats.pull.append((ContinuousClock.now - t1).seconds)
                            stats.pulled += page.operations.count
                            cursor = page.cursor
                        }
                    } catch {
                        try? await client.shutdown()
                        throw error
                    }
                    try await client.shutdown()
                    return stats
                }
            }
            var all: [ClientStats] = []
            for try await s in group { all.append(s) }
            return all
        }
        let elapsed = (ContinuousClock.now - start).seconds
        let clientCores = (Child.cpuSeconds(path: "/proc/self/stat") - clientCPU) / elapsed
        let serverCores = (servers.reduce(0.0) { $0 + Child.cpuSeconds($1.pid) } - serverCPU) / elapsed
        let spent = MachineCPU.now().since(machine)
        let push = stats.flatMap(\.push).sorted(), pull = stats.flatMap(\.pull).sorted()
        let both = (push + pull).sorted()
        return Result(clients: tokens.count, seconds: elapsed, accepted: stats.reduce(0) { $0 + $1.accepted },
                      pulled: stats.reduce(0) { $0 + $1.pulled },
                      pushes: push.count, pulls: pull.count,
                      pushP50: percentile(push, 0.5), pushP99: percentile(push, 0.99),
                      pullP50: percentile(pull, 0.5), pullP99: percentile(pull, 0.99),
                      p50: percentile(both, 0.5), p99: percentile(both, 0.99),
                      clientCores: clientCores, serverCores: serverCores, rate: rate,
                      postgresCores: spent.postgres / elapsed, busyCores: spent.busy / elapsed, ioWaitCores: spent.ioWait / elapsed)
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
}
