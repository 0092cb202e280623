import ArgumentParser
import Foundation
import GlossCore

/// Options every command takes: where the replica lives, and machine-readable output.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The Gloss home folder holding the replica (default: $GLOSS_HOME, else ~/.gloss).", valueName: "dir"))
    var home: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of text for people.")
    var json = false

    var homeURL: URL {
        if let home { return URL(fileURLWithPath: (home as NSString).expandingTildeInPath) }
        if let env = ProcessInfo.processInfo.environment["GLOSS_HOME"], !env.isEmpty {
            return URL(fileURLWithPath: (env as NSString).expandingTildeInPath)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".gloss")
    }

    func openReplica() throws -> Replica {
        try Replica.open(home: homeURL)
    }
}

/// A command whose failures reach the analyst as one clear message and a hint.
protocol GlossCommand: ParsableCommand {
    var global: GlobalOptions { get }
    func execute() throws
}

extension GlossCommand {
    func run() throws {
        do {
            try execute()
        } catch let error as GlossError {
            Output.fail(error, json: global.json)
            throw ExitCode(error.code.exitCode)
        } catch let error as ExitCode {
            throw error
        } catch {
            Output.fail(GlossError(.storage, "\(error)"), json: global.json)
            throw ExitCode.failure
        }
    }
}

extension GlossError.Code {
    /// Exit codes: 1 a general failure, 3 not found, 4 not allowed, 5 some inputs refused.
    var exitCode: Int32 {
        switch self {
        case .notFound: 3
        case .forbidden: 4
        case .badReport, .refused: 5
        default: 1
        }
    }
}

/// The async flavour of ``GlossCommand``, for commands that talk to the server.
protocol AsyncGlossCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    func execute() async throws
}

extension AsyncGlossCommand {
    func run() async throws {
        do {
            try await execute()
        } catch let error as GlossError {
            Output.fail(error, json: global.json)
            throw ExitCode(error.code.exitCode)
        } catch let error as ExitCode {
            throw error
        } catch is CancellationError {
            throw ExitCode(130)
        } catch {
            Output.fail(GlossError(.storage, "\(error)"), json: global.json)
            throw ExitCode.failure
        }
    }
}
