import Foundation

/// A program run in the terminal's foreground beside `gloss`, as git runs its pager and editor:
/// in gloss's own process group, so that it may read the terminal, and so that Ctrl-C, Ctrl-Z
/// and a resized window reach it as they reach gloss.
///
/// Foundation's `Process` cannot do this: it starts every child in a session of its own, with no
/// controlling terminal, so `less` and `vi` find no terminal to read the keyboard from (or stop
/// at their first read, a screen left blank). Here the child is spawned with `posix_spawn`
/// alone: same session, same process group, every signal's action back to its default and
/// nothing blocked, whatever gloss itself ignores or blocks.
struct ForegroundProcess {
    let pid: pid_t

    /// How a foreground child ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    /// Starts `/bin/sh -c command "$@"` with `arguments` as `$1…`. With `standardInput`, that
    /// descriptor becomes the child's standard input (and is not inherited under its own number).
    static func start(shell command: String, arguments: [String] = [], environment: [String: String],
                      standardInput: Int32? = nil, closing: [Int32] = []) throws -> ForegroundProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardInput {
            posix_spawn_file_actions_adddup2(&actions, standardInput, STDIN_FILENO)
            if standardInput != STDIN_FILENO { posix_spawn_file_actions_addclose(&actions, standardInput) }
        }
        for descriptor in closing { posix_spawn_file_actions_addclose(&actions, descriptor) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var everySignal = sigset_t(), none = sigset_t()
        sigfillset(&everySignal)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ["sh", "-c", arguments.isEmpty ? command : "\(command) \"$@\"", command] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid = pid_t()
        let status = withCStrings(argv) { argv in
            withCStrings(envp) { envp in posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp) }
        }
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        return ForegroundProcess(pid: pid)
    }

    /// Waits for the child to end (through interrupted waits).
    func wait() -> Ending {
        Self.wait(for: pid)
    }

    static func wait(for pid: pid_t) -> Ending {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(127) }
        }
        // The <sys/wait.h> macros, which Swift does not import.
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }
}

/// Runs `body` with `strings` as a NULL-terminated C array, as `execve` wants.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
