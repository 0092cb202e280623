import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

struct OpsAdopt: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "adopt",
        abstract: "Take in operations set aside as yours: they are applied, and your next sync sends them as yours.",
        discussion: """
            Adopt only what you made yourself, on another machine: an adopted operation \
            speaks for you to the whole team. The rules a file's operations go through apply \
            again; one they refuse now is dropped, with the reason.

            Examples:
              gloss ops quarantine
              gloss ops adopt 3f9a1c2b7d4e8a10-17 3f9a1c2b7d4e8a10-18
              gloss ops adopt --all
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: QuarantineSelection

    func execute() throws {
        let replica = try global.openReplica()
        let ids = try selection.resolve(in: replica)
        let result = try Actions(replica).adoptQuarantined(ids)
        if global.json { return try Output.json(result) }
        Output.line("adopted \(result.applied) operation(s) as yours\(result.duplicates > 0 ? ", \(result.duplicates) already here" : ""); your next sync sends them")
        for refusal in result.refused { Output.warn("  refused \(refusal.op): \(Output.safe(refusal.reason))") }
        if !result.newConflicts.isEmpty {
            Output.line(Output.red("  \(result.newConflicts.count) new conflict(s): \(result.newConflicts.map(\.short).joined(separator: ", ")) — see `gloss conflicts`"))
        }
    }
}
