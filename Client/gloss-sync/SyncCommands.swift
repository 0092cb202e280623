import ArgumentParser
import Foundation
import GlossCommands
import GlossCore
import GlossRemote

/// `gloss-sync`: the network half of `gloss`. `gloss sync` and `gloss remote add` check their
/// arguments and then become this program with the same ones, so only these commands load the
/// HTTP stack. Options and help are shared with `gloss` (``SyncOptions``, ``RemoteAddOptions``).
@main
struct GlossSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss-sync",
        abstract: "The team-server half of gloss; run `gloss sync` or `gloss remote add`, which start it.",
        subcommands: [RemoteRun.self, SyncRun.self])

    @OptionGroup var global: GlobalOptions
}

struct RemoteRun: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remote", abstract: "See `gloss remote --help`.",
                                                    subcommands: [RemoteAddRun.self])
}

struct RemoteAddRun: AsyncGlossCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "See `gloss remote add --help`.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: RemoteAddOptions

    func execute() async throws {
        let (url, token) = (options.url, options.token)
        let workspace = try Replica.canonical(workspace: options.workspace)
        guard let base = URL(string: url), let scheme = base.scheme, ["http", "https"].contains(scheme), base.host != nil else {
            throw GlossError(.invalidArgument, "'\(url)' is not an http(s) URL", hint: "e.g. http://127.0.0.1:8080")
        }
        let replica = try global.openReplica()
        let transport = HTTPTransport(base: base, workspace: workspace, token: token)
        var role: Role?
        do {
            let me = try await transport.whoAmI()
            guard IdentityName.same(me.user, try replica.meta().user) else {
                throw GlossError(.forbidden, "the token belongs to \(me.user), but this replica is \(try replica.meta().user)'s",
                                 hint: "use your own token")
            }
            guard let membership = me.memberships.first(where: { IdentityName.same($0.workspace, workspace) }) else {
                throw GlossError(.forbidden, "\(me.user) is not a member of workspace '\(workspace)'",
                                 hint: "member of: \(me.memberships.map(\.workspace).joined(separator: ", ")); ask an admin to add you")
            }
            role = membership.role
        } catch let error as TransportError where error.status == nil {
            Output.warn("warning: \(error.message); saved anyway — `gloss sync` will use it once the server is up")
        } catch let error as TransportError {
            throw GlossError(.remote, error.message, hint: error.hint)
        }
        try replica.bind(remote: base.absoluteString, workspace: workspace, token: token)
        struct Out: Encodable { var url: String; var workspace: String; var role: Role? }
        if global.json { return try Output.json(Out(url: base.absoluteString, workspace: workspace, role: role)) }
        Output.line("remote set: \(base.absoluteString), workspace \(workspace)\(role.map { " (you are \($0.rawValue))" } ?? "")")
        Output.line("Next: gloss sync")
    }
}

struct SyncRun: AsyncGlossCommand {
    static let configuration = CommandConfiguration(commandName: "sync", abstract: "See `gloss sync --help`.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: SyncOptions

    func execute() async throws {
        let replica = try global.openReplica()
        let meta = try replica.meta()
        guard let base = URL(string: meta.remoteURL), !meta.remoteURL.isEmpty else {
            throw GlossError(.invalidArgument, "this replica has no team server", hint: "run `gloss remote add URL --workspace W --token T` first")
        }
        if options.retryRefused { _ = try replica.retryRefused() }
        if options.full { try replica.resetPullCursor() }
        if options.restamp {
            let reissued = try replica.restampRefused()
            if !global.json { Output.line("re-issued \(reissued.count) change(s) with this machine's clock") }
        }
        var session = SyncSession(replica: replica, transport: HTTPTransport(base: base, workspace: meta.workspace, token: meta.remoteToken))
        session.pageSize = options.batchSize
        session.pushBatch = options.batchSize
        let progress = ProgressLine(enabled: !global.json)
        do {
            let summary = try await session.run(progress: progress.update)
            progress.finish()
            try SyncPrinter.print(summary, json: global.json)
            if options.watch { try await Watcher(session: session, json: global.json).run() }
        } catch let error as TransportError {
            progress.finish()
            throw GlossError(.remote, error.message, hint: error.hint)
        }
    }
}

/// A server command whose failures reach the analyst as one clear message and a hint.
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
