import Foundation
import GlossCore
import GlossCommands

/// How a sync reads in a terminal.
enum SyncPrinter {
    static func print(_ s: SyncSession.Summary, json: Bool) throws {
        if json { return try Output.json(s) }
        var line = "sent \(s.sent) operation(s)"
        if s.sent > 0 { line += " (\(s.accepted) accepted, \(s.alreadyOnServer) already there, \(s.refused.count) refused)" }
        line += ", received \(s.received)"
        if s.reportsSent + s.reportsReceived > 0 { line += "; reports: \(s.reportsSent) sent, \(s.reportsReceived) received" }
        Output.line(line)
        for r in s.refused { Output.warn(Output.red("refused ") + "\(r.op): \(r.reason)") }
        if !s.newConflicts.isEmpty {
            Output.line(Output.red("\(s.newConflicts.count) new conflict(s): ") + s.newConflicts.map(\.short).joined(separator: ", ") + " — see `gloss conflicts`")
        }
    }
}

/// A one-line progress display on stderr for long syncs, only on a terminal.
final class ProgressLine: Sendable {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled && isatty(STDERR_FILENO) == 1 }

    var update: SyncSession.Progress {
        { [enabled] phase, done, total in
            guard enabled, done >= 1000 else { return }
            let of = total.map { " of \($0)" } ?? ""
            FileHandle.standardError.write(Data("\r\(phase == "push" ? "sending" : "receiving") \(done)\(of) operations…\u{1B}[K".utf8))
        }
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
