import Foundation

/// A real `gloss-server serve --port 0` on 127.0.0.1 with its own database, set up through
/// its admin commands, as an operator would.
final class ServerProcess {
    let binary: String
    let db: String
    let log: String
    /// `--db FILE`, or `--postgres URL` for an instance on PostgreSQL.
    let store: [String]
    private(set) var pid: pid_t = 0
    private(set) var url = ""

    /// Where a started server answers and which process it is: what load clients need, and
    /// what tasks running side by side may share.
    struct Endpoint: Sendable {
        var url: String
        var pid: pid_t
    }

    var endpoint: Endpoint { Endpoint(url: url, pid: pid) }

    init(binary: String, directory: String, postgres: String? = nil, name: String = "server") {
        self.binary = binary
        db = directory + "/\(name).sqlite"
        log = directory + "/\(name).log"
        store = postgres.map { ["--postgres", $0] } ?? ["--db", db]
    }

    @discardableResult
    func admin(_ arguments: [String]) throws -> [String] {
        let result = try Child.run(binary, store + arguments, stderrPath: log)
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// Creates `user` as a member of `workspace` (created when needed) and returns their token.
    func addMember(_ user: String, to workspace: String) throws -> String {
        guard let token = try admin(["user", "add", user]).last else { throw BenchError("user add \(user) printed no token") }
        try admin(["member", "add", workspace, user, "--role", "member"])
        return token
    }

    /// `extra`: more `serve` flags (the watchers row raises the connections one address may hold).
    func start(_ extra: [String] = []) throws {
        let out = db + ".stdout"
        // Push quotas off: the bench measures what the server can take, and the default quota
        // (2,000 operations a second per member after 50,000) would measure the policy instead.
        pid = try Child.spawn(binary, store + ["serve", "--host", "127.0.0.1", "--port", "0", "--log-level", "warning",
                                               "--push-rate", "0", "--workspace-push-rate", "0"] + extra,
                              stdoutPath: out, stderrPath: log)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on "), let end = text[range.upperBound...].firstIndex(of: "\n") {
                url = text[range.upperBound..<end].trimmingCharacters(in: .whitespaces)
                return
            }
            usleep(20_000)
        }
        stop()
        throw BenchError("gloss-server serve did not print its URL (see \(log))")
    }

    var port: UInt16 { UInt16(url.split(separator: ":").last ?? "") ?? 0 }

    /// Peak and current RSS of the running server, bytes.
    var peakRSS: Int { Child.memory(pid, "VmHWM") }
    var currentRSS: Int { Child.memory(pid, "VmRSS") }

    /// SIGTERM, then waits for it to exit.
    func stop() {
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        _ = Child.reap(pid)
        pid = 0
    }

    deinit { stop() }
}
