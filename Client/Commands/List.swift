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

            With --refused, the notes the team server refused for good (a reader's note, a clock \
            far ahead): as you wrote them, each with the server's reason. Only this replica holds \
            them. With --json it writes each in full (the note, and each refused operation as \
            sent, with its code and reason): that is their export. `gloss show ID` shows one, \
            `gloss delete ID` drops one, and `gloss sync --retry-refused` offers them again.

            Examples:
              gloss list --report 4f2a --open
              gloss list --limit 20
              gloss list --tag supply-chain --author bob --json
              gloss list --refused
              gloss list --refused --json > refused.json
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
    @Flag(help: "Only your notes the team server refused, with why (kept only here).") var refused = false

    func validate() throws {
        if open && resolved { throw ValidationError("--open and --resolved exclude each other") }
        if refused, let other = [("--tag", tag != nil), ("--author", author != nil), ("--open", open), ("--resolved", resolved),
                                 ("--deleted", deleted)].first(where: \.1) {
            throw ValidationError("--refused lists every refused note (or one report's, with --report); it takes no \(other.0)")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func execute() throws {
        let replica = try global.openReplica()
        if refused { return try listRefused(replica) }
        let filter = AnnotationFilter(
            report: try report.map { try replica.resolveReport($0) }, tag: tag, author: author.map(UserName.init(stored:)),
            status: open ? .open : resolved ? .resolved : nil, includeDeleted: deleted, limit: limit.map { $0 + 1 })
        var list = try replica.notes(filter)
        let more = limit.map { list.count > $0 } ?? false
        if let limit, more { list.removeLast(list.count - limit) }
        defer { if more, let limit { Output.cut(shown: limit, of: "annotations", json: global.json) } }
        if global.json { return try Output.json(list) }
        // Work the server refused is not the team's, but it stays in its author's sight.
        defer {
            if let refused = try? replica.counts().refused, refused > 0 {
                Output.line(Output.dim("The server refused \(refused) change(s) of yours; they are kept here: gloss list --refused"))
            }
        }
        if list.isEmpty { return Output.line("No annotations match.") }
        AnnotationPrinter.printList(list, titles: try replica.reportTitles(list.map(\.report)))
    }

    /// The refused notes, as written, each with the server's reason and what was refused.
    func listRefused(_ replica: Replica) throws {
        let reportID = try report.map { try replica.resolveReport($0) }
        var notes = try replica.refusedNotes().filter { note in reportID.map { note.annotation?.report == $0 } ?? true }
        let more = limit.map { notes.count > $0 } ?? false
        if let limit, more { notes.removeLast(notes.count - limit) }
        defer { if more, let limit { Output.cut(shown: limit, of: "refused notes", json: global.json) } }
        if global.json { return try Output.json(notes) }
        if notes.isEmpty { return Output.line("The server has refused none of your notes.") }
        let titles = try replica.reportTitles(notes.compactMap { $0.annotation?.report })
        for note in notes {
            let place = note.annotation.map { AnnotationPrinter.report($0.report, titles) + "  " + AnnotationPrinter.summary($0) } ?? ""
            Output.line("\(Output.yellow(note.id.short))  \(place)")
            // A note the team never had was refused whole: its first refusal says why. Otherwise
            // the team has the note, and each refused change is named.
            for refusal in note.shared ? note.refusals : Array(note.refusals.prefix(1)) {
                let change = note.shared ? " change: " + refusal.operation.change.words(clip: { Output.clip($0, 50) }, field: Output.safe) : ""
                Output.line("    " + Output.red("refused\(change) (\(refusal.code.rawValue))") + " " + Output.safe(refusal.reason))
            }
        }
        Output.line(Output.dim("Only this replica holds them. gloss show ID shows one; gloss delete ID drops it; gloss sync --retry-refused offers them again"))
    }
}
