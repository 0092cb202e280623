import ArgumentParser
import Foundation
import GlossCore

struct Remote: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Connect this replica to a team server.",
        discussion: """
            Example:
              gloss remote add http://127.0.0.1:8080 --workspace intel --token gls_…
              gloss sync
            """,
        subcommands: [RemoteAdd.self])
}

struct RemoteAdd: AsyncGlossCommand {
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
    @Argument(help: "The server's URL.") var url: String
    @Option(help: "The workspace to sync.") var workspace: String
    @Option(help: "Your access token (from `gloss-server user add` or `token issue`).") var token: String

    func execute() async throws {
        guard let base = URL(string: url), let scheme = base.scheme, ["http", "https"].contains(scheme), base.host != nil else {
            throw GlossError(.invalidArgument, "'\(url)' is not an http(s) URL", hint: "e.g. http://127.0.0.1:8080")
        }
        let replica = try global.openReplica()
        let transport = HTTPTransport(base: base, workspace: workspace, token: token)
        var role: Role?
        do {
            let me = try await transport.whoAmI()
            guard me.user == (try replica.meta().user) else {
                throw GlossError(.forbidden, "the token belongs to \(me.user), but this replica is \(try replica.meta().user)'s",
                                 hint: "use your own token")
            }
            guard let membership = me.memberships.first(where: { $0.workspace == workspace }) else {
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

struct SyncCommand: AsyncGlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Send your changes to the team server and receive everyone else's.",
        discussion: """
            Pushes the operations the server has not acknowledged, then pulls until caught up. \
            Interrupting it loses nothing: run it again. Refused operations (for example, a \
            reader trying to annotate) are listed with the reason and kept locally.

            Examples:
              gloss sync
              gloss sync --watch        # stay connected; pull as soon as a teammate pushes (Ctrl-C stops)
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Keep running: push local changes and pull teammates' as they happen, until Ctrl-C.") var watch = false
    @Flag(help: "Offer refused operations to the server again (after a role change, say).") var retryRefused = false
    @Flag(help: "After fixing this machine's clock: re-issue the changes refused for being stamped in the future.") var restamp = false
    @Flag(help: "List the operations the server refused, and why; sends nothing.") var refused = false
    @Flag(help: "Pull the whole workspace again (repairs a replica; what is already here is recognised).") var full = false
    @Option(help: "Operations per push and per pulled page (smaller suits slow links).") var batchSize = Sync.Limits.defaultPageSize

    func validate() throws {
        guard (1...Sync.Limits.maxPushOperations).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and \(Sync.Limits.maxPushOperations)")
        }
    }

    func execute() async throws {
        let replica = try global.openReplica()
        if refused { return try listRefused(replica) }
        let meta = try replica.meta()
        guard let base = URL(string: meta.remoteURL), !meta.remoteURL.isEmpty else {
            throw GlossError(.invalidArgument, "this replica has no team server", hint: "run `gloss remote add URL --workspace W --token T` first")
        }
        if retryRefused { _ = try replica.retryRefused() }
        if full { try replica.resetPullCursor() }
        if restamp {
            let reissued = try replica.restampRefused()
            if !global.json { Output.line("re-issued \(reissued.count) change(s) with this machine's clock") }
        }
        var session = SyncSession(replica: replica, transport: HTTPTransport(base: base, workspace: meta.workspace, token: meta.remoteToken))
        session.pageSize = batchSize
        session.pushBatch = batchSize
        let progress = ProgressLine(enabled: !global.json)
        do {
            let summary = try await session.run(progress: progress.update)
            progress.finish()
            try SyncPrinter.print(summary, json: global.json)
            if watch { try await Watcher(session: session, json: global.json).run() }
        } catch let error as TransportError {
            progress.finish()
            throw GlossError(.remote, error.message, hint: error.hint)
        }
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
