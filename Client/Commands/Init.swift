import ArgumentParser
import GlossCore
import GlossReplica

struct Init: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a local replica for an analyst.",
        discussion: """
            Creates the replica file in the Gloss home. Everything you do is stamped with this \
            user name. The workspace can also be set later, by `gloss remote add`.

            Example:
              gloss --home ~/work/gloss init --user alice
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Your user name, as your team knows you (letters, digits, - _ . @).") var user: String
    @Option(help: "The team workspace this replica belongs to.") var workspace: String = ""

    func execute() throws {
        let replica = try Replica.create(home: global.homeURL, user: user, workspace: workspace)
        let meta = try replica.meta()
        struct Out: Encodable { var home: String; var user: UserName; var workspace: WorkspaceName }
        if global.json {
            try Output.json(Out(home: global.homeURL.path, user: meta.user, workspace: meta.workspace))
        } else {
            Output.line("Created a replica for \(Output.bold(meta.user.rawValue)) in \(global.homeURL.path).")
            Output.line("Next: gloss import FILE...")
        }
    }
}
