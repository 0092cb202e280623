import Foundation
import GlossCore
import GlossReplica
import GlossRemote

/// Rows 2 and 3: a fresh replica pulling the whole history from a real server, and one
/// change synced on top of that history against the same sync with an empty history.
/// Clients are real `gloss` processes (HTTPTransport + SyncSession into replica files).
struct SyncBench {
    struct PullResult: Codable {
        var operations: Int
        var seconds: Double
        var clientPeakRSS: Int
        var serverPeakRSS: Int
        /// The same pull at a tenth of the history, to show whether memory grows with it.
        var smallOperations: Int
        var smallClientPeakRSS: Int
        var serverRSSAfterSmall: Int
        /// The server's peak once the tenth was seeded and pulled.
        var serverPeakRSSAfterSmall: Int
        var serverRSSAfterFull: Int
        var bytesReceived: Int
        var opsPerSecond: Double { Double(operations) / seconds }

        /// What grew past `ratio` times its figure at the tenth: the client's peak, the server's
        /// peak. Memory is steady enough from run to run to gate CI on; times are not.
        func growth(over ratio: Double) -> [String] {
            let mb = { (bytes: Int) in "\(bytes / 1_048_576) MB" }
            var grown: [String] = []
            if Double(clientPeakRSS) > ratio * Double(smallClientPeakRSS) {
                grown.append("the client's peak RSS pulling \(operations) operations is \(mb(clientPeakRSS)), over \(ratio)× its \(mb(smallClientPeakRSS)) at \(smallOperations)")
            }
            if Double(serverPeakRSS) > ratio * Double(serverPeakRSSAfterSmall) {
                grown.append("the server's peak RSS with \(operations) operations is \(mb(serverPeakRSS)), over \(ratio)× its \(mb(serverPeakRSSAfterSmall)) at \(smallOperations)")
            }
            return grown
        }
    }

    struct IncrementalResult: Codable {
        var history: Int
        var seconds: Double
        var bytes: Int
        var emptySeconds: Double
        var emptyBytes: Int
        /// The same in a replica of the empty workspace that pinned its root (`remote add
        /// --root`): its pushes carry their signed run as every push does, and its pulls ask for
        /// the runs too, and check them.
        var signedSeconds: Double?
        var signedBytes: Int?
        var runs: Int
    }

    let gloss: String
    let server: ServerProcess
    let directory: String
    let readerToken: String
    /// Every measured sync goes through it, so its bytes are counted; one for the whole run,
    /// because a replica bound to another URL would pull everything again.
    let proxy: ByteCountingProxy

    init(gloss: String, server: ServerProcess, directory: String, readerToken: String) throws {
        self.gloss = gloss
        self.server = server
        self.directory = directory
        self.readerToken = readerToken
        proxy = try ByteCountingProxy(upstream: server.port)
    }

    /// Pushes `count` operations by `user` into `workspace`, in the server's largest batches.
    static func seed(_ workload: Workload, range: Range<Int>, token: String, server: ServerProcess, report: Report) async throws -> Double {
        try await HTTPTransport.with(base: URL(string: server.url)!, workspace: workload.workspace, token: token) { transport in
            try await transport.upload(report)
            let batch = Sync.Limits.maxPushOperations
            let t0 = ContinuousClock.now
            for start in stride(from: range.lowerBound, to: range.upperBound, by: batch) {
                let ops = workload.operations(in: start..<min(start + batch, range.upperBound))
                let response = try await transport.push(Sync.PushRequest(replica: workload.replica, operations: ops, claims: [workload.claim]))
                guard response.refused.isEmpty else { throw BenchError("seed push refused: \(response.refused[0])") }
            }
            return (ContinuousClock.now - t0).seconds
        }
    }

    /// A new home for `user`, bound to the server (through `url`), pinning `root` when given.
    func home(_ name: String, user: String, token: String, workspace: String, url: String, root: String? = nil) throws -> String {
        let home = directory + "/" + name
        try Child.run(gloss, ["--home", home, "init", "--user", user])
        try Child.run(gloss, ["--home", home, "remote", "add", url, "--workspace", workspace, "--token", token] + (root.map { ["--root", $0] } ?? []))
        return home
    }

