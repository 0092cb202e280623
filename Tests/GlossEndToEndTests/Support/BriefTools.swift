import Foundation
import Testing

/// The third-party checkers the export tests run on real exported files: `cmark-gfm` and
/// `chromium` (Debian) and the Python venv with pyld and jsonschema, all installed by
/// `scripts/brief-tools.sh` (which `scripts/test.sh` and `.ci/run` call).
enum BriefTools {
    static let checkout: URL = {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { dir.deleteLastPathComponent() }
        return dir
    }()

    struct Missing: Error, CustomStringConvertible {
        var tool: String
        var description: String { "\(tool) is not installed: run scripts/brief-tools.sh (scripts/test.sh does)" }
    }

    /// A program on PATH.
    static func program(_ name: String) throws -> URL {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let url = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw Missing(tool: name)
    }

    /// The venv's python (`$GLOSS_BRIEF_PYTHON` overrides).
    static func python() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["GLOSS_BRIEF_PYTHON"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let url = checkout.appendingPathComponent(".build/brief-tools/venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: url.path) else { throw Missing(tool: "the Python venv (pyld, jsonschema)") }
        return url
    }

    /// Runs a program to completion (both pipes drained), with a time limit (`CLI.run`).
    static func run(_ program: URL, _ arguments: [String], timeout: TimeInterval = 120) throws -> CLI.Result {
        try CLI.run(program.path, arguments, timeout: timeout)
    }

    /// Headless Chromium on a local file: no sandbox (root), no GPU, no network at all (every
    /// host name resolves to nothing), a throwaway profile, console messages logged to stderr.
    static func chromium(_ page: URL, profile: URL, _ arguments: [String]) throws -> CLI.Result {
        try run(try program("chromium"), [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=\(profile.path)",
            "--enable-logging=stderr", "--v=0",
        ] + arguments + [page.absoluteString])
    }

    /// The page's console messages as Chromium logs them (`…:INFO:CONSOLE:12] "msg", source: …`).
    static func consoleLines(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") }
    }
}
