import Foundation
import GlossTestSupport
import Testing

/// A real terminal, as a person has one: a tmux pane (a pseudo-terminal and a terminal emulator)
/// running one command in its foreground, keys typed into it, and its screen read back. The
/// command starts with a fresh account's environment: no `PAGER`, `EDITOR`, `VISUAL`, `LESS` or
/// `NO_COLOR`, unless the test gives them.
///
/// Each session has its own tmux server (its own socket in the scratch folder), ended with it.
final class TerminalSession {
    private let socket: String
    private let scratch: URL
    /// Held so that the scratch folder (and the socket in it) outlives the session: its
    /// `deinit` must still reach the tmux server to end it.
    private let folder: Scratch
    let columns: Int
    /// The tmux server's process id.
    private var server: pid_t = 0

    /// Starts `arguments` (a program and its arguments) on a terminal of `columns` × `rows`.
    init(_ arguments: [String], environment: [String: String] = [:], columns: Int = 80, rows: Int = 24,
         in scratch: Scratch, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let folder = scratch.path("tty-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.scratch = folder
        self.folder = scratch
        self.socket = folder.appendingPathComponent("tmux.sock").path
        self.columns = columns
        let config = folder.appendingPathComponent("tmux.conf")
        try Data("""
            set -g default-terminal xterm-256color
            set -g status off
            set -g history-limit 5000

            """.utf8).write(to: config)
        let home = folder.appendingPathComponent("home").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        var clean = [
            "HOME": home, "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "TMPDIR": Self.temporaryFolder(in: folder).path, "SHELL": "/bin/sh",
        ]
        for (key, value) in environment { clean[key] = value }
        // tmux's server takes its environment from the client that starts it: start it with the
        // clean one, so the pane has nothing of the test runner's.
        let command = ["/usr/bin/env", "-i"] + clean.map { "\($0.key)=\($0.value)" }
            + ["tmux", "-S", socket, "-f", config.path, "new-session", "-d", "-x", "\(columns)", "-y", "\(rows)", "--"]
            + ["/bin/sh", "-c", Self.wrapper, "sh"] + arguments
        try Self.tmux(command)
        server = pid_t(try Self.tmux(["/usr/bin/tmux", "-S", socket, "display-message", "-p", "#{pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// The command runs under a shell that prints its exit status when it ends and then waits,
    /// as a person's shell would show the prompt: the pane lives on (15 minutes at most, should the session be left behind), so its last screen can be
    /// read (tmux can lose the last output of a pane whose program ends at once). The shell
    /// catches SIGINT (a handler, which the command does not inherit, unlike an ignored signal),
    /// so Ctrl-C reaches the command alone, in the terminal's foreground process group.
    static let wrapper = #"trap : INT QUIT; "$@"; status=$?; printf '\n[exit %d]\n' "$status"; exec sleep 900"#
    static var marker: Regex<(Substring, Substring)> { try! Regex(#"\[exit (\d+)\]"#) }

    deinit {
        _ = try? Self.tmux(["/usr/bin/tmux", "-S", socket, "kill-server"])
        // And by its process id, should the server outlive that (it has been seen to).
        if server > 0 { kill(server, SIGKILL) }
    }

    /// The folder the command's temporary files go to (`TMPDIR`), to check it is left empty.
    static func temporaryFolder(in folder: URL) -> URL {
        let url = folder.appendingPathComponent("tmp")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
    var temporaryFolder: URL { Self.temporaryFolder(in: scratch) }

    /// The screen as text, without the line that gives the exit status; `colours` keeps the
    /// escape sequences of its colours and attributes; `joined` joins lines the terminal wrapped.
    func screen(colours: Bool = false, joined: Bool = false) throws -> String {
        try rawScreen(colours: colours, joined: joined).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { (try? Self.marker.firstMatch(in: String($0))) == nil }
            .joined(separator: "\n").trimmingCharacters(in: .newlines)
    }

    private func rawScreen(colours: Bool = false, joined: Bool = false) throws -> String {
        var arguments = ["/usr/bin/tmux", "-S", socket, "capture-pane", "-p"]
        if colours { arguments.append("-e") }
        if joined { arguments.append("-J") }
        return try Self.tmux(arguments)
    }

    /// The screen, for a failure's message.
    var shown: String { (try? screen()) ?? "(the screen could not be read)" }

    /// Types `text` as it is.
    func type(_ text: String) throws {
        try Self.tmux(["/usr/bin/tmux", "-S", socket, "send-keys", "-l", "--", text])
    }

    /// Presses keys by tmux's names: `Enter`, `Escape`, `C-c`, `C-d`, `q`.
    func press(_ keys: String...) throws {
        try Self.tmux(["/usr/bin/tmux", "-S", socket, "send-keys", "--"] + keys)
    }

    /// Waits until the screen shows `text`; returns the screen.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 30, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if last.contains(text) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the screen never showed \(text.debugDescription) in \(timeout) s; it shows:\n\(last)", sourceLocation: sourceLocation)
        throw TerminalError.timedOut(text)
    }

    /// The command's exit status once it has ended, or nil if it runs on past `timeout`.
    func exitStatus(timeout: TimeInterval = 30) throws -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let match = try Self.marker.firstMatch(in: try rawScreen(joined: true)), case let status = match.output.1 {
                return Int32(status)
            }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        return nil
    }

    /// Runs tmux and returns what it printed (``Spawn``: the tmux server that `new-session`
    /// starts lives on, holding whatever it inherited).
    @discardableResult
    private static func tmux(_ arguments: [String]) throws -> String {
        let result = try Spawn.run(arguments[0], Array(arguments.dropFirst()))
        guard result.status == 0 else { throw TerminalError.tmux(arguments.joined(separator: " "), result.stderr) }
        return result.stdout
    }
}

enum TerminalError: Error {
    case timedOut(String)
    case tmux(String, String)
}
