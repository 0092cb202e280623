import ArgumentParser
import GlossCore

/// `gloss-server user …`
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users.",
        discussion: "Example:\n  gloss-server --db team.sqlite user add alice",
        subcommands: [Add.self]
    )

    @OptionGroup var global: ServerOptions

    /// `gloss-server user add NAME`: creates the user and issues their first token.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user and issue their first token.",
            discussion: """
                The token is printed once, as the last line; only its hash is kept.

                Example:
                  gloss-server --db team.sqlite user add alice
                """
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The user's name: a–z, digits, '-', '_', '.', '@' (upper case is taken as lower).",
                  transform: Names.user) var name: String

        func run() async throws {
            try await reporting {
                let token = try await global.withStore { store in
                    try await store.addUser(name, now: Names.millisNow())
                    return try await TokenCommand.issue(for: name, in: store)
                }
                try global.emit("created user \(name); their token (shown once, give it to \(name)):\n\(token.text)",
                                json: IssuedToken(user: name, id: token.id, token: token.text))
            }
        }
    }
}

/// The `--json` form of a new token.
struct IssuedToken: Codable {
    var user: String
    var id: String
    var token: String
}
