import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `gloss sync --watch` left running in the background, its stdout and stderr going to a
/// file as `gloss sync --watch >> sync.log 2>&1 &` would send them.
final class WatchProcess {
    let process = Process()
    let log: URL

    init(home: URL, log: URL) throws {
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let file = try FileHandle(forWritingTo: log)
        process.executableURL = CLI.binDir.appendingPathComponent("gloss")
        process.arguments = ["--home", home.path, "sync", "--watch"]
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
        process.standardOutput = file
        process.standardError = file
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// What it has written so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Whether its output comes to hold `text` within `seconds`.
    func shows(_ text: String, within seconds: Double) -> Bool {
        eventually(within: seconds) { self.output.contains(text) }
    }

    /// Sends `signal` and returns the exit status, or nil if it is still running after `seconds`.
    func stop(_ signal: Int32 = SIGTERM, within seconds: Double = 10) -> Int32? {
        kill(process.processIdentifier, signal)
        return eventually(within: seconds) { !self.process.isRunning } ? process.terminationStatus : nil
    }

    /// Its exit status, once it has ended by itself within `seconds`.
    func exitStatus(within seconds: Double) -> Int32? {
        eventually(within: seconds) { !self.process.isRunning } ? process.terminationStatus : nil
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Checks `condition` every 50 ms until it holds (true) or `seconds` have passed (false).
func eventually(within seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        if try condition() { return true }
        if Date() >= deadline { return false }
        Thread.sleep(forTimeInterval: 0.05)
    }
}

/// A GET with a bearer token: the status and the body (status 0 when there was no answer).
func get(_ url: String, token: String) -> (status: Int, body: String) {
    var request = URLRequest(url: URL(string: url)!)
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    nonisolated(unsafe) var answer = (status: 0, body: "")
    let done = DispatchSemaphore(value: 0)
    URLSession.shared.dataTask(with: request) { data, response, _ in
        answer = ((response as? HTTPURLResponse)?.statusCode ?? 0, data.map { String(decoding: $0, as: UTF8.self) } ?? "")
        done.signal()
    }.resume()
    _ = done.wait(timeout: .now() + 10)
    return answer
}
