import ArgumentParser
import GlossCore

/// `gloss-server workspace …`
struct WorkspaceCommand: AdminCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace",
        abstract: "Create and list workspaces.",
        discussion: """
            Example:
              gloss-server --db team.sqlite workspace create intel
              gloss-server --db team.sqlite workspace list
            """,
        subcommands: [Create.self, List.self]
    )

    @OptionGroup var global: ServerOptions

    struct Create: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a workspace.",
            discussion: "Example:\n  gloss-server --db team.sqlite workspace create intel"
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The workspace's name: a–z, digits, '-', '_', '.', '@'.", transform: Names.workspace) var name: WorkspaceName

        func run() async throws {
            try await reporting {
                try await global.withStore { try await $0.createWorkspace(name, now: Names.millisNow()) }
                try global.emit("created workspace '\(name)'", json: ["workspace": name])
            }
        }
    }

    /// `gloss-server workspace list`
    struct List: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the workspaces, their members and operations.",
            discussion: """
                Example:
                  gloss-server --db team.sqlite workspace list
                  gloss-server --db team.sqlite workspace list --json
                """
        )

        @OptionGroup var global: ServerOptions

        func run() async throws {
            try await reporting {
                let workspaces = try await global.withStore { try await $0.workspaces() }
                let table = TextTable(headers: ["WORKSPACE", "MEMBERS", "OPERATIONS", "CREATED"], rows: workspaces.map {
                    [$0.name.rawValue, "\($0.members)", "\($0.operations)", TextTable.time($0.created)]
                }, numeric: [1, 2])
                try global.emit(workspaces.isEmpty ? "no workspaces yet; create one with `gloss-server workspace create NAME`" : table.text,
                                json: workspaces)
            }
        }
    }
}
