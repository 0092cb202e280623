import Foundation
import GlossCore
import GlossReplica

/// Writing for people (text, colour on a terminal) and for scripts (JSON).
enum Output {
    /// Whether standard output is a terminal that wants colour (honours NO_COLOR).
    static let color: Bool = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        && ProcessInfo.processInfo.environment["TERM"] != "dumb"

    static func line(_ text: String = "") {
        print(text)
    }

    /// Writes out what is buffered for standard output now. Into a file or a pipe it is
    /// block-buffered, which suits a command that ends soon; a long-running one (`gloss sync
    /// --watch`) flushes after each event, so every line shows as it happens.
    static func flush() {
        fflush(nil)
    }

    static func json<T: Encodable>(_ value: T) throws {
        print(try JSON.string(value, pretty: true))
    }

    static func warn(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func fail(_ error: CLIFailure, json: Bool) {
        if json {
            struct Failure: Encodable { var error: String; var code: String; var hint: String? }
            let text = (try? JSON.string(Failure(error: error.message, code: error.code.rawValue, hint: error.hint))) ?? "{}"
            warn(text)
        } else {
            warn("error: \(error.message)")
            if let hint = error.hint { warn("hint: \(hint)") }
        }
    }

    static func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    static func dim(_ s: String) -> String { color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
    static func yellow(_ s: String) -> String { color ? "\u{1B}[33m\(s)\u{1B}[0m" : s }
    static func red(_ s: String) -> String { color ? "\u{1B}[31m\(s)\u{1B}[0m" : s }
    static func green(_ s: String) -> String { color ? "\u{1B}[32m\(s)\u{1B}[0m" : s }

    /// Pads to a width counted in Characters.
    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    static func clip(_ s: String, _ width: Int) -> String {
        // Swift's own string ops: Foundation's `replacingOccurrences` goes through NSString,
        // whose first use was 6% of a `gloss annotate` (perf).
        let flat = String(s.map { $0.isNewline ? " " : $0 })
        return flat.count <= width ? flat : String(flat.prefix(width - 1)) + "…"
    }

    /// Shortens in the middle, keeping the start and the end, so that titles that differ only
    /// at the end ("Port status, day 118" / "… day 119") stay different.
    static func middle(_ s: String, _ width: Int) -> String {
        let flat = String(s.map { $0.isNewline ? " " : $0 })
        guard flat.count > width, width > 1 else { return flat }
        let head = (width - 1) / 2 + (width - 1) % 2, tail = (width - 1) / 2
        return String(flat.prefix(head)) + "…" + String(flat.suffix(tail))
    }

    /// Writes a file atomically, refusing directories and the replica itself.
    static func write(_ data: Data, to path: String, home: URL) throws {
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CLIFailure(.invalidArgument, "\(path) is a folder", hint: "give a file name, e.g. -o \(path)/brief.md")
        }
        if url.resolvingSymlinksInPath().path.hasPrefix(home.standardizedFileURL.resolvingSymlinksInPath().path + "/") {
            throw CLIFailure(.invalidArgument, "\(path) is inside the Gloss home \(home.path)", hint: "write exports somewhere else")
        }
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw CLIFailure(.badFile, "cannot write \(path): \(error.localizedDescription)", hint: "check the folder exists and is writable")
        }
    }
}
