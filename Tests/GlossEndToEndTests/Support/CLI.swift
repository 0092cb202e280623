import Foundation
import Testing

/// Runs the real `gloss` (and `gloss-server`) executables built next to the test bundle.
enum CLI {
    /// The folder holding the built executables: `GLOSS_BIN_DIR` when set (CI runs these
    /// tests again against the release build, scripts/release.sh), else the test build's.
    static let binDir: URL = {
        if let dir = ProcessInfo.processInfo.environment["GLOSS_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: here.appendingPathComponent("gloss").path) { return here }
        // Fallback: the package's debug build folder.
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent(".build/debug")
    }()

    /// Where the sample reports live in the checkout.
    static let examples: URL = {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("Examples/reports")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var data: Data
    }

    /// Runs an executable to completion with a time limit.
    @discardableResult
    /// With `input`, standard input is a pipe holding it; otherwise /dev/null.
    static func run(_ tool: String = "gloss", _ arguments: [String], environment: [String: String] = [:],
                    input: String? = nil, timeout: TimeInterval = 60) throws -> Result {
        let process = Process()
        // A tool of the build by name, or any program by its absolute path.
        process.executableURL = tool.hasPrefix("/") ? URL(fileURLWithPath: tool) : binDir.appendingPathComponent(tool)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inputPipe = input.map { _ in Pipe() }
        process.standardInput = inputPipe ?? FileHandle.nullDevice
        try process.run()
        if let inputPipe, let input {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
        // Read both pipes fully before waiting, so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw CLIError.timedOut(arguments.joined(separator: " "))
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), data: outData)
    }

    /// Runs `gloss --home HOME …` and requires success.
    @discardableResult
    static func gloss(_ home: URL, _ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
        let result = try run("gloss", ["--home", home.path] + arguments)
        #expect(result.status == 0, "gloss \(arguments.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// Runs `gloss --home HOME …` and returns the result whatever the exit status.
    static func glossAllowingFailure(_ home: URL, _ arguments: String...) throws -> Result {
        try run("gloss", ["--home", home.path] + arguments)
    }

    static func json(_ result: Result) throws -> Any {
        try JSONSerialization.jsonObject(with: result.data)
    }
}

enum CLIError: Error { case timedOut(String) }

/// A temporary folder removed at the end of the test.
final class Scratch {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-e2e-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> URL { url.appendingPathComponent(name) }
}
