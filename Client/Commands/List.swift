import ArgumentParser
import GlossCore
import GlossReplica

struct List: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List annotations, with filters.",
        discussion: """
            Examples:
              gloss list --report 4f2a --open
              gloss list --tag supply-chain --author bob --json
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this report (id or prefix).") var report: String?
    @Option(help: "Only annotations with this tag.", transform: TagName.normalized) var tag: String?
    @Option(help: "Only this author's annotations.") var author: String?
    @Flag(help: "Only open annotations.") var open = false
    @Flag(help: "Only resolved annotations.") var resolved = false
    @Flag(help: "Include deleted annotations.") var deleted = false

    func validate() throws {
        if open && resolved { throw ValidationError("--open and --resolved exclude each other") }
    }

    func execute() throws {
        let replica = try global.openReplica()
        let filter = AnnotationFilter(
            report: try report.map { try replica.resolveReport($0) }, tag: tag, author: author,
            status: open ? .open : resolved ? .resolved : nil, includeDeleted: deleted)
        let list = try replica.notes(filter)
        if global.json { return try Output.json(list) }
        if list.isEmpty { return Output.line("No annotations match.") }
        AnnotationPrinter.printList(list, titles: try replica.reportTitles(list.map(\.report)))
    }
}
