import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

struct Remote: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Connect this replica to a team server.",
        discussion: """
            Example:
              gloss remote add http://127.0.0.1:8080 --workspace intel < alice.token
              gloss sync
            """,
        subcommands: [RemoteAdd.self])
}
