import ArgumentParser
import GlossCore

/// `gloss-server user …`
struct UserCommand: AdminCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, list and remove users.",
        discussion: """
            Example:
              gloss-server --db team.sqlite user add alice
              gloss-server --db team.sqlite user list
              gloss-server --db team.sqlite user remove alice
            """,
        subcommands: [Add.self, List.self, Remove.self, Keys.self]
    )

    @OptionGroup var global: ServerOptions

    /// `gloss-server user add NAME`: creates the user and issues their first token.
    struct Add: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user and issue their first token.",
            discussion: """
                The token is printed once, as the last line; only its hash is kept. Give it to the \
                user, who hands it to `gloss remote add` on standard input or in GLOSS_TOKEN.

                Example:
                  gloss-server --db team.sqlite user add alice
                """
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The user's name: a–z, digits, '-', '_', '.', '@' (upper case is taken as lower).",
                  transform: Names.user) var name: UserName

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

    /// `gloss-server user list`
    struct List: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the users, their valid tokens and their workspaces.",
            discussion: """
                Removed users are listed too, marked: their names stay taken.

                Example:
                  gloss-server --db team.sqlite user list
                  gloss-server --db team.sqlite user list --json
                """
        )

        @OptionGroup var global: ServerOptions

        func run() async throws {
            try await reporting {
                let users = try await global.withStore { try await $0.users() }
                let table = TextTable(headers: ["USER", "TOKENS", "WORKSPACES", "CREATED", "REMOVED"], rows: users.map { user in
                    [user.name.rawValue, "\(user.activeTokens)", user.workspaces.isEmpty ? "-" : user.workspaces.map(\.rawValue).joined(separator: ", "),
                     TextTable.time(user.created), user.removed.map(TextTable.time) ?? "-"]
                }, numeric: [1])
                try global.emit(users.isEmpty ? "no users yet; add one with `gloss-server user add NAME`" : table.text, json: users)
            }
        }
    }

    /// `gloss-server user remove NAME`
    struct Remove: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a user: revoke their tokens and end their memberships.",
            discussion: """
                Their tokens are refused from the next request on. Their operations stay: the \
                history is the team's, and teammates keep pulling what they wrote. The name stays \
                taken (their notes carry it), so it is never given to someone else.

                Example:
                  gloss-server --db team.sqlite user remove alice
                """
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The user.", transform: Names.user) var name: UserName

        func run() async throws {
            try await reporting {
                let removal = try await global.withStore { try await $0.removeUser(name, now: Names.millisNow()) }
                let left = removal.leftWorkspaces.isEmpty ? "no workspaces" : "left " + removal.leftWorkspaces.map { "'\($0)'" }.joined(separator: ", ")
                try global.emit("""
                    removed user \(name): \(removal.revokedTokens.count) token(s) revoked, \(left)
                    their operations stay in the team's history
                    """, json: removal)
            }
        }
    }
}

/// The `--json` form of a new token.
struct IssuedToken: Codable {
    var user: UserName
    var id: String
    var token: String

}

extension UserCommand {
    /// `gloss-server user keys NAME --workspace W`
    struct Keys: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the device keys the workspace's root bound to a user.",
            discussion: """
                A key the user does not recognise as one of their devices is a warning sign: \
                whoever holds it signs as them.

                Example:
                  gloss-server --db team.sqlite user keys alice --workspace intel
                """
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The user.", transform: Names.user) var name: UserName
        @Option(help: "The workspace.", transform: Names.workspace) var workspace: WorkspaceName

        struct Out: Encodable { var user: UserName; var workspace: WorkspaceName; var key: String; var keyID: String; var bound: Int64; var revoked: Int64? }

        func run() async throws {
            try await reporting {
                let (bindings, revocations) = try await global.withStore { store in
                    (try await store.bindings(in: workspace), try await store.revocations(in: workspace))
                }
                let keys = bindings.filter { $0.user == name }.map { binding in
                    Out(user: binding.user, workspace: binding.workspace, key: binding.key.text, keyID: binding.key.keyID, bound: binding.issued,
                        revoked: revocations.filter { $0.key == binding.key }.map(\.issued).min())
                }
                let table = TextTable(headers: ["KEY ID", "KEY", "BOUND", "REVOKED"], rows: keys.map {
                    [$0.keyID, $0.key, TextTable.time($0.bound), $0.revoked.map(TextTable.time) ?? "-"]
                })
                try global.emit(keys.isEmpty ? "no keys bound to \(name) in '\(workspace)'; bind one with `gloss-server keys bind --workspace \(workspace) --user \(name) --key KEY`" : table.text,
                                json: keys)
            }
        }
    }
}
