import ArgumentParser
import GlossCore

/// `gloss-server workspace …`
struct WorkspaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace",
        abstract: "Manage workspaces.",
        discussion: "Example:\n  gloss-server --db team.sqlite workspace create intel",
        subcommands: [Create.self]
    )

    @OptionGroup var global: ServerOptions

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a workspace.",
            discussion: "Example:\n  gloss-server --db team.sqlite workspace create intel"
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The workspace's name: a–z, digits, '-', '_', '.', '@'.", transform: Names.workspace) var name: String


        func run() async throws {
            try await reporting {
                try await global.withStore { try await $0.createWorkspace(name, now: Names.millisNow()) }
                try global.emit("created workspace '\(name)'", json: ["workspace": name])
            }
        }
    }
}
