import Foundation

/// A child process run to completion: its exit status, wall time, peak RSS and output.
struct ChildResult {
    var status: Int32
    var seconds: Double
    /// Peak resident set size (the kernel's hiwater_rss, what /proc/PID/status calls VmHWM), bytes.
    var peakRSS: Int
    var stdout: String
}

/// Spawning child processes with `posix_spawn`; their peak RSS is the kernel's VmHWM for them.
enum Child {
    /// Runs `path` with `arguments`, stdout to a file, stderr to `stderrPath` (or /dev/null).
    @discardableResult
    /// With `peakRSS`, VmHWM is polled while it runs (which blurs the timing by a millisecond or
    /// two); without, the child is reaped as soon as it exits and `peakRSS` is 0.
    static func run(_ path: String, _ arguments: [String], stderrPath: String = "/dev/null", peakRSS: Bool = false) throws -> ChildResult {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let start = ContinuousClock.now
        let pid = try spawn(path, arguments, stdoutPath: out, stderrPath: stderrPath)
        // The peak comes from VmHWM, polled until the child exits: wait4's ru_maxrss would
        // also count the bench's own memory, which a spawned child shares until it execs.
        var peak = 0
        var status: Int32 = 0
        if !peakRSS { status = reap(pid).0 }
        while peakRSS {
            let hwm = memory(pid, "VmHWM")
            if hwm > 0 { peak = hwm }
            var raw: Int32 = 0
            let done = waitpid(pid, &raw, WNOHANG)
            if done == pid {
                let signal = raw & 0x7f
                status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
                break
            }
            if done < 0, errno != EINTR { throw BenchError("waitpid: \(String(cString: strerror(errno)))") }
            usleep(peak > 0 ? 2_000 : 200)
        }
        let seconds = (ContinuousClock.now - start).seconds
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        if status != 0 {
            let err = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            throw BenchError("\((path as NSString).lastPathComponent) \(arguments.joined(separator: " ")) exited with \(status): \(err.suffix(600))")
        }
        return ChildResult(status: status, seconds: seconds, peakRSS: peak, stdout: text)
    }

    /// Starts a process without waiting for it.
    static func spawn(_ path: String, _ arguments: [String], stdoutPath: String, stderrPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard rc == 0 else { throw BenchError("cannot start \(path): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// Waits for `pid`; returns its exit status (128+signal when killed) and resource usage.
    static func reap(_ pid: pid_t) -> (Int32, rusage) {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
        let signal = status & 0x7f
        return (signal == 0 ? (status >> 8) & 0xff : 128 + signal, usage)
    }

    /// A live process's memory figure from /proc/PID/status ("VmHWM", "VmRSS"), bytes.
    static func memory(_ pid: pid_t, _ field: String) -> Int {
        memory(path: "/proc/\(pid)/status", field)
    }

    static func memory(path: String, _ field: String) -> Int {
        guard let text = procFile(path) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kb = line.dropFirst(field.count + 1).split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 0
            return kb * 1024
        }
        return 0
    }
}

extension Child {
    /// A file under /proc, read to its end. These files say they are empty and are made as they
    /// are read: `String(contentsOfFile:)` gave none of /proc/net/tcp's rows with 10,000 connections open.
    static func procFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += chunk[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// CPU time (user + system) a live process has used, seconds, from /proc/PID/stat.
    static func cpuSeconds(_ pid: pid_t) -> Double { cpuSeconds(path: "/proc/\(pid)/stat") }

    static func cpuSeconds(path: String) -> Double {
        guard let text = procFile(path), let end = text.lastIndex(of: ")") else { return 0 }
        // Fields after the command name: state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Between rows: one row's files written back to disk before the next is timed, so no row pays
/// for another's deferred writes (the apply row alone leaves gigabytes in the page cache).
enum Disk {
    static func settle() {
        sync()
    }
}

/// Where the whole machine's CPU time went, from /proc: busy and I/O-wait time of all cores
/// (/proc/stat), and the CPU of every PostgreSQL process (backends, the WAL writer,
/// checkpointer), counting backends that exited meanwhile through their parent's children's
/// time. For the scale-out rows: what bounds a run on 2 cores, measured rather than guessed.
struct MachineCPU {
    var busy = 0.0
    var ioWait = 0.0
    var postgres = 0.0

    static func now() -> MachineCPU {
        var snapshot = MachineCPU()
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        if let stat = Child.procFile("/proc/stat"),
           let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) {
            // user nice system idle iowait irq softirq steal
            let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
            if fields.count >= 8 {
                snapshot.busy = (fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]) / tick
                snapshot.ioWait = fields[4] / tick
            }
        }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where entry.allSatisfy(\.isNumber) {
            guard let text = Child.procFile("/proc/\(entry)/stat"),
                  let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"),
                  text[text.index(after: open)..<close] == "postgres" else { continue }
            // After the name: utime is field 14, stime 15, cutime 16, cstime 17.
            let fields = text[text.index(after: close)...].split(separator: " ")
            guard fields.count > 14 else { continue }
            snapshot.postgres += (11...14).reduce(0.0) { $0 + (Double(fields[$1]) ?? 0) } / tick
        }
        return snapshot
    }

    func since(_ earlier: MachineCPU) -> MachineCPU {
        MachineCPU(busy: busy - earlier.busy, ioWait: ioWait - earlier.ioWait, postgres: postgres - earlier.postgres)
    }
}

