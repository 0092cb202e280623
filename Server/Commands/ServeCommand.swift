import ArgumentParser
import Foundation
import Hummingbird
import Logging

/// `gloss-server serve`: runs the HTTP server until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the sync server.",
        discussion: """
            Prints "listening on http://HOST:PORT" once it accepts connections (with --port 0, the
            port it picked). Stops gracefully on SIGTERM or SIGINT.

            Example:
              gloss-server --db team.sqlite serve --host 0.0.0.0 --port 8080
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

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be 1…3600 seconds") }
        guard maxConnectionsPerClient >= 1 else { throw ValidationError("--max-connections-per-client must be at least 1") }
    }

    func run() async throws {
        let configuration = ServerConfiguration(
            host: host, port: port, databasePath: global.db, logLevel: Logger.Level(rawValue: logLevel) ?? .info,
            idleTimeout: .seconds(idleTimeout), maxConnectionsPerAddress: maxConnectionsPerClient,
            onListening: { host, port in
                // Unbuffered, so a script waiting for this line sees it at once.
                FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
            }
        )
        try await reporting {
            let app = try await buildApplication(configuration)
            try await app.runService()
        }
    }
}
