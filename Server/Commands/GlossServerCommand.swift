import ArgumentParser
import Foundation
import GlossCommandLine
import GlossCore

/// `gloss-server`: the team sync server and the admin commands that manage its database.
@main
struct GlossServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss-server",
        abstract: "The Gloss team sync server and its administration.",
        discussion: """
            Admin commands work on the database directly; run them on the server's machine. The \
            store is a SQLite file (--db FILE) or a PostgreSQL database (--postgres URL), which \
            several `serve` instances can share. Every command needs one of them, and it must \
            exist: `init` makes a new team's database, and --create lets any other command make it.

            Exit codes: 0 done, 1 failed, 3 not found, 4 not allowed, 64 wrong usage. With \
            --json, a failure is one JSON object on stderr: {"error", "code", "hint"}.

            Example:
              gloss-server init --db team.sqlite
              gloss-server --db team.sqlite user add alice
              gloss-server --db team.sqlite workspace create intel
              gloss-server --db team.sqlite member add intel alice --role member
              gloss-server --db team.sqlite serve --port 8080
              gloss-server --postgres postgres://gloss@127.0.0.1:5432/gloss serve --port 8081
            """,
        version: GlossVersion.string,
        subcommands: [InitCommand.self, ServeCommand.self, UserCommand.self, TokenCommand.self, WorkspaceCommand.self, MemberCommand.self, KeysCommand.self, QuarantineCommand.self,
                      MigrateStoreCommand.self]
    )

    @OptionGroup var global: ServerOptions

    static func main() async {
        await CommandLineMain.run(GlossServerCommand.self, valueOptions: ["--db", "--postgres"], usageCode: CommandFailure.Kind.usage.rawValue)
    }
}

/// Options every command takes, before or after the subcommand's name.
struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The team's SQLite database file; it must exist (see `init` and --create).", valueName: "file"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Use a PostgreSQL database instead of --db, for several instances behind a load balancer.",
                                            valueName: "postgres://USER@HOST:PORT/DATABASE"))
    var postgres: String?

    @Flag(name: .long, help: "Make the team database (empty) when it does not exist yet; without it a missing one is refused.")
    var create = false

    @Flag(name: .long, help: "Print JSON for scripts instead of text for people.")
    var json = false

    /// Which store the options name. There is no default file: a command run in the wrong
    /// folder must not make a database there.
    var location: StoreLocation {
        get throws {
            switch (db, postgres) {
            case (nil, let postgres?): return .postgres(try PostgresURL(postgres))
            case (let db?, nil): return .sqlite(db)
            case (_?, _?):
                throw CommandFailure(.usage, "--db and --postgres name two stores; pass one")
            case (nil, nil):
                let here = (try? FileManager.default.contentsOfDirectory(atPath: "."))?.filter { $0.hasSuffix(".sqlite") }.sorted() ?? []
                let guess = here.isEmpty ? "" : "this folder has \(here.joined(separator: ", ")): name one with `--db \(here[0])`; "
                throw CommandFailure(.usage, "no team database named: pass --db FILE or --postgres URL",
                                     hint: "\(guess)a new team's database is made with `gloss-server init --db FILE`")
            }
        }
    }

    /// How commands other than `init` open the store: `--create` may make it.
    var opening: StoreLocation.Opening { create ? .existingOrNew : .existing }

    /// Opens the store (refusing a missing one unless `--create`), runs `body` with it, and closes it.
    func withStore<T>(_ body: (any SyncStore) async throws -> T) async throws -> T {
        try await location.withStore(opening, body)
    }

    /// Prints `text` for people or `value` as one line of JSON.
    func emit(_ text: String, json value: some Encodable) throws {
        print(json ? try JSON.string(value) : text)
    }
}

/// A command failure: the message and hint go to stderr, and the exit code says which kind.
///
/// The codes are the `gloss` client's (`CLIFailure`): 3 not found (the database, a user, a
/// workspace, a token), 4 not allowed (the store refuses: a name taken, a database that already
/// exists, a removed user), 1 any other failure; usage mistakes exit as ArgumentParser's do
/// (`ExitCode.validationFailure`, 64 on Linux and macOS).
struct CommandFailure: Error, CustomStringConvertible {
    /// Stable, for scripts: `--json` failures carry it as `"code"`.
    enum Kind: String, Sendable { case notFound, notAllowed, usage, failure }

    var kind: Kind
    var message: String
    var hint: String?

    init(_ kind: Kind, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    init(_ error: StoreError) {
        let kind: Kind = switch error.code {
        case .notFound: .notFound
        case .conflict: .notAllowed
        case .invalid: .failure
        }
        self.init(kind, error.message, hint: error.hint)
    }

    var exitCode: ExitCode {
        switch kind {
        case .notFound: ExitCode(3)
        case .notAllowed: ExitCode(4)
        case .usage: .validationFailure
        case .failure: .failure
        }
    }

    var description: String { hint.map { "\(message)\nhint: \($0)" } ?? message }
}

/// An admin command: every one takes the ``ServerOptions``.
protocol AdminCommand: AsyncParsableCommand {
    var global: ServerOptions { get }
}

extension AdminCommand {
    /// Runs `body`, turning store errors and command failures into a message and hint on
    /// stderr (one JSON object with --json) and their exit code (``CommandFailure/exitCode``).
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
        FailureText.write(failure.message, code: failure.kind.rawValue, hint: failure.hint, json: global.json)
        throw failure.exitCode
    }
}

/// User and workspace names as every command takes them: in their canonical form
/// (``IdentityName``: ASCII, lower case), so `Alice` names the user `alice` and a look-alike
/// from another script is refused before it reaches the store.
enum Names {
    static func user(_ raw: String) throws -> UserName {
        do { return try UserName(raw) } catch { throw refusal(error, as: "user") }
    }

    static func workspace(_ raw: String) throws -> WorkspaceName {
        do { return try WorkspaceName(raw) } catch { throw refusal(error, as: "workspace") }
    }

    static func refusal(_ error: IdentityName.Refusal, as what: String) -> ValidationError {
        ValidationError("not a valid \(what) name: \(error)")
    }

    static func millisNow() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
