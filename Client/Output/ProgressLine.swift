import Foundation
import GlossCore
import GlossReplica

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
