import ArgumentParser
import GlossCore

extension Role: ExpressibleByArgument {}

/// `gloss-server member …`
struct MemberCommand: AdminCommand {
    static let configuration = CommandConfiguration(
        commandName: "member",
        abstract: "Add users to workspaces, list and remove them.",
        discussion: """
            Example:
              gloss-server --db team.sqlite member add intel alice --role member
              gloss-server --db team.sqlite member list intel
              gloss-server --db team.sqlite member remove intel alice
            """,
        subcommands: [Add.self, List.self, Remove.self]
    )

    @OptionGroup var global: ServerOptions

    struct Add: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a user a member of a workspace, or change their role.",
            discussion: """
                Roles: reader (reads only), member (annotates, replies, tags, resolves), admin.

                Example:
                  gloss-server --db team.sqlite member add intel alice --role member
                """
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The workspace.", transform: Names.workspace) var workspace: WorkspaceName
        @Argument(help: "The user.", transform: Names.user) var user: UserName
        @Option(help: "reader, member or admin.") var role: Role = .member

        func run() async throws {
            try await reporting {
                try await global.withStore { try await $0.setMember(user, of: workspace, role: role) }
                try global.emit("\(user) is now \(role.rawValue) of '\(workspace)'",
                                json: Sync.WhoAmI.Membership(workspace: workspace, role: role))
            }
        }
    }

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a workspace's members and their roles.",
            discussion: """
                Example:
                  gloss-server --db team.sqlite member list intel
                  gloss-server --db team.sqlite member list intel --json
                """
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The workspace.", transform: Names.workspace) var workspace: WorkspaceName

        func run() async throws {
            try await reporting {
                let members = try await global.withStore { try await $0.members(of: workspace) }
                let table = TextTable(headers: ["USER", "ROLE"], rows: members.map { [$0.user.rawValue, $0.role.rawValue] })
                try global.emit(members.isEmpty ? "'\(workspace)' has no members yet; add one with `gloss-server member add \(workspace) USER`"
                                    : table.text, json: members)
            }
        }
    }

    struct Remove: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a user from a workspace.",
            discussion: "Example:\n  gloss-server --db team.sqlite member remove intel alice"
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The workspace.", transform: Names.workspace) var workspace: WorkspaceName
        @Argument(help: "The user.", transform: Names.user) var user: UserName

        func run() async throws {
            try await reporting {
                guard try await global.withStore({ try await $0.removeMember(user, from: workspace) }) else {
                    throw CommandFailure(.notFound, "\(user) is not a member of '\(workspace)'", hint: "nothing to remove")
                }
                try global.emit("removed \(user) from '\(workspace)'", json: ["removed": user.rawValue, "workspace": workspace.rawValue])
            }
        }
    }
}
