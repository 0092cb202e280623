import Foundation

/// Runs a program to its end, for the tests' helpers that start servers (`pg_ctl`, `tmux`).
public enum Spawn {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `executable` with `arguments`, standard input from /dev/null, and returns its exit
    /// status (128 + the signal, for one that ended by a signal) and what it printed.
    ///
    /// Its output goes to files, not pipes: a program that leaves a server running (`pg_ctl`,
    /// `tmux new-session`) has the server hold a pipe open, and a read to its end would never
    /// return. It is spawned and waited for directly (`posix_spawn`, `waitpid`), not with
    /// Foundation's `Process`, which hears that a child ended when a descriptor the child
    /// inherited closes (a daemon the child forks keeps it open), and which needs a dispatch
    /// thread that a blocked test may be holding.
    /// This process's open file descriptors, from /proc.
    static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }

    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-test-run-\(UUID().uuidString)")
        let outURL = base.appendingPathExtension("out"), errURL = base.appendingPathExtension("err")
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Nothing else of this process's: a server the program leaves behind (a tmux server,
        // PostgreSQL) would otherwise hold whatever descriptors other tests had open at that
        // moment (their database connections, their pipes) for as long as it lives. glibc
        // ignores a close of a descriptor that was closed meanwhile.
        for descriptor in openDescriptors() where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        let argv = ([executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv + [nil], environ)
        guard spawned == 0 else { throw Failure(description: "cannot run \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import
        let exit = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exit, (try? String(contentsOf: outURL, encoding: .utf8)) ?? "", (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}
