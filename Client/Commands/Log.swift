import ArgumentParser
import GlossCore
import GlossReplica

struct Log: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the operation history, newest first.",
        discussion: "Examples:\n  gloss log\n  gloss log 9c1e --limit 20")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Only this annotation's operations.") var annotation: String?
    @Option(help: "How many operations.") var limit = 50

    func execute() throws {
        let replica = try global.openReplica()
        let ops = try replica.log(annotation: try annotation.map { try replica.resolveAnnotation($0) }, limit: limit)
        if global.json { return try Output.json(ops) }
        for op in ops {
            let when = Timestamp.iso(op.hlc.wall)
            Output.line("\(Output.dim(when))  \(Output.pad(op.author, 8)) \(Output.pad(op.change.kind, 8)) \(Output.yellow(op.annotation.short))  \(Output.dim(op.id.description))")
        }
    }
}
