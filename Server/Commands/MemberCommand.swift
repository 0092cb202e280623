import ArgumentParser
import GlossCore

extension Role: ExpressibleByArgument {}

/// `gloss-server member …`
struct MemberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member",
        abstract: "Add users to workspaces and remove them.",
        discussion: "Example:\n  gloss-server --db team.sqlite member add intel alice --role member",
        subcommands: [Add.self, Remove.self]
    )

    @OptionGroup var global: ServerOptions

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a user a member of a workspace, or change their role.",
            discussion: """
                Roles: reader (reads only), member (annotates, replies, tags, resolves), admin.

                Example:
                  gloss-server --db team.sqlite member add intel alice --role member
                """
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The workspace.", transform: Names.workspace) var workspace: String
        @Argument(help: "The user.", transform: Names.user) var user: String
        @Option(help: "reader, member or admin.") var role: Role = .member

        func run() async throws {
            try await reporting {
                try await global.withStore { try await $0.setMember(user, of: workspace, role: role) }
                try global.emit("\(user) is now \(role.rawValue) of '\(workspace)'",
                                json: Sync.WhoAmI.Membership(workspace: workspace, role: role))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a user from a workspace.",
            discussion: "Example:\n  gloss-server --db team.sqlite member remove intel alice"
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The workspace.", transform: Names.workspace) var workspace: String
        @Argument(help: "The user.", transform: Names.user) var user: String

        func run() async throws {
            try await reporting {
                guard try await global.withStore({ try await $0.removeMember(user, from: workspace) }) else {
                    throw CommandFailure(.notFound, "\(user) is not a member of '\(workspace)'", hint: "nothing to remove")
                }
                try global.emit("removed \(user) from '\(workspace)'", json: ["removed": user, "workspace": workspace])
            }
        }
    }
}
