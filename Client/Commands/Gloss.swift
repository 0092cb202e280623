import ArgumentParser
import GlossCore

/// `gloss`: the analyst's offline-first annotation client.
public struct Gloss: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "gloss",
        abstract: "Annotate situation reports offline; merge with your team later.",
        discussion: """
            Every command works offline on a local replica (one SQLite file in --home). \
            Changes are operations that merge without loss: exchange them by file \
            (`gloss ops export` / `gloss ops apply`) and every replica ends up the same.

            A first session:
              gloss init --user alice
              gloss import Examples/reports/rare-earths-export-controls.txt
              gloss annotate 4f2a --quote "rare earth" --occurrence 1 --comment "Check volumes" --tag supply-chain
              gloss show 4f2a
              gloss export --format markdown -o brief.md

            Ids are shown short; any unique prefix works. Add --json to any command for scripts.
            """,
        subcommands: [
            Init.self, Import.self, Reports.self, Show.self,
            Annotate.self, Reply.self, Edit.self, Tag.self, Resolve.self, Delete.self,
            List.self, Conflicts.self, Search.self, Log.self, Export.self, Ops.self,
            Remote.self, SyncCommand.self, Status.self,
        ]
    )

    /// Declared here too, so `gloss --home DIR COMMAND` works as well as `gloss COMMAND --home DIR`.
    @OptionGroup var global: GlobalOptions

    public init() {}

    /// Runs the command line. A command named first (`gloss annotate …`, as nearly every call
    /// is; `--home`/`--json` may come before it, as every such command takes them too), with no
    /// subcommands and `gloss` as its super-command, is parsed as the root itself: ArgumentParser
    /// then skips the rest of the tree and its check for `--generate-completion-script`, about a
    /// sixth of the instructions of a `gloss annotate`. Anything that does not parse cleanly that
    /// way (`--help`, a mistake) or names no command (`gloss help …`) goes through `gloss` as
    /// always, so help and errors read the same.
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        var global: [String] = [], rest = arguments[...]
        while let first = rest.first {
            if first == "--json" || first.hasPrefix("--home=") {
                global.append(first); rest = rest.dropFirst()
            } else if first == "--home", rest.count > 1 {
                global += rest.prefix(2); rest = rest.dropFirst(2)
            } else {
                break
            }
        }
        if let name = rest.first,
           let command = configuration.subcommands.first(where: { $0.configuration.commandName == name }),
           command.configuration._superCommandName == configuration.commandName, command.configuration.subcommands.isEmpty,
           var parsed = try? command.parseAsRoot(global + rest.dropFirst()) {
            do { try parsed.run() } catch { command.exit(withError: error) }
            return
        }
        main(arguments)
    }
}
