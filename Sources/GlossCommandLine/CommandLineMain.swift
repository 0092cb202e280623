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
    /// Runs `root` with the process's arguments and exits. A mistyped command is reported as
    /// the program reports a usage mistake (``FailureText``, with the program's `usageCode` in
    /// JSON) and exits 64, as ArgumentParser does. `valueOptions` are the root's options that
    /// take a value.
    public static func run(_ root: ParsableCommand.Type, valueOptions: Set<String>, usageCode: String) async -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let unknown = CommandTree(root).unknownCommand(in: arguments, valueOptions: valueOptions) {
            let place = unknown.path.joined(separator: " ")
            let hint = unknown.suggestions.isEmpty ? "see `\(place) --help` for the commands"
                : "did you mean " + unknown.suggestions.map { "`\(place) \($0)`" }.joined(separator: " or ") + "?"
            FailureText.write("`\(unknown.typed)` is not a \(place) command", code: usageCode, hint: hint, json: arguments.contains("--json"))
            root.exit(withError: ExitCode.validationFailure)
        }
        var command: ParsableCommand
        do {
            command = try root.parseAsRoot(arguments)
        } catch {
            // A mistaken option or argument: with --json, one JSON object like every other
            // failure (ArgumentParser would print its text), naming the command's --help.
            if arguments.contains("--json"), root.exitCode(for: error) != .success {
                let help = root.fullMessage(for: error, columns: 1000).split(separator: "\n")
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                    .first { $0.hasPrefix("See '") && $0.hasSuffix("' for more information.") }
                    .map { "see `" + $0.dropFirst(5).dropLast("' for more information.".count) + "`" }
                FailureText.write(root.message(for: error), code: usageCode, hint: help, json: true)
                root.exit(withError: root.exitCode(for: error))
            }
            root.exit(withError: error)
        }
        do {
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
