import Foundation
import Testing

/// A real `gloss-server` process on a free loopback port, with its own SQLite database, or
/// one of several instances on a PostgreSQL database.
final class ServerProcess {
    /// `--db FILE` or `--postgres URL`.
    let storeArguments: [String]
    private(set) var process: Process?
    private(set) var url = ""
    private var output: Pipe?

    /// The SQLite file, for a server on one.
    var db: URL { URL(fileURLWithPath: storeArguments[1]) }

    init(db: URL) { storeArguments = ["--db", db.path] }

    /// An instance on a PostgreSQL database; with `port`, it listens there (to stand in for
    /// another server that clients already know).
    init(postgres: String, port: Int? = nil) {
        storeArguments = ["--postgres", postgres]
        if let port { url = "http://127.0.0.1:\(port)" }
    }

    /// The port it listens on, once started.
    var port: Int? { URLComponents(string: url)?.port }

    /// Makes the team's empty database (`gloss-server init`), as an admin does first; returns self.
    @discardableResult
    func initialized() throws -> ServerProcess {
        try admin("init")
        return self
    }

    /// Runs an admin command on the database and returns its stdout lines.
    @discardableResult
    func admin(_ arguments: String...) throws -> [String] {
        let result = try CLI.run("gloss-server", storeArguments + arguments)
        #expect(result.status == 0, "gloss-server \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// Adds a user and returns their token (the last line printed).
    func addUser(_ name: String) throws -> String {
        try admin("user", "add", name).last!
    }

    /// Starts serving and waits for "listening on URL". The first start picks a free port;
    /// a restart listens on the same one, so clients find the server again.
    func start(environment: [String: String] = [:], arguments extra: [String] = [], log: URL? = nil) throws {
        let process = Process()
        process.executableURL = CLI.binDir.appendingPathComponent("gloss-server")
        let port = URLComponents(string: url)?.port.map(String.init) ?? "0"
        process.arguments = storeArguments + ["serve", "--host", "127.0.0.1", "--port", port] + extra
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        if let log {
            // Appended to, so a restarted server's log follows the one before.
            if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
            let handle = try FileHandle(forWritingTo: log)
            try handle.seekToEnd()
            process.standardError = handle
        } else {
            process.standardError = FileHandle.nullDevice
        }
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.output = out
        var buffer = Data()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let range = text.range(of: "listening on ") {
                let rest = text[range.upperBound...]
                if let end = rest.firstIndex(of: "\n") {
                    url = String(rest[..<end]).trimmingCharacters(in: .whitespaces)
                    // Keep draining stdout so the server never blocks on a full pipe.
                    // At end of file (the server exited) the handler would be called again and again: stop it.
                    out.fileHandleForReading.readabilityHandler = { handle in
                        if handle.availableData.isEmpty { handle.readabilityHandler = nil }
                    }
                    return
                }
            }
        }
        process.terminate()
        throw CLIError.timedOut("gloss-server serve did not print its URL")
    }

    /// Stops the server (SIGTERM, then waits).
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        output?.fileHandleForReading.readabilityHandler = nil
    }

    /// Sends SIGTERM and returns at once (``stop()`` waits).
    func terminate() {
        guard let process, process.isRunning else { return }
        process.terminate()
    }

    /// Kills the server without warning.
    func kill9() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        output?.fileHandleForReading.readabilityHandler = nil
    }

    deinit { stop() }
}
