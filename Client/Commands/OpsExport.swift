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

            `-o -` writes the file to standard output, and what was written to standard error.

            Examples:
              gloss ops export -o ops.gloss
              gloss ops export -o - | gzip > ops.gloss.gz
              gloss ops export --since 120 -o newer.gloss
              gloss ops export --private -o to-my-desktop.gloss
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "The file to write (`-` is standard output).") var output: String
    @Option(help: "Only operations after this local sequence number (printed by an earlier export).") var since: Int64 = 0
    @Flag(help: "Include your private notes (for your own other machine; other people's replicas refuse them).") var `private` = false

    func execute() throws {
        let replica = try global.openReplica()
        let (bundle, last) = try Actions(replica).exportOperations(since: since, includePrivate: `private`)
        let toFile = try StandardStreams.write(Data(try bundle.fileBytes()), to: output, home: global.homeURL)
        struct Out: Encodable { var file: String; var operations: Int; var reports: Int; var lastSequence: Int64 }
        let out = Out(file: toFile ? output : "standard output", operations: bundle.operations.count, reports: bundle.reports.count, lastSequence: last)
        // Written to standard output, the file is all that goes there; the summary goes to stderr.
        let say: (String) -> Void = toFile ? { Output.line($0) } : { Output.warn($0) }
        if global.json { return say(try JSON.string(out, pretty: toFile)) }
        say("wrote \(out.operations) operation(s) and \(out.reports) report(s) to \(out.file)")
        say(Output.dim("next time, only newer ones: gloss ops export --since \(last) -o FILE"))
    }
}
