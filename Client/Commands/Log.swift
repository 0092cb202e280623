import ArgumentParser
import GlossCore
import GlossReplica

struct Log: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the operation history, newest first.",
        discussion: """
            Each line is one operation: when, who, its kind, the note, the report the note is \
            shown on (the latest version, for a note carried from an earlier one, as in `gloss \
            show`), and what that operation did: the text it set, the tag it added or removed, \
            resolved or reopened.

            Examples:
              gloss log
              gloss log 9c1e --limit 20
            """)

    static let pagesOutput = true
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Only this annotation's operations.") var annotation: String?
    @Option(help: "How many operations.") var limit = 50

    func execute() throws {
        let replica = try global.openReplica()
        let ops = try replica.log(annotation: try annotation.map { try replica.resolveAnnotation($0) }, limit: limit)
        if global.json { return try Output.json(ops) }
        // Each note's report as `gloss show` names it: the version it is shown on.
        let chains = try replica.revisionChains()
        var shownOn: [AnnotationID: ReportID] = [:]
        for id in Set(ops.map(\.annotation)) {
            if let note = try? replica.annotation(id) { shownOn[id] = chains.report(showing: note) }
        }
        let titles = try replica.reportTitles(shownOn.values)
        for op in ops {
            let when = Timestamp.iso(op.hlc.wall)
            let place = shownOn[op.annotation].map { AnnotationPrinter.report($0, titles) + "  " } ?? ""
            let did = op.change.words(clip: { Output.clip($0, 60) }, field: Output.safe)
            Output.line("\(Output.dim(when))  \(Output.pad(Output.safe(op.author.rawValue), 8)) \(Output.pad(op.change.kind, 8)) \(Output.yellow(op.annotation.short))  \(place)\(did)")
        }
    }
}
