import ArgumentParser
import Foundation
import GlossCore

/// `gloss-server`: the team sync server and the admin commands that manage its database.
@main
struct GlossServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss-server",
        abstract: "The Gloss team sync server and its administration.",
        discussion: """
            Admin commands work on the database directly; run them on the server's machine. The
            store is a SQLite file (--db, the default) or a PostgreSQL database (--postgres URL),
            which several `serve` instances can share.

            Example:
              gloss-server --db team.sqlite user add alice
              gloss-server --db team.sqlite workspace create intel
              gloss-server --db team.sqlite member add intel alice --role member
              gloss-server --db team.sqlite serve --port 8080
              gloss-server --postgres postgres://gloss@127.0.0.1:5432/gloss serve --port 8081
            """,
        subcommands: [ServeCommand.self, UserCommand.self, TokenCommand.self, WorkspaceCommand.self, MemberCommand.self,
                      MigrateStoreCommand.self]
    )

    @OptionGroup var global: ServerOptions
}

/// Options every command takes, before or after the subcommand's name.
struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: "The server's SQLite database file (the default store).")
    var db: String = "gloss-server.sqlite"

    @Option(name: .long, help: ArgumentHelp("Use a PostgreSQL database instead of --db, for several instances behind a load balancer.",
                                            valueName: "postgres://USER@HOST:PORT/DATABASE"))
    var postgres: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of text for people.")
    var json = false

    /// Which store the options name.
    var location: StoreLocation {
        get throws {
            if let postgres { return .postgres(try PostgresURL(postgres)) }
            return .sqlite(db)
        }
    }

    /// Opens the store, runs `body` with it, and closes it.
    func withStore<T>(_ body: (any SyncStore) async throws -> T) async throws -> T {
        try await location.withStore(body)
    }

    /// Prints `text` for people or `value` as one line of JSON.
    func emit(_ text: String, json value: some Encodable) throws {
        print(json ? try JSON.string(value) : text)
    }
}

/// A command failure: the message and hint go to stderr, the exit code is non-zero.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var hint: String?

    init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    init(_ error: StoreError) { self.init(error.message, hint: error.hint) }

    var description: String { hint.map { "\(message)\nhint: \($0)" } ?? message }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning store errors into a message and hint on stderr and exit code 1.
    func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as StoreError {
            try fail(CommandFailure(error))
        } catch let error as CommandFailure {
            try fail(error)
        }
    }

    private func fail(_ failure: CommandFailure) throws -> Never {
        FileHandle.standardError.write(Data("error: \(failure.description)\n".utf8))
        throw ExitCode.failure
    }
}

/// User and workspace names as every command takes them: in their canonical form
/// (``IdentityName``: ASCII, lower case), so `Alice` names the user `alice` and a look-alike
/// from another script is refused before it reaches the store.
enum Names {
    static func user(_ raw: String) throws -> String { try canonical(raw, as: "user") }
    static func workspace(_ raw: String) throws -> String { try canonical(raw, as: "workspace") }

    static func canonical(_ raw: String, as what: String) throws -> String {
        do { return try IdentityName.canonical(raw) } catch {
            throw ValidationError("not a valid \(what) name: \(error)")
        }
    }

    static func millisNow() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
