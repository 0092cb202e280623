import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

/// Options every command takes: where the replica lives, and machine-readable output.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The Gloss home folder holding the replica (default: $GLOSS_HOME, else $HOME/.gloss).", valueName: "dir"))
    var home: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of text for people.")
    var json = false

    @Flag(name: .long, help: "Never page long output (by default, on a terminal: $GLOSS_PAGER, $PAGER, or less -FRX).")
    var noPager = false

    init() {}

    var homeURL: URL {
        if let home { return URL(fileURLWithPath: (home as NSString).expandingTildeInPath) }
        if let env = ProcessInfo.processInfo.environment["GLOSS_HOME"], !env.isEmpty {
            return URL(fileURLWithPath: (env as NSString).expandingTildeInPath)
        }
        // $HOME first, as every Unix tool does (Foundation on Linux asks the password database).
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home).appendingPathComponent(".gloss")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".gloss")
    }

    func openReplica() throws -> Replica {
        let replica = try Replica.open(home: homeURL, upgrade: Self.sayUpgrade)
        if try replica.restoredFromOlderCopy() { try Self.checkRestore(replica) }
        return replica
    }

    /// A replica put back from an older copy (a backup restored over its file) is checked
    /// against its signatures before anything else reads it, as `gloss keys verify` does, and
    /// says so on standard error (standard output stays the command's own).
    static func checkRestore(_ replica: Replica) throws {
        guard let found = try replica.recheckSignatures() else {
            Output.warn("this replica was restored from an older copy; no workspace root is pinned here, so there are no signatures to check it against")
            return try replica.acceptRestore()
        }
        try replica.acceptRestore()
        if found.takenOut.isEmpty {
            Output.warn("this replica was restored from an older copy: checked \(found.checked) operation(s) against their signatures, all as signed")
        } else {
            Output.warn("this replica was restored from an older copy: checked \(found.checked) operation(s) against their signatures; "
                        + "\(found.takenOut.count) altered since were taken out and kept aside (gloss sync --refused)")
        }
    }

    /// A replica from an earlier version that takes a while to migrate says so on standard
    /// error (standard output stays the command's own, `--json` included).
    static func sayUpgrade(_ upgrade: Upgrade) {
        switch upgrade {
        case let .started(migrations):
            Output.warn("upgrading this replica for this version of gloss (once: \(migrations.joined(separator: ", ")))…")
        case let .finished(seconds):
            Output.warn(String(format: "upgraded in %.1f s", seconds))
        }
    }
}
