import Foundation

/// Long output on a terminal goes through a pager, as git's does: `$GLOSS_PAGER`, then
/// `$PAGER`, then `less -FRX` (which quits at once when everything fits on one screen, keeps
/// the colours and leaves the text on the screen). Never for `--json`, `--no-pager`, or when
/// standard output is a file or a pipe. An empty value or `cat` means no pager.
///
/// The pager runs in the terminal's foreground beside gloss (``ForegroundProcess``), so it reads
/// the keyboard, and Ctrl-C, Ctrl-Z and a resized window reach it. As in git, a signal that
/// would end gloss while the pager shows its output first waits for the reader to quit the pager,
/// so the terminal is never left to a pager whose writer is gone; quitting the pager before the
/// output ends is a normal end (exit 0), not a broken pipe.
final class Pager {
    private let process: ForegroundProcess
    private let command: String
    /// Standard output and error as they were (the terminal), put back by ``finish()``.
    private let savedOutput: Int32
    private let savedError: Int32?

    private init(process: ForegroundProcess, command: String, savedOutput: Int32, savedError: Int32?) {
        self.process = process
        self.command = command
        self.savedOutput = savedOutput
        self.savedError = savedError
    }

    /// The pager's command line, or nil for none.
    static func command(_ environment: [String: String]) -> String? {
        let chosen = environment["GLOSS_PAGER"] ?? environment["PAGER"] ?? "less -FRX"
        let trimmed = chosen.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed == "cat" ? nil : trimmed
    }

    /// The pager's environment: `LESS=FRX` and `LV=-c` unless the user set them, as git does.
    static func environment(_ environment: [String: String]) -> [String: String] {
        var environment = environment
        if environment["LESS"] == nil { environment["LESS"] = "FRX" }
        if environment["LV"] == nil { environment["LV"] = "-c" }
        return environment
    }

    /// Starts the pager and sends standard output (and standard error, when it is the terminal
    /// too) to it, when standard output is a terminal; nil when there is nothing to page into
    /// (or the pager cannot be started: the output then goes to the terminal as it would have).
    static func start(environment: [String: String] = ProcessInfo.processInfo.environment) -> Pager? {
        guard isatty(STDOUT_FILENO) == 1, let command = command(environment) else { return nil }
        // What depends on standard output being a terminal is decided now, before it is a pipe.
        _ = Output.color
        _ = Terminal.columns()

        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        let (reading, writing) = (ends[0], ends[1])
        _ = fcntl(writing, F_SETFD, FD_CLOEXEC)   // the pager must not hold its own input open
        let process: ForegroundProcess
        do {
            process = try ForegroundProcess.start(shell: command, environment: Self.environment(environment),
                                                  standardInput: reading, closing: [writing])
        } catch {
            close(reading)
            close(writing)
            return nil
        }
        close(reading)

        fflush(nil)
        let savedOutput = dup(STDOUT_FILENO)
        let savedError = isatty(STDERR_FILENO) == 1 ? dup(STDERR_FILENO) : nil
        _ = fcntl(savedOutput, F_SETFD, FD_CLOEXEC)
        if let savedError { _ = fcntl(savedError, F_SETFD, FD_CLOEXEC) }
        dup2(writing, STDOUT_FILENO)
        if savedError != nil { dup2(writing, STDERR_FILENO) }
        close(writing)

        PagerSignals.watch(process.pid)
        return Pager(process: process, command: command, savedOutput: savedOutput, savedError: savedError)
    }

    /// Ends the output, waits for the reader to quit the pager, and gives standard output and
    /// error back to the terminal.
    func finish() {
        fflush(nil)
        dup2(savedOutput, STDOUT_FILENO)   // closes the pipe's last writer: the pager sees the end
        close(savedOutput)
        if let savedError {
            dup2(savedError, STDERR_FILENO)
            close(savedError)
        }
        let ending = process.wait()
        PagerSignals.release()
        if ending == .exited(127) {
            Output.warn("the pager (\(command)) could not be started; set GLOSS_PAGER or PAGER to one that is installed, or add --no-pager")
        }
    }
}

/// The signals that end gloss while a pager runs (git's `wait_for_pager_signal`): close the
/// pipe, wait for the pager to be quit, then end as the signal would have. A broken pipe means
/// the reader quit early, which is a normal end.
private enum PagerSignals {
    nonisolated(unsafe) static var pid: pid_t = 0
    nonisolated(unsafe) static var previous: [Int32: __sighandler_t?] = [:]
    static let numbers = [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE]

    static func watch(_ pid: pid_t) {
        Self.pid = pid
        for number in numbers {
            previous[number] = signal(number) { number in
                close(STDOUT_FILENO)
                close(STDERR_FILENO)
                var status: Int32 = 0
                while PagerSignals.pid > 0, waitpid(PagerSignals.pid, &status, 0) < 0, errno == EINTR {}
                if number == SIGPIPE { _exit(0) }
                signal(number, SIG_DFL)
                raise(number)
            }
        }
    }

    static func release() {
        for number in numbers { signal(number, previous[number] ?? SIG_DFL) }
        pid = 0
    }
}
