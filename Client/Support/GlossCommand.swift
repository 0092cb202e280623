import ArgumentParser
import GlossCore
import GlossReplica

/// A `gloss` command: its work is `execute()`; its failures reach the analyst as one clear
/// message and a hint (``Output/fail(_:json:)``), and scripts read the exit code.
protocol GlossCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    func execute() async throws
    /// Whether its output can run long and goes through a ``Pager`` on a terminal.
    static var pagesOutput: Bool { get }
}

extension GlossCommand {
    static var pagesOutput: Bool { false }

    func run() async throws {
        let pager = Self.pagesOutput && !global.json && !global.noPager ? Pager.start() : nil
        defer { pager?.finish() }
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
