import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

struct OpsDiscard: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "discard",
        abstract: "Drop operations set aside: they are not yours.",
        discussion: """
            Nothing of them was applied or sent, so dropping them changes nothing else here.

            Examples:
              gloss ops quarantine
              gloss ops discard 3f9a1c2b7d4e8a10-17
              gloss ops discard --all
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: QuarantineSelection

    func execute() throws {
        let replica = try global.openReplica()
        let ids = try selection.resolve(in: replica)
        let count = try Actions(replica).discardQuarantined(ids)
        struct Out: Encodable { var discarded: Int }
        if global.json { return try Output.json(Out(discarded: count)) }
        Output.line("discarded \(count) operation(s)")
    }
}
