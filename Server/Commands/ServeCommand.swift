import ArgumentParser
import Foundation
import GlossCore
import Hummingbird
import Logging
import NIOCore

/// `gloss-server serve`: runs the HTTP server until SIGTERM or SIGINT.
struct ServeCommand: AdminCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the sync server.",
        discussion: """
            Prints "listening on http://HOST:PORT" once it accepts connections (with --port 0, the
            port it picked). On SIGTERM or SIGINT it answers "not ready" on /health/ready for
            --drain seconds, then finishes the requests in flight, ends long polls and exits.

            With --postgres, several instances can serve one team behind a load balancer; a push
            through one wakes `gloss sync --watch` on all of them (LISTEN/NOTIFY).

            Health and metrics, without a token: GET /health/live, /health/ready, /metrics.

            Like every admin command, it refuses a database that does not exist (a mistyped --db \
            would otherwise serve a new, empty team): make it with `gloss-server init`, or pass --create.

            Example:
              gloss-server --db team.sqlite serve --host 0.0.0.0 --port 8080
              gloss-server --postgres postgres://gloss@db.internal/gloss serve --port 8080 --drain 5
            """
    )

    @OptionGroup var global: ServerOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 8080

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(help: ArgumentHelp("Close a connection that sends no request (or only part of one) for this many seconds; a request body must arrive within it too.",
                               valueName: "seconds"))
    var idleTimeout = 30

    @Option(help: ArgumentHelp("Most connections one client address may hold open at once.", valueName: "count"))
    var maxConnectionsPerClient = 256

    @Option(help: ArgumentHelp("Most connections open at once in all (long polls included); by default the open-file limit, raised to its maximum, less 128.",
                               valueName: "count"))
    var maxConnections: Int?

    @Option(help: ArgumentHelp("Operations a second one member may push, sustained; 0 for no limit. A push over it is refused with 429 and Retry-After, and gloss sync waits and pushes again.",
                               valueName: "ops"))
    var pushRate = 2_000

    @Option(help: ArgumentHelp("Operations one member may push at once before --push-rate applies (an analyst back from weeks offline).",
                               valueName: "ops"))
    var pushBurst = 50_000

    @Option(help: ArgumentHelp("Operations a second all the members of one workspace may push together, sustained; 0 for no limit.",
                               valueName: "ops"))
    var workspacePushRate = 10_000

    @Option(help: ArgumentHelp("After SIGTERM, answer \"not ready\" for this many seconds before stopping, so a load balancer moves clients away first.",
                               valueName: "seconds"))
    var drain = 0

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be 1…3600 seconds") }
        guard maxConnectionsPerClient >= 1 else { throw ValidationError("--max-connections-per-client must be at least 1") }
        guard (0...600).contains(drain) else { throw ValidationError("--drain must be 0…600 seconds") }
        guard maxConnections.map({ $0 >= 1 }) ?? true else { throw ValidationError("--max-connections must be at least 1") }
        guard pushRate >= 0, workspacePushRate >= 0 else { throw ValidationError("--push-rate and --workspace-push-rate are 0 (no limit) or more") }
        guard pushBurst >= Sync.Limits.maxPushOperations else {
            throw ValidationError("--push-burst must be at least \(Sync.Limits.maxPushOperations), the most operations one push may carry")
        }
    }

    /// The quotas the options give: bytes follow operations at 4 KiB each (a note with a long comment).
    var quota: PushQuota {
        PushQuota(memberOperations: .init(perSecond: Double(pushRate), burst: Double(pushBurst)),
                  memberBytes: pushRate == 0 ? .unlimited : .init(perSecond: Double(pushRate) * 4096, burst: Double(pushBurst) * 4096),
                  workspaceOperations: workspacePushRate == 0 ? .unlimited
                      : .init(perSecond: Double(workspacePushRate), burst: Double(max(pushBurst, workspacePushRate * 20))))
    }

    func run() async throws {
        try await reporting {
            let configuration = ServerConfiguration(
                host: host, port: port, store: try global.location, opening: global.opening, logLevel: Logger.Level(rawValue: logLevel) ?? .info,
                idleTimeout: .seconds(idleTimeout), maxConnectionsPerAddress: maxConnectionsPerClient, maxConnections: maxConnections,
                pushQuota: quota, drain: .seconds(drain),
                onListening: { host, port in
                    // Unbuffered, so a script waiting for this line sees it at once.
                    FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
                }
            )
            do {
                try await runServer(configuration)
            } catch {
                throw Self.listeningFailure(error, host: host, port: port) ?? error
            }
        }
    }

    /// Why the server could not listen, in the words of the other failures: NIO's own
    /// (`bind(descriptor:ptr:bytes:): Address already in use`) name its internals.
    static func listeningFailure(_ error: any Error, host: String, port: Int) -> CommandFailure? {
        switch error {
        case let error as IOError where error.errnoCode == EADDRINUSE:
            CommandFailure(.failure, "port \(port) is in use (another gloss-server?); choose another with --port",
                           hint: "`--port 0` picks a free one and prints it")
        case let error as IOError where error.errnoCode == EADDRNOTAVAIL:
            CommandFailure(.failure, "\(host) is not an address of this machine",
                           hint: "listen on one of its addresses with --host: 127.0.0.1 for this machine only, 0.0.0.0 for every network")
        case let error as IOError where error.errnoCode == EACCES:
            CommandFailure(.failure, "port \(port) needs administrator rights on this machine; choose one above 1023 with --port")
        case is SocketAddressError.UnknownHost:
            CommandFailure(.failure, "unknown host '\(host)': no address has that name",
                           hint: "give --host an address (127.0.0.1, 0.0.0.0) or a name this machine resolves")
        default: nil
        }
    }
}
