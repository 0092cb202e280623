import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

struct Ops: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ops",
        abstract: "Hand operations over by file (removable media, air-gapped work).",
        discussion: """
            Example, alice to bob:
              gloss --home alice ops export -o to-bob.gloss
              gloss --home bob ops apply to-bob.gloss
            Applying the same file twice changes nothing.
            """,
        subcommands: [OpsExport.self, OpsApply.self])
}
