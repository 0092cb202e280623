import Foundation

/// The analyst's own editor, git-style: `$VISUAL`, then `$EDITOR`, then `vi` on a terminal.
enum Editor {
    /// The editor's command line, or nil when none is set and there is no terminal to run one on.
    static func command(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for name in ["VISUAL", "EDITOR"] {
            if let value = environment[name], !value.allSatisfy(\.isWhitespace) { return value }
        }
        return isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 ? "vi" : nil
    }

    /// Opens `command` on a temporary file holding `text` and returns what was saved, without the
    /// line breaks an editor adds at the end. The command goes through `/bin/sh` as git does, so
    /// `EDITOR="code --wait"` works.
    static func edit(_ text: String, with command: String, fileName: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-edit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(fileName)
        try Data((text.isEmpty ? "" : text + "\n").utf8).write(to: file)

        // As git does: the editor runs in the terminal's foreground beside gloss, and gloss
        // ignores Ctrl-C and Ctrl-\ while it waits, so that they reach the editor alone (vi
        // takes Ctrl-C as a key; an editor that dies of it changes nothing) and gloss lives on to
        // remove the temporary file.
        let previousInterrupt = signal(SIGINT, SIG_IGN), previousQuit = signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, previousInterrupt)
            signal(SIGQUIT, previousQuit)
        }
        fflush(nil)
        let process: ForegroundProcess
        do {
            process = try ForegroundProcess.start(shell: command, arguments: [file.path],
                                                  environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CLIFailure(.invalidArgument, "cannot start the editor (\(command)): \(error.localizedDescription)",
                             hint: "set VISUAL or EDITOR to an editor that is installed, or give --comment TEXT")
        }
        switch process.wait() {
        case .exited(0):
            break
        case .exited(127):
            throw CLIFailure(.invalidArgument, "the editor (\(command)) could not be started; nothing was changed",
                             hint: "set VISUAL or EDITOR to an editor that is installed, or give --comment TEXT")
        case .exited(let status):
            throw CLIFailure(.invalidArgument, "the editor (\(command)) ended with status \(status); nothing was changed")
        case .signalled(let number):
            if isatty(STDERR_FILENO) == 1 { Output.warn("") }   // off the line the terminal echoed ^C on
            throw CLIFailure(.interrupted, "the editor (\(command)) was stopped by \(number == SIGINT ? "Ctrl-C" : "signal \(number)"); nothing was changed")
        }
        guard let saved = try? Data(contentsOf: file), let edited = String(data: saved, encoding: .utf8) else {
            throw CLIFailure(.invalidArgument, "the edited text is not UTF-8; nothing was changed")
        }
        return edited.trimmingTrailingNewlines
    }
}
