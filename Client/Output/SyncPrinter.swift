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
        var line = "sent \(s.sent) operation(s)"
        if s.sent > 0 { line += " (\(s.accepted) accepted, \(s.alreadyOnServer) already there, \(s.refused.count) refused)" }
        line += ", received \(s.received)"
        if s.reportsSent + s.reportsReceived > 0 { line += "; reports: \(s.reportsSent) sent, \(s.reportsReceived) received" }
        Output.line(line)
        for r in s.refused { Output.warn(Output.red("refused ") + "\(r.op): \(r.reason)") }
        if !s.newConflicts.isEmpty {
            Output.line(Output.red("\(s.newConflicts.count) new conflict(s): ") + s.newConflicts.map(\.short).joined(separator: ", ") + " — see `gloss conflicts`")
        }
        if let digest = s.digest, !digest.isEmpty { DigestPrinter.print(digest) }
    }
}
