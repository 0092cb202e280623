import ArgumentParser
import Foundation
import GlossCommandLine
import GlossCore
import GlossReplica

/// `gloss`: the analyst's offline-first annotation client.
@main
struct Gloss: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss",
        abstract: "Annotate situation reports offline; merge with your team later.",
        discussion: """
            Every command works offline on a local replica (one SQLite file in --home). \
            Changes are operations that merge without loss: exchange them by file \
            (`gloss ops export` / `gloss ops apply`) and every replica ends up the same.

            A first session:
              gloss init --user alice
              gloss import Examples/reports/rare-earths-export-controls.txt
              gloss annotate 4f2a --quote "rare earth" --occurrence 1 \\
                --comment "Check volumes" --tag supply-chain
              gloss show 4f2a
              gloss export --format markdown -o brief.md

            Ids are shown short; any unique prefix works. Add --json to any command for scripts.

            \(ExitCodes.table)
            """,
        version: GlossVersion.string,
        subcommands: [
            Init.self, Import.self, Reports.self, Show.self, Open.self,
            Annotate.self, Reply.self, Edit.self, Tag.self, Resolve.self, Delete.self,
            List.self, Conflicts.self, Search.self, Log.self, Export.self, Ops.self,
            Judgments.self, Review.self, Retarget.self, Revisions.self, Remote.self, SyncCommand.self, DigestCommand.self, Status.self,
            WhoAmI.self, Keys.self, Completion.self,
        ]
    )

    /// Declared here too, so `gloss --home DIR COMMAND` works as well as `gloss COMMAND --home DIR`.
    @OptionGroup var global: GlobalOptions

    static func main() async {
        await CommandLineMain.run(Gloss.self, valueOptions: ["--home"], usageCode: CLIFailure.Code.invalidArgument.rawValue)
    }
}
