import ArgumentParser
import GlossCore
import GlossReplica

/// A `gloss` command: its work is `execute()`; its failures reach the analyst as one clear
/// message and a hint (``Output/fail(_:json:)``), and scripts read the exit code.
protocol GlossCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    func execute() async throws
}

extension GlossCommand {
    func run() async throws {
        do {
            try await execute()
        } catch let error as ExitCode {
            throw error
        } catch is CancellationError {
            throw ExitCode(130)
        } catch {
            let failure = CLIFailure(error)
            Output.fail(failure, json: global.json)
            throw ExitCode(failure.exitCode)
        }
    }
}