    func sync(_ home: String, peakRSS: Bool = false) throws -> ChildResult {
        try Child.run(gloss, ["--home", home, "sync", "--json"], stderrPath: directory + "/gloss.err", peakRSS: peakRSS)
    }

    /// The full pull, after a pull of a tenth of it into another fresh replica.
    func pull(full: Int, workload: Workload, token: String, report: Report, progress: (String) -> Void) async throws -> PullResult {
        let small = max(full / 10, 1)
        progress("seeding \(small) operations")
        let seedSmall = try await Self.seed(workload, range: 0..<small, token: token, server: server, report: report)
        progress("  pushed at \(Int(Double(small) / seedSmall)) ops/s; pulling them into a fresh replica")
        let smallHome = try home("pull-small", user: "reader", token: readerToken, workspace: workload.workspace.rawValue, url: server.url)
        Disk.settle()
        let smallPull = try sync(smallHome, peakRSS: true)
        let serverAfterSmall = server.currentRSS, serverPeakAfterSmall = server.peakRSS
        progress("seeding up to \(full) operations")
        let seedRest = try await Self.seed(workload, range: small..<full, token: token, server: server, report: report)
        progress("  pushed at \(Int(Double(full - small) / seedRest)) ops/s; pulling \(full) into a fresh replica")
        let fullHome = try home("pull-full", user: "reader", token: readerToken, workspace: workload.workspace.rawValue,
                                url: "http://127.0.0.1:\(proxy.port)")
        proxy.reset()
        Disk.settle()
        let fullPull = try sync(fullHome, peakRSS: true)
        let received = try JSON.decode(SyncSession.Summary.self, from: fullPull.stdout).received
        guard received == full else { throw BenchError("the full pull received \(received) operations, not \(full)") }
        return PullResult(operations: full, seconds: fullPull.seconds, clientPeakRSS: fullPull.peakRSS,
                          serverPeakRSS: server.peakRSS, smallOperations: small, smallClientPeakRSS: smallPull.peakRSS,
                          serverRSSAfterSmall: serverAfterSmall, serverPeakRSSAfterSmall: serverPeakAfterSmall,
                          serverRSSAfterFull: server.currentRSS,
                          bytesReceived: proxy.counts().received)
    }

    /// One change, then `gloss sync` through the byte-counting proxy, `runs` times, in a replica
    /// holding `history` operations (`pull-full`) and in one of an empty workspace.
    func incremental(history: Int, fullWorkspace: String, emptyWorkspace: String, runs: Int) throws -> IncrementalResult {
        let report = directory + "/sample.txt"
        try BenchReports.sampleText.write(toFile: report, atomically: true, encoding: .utf8)
        let reportID = try BenchReports.sample().id.rawValue
        // The history replica already pulled everything; point it at the proxy too.
        let full = directory + "/pull-full"
        let empty = try home("incremental-empty", user: "reader", token: readerToken, workspace: emptyWorkspace,
                             url: "http://127.0.0.1:\(proxy.port)")
        let root = try server.admin(["workspace", "root", emptyWorkspace]).last ?? ""
        let signed = try home("incremental-signed", user: "reader", token: readerToken, workspace: emptyWorkspace,
                              url: "http://127.0.0.1:\(proxy.port)", root: root)
        var figures: [String: [(Double, Int)]] = [:]
        for home in [full, empty, signed] {
            try Child.run(gloss, ["--home", home, "import", report])
            try Child.run(gloss, ["--home", home, "annotate", reportID, "--comment", "warm-up"])
            _ = try sync(home)  // uploads the report and the first annotation
            for run in 0..<runs {
                try Child.run(gloss, ["--home", home, "annotate", reportID, "--comment", "change \(run)"])
                proxy.reset()
                let result = try sync(home)
                let counts = proxy.counts()
                figures[home, default: []].append((result.seconds, counts.sent + counts.received))
            }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let f = figures[full]!, e = figures[empty]!, s = figures[signed]!
        return IncrementalResult(history: history, seconds: median(f.map(\.0)), bytes: Int(median(f.map { Double($0.1) })),
                                 emptySeconds: median(e.map(\.0)), emptyBytes: Int(median(e.map { Double($0.1) })),
                                 signedSeconds: median(s.map(\.0)), signedBytes: Int(median(s.map { Double($0.1) })), runs: runs)
    }
}
