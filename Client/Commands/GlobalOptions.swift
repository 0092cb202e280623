import ArgumentParser
import Foundation
import GlossCore

/// Options every command takes: where the replica lives, and machine-readable output.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The Gloss home folder holding the replica (default: $GLOSS_HOME, else ~/.gloss).", valueName: "dir"))
    public var home: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of text for people.")
    public var json = false

    public init() {}

    public var homeURL: URL {
        if let home { return URL(fileURLWithPath: (home as NSString).expandingTildeInPath) }
        if let env = ProcessInfo.processInfo.environment["GLOSS_HOME"], !env.isEmpty {
            return URL(fileURLWithPath: (env as NSString).expandingTildeInPath)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".gloss")
    }

    public func openReplica() throws -> Replica {
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
    public var exitCode: Int32 {
        switch self {
        case .notFound: 3
        case .forbidden: 4
        case .badReport, .refused: 5
        default: 1
        }
    }
}
