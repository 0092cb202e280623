import ArgumentParser
import Foundation
import GlossCore

// `gloss remote add` and `gloss sync` talk to the team server. Their options and help live
// here, with the other commands; their work runs in `gloss-sync`, a helper installed beside
// `gloss` that this process turns into (exec, same process id), as git runs `git-remote-https`.
// So the offline commands never load the HTTP stack (FoundationNetworking, libcurl and some
// twenty libraries behind it) on start-up: it was most of a `gloss annotate` (docs/BENCHMARKS.md).

struct Remote: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Connect this replica to a team server.",
        discussion: """
            Example:
              gloss remote add http://127.0.0.1:8080 --workspace intel --token gls_…
              gloss sync
            """,
        subcommands: [RemoteAdd.self])
}

/// What `gloss remote add` takes; `gloss-sync` parses the same.
public struct RemoteAddOptions: ParsableArguments {
    @Argument(help: "The server's URL.") public var url: String
    @Option(help: "The workspace to sync.") public var workspace: String
    @Option(help: "Your access token (from `gloss-server user add` or `token issue`).") public var token: String

    public init() {}
}

struct RemoteAdd: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Set the team server, workspace and token for `gloss sync`.",
        discussion: """
            Checks the token with the server when it can be reached. Annotations you made before \
            joining a workspace join it now.

            Example:
              gloss remote add http://127.0.0.1:8080 --workspace intel --token gls_…
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: RemoteAddOptions

    func execute() throws {
        try SyncHelper.run()
    }
}

/// What `gloss sync` takes; `gloss-sync` parses the same.
public struct SyncOptions: ParsableArguments {
    @Flag(help: "Keep running: push local changes and pull teammates' as they happen, until Ctrl-C.") public var watch = false
    @Flag(help: "Offer refused operations to the server again (after a role change, say).") public var retryRefused = false
    @Flag(help: "Re-issue, as new changes, those refused for being stamped in the future (after fixing this machine's clock) and unsent ones made before replica ids were claimed (refused as awaiting-claim).") public var restamp = false
    @Flag(help: "List the operations the server refused, and why; sends nothing.") public var refused = false
    @Flag(help: "Pull the whole workspace again (repairs a replica; what is already here is recognised).") public var full = false
    @Option(help: "Operations per push and per pulled page (smaller suits slow links).") public var batchSize = Sync.Limits.clientBatchSize

    public init() {}

    public func validate() throws {
        guard (1...Sync.Limits.maxPushOperations).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and \(Sync.Limits.maxPushOperations)")
        }
    }
}

struct SyncCommand: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        _superCommandName: "gloss",
        abstract: "Send your changes to the team server and receive everyone else's.",
        discussion: """
            Pushes the operations the server has not acknowledged, then pulls until caught up. \
            Interrupting it loses nothing: run it again. Refused operations (for example, a \
            reader trying to annotate) are listed with the reason and kept locally.

            Examples:
              gloss sync
              gloss sync --watch        # stay connected; pull as soon as a teammate pushes (Ctrl-C stops)
              gloss sync --refused      # what the server refused, and why (offline)
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: SyncOptions

    func execute() throws {
        // Listing refusals needs no server: answered here.
        if options.refused { return try listRefused(try global.openReplica()) }
        try SyncHelper.run()
    }

    func listRefused(_ replica: Replica) throws {
        let list = try replica.refusedOperations()
        if global.json { return try Output.json(list) }
        if list.isEmpty { return Output.line("The server has refused nothing.") }
        for r in list {
            Output.line("\(Output.red(r.code.rawValue)) \(r.operation.change.kind) on \(r.operation.annotation.short) (\(r.operation.id)): \(r.reason)")
        }
        Output.line(Output.dim("They are kept here. After the cause is fixed: gloss sync --retry-refused (or --restamp for a clock that was ahead)"))
    }
}

/// Finds `gloss-sync` beside this executable and becomes it, with the same arguments.
enum SyncHelper {
    static let name = "gloss-sync"

    static func run() throws -> Never {
        let here = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let helper = here.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: helper) else {
            throw GlossError(.notFound, "talking to the team server needs \(name), which is not beside gloss in \(here.path)",
                             hint: "install both programs together, e.g. `swift build -c release` and put .build/release on your PATH")
        }
        let argv = ([helper] + CommandLine.arguments.dropFirst()).map { strdup($0) } + [nil]
        execv(helper, argv)
        throw GlossError(.storage, "could not start \(helper): \(String(cString: strerror(errno)))", hint: "check that it is executable")
    }
}
