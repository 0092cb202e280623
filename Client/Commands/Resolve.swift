import ArgumentParser
import GlossCore
import GlossReplica

struct Resolve: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Mark an annotation resolved (or open it again).",
        discussion: "Examples:\n  gloss resolve 9c1e\n  gloss resolve 9c1e --reopen")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The annotation (id or prefix).") var annotation: String
    @Flag(help: "Open it again.") var reopen = false

    func execute() throws {
        let replica = try global.openReplica()
        let changed = try Actions(replica).setStatus(try replica.resolveAnnotation(annotation), reopen ? .open : .resolved)
        try AnnotationPrinter.printChanged(changed, verb: reopen ? "reopened" : "resolved", json: global.json)
    }
}
