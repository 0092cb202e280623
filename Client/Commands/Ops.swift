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

            Operations in a file that name you but were not made on this replica (your own \
            from another machine, or someone writing in your name) are set aside until you \
            adopt or discard them:
              gloss ops quarantine
              gloss ops adopt --all
            """,
        subcommands: [OpsExport.self, OpsApply.self, OpsQuarantine.self, OpsAdopt.self, OpsDiscard.self])
}
