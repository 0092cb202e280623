import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

struct OpsExport: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write operations (and the reports they need) to a file.",
        discussion: """
            Private notes stay out unless you add --private (to move them to your own other machine).

            Examples:
              gloss ops export -o ops.gloss
              gloss ops export --since 120 -o newer.gloss
              gloss ops export --private -o to-my-desktop.gloss
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "The file to write.") var output: String
    @Option(help: "Only operations after this local sequence number (printed by an earlier export).") var since: Int64 = 0
    @Flag(help: "Include your private notes (for your own other machine; other people's replicas refuse them).") var `private` = false

    func execute() throws {
        let replica = try global.openReplica()
        let (bundle, last) = try replica.exportBundle(since: since, includePrivate: `private`)
        try Output.write(Data(try bundle.fileBytes()), to: output, home: global.homeURL)
        struct Out: Encodable { var file: String; var operations: Int; var reports: Int; var lastSequence: Int64 }
        let out = Out(file: output, operations: bundle.operations.count, reports: bundle.reports.count, lastSequence: last)
        if global.json { return try Output.json(out) }
        Output.line("wrote \(out.operations) operation(s) and \(out.reports) report(s) to \(output)")
        Output.line(Output.dim("next time, only newer ones: gloss ops export --since \(last) -o FILE"))
    }
}
