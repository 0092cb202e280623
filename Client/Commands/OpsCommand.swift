import ArgumentParser
import Foundation
import GlossCore

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
        try Output.write(try JSON.encode(bundle), to: output, home: global.homeURL)
        struct Out: Encodable { var file: String; var operations: Int; var reports: Int; var lastSequence: Int64 }
        let out = Out(file: output, operations: bundle.operations.count, reports: bundle.reports.count, lastSequence: last)
        if global.json { return try Output.json(out) }
        Output.line("wrote \(out.operations) operation(s) and \(out.reports) report(s) to \(output)")
        Output.line(Output.dim("next time, only newer ones: gloss ops export --since \(last) -o FILE"))
    }
}

struct OpsApply: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Take in operations from files written by `gloss ops export`.",
        discussion: "Example:\n  gloss ops apply from-alice.gloss")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Operation files.") var files: [String]

    func execute() throws {
        let replica = try global.openReplica()
        struct Out: Encodable { var file: String; var reports: Int; var result: ApplyResult }
        var outs: [Out] = []
        for file in files {
            let data: Data
            do { data = try Import.read(file) } catch let e as GlossError {
                throw GlossError(.badFile, "\(file): \(e.message)")
            }
            let bundle = try OperationBundle.decode(data, file: file)
            let (reports, result) = try replica.apply(bundle, source: (file as NSString).lastPathComponent)
            outs.append(Out(file: file, reports: reports.filter(\.isNew).count, result: result))
        }
        if global.json { return try Output.json(outs) }
        for out in outs {
            let r = out.result
            Output.line("\(out.file): \(r.applied) new operation(s), \(r.duplicates) already here, \(out.reports) new report(s)")
            for refusal in r.refused { Output.warn("  refused \(refusal.op): \(refusal.reason)") }
            if !r.newConflicts.isEmpty {
                Output.line(Output.red("  \(r.newConflicts.count) new conflict(s): \(r.newConflicts.map(\.short).joined(separator: ", ")) — see `gloss conflicts`"))
            }
        }
    }
}

struct Status: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        _superCommandName: "gloss",
        abstract: "Show this replica: who, what it holds, what is not yet sent.",
        discussion: "Example:\n  gloss status")

    @OptionGroup var global: GlobalOptions

    func execute() throws {
        let replica = try global.openReplica()
        let meta = try replica.meta()
        let c = try replica.counts()
        struct Out: Encodable {
            var user, replica, workspace, home: String
            var reports, annotations, operations, unsynced, conflicts, refused: Int
            var remote: String?
        }
        let out = Out(user: meta.user, replica: meta.replica.hex, workspace: meta.workspace, home: global.homeURL.path,
                      reports: c.reports, annotations: c.annotations, operations: c.operations,
                      unsynced: c.unacknowledged, conflicts: c.conflicts, refused: c.refused, remote: meta.remoteURL.isEmpty ? nil : meta.remoteURL)
        if global.json { return try Output.json(out) }
        Output.line("\(Output.bold(meta.user)) in \(out.home)\(meta.replica.rawValue == 0 ? "" : Output.dim(" (last written as replica \(meta.replica.hex.prefix(8)))"))")
        Output.line("workspace:   \(meta.workspace.isEmpty ? Output.dim("(none yet)") : meta.workspace)")
        Output.line("reports:     \(c.reports)")
        Output.line("annotations: \(c.annotations)  (\(c.conflicts) with conflicts)")
        Output.line("operations:  \(c.operations)  (\(c.unacknowledged) not yet on a server)")
        if c.refused > 0 {
            Output.line(Output.red("refused:     \(c.refused) operation(s) the server would not take — see `gloss sync --refused`"))
        }
        Output.line("server:      \(out.remote ?? Output.dim("none — work is local; share with `gloss ops export`"))")
        if meta.lastSync > 0 { Output.line("last sync:   \(Timestamp.iso(meta.lastSync))") }
    }
}
