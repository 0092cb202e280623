import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

struct Status: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show this replica: who, what it holds, what is not yet sent.",
        discussion: "Example:\n  gloss status")

    @OptionGroup var global: GlobalOptions

    func execute() throws {
        let replica = try global.openReplica()
        let meta = try replica.meta()
        let c = try replica.counts()
        let quarantined = try replica.quarantinedCount()
        let held = try replica.heldCount()
        struct Out: Encodable {
            var user, replica, workspace, home: String
            var reports, annotations, operations, unsynced, conflicts, refused: Int
            /// Operations a file brought in this user's name that were not made here, set aside.
            var quarantined: Int
            /// Operations a file brought whose signature or chain did not check, kept aside.
            var held: Int
            var remote: String?
        }
        let out = Out(user: meta.user.rawValue, replica: meta.replica.hex, workspace: meta.workspace.rawValue, home: global.homeURL.path,
                      reports: c.reports, annotations: c.annotations, operations: c.operations,
                      unsynced: c.unacknowledged, conflicts: c.conflicts, refused: c.refused, quarantined: quarantined, held: held, remote: meta.remoteURL.isEmpty ? nil : RemoteAddress.shown(meta.remoteURL))
        if global.json { return try Output.json(out) }
        Output.line("\(Output.bold(meta.user.rawValue)) in \(out.home)\(meta.replica.rawValue == 0 ? "" : Output.dim(" (last written as replica \(meta.replica.hex.prefix(8)))"))")
        Output.line("workspace:   \(meta.workspace.isEmpty ? Output.dim("(none yet)") : meta.workspace.rawValue)")
        Output.line("reports:     \(c.reports)")
        Output.line("annotations: \(c.annotations)  (\(c.conflicts) with conflicts)")
        Output.line("operations:  \(c.operations)  (\(c.unacknowledged) not yet on a server)")
        if c.refused > 0 {
            Output.line(Output.red("refused:     \(c.refused) operation(s) the server would not take — see `gloss sync --refused`"))
        }
        if quarantined > 0 {
            Output.line(Output.red("set aside:   \(quarantined) operation(s) in your name that were not made here, not applied and not sent — see `gloss ops quarantine`; if they are yours from another machine, adopt them"))
        }
        if held > 0 {
            Output.line(Output.red("kept aside:  \(held) operation(s) whose signature did not check (altered, forged, or waiting for an earlier one), not shown — see `gloss sync --refused`"))
        }
        Output.line("server:      \(out.remote ?? Output.dim("none — work is local; share with `gloss ops export`"))")
        if meta.lastSync > 0 { Output.line("last sync:   \(Timestamp.iso(meta.lastSync))") }
    }
}
