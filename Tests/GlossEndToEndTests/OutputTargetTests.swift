import Foundation
import Testing

/// `-o PATH` writes what the user names: a file replaced atomically with its permissions kept,
/// the target of a link, a FIFO or a character device written as a stream (never renamed over),
/// a folder refused. For `gloss export` and `gloss ops export` alike.
@Suite
struct OutputTargetTests {
    /// A replica with the sample report and one note, and the two commands that take `-o`.
    static func replica(_ scratch: Scratch) throws -> URL {
        let home = scratch.path("alice")
        try CLI.gloss(home, "init", "--user", "alice")
        let imported = try CLI.json(try CLI.gloss(home, "import", Team.reportFile, "--json")) as! [String: Any]
        let report = String(((imported["imported"] as! [[String: Any]])[0]["id"] as! String).prefix(8))
        try CLI.gloss(home, "annotate", report, "--quote", "Most Dangerous", "--comment", "a note for the brief")
        return home
    }

    static func gloss(_ home: URL, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try CLI.run("gloss", ["--home", home.path] + arguments)
        #expect(result.status == 0, "gloss \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
    }

    /// A new pseudo-terminal: its master side and the path of its other side, a character
    /// device anyone may write (glibc's posix_openpt/unlockpt/ptsname, which Swift does not import).
    static func pseudoTerminal() -> (master: Int32, device: String) {
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0, number: UInt32 = 0
        _ = ioctl(master, 0x4004_5431, &unlock)   // TIOCSPTLCK
        _ = ioctl(master, 0x8004_5430, &number)   // TIOCGPTN
        return (master, "/dev/pts/\(number)")
    }

    static let commands: [[String]] = [["export", "--format", "markdown"], ["ops", "export"]]

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode : 0
    }

    @Test("a regular file is replaced and keeps its permissions", arguments: commands)
    func regularFile(_ command: [String]) throws {
        let scratch = Scratch()
        let home = try Self.replica(scratch)
        let file = scratch.path("out").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o640)
        try Self.gloss(home, command + ["-o", file])
        #expect(Self.mode(file) & S_IFMT == S_IFREG)
        #expect(Self.mode(file) & 0o7777 == 0o640, "permissions were \(String(Self.mode(file) & 0o7777, radix: 8))")
        #expect(try String(contentsOfFile: file, encoding: .utf8) != "old")
        // No temporary file left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted() == ["alice", "out"])
    }

    @Test("a symbolic link is followed: its target is written and the link stays", arguments: commands)
    func symbolicLink(_ command: [String]) throws {
        let scratch = Scratch()
        let home = try Self.replica(scratch)
        let target = scratch.path("target").path, link = scratch.path("link").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        symlink(target, link)
        try Self.gloss(home, command + ["-o", link])
        #expect(Self.mode(link) & S_IFMT == S_IFLNK, "the link was replaced by a file")
        #expect(try String(contentsOfFile: target, encoding: .utf8).contains(command[0] == "ops" ? "operations" : "a note for the brief"))

        // A link to a file not there yet makes that file.
        let dangling = scratch.path("dangling").path, missing = scratch.path("made-by-link").path
        symlink(missing, dangling)
        try Self.gloss(home, command + ["-o", dangling])
        #expect(Self.mode(dangling) & S_IFMT == S_IFLNK)
        #expect(FileManager.default.fileExists(atPath: missing))
    }

    @Test("a FIFO is opened and written, and is still a FIFO", arguments: commands)
    func fifo(_ command: [String]) throws {
        let scratch = Scratch()
        let home = try Self.replica(scratch)
        let fifo = scratch.path("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        nonisolated(unsafe) var received = Data()
        let reader = Thread {
            if let handle = FileHandle(forReadingAtPath: fifo) { received = handle.readDataToEndOfFile() }
        }
        reader.start()
        try Self.gloss(home, command + ["-o", fifo])
        #expect(eventually(within: 5) { reader.isFinished })
        #expect(Self.mode(fifo) & S_IFMT == S_IFIFO, "the FIFO was replaced")
        #expect(String(decoding: received, as: UTF8.self).contains(command[0] == "ops" ? "operations" : "a note for the brief"))
    }

    @Test("a character device (a terminal's other side, as /dev/null is one) is written, never renamed over", arguments: commands)
    func characterDevice(_ command: [String]) throws {
        let scratch = Scratch()
        let home = try Self.replica(scratch)
        let (master, device) = Self.pseudoTerminal()
        #expect(master >= 0)
        defer { close(master) }
        // Raw mode on the terminal's side, so what arrives is what was written.
        let slave = open(device, O_RDWR | O_NOCTTY)
        var settings = termios()
        tcgetattr(slave, &settings)
        cfmakeraw(&settings)
        tcsetattr(slave, TCSANOW, &settings)
        nonisolated(unsafe) var received = Data()
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                var poll = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                guard Glibc.poll(&poll, 1, 2000) > 0 else { break }
                let count = read(master, &buffer, buffer.count)
                if count <= 0 { break }
                received.append(contentsOf: buffer[..<count])
            }
        }
        reader.start()
        try Self.gloss(home, command + ["-o", device])
        #expect(eventually(within: 10) { reader.isFinished })
        close(slave)
        #expect(Self.mode(device) & S_IFMT == S_IFCHR, "the device was replaced")
        #expect(String(decoding: received, as: UTF8.self).contains(command[0] == "ops" ? "operations" : "a note for the brief"))
    }

    @Test("a folder is refused as a mistake on the command line, and a missing folder is named")
    func folders() throws {
        let scratch = Scratch()
        let home = try Self.replica(scratch)
        for command in Self.commands {
            let folder = try CLI.run("gloss", ["--home", home.path] + command + ["-o", scratch.url.path])
            #expect(folder.status == 64)
            #expect(folder.stderr.contains("is a folder"))
            let missing = try CLI.run("gloss", ["--home", home.path] + command + ["-o", scratch.path("no/such/brief.md").path])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("does not exist"), "\(missing.stderr)")
        }
    }
}
