import ArgumentParser
import Foundation
import GlossCore
import GlossRemote
import GlossReplica

struct SyncCommand: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Send your changes to the team server and receive everyone else's.",
        discussion: """
            Pushes the operations the server has not acknowledged, then pulls until caught up. \
            Interrupting it loses nothing: run it again. Refused operations (for example, a \
            reader trying to annotate) are listed with the reason and kept locally, and the \
            sync exits with status 5. Operations the server holds back for now (relayed from \
            a teammate and awaiting their author, say) stay pending and go again next time.

            With --watch it stays: it pushes what other gloss commands record within a second, \
            pulls as soon as a teammate pushes, and when the server restarts or the network \
            drops it says so once and reconnects by itself (retrying after 0.5 s, then less \
            often, up to every 10 s). Ctrl-C or SIGTERM stops it cleanly ("stopped", exit 0, \
            or 5 if something was refused meanwhile); a refused token or a lost membership \
            ends it (exit 4). Each line is written as it happens, also into a file.

            Examples:
              gloss sync
              gloss sync --watch                       # stay connected (Ctrl-C stops)
              gloss sync --watch >> sync.log 2>&1 &    # leave it running in the background
              gloss sync --refused                     # what the server refused, and why
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Keep running: push local changes and pull teammates' as they happen, reconnecting after outages, until Ctrl-C or SIGTERM.") var watch = false
    @Flag(help: "Offer refused operations to the server again (after a role change, say).") var retryRefused = false
    @Flag(help: "Re-issue, as new changes, those refused for being stamped in the future (after fixing this machine's clock) and unsent ones made before replica ids were claimed (refused as awaiting-claim).") var restamp = false
    @Flag(help: "List the operations the server refused, and why, the items of its feed this replica skipped, and the operations kept aside because their signature did not check; sends nothing.") var refused = false
    @Flag(help: "Pull the whole workspace again (repairs a replica; what is already here is recognised).") var full = false
    @Option(help: "Operations per push and per pulled page (smaller suits slow links).") var batchSize = Sync.Limits.clientBatchSize

    func validate() throws {
        guard (1...Sync.Limits.maxPushOperations).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and \(Sync.Limits.maxPushOperations)")
        }
    }

    func execute() async throws {
        // First of all, so that Ctrl-C or SIGTERM during the first sync stops a watch cleanly too.
        let stop = watch ? StopSignal() : nil
        let replica = try global.openReplica()
        // Listing refusals needs no server: answered here.
        if refused { return try listRefused(replica) }
        let meta = try replica.meta()
        guard let base = URL(string: meta.remoteURL), !meta.remoteURL.isEmpty else {
            throw CLIFailure(.invalidArgument, "this replica has no team server", hint: "run `gloss remote add URL --workspace W < token.txt` first")
        }
        let token = try TokenSource.stored(meta.remoteToken, server: RemoteAddress.shown(meta.remoteURL), workspace: meta.workspace)
        if retryRefused { _ = try Actions(replica).retryRefused() }
        if full { try replica.resetPullCursor() }
        if restamp {
            let reissued = try Actions(replica).reissueRefused()
            if !global.json { Output.line("re-issued \(reissued.count) change(s) with this machine's clock") }
        }
        let progress = ProgressLine(enabled: !global.json)
        defer { progress.finish() }
        let refusedForGood: Bool
        do {
            // A watch retries on its own schedule (`Watcher`); the client's own retries would hide an outage for 10 s.
            refusedForGood = try await HTTPTransport.with(base: base, workspace: meta.workspace, token: token,
                                                          retryingConnections: !watch) { transport in
                // A replica that does not know it may write asks first: a reader promoted since
                // (or one whose role was never learned) writes again once this says so.
                if meta.role?.canWrite != true, let me = try? await transport.whoAmI(),
                   let membership = me.memberships.first(where: { $0.workspace == meta.workspace }) {
                    try replica.noteRole(membership.role)
                }
                var session = SyncSession(replica: replica, transport: transport)
                session.pageSize = batchSize
                session.pushBatch = batchSize
                if let stop {
                    return try await Watcher(session: session, json: global.json).run(until: stop, progress: progress).refusedForGood
                }
                let summary = try await session.run(progress: progress.update)
                progress.finish()
                try SyncPrinter.print(summary, json: global.json)
                return summary.refused.contains { !$0.code.isTemporary }
            }
        } catch let error as TransportError {
            throw CLIFailure.words(for: error, server: RemoteAddress.shown(meta.remoteURL), workspace: meta.workspace)
        }
        if refusedForGood {
            if !global.json {
                Output.warn("hint: the server refused some of your changes for good; they are kept here: `gloss sync --refused` lists them and why")
            }
            throw ExitCode(5)
        }
    }

    func listRefused(_ replica: Replica) throws {
        let list = try replica.refusedOperations()
        if global.json {
            // One list: what the server refused for good, then what this replica kept aside
            // because its signature or chain did not check (`keptAside`, with where it came from).
            struct Item: Encodable {
                var operation: GlossCore.Operation
                var code: String
                var reason: String
                var keptAside: Bool
                var source: String?
            }
            let items = list.map { Item(operation: $0.operation, code: $0.code.rawValue, reason: $0.reason, keptAside: false) }
                + (try replica.heldOperations()).map {
                    Item(operation: $0.operation, code: $0.reasonCode, reason: $0.reason?.description ?? $0.reasonCode, keptAside: true, source: $0.source)
                }
            return try Output.json(items)
        }
        let skipped = try replica.skippedFromServer()
        if !skipped.isEmpty {
            Output.line("Skipped from the server's feed (each sync took the rest):")
            for (item, at) in skipped.prefix(20) {
                Output.line("  \(Output.yellow("\(item.kind.rawValue) \(Output.safe(item.id))"))  \(Output.dim("why:")) \(Output.safe(item.reason))  \(Output.dim("(\(Timestamp.iso(at)))"))")
            }
            if skipped.count > 20 { Output.line(Output.dim("  … and \(skipped.count - 20) more")) }
            Output.line(Output.dim("An admin can take such an item out of the workspace: gloss-server quarantine op ID (or report ID) --workspace W"))
        }
        let held = try replica.heldOperations()
        if !held.isEmpty {
            Output.line("Kept aside: their signature or chain did not check, so they are not shown, merged or sent:")
            for h in held.prefix(50) {
                let change = h.operation.change.words(clip: { Output.clip($0, 60) }, field: Output.safe)
                Output.line("\(Output.red(Output.safe(h.reasonCode)))  \(Output.yellow(h.operation.annotation.short))  \(change)")
                let why = h.reason?.description ?? "a reason this gloss does not know"
                Output.line("    \(Output.dim("why:")) \(why)  \(Output.dim("(\(h.operation.change.kind) \(h.operation.id) in \(Output.safe(h.operation.author.rawValue))'s name, from \(Output.safe(h.source)))"))")
            }
            if held.count > 50 { Output.line(Output.dim("  … and \(held.count - 50) more")) }
            Output.line(Output.dim("An operation held for a missing earlier one (chain-hole) or a key not yet bound is taken when a later sync or file brings what it lacks; the others were altered or forged on the way."))
        }
        if list.isEmpty { return Output.line("The server has refused nothing.") }
        for r in list {
            let change = r.operation.change.words(clip: { Output.clip($0, 60) }, field: Output.safe)
            Output.line("\(Output.red(r.code.rawValue))  \(Output.yellow(r.operation.annotation.short))  \(change)")
            Output.line("    \(Output.dim("why:")) \(Output.safe(r.reason))  \(Output.dim("(\(r.operation.change.kind) \(r.operation.id), \(Timestamp.iso(r.operation.hlc.wall)))"))")
        }
        Output.line(Output.dim("They are kept here (gloss list --refused, gloss show ID). After the cause is fixed: gloss sync --retry-refused (or --restamp for a clock that was ahead); gloss delete ID drops a refused note"))
    }
}
