import ArgumentParser
import GlossCore

/// `gloss-server workspace …`
struct WorkspaceCommand: AdminCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace",
        abstract: "Create and list workspaces, and show their root keys.",
        discussion: """
            Example:
              gloss-server --db team.sqlite workspace create intel
              gloss-server --db team.sqlite workspace list
              gloss-server --db team.sqlite workspace root intel
            """,
        subcommands: [Create.self, List.self, Root.self]
    )

    @OptionGroup var global: ServerOptions

    struct Create: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a workspace, and its root key.",
            discussion: """
                The root key binds members' device keys to them; it stays in the store. Give \
                members its public key, printed here, by a channel they trust: they pin it with \
                `gloss keys pin-root KEY`.

                Example:
                  gloss-server --db team.sqlite workspace create intel
                """
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The workspace's name: a–z, digits, '-', '_', '.', '@'.", transform: Names.workspace) var name: WorkspaceName

        func run() async throws {
            try await reporting {
                let root = try await global.withStore { store in
                    try await store.createWorkspace(name, now: Names.millisNow())
                    return try await store.root(of: name, now: Names.millisNow(), make: StoreTrust.makeRoot)
                }
                let key = root.publicKey
                try global.emit("created workspace '\(name)'\nroot key \(key.text) (id \(key.description)); give members its id: "
                                + "gloss remote add URL --workspace \(name) --root \(key.description) pins it (offline: gloss keys pin-root \(key.text))",
                                json: Root.Out(workspace: name, root: key.text, rootID: key.description))
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

    /// `gloss-server workspace root NAME`
    struct Root: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the workspace's root public key, for members to pin.",
            discussion: """
                A workspace made before signed operations gets its root now, and
                the root signs its legacy cutoff at once: the team notes the server
                holds then are taken as from before signing by every replica that
                pins the root, and anything pushed unsigned after it is kept aside
                there. Run it once every member has synced with an upgraded gloss,
                so that no old note arrives after it.

                Example:
                  gloss-server --db team.sqlite workspace root intel
                  # on a member's machine, with the server in reach:
                  gloss remote add URL --workspace intel --root KEY-ID
                  # or with none:
                  gloss keys pin-root $(gloss-server --db team.sqlite workspace root intel)
                """
        )

        @OptionGroup var global: ServerOptions
        @Argument(help: "The workspace.", transform: Names.workspace) var name: WorkspaceName

        struct Out: Encodable { var workspace: WorkspaceName; var root: String; var rootID: String }

        func run() async throws {
            try await reporting {
                let key = try await global.withStore { try await $0.root(of: name, now: Names.millisNow(), make: StoreTrust.makeRoot) }.publicKey
                try global.emit(key.text, json: Out(workspace: name, root: key.text, rootID: key.description))
            }
        }
    }
}
