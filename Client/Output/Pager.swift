import Foundation

/// Long output on a terminal goes through a pager, as git's does: `$GLOSS_PAGER`, then
/// `$PAGER`, then `less -FRX` (which quits at once when everything fits on one screen, keeps
/// the colours and leaves the text on the screen). Never for `--json`, `--no-pager`, or when
/// standard output is a file or a pipe. An empty value or `cat` means no pager.
final class Pager {
    private let process: Process

    private init(process: Process) { self.process = process }

    /// The pager's command line, or nil for none.
    static func command(_ environment: [String: String]) -> String? {
        let chosen = environment["GLOSS_PAGER"] ?? environment["PAGER"] ?? "less -FRX"
        let trimmed = chosen.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed == "cat" ? nil : trimmed
    }

    /// Starts the pager and sends standard output to it, when standard output is a terminal;
    /// nil when there is nothing to page into (or the pager cannot be started: the output
    /// then goes to the terminal as it would have).
    static func start(environment: [String: String] = ProcessInfo.processInfo.environment) -> Pager? {
        guard isatty(STDOUT_FILENO) == 1, let command = command(environment) else { return nil }
        // What depends on standard output being a terminal is decided now, before it is a pipe.
        _ = Output.color
        _ = Terminal.columns()

        let pipe = Pipe()
        let writing = pipe.fileHandleForWriting.fileDescriptor
        _ = fcntl(writing, F_SETFD, FD_CLOEXEC)   // the pager must not hold its own input open
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var pagerEnvironment = environment
        if pagerEnvironment["LESS"] == nil { pagerEnvironment["LESS"] = "FRX" }
        if pagerEnvironment["LV"] == nil { pagerEnvironment["LV"] = "-c" }
        process.environment = pagerEnvironment
        process.standardInput = pipe.fileHandleForReading
        do { try process.run() } catch { return nil }
        try? pipe.fileHandleForReading.close()

        fflush(nil)
        guard dup2(writing, STDOUT_FILENO) >= 0 else {
            process.terminate()
            return nil
        }
        try? pipe.fileHandleForWriting.close()
        return Pager(process: process)
    }

    /// Ends the output and waits for the reader to quit the pager.
    func finish() {
        fflush(nil)
        close(STDOUT_FILENO)
        process.waitUntilExit()
    }
}
