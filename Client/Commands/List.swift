import ArgumentParser
import GlossCore
import GlossReplica

struct List: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List annotations, with filters.",
        discussion: """
            Rows name the report (its title shortened in the middle) and a snippet. With \
            --limit, a last line says when more were left out.

            Examples:
              gloss list --report 4f2a --open
              gloss list --limit 20
              gloss list --tag supply-chain --author bob --json
            """)

    static let pagesOutput = true
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this report (id or prefix).") var report: String?
    @Option(help: "Only annotations with this tag.", transform: TagName.normalized) var tag: String?
    @Option(help: "Only this author's annotations.") var author: String?
    @Flag(help: "Only open annotations.") var open = false
    @Flag(help: "Only resolved annotations.") var resolved = false
    @Flag(help: "Include deleted annotations.") var deleted = false
    @Option(help: "At most this many annotations (all, without it).") var limit: Int?

    func validate() throws {
        if open && resolved { throw ValidationError("--open and --resolved exclude each other") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func execute() throws {
        let replica = try global.openReplica()
        let filter = AnnotationFilter(
            report: try report.map { try replica.resolveReport($0) }, tag: tag, author: author,
            status: open ? .open : resolved ? .resolved : nil, includeDeleted: deleted, limit: limit.map { $0 + 1 })
        var list = try replica.notes(filter)
        let more = limit.map { list.count > $0 } ?? false
        if let limit, more { list.removeLast(list.count - limit) }
        defer { if more, let limit { Output.cut(shown: limit, of: "annotations", json: global.json) } }
        if global.json { return try Output.json(list) }
        if list.isEmpty { return Output.line("No annotations match.") }
        AnnotationPrinter.printList(list, titles: try replica.reportTitles(list.map(\.report)))
    }
}
