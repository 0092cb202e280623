import ArgumentParser
import GlossCore

/// `gloss-server token …`
struct TokenCommand: AdminCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Issue and revoke bearer tokens.",
        discussion: "Example:\n  gloss-server --db team.sqlite token issue alice\n  gloss-server --db team.sqlite token revoke gls_…",
        subcommands: [Issue.self, Revoke.self]
    )

    @OptionGroup var global: ServerOptions

    /// Makes a token for `user` and stores its hash.
    static func issue(for user: UserName, in store: some SyncStore) async throws -> BearerToken {
        let token = BearerToken.generate()
        try await store.addToken(StoredToken(id: token.id, user: user, secretHash: token.secretHash,
                                             created: Names.millisNow(), revoked: nil))
        return token
    }

    struct Issue: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue another token for a user.",
            discussion: """
                The token is printed once, as the last line; only its hash is kept.

                Example:
                  gloss-server --db team.sqlite token issue alice
                """
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The user the token is for.", transform: Names.user) var user: UserName

        func run() async throws {
            try await reporting {
                let token = try await global.withStore { try await TokenCommand.issue(for: user, in: $0) }
                try global.emit("new token for \(user) (shown once):\n\(token.text)",
                                json: IssuedToken(user: user, id: token.id, token: token.text))
            }
        }
    }

    struct Revoke: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token; it is refused from the next request on.",
            discussion: """
                Accepts the full token or its public id (the 16 hex digits after `gls_`).

                Example:
                  gloss-server --db team.sqlite token revoke 3f9a1c2b7d4e8a10
                """
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The token (gls_…) or its public id.") var token: String

        var tokenID: String? {
            if let full = BearerToken(token) { return full.id }
            let bare = token.hasPrefix(BearerToken.prefix) ? String(token.dropFirst(BearerToken.prefix.count)) : token
            return BearerToken.isID(bare) ? bare : nil
        }

        func validate() throws {
            guard tokenID != nil else {
                throw ValidationError("'\(token)' is neither a token (gls_<id>_<secret>) nor a token id (16 hex digits)")
            }
        }

        func run() async throws {
            try await reporting {
                guard let id = tokenID else { return }
                guard try await global.withStore({ try await $0.revokeToken(id: id, now: Names.millisNow()) }) else {
                    throw CommandFailure(.notFound, "no token with id \(id)", hint: "check the id: it is the 16 hex digits after `gls_`")
                }
                try global.emit("revoked token \(id)", json: ["revoked": id])
            }
        }
    }
}
