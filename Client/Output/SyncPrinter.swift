import Foundation
import GlossCore
import GlossReplica

/// How a sync reads in a terminal.
enum SyncPrinter {
    static func print(_ s: SyncSession.Summary, json: Bool) throws {
        if json { return try Output.json(s) }
        if s.startedOver {
            Output.line("the server's store was replaced or restored since your last sync: pulled again from the beginning and sent your work again")
        }
        // Refused for good is an error (kept aside, exit 5); held back for now is not: those
        // stay pending and go again (relayed from a teammate and awaiting them, say).
        let refused = s.refused.filter { !$0.code.isTemporary }
        let held = s.refused.filter(\.code.isTemporary)
        var line = "sent \(s.sent) operation(s)"
        if s.sent > 0 {
            line += " (\(s.accepted) accepted, \(s.alreadyOnServer) already there, \(refused.count) refused"
            line += held.isEmpty ? ")" : ", \(held.count) held back for now)"
        }
        // Those whose signature or chain did not check are kept aside, not skipped (docs/RELIABILITY.md, "Signed operations").
        let keptAside = s.keptAside, skipped = s.skipped
        line += ", received \(s.received)" + (keptAside.isEmpty ? "" : " (\(keptAside.count) more kept aside: their signature did not check)")
        if s.reportsSent + s.reportsReceived > 0 { line += "; reports: \(s.reportsSent) sent, \(s.reportsReceived) received" }
        Output.line(line)
        for r in refused { Output.warn(Output.red("refused ") + "\(r.op): \(Output.safe(r.reason))") }
        for r in held { Output.line(Output.dim("held back for now \(r.op): \(Output.safe(r.reason))")) }
        // The server says why in its own words; what to run here is the CLI's to say.
        let codes = Set(s.refused.map(\.code))
        if codes.contains(.clockAhead) { Output.warn("hint: set this machine's clock right, then run `gloss sync --restamp`") }
        if codes.contains(.awaitingClaim) {
            Output.warn("hint: sync from the machine that made them, or run `gloss sync --restamp` to issue them again from this one")
        }
        // Items of the server's feed not taken here: the sync went on past them (issue 24).
        for item in skipped { Output.warn(Output.yellow("skipped ") + "\(item.kind.rawValue) \(Output.safe(item.id)) from the server: \(Output.safe(item.reason))") }
        if !skipped.isEmpty {
            Output.warn("hint: the rest of the sync went on; tell the server's admin, who can take such an item out of the workspace (gloss-server quarantine)")
        }
        for item in keptAside { Output.warn(Output.red("kept aside ") + "operation \(Output.safe(item.id)) from the server: \(Output.safe(item.reason))") }
        if !keptAside.isEmpty {
            Output.warn("hint: its signature or chain did not check against its author's, so it is not shown or merged (`gloss sync --refused` lists it); if it was altered, tell the server's admin: its store, or something on the way, changed it")
        }
        if !s.newConflicts.isEmpty {
            Output.line(Output.red("\(s.newConflicts.count) new conflict(s): ") + s.newConflicts.map(\.short).joined(separator: ", ") + " — see `gloss conflicts`")
        }
        if let digest = s.digest, !digest.isEmpty { DigestPrinter.print(digest) }
    }
}
