import ArgumentParser
import GlossCore
import GlossReplica

struct Log: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the operation history, newest first.",
        discussion: "Examples:\n  gloss log\n  gloss log 9c1e --limit 20")

    static let pagesOutput = true
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Only this annotation's operations.") var annotation: String?
    @Option(help: "How many operations.") var limit = 50

    func execute() throws {
        let replica = try global.openReplica()
        let ops = try replica.log(annotation: try annotation.map { try replica.resolveAnnotation($0) }, limit: limit)
        if global.json { return try Output.json(ops) }
        var notes: [AnnotationID: Annotation] = [:]
        for id in Set(ops.map(\.annotation)) { notes[id] = try? replica.annotation(id) }
        let titles = try replica.reportTitles(notes.values.map(\.report))
        for op in ops {
            let when = Timestamp.iso(op.hlc.wall)
            let note = notes[op.annotation]
            let place = note.map { AnnotationPrinter.report($0.report, titles) + "  " + Digest.snippet(of: $0) } ?? ""
            Output.line("\(Output.dim(when))  \(Output.pad(op.author, 8)) \(Output.pad(op.change.kind, 8)) \(Output.yellow(op.annotation.short))  \(place)")
        }
    }
}
