import ArgumentParser
import Foundation
import GlossCore
import GlossReplica
import Hummingbird
import Logging
import NIOCore

/// `gloss open`: the reader page over this replica, served by gloss itself on loopback.
struct Open: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Read and annotate in your browser: a local page over this replica.",
        discussion: """
            Starts a web server inside gloss on 127.0.0.1, prints its address and opens it in \
            your browser. Read a report with everyone's notes in the margin; select text to \
            highlight, comment, tag or judge it; reply, edit, resolve and settle carried notes \
            in review. It works offline: the page is served from your replica, and changes \
            made anywhere (another gloss command, a sync) show within a second. With a team \
            server, the Sync control runs `gloss sync`, and --watch keeps syncing as \
            `gloss sync --watch` does.

            The address holds a secret, exchanged on first load for a cookie: keep it to \
            yourself. Ctrl-C stops the server.

            Examples:
              gloss open
              gloss open 4f2a
              gloss open --watch --port 8421 --no-browser
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Open this report (id or prefix) rather than the list.") var report: String?
    @Option(help: "Serve on this port (default: a free one).") var port: Int?
    @Flag(help: "Print the address only; do not start a browser.") var noBrowser = false
    @Flag(help: "Keep syncing with the team server while the page is open (gloss sync --watch).") var watch = false

    func validate() throws {
        if let port, !(1...65_535).contains(port) {
            throw ValidationError("--port must be 1…65535 (leave it out for a free one)")
        }
    }

    func execute() async throws {
        let stop = StopSignal()
        let replica = try global.openReplica()
        let fragment = try report.map { "#/report/\(try replica.resolveReport($0).rawValue)" } ?? ""
        if watch, try replica.meta().remoteURL.isEmpty {
            throw CLIFailure(.invalidArgument, "--watch needs a team server, and this replica has none",
                             hint: "run `gloss remote add URL --workspace W < token.txt` first, or open without --watch")
        }
        let program = Self.program()
        let changes = ReplicaChanges(replica: replica)
        let secret = ReaderGuard<BasicRequestContext>.token(), session = ReaderGuard<BasicRequestContext>.token()
        let home = global.homeURL, json = global.json, noBrowser = noBrowser
        // The guard needs the port before the router is built: take a free one first, unless given.
        let chosen = try port ?? Self.freePort()
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ReaderGuard(secret: secret, session: session, port: chosen))
        ReaderAPI(replica: replica, changes: changes, program: program, home: home).addRoutes(to: router)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: chosen), serverName: "gloss"),
            onServerRunning: { channel in
                let url = "http://127.0.0.1:\(channel.localAddress?.port ?? chosen)/?secret=\(secret)\(fragment)"
                if json {
                    // One line: a long-running command's output is read as it comes.
                    struct Out: Encodable { var url: String }
                    if let line = try? JSON.encode(Out(url: url)) { Output.line(String(decoding: line, as: UTF8.self)) }
                } else {
                    Output.line("Gloss is open at \(url)")
                    Output.line(Output.dim("Keep this address to yourself (it holds a secret). Ctrl-C stops the page."))
                }
                Output.flush()
                if !noBrowser { Self.startBrowser(url) }
            },
            logger: .init(label: "gloss-open", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let watcher = watch ? try Self.startWatch(program: program, home: home) : nil
        defer {
            if let watcher, watcher.isRunning {
                watcher.terminate()
                watcher.waitUntilExit()
            }
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await application.runService() }
                group.addTask { await stop.wait() }
                _ = try await group.next()
                group.cancelAll()
            }
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw CLIFailure(.invalidArgument, "port \(chosen) is in use", hint: "choose another with --port, or leave it out for a free one")
        }
        if !json { Output.line("stopped") }
    }

    /// The running `gloss`, to run its own commands from the page (the Sync control, --watch).
    static func program() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// A free loopback port, asked of the kernel.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLIFailure(.storage, "cannot open a socket", hint: "give --port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw CLIFailure(.storage, "cannot find a free port", hint: "give one with --port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `xdg-open URL` where there is one, detached; no browser is no failure (the URL is printed).
    static func startBrowser(_ url: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", url]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
    }

    /// `gloss sync --watch` beside the page, for as long as it is open.
    static func startWatch(program: String, home: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["--home", home.path, "sync", "--watch"]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }
}
