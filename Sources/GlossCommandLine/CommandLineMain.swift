import ArgumentParser
import Foundation

extension CommandTree {
    /// The names of a command and its subcommands, as ArgumentParser declares them.
    public init(_ command: ParsableCommand.Type) {
        let configuration = command.configuration
        self.init(names: [configuration.commandName ?? String(describing: command).lowercased()] + configuration.aliases,
                  subcommands: configuration.subcommands.map(CommandTree.init), hasDefault: configuration.defaultSubcommand != nil)
    }
}

/// The `main` of `gloss` and `gloss-server`: ArgumentParser's own, after a look for a mistyped
/// command name (`gloss reprots`), which ArgumentParser would only call an unexpected argument.
/// (Mistyped options it suggests itself.)
public enum CommandLineMain {
    /// Runs `root` with the process's arguments and exits. `refuse` prints a mistyped command's
    /// message and hint the program's way (JSON when `json`); it then exits 64, as ArgumentParser
    /// does for usage mistakes. `valueOptions` are the root's options that take a value.
    public static func run(_ root: ParsableCommand.Type, valueOptions: Set<String>,
                           refuse: @Sendable (_ message: String, _ hint: String, _ json: Bool) -> Void) async -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let unknown = CommandTree(root).unknownCommand(in: arguments, valueOptions: valueOptions) {
            let place = unknown.path.joined(separator: " ")
            let hint = unknown.suggestions.isEmpty ? "see `\(place) --help` for the commands"
                : "did you mean " + unknown.suggestions.map { "`\(place) \($0)`" }.joined(separator: " or ") + "?"
            refuse("`\(unknown.typed)` is not a \(place) command", hint, arguments.contains("--json"))
            root.exit(withError: ExitCode.validationFailure)
        }
        do {
            var command = try root.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            root.exit()
        } catch {
            root.exit(withError: error)
        }
    }
}
