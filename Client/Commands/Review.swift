import ArgumentParser
import GlossCore
import GlossReplica

/// `gloss review`: the notes a revision carried over that need a person.
struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Settle the notes a revised report carried over that need a person.",
        discussion: """
            When a report revises another (`gloss import NEW --revises OLD`), the notes on the \
            old version follow it. A character diff of the two texts places each one: exact \
            (its text survived), changed (most of it did; marked ~), review (a proposal you \
            confirm, marked ?: for example a number in the quote changed, or the passage moved) \
            or orphan (its text is gone, marked ✗). `gloss review` lists the review and orphan \
            notes with the proposal in context; `accept` takes a proposal and `gloss retarget` \
            puts a note elsewhere. Both are operations of the note's author, so the whole team \
            sees the note settled.

            Examples:
              gloss review
              gloss review 7302
              gloss review accept 9c1e
              gloss retarget 9c1e --quote "exports fell 14%"
            """,
        subcommands: [List.self, Accept.self],
        defaultSubcommand: List.self)

    struct List: GlossCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the carried notes that need a person (the default).",
            discussion: "Examples:\n  gloss review\n  gloss review list 7302 --json")

        static let pagesOutput = true
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Only this (latest) version of a report (id or prefix).") var report: String?

        func execute() throws {
            let replica = try global.openReplica()
            let queue = try replica.reviewQueue(report: try report.map { try replica.resolveReport($0) })
            struct Out: Encodable { var report: ReportID; var title: String; var notes: [Annotation] }
            if global.json { return try Output.json(queue.map { Out(report: $0.report.id, title: $0.report.title, notes: $0.notes) }) }
            if queue.isEmpty { return Output.line("Nothing to review: every carried note found its place, across links you made or accepted.") }
            for (report, notes) in queue {
                Output.line(Output.bold(Output.safe(report.title)) + "  " + Output.dim(report.id.short))
                let anchor = TextAnchor(text: report.text)
                if let claim = notes.lazy.compactMap(\.reanchor?.claim).first {
                    Output.line("  " + Output.yellow("! " + ReportRenderer.claimWords(claim)))
                }
                for note in notes {
                    guard let carried = note.reanchor else { continue }
                    let mark = switch carried.status {
                    case .review: Output.yellow("? review")
                    case .orphan: Output.red("✗ orphan")
                    case .exact, .changed: Output.yellow("! claim ")
                    }
                    Output.row("  \(mark)  \(Output.yellow(note.id.short))  \(AnnotationPrinter.summary(note))")
                    if let reason = carried.reason { Output.line("            \(Output.dim(Output.safe(reason)))") }
                    if carried.status == .exact || carried.status == .changed {
                        Output.line("            " + Output.dim("placed \(carried.status == .exact ? "exactly" : "with its text changed") "
                                                             + "across a claim you have not accepted"))
                        continue
                    }
                    if let proposal = carried.proposal {
                        let start = proposal.position.start, end = proposal.position.end
                        let before = anchor.text(in: max(0, start - 30)..<start), after = anchor.text(in: end..<min(anchor.scalars.count, end + 30))
                        Output.line("            proposed: …\(Output.clip(before, 30))[\(Output.bold(Output.safe(proposal.quote.exact)))]\(Output.clip(after, 30))…")
                        Output.line("            " + Output.dim("gloss review accept \(note.id.short)   or   gloss retarget \(note.id.short) --quote \"…\""))
                    } else {
                        Output.line("            " + Output.dim("gloss retarget \(note.id.short) --quote \"…\"   (its text is gone from this version)"))
                    }
                }
            }
        }
    }

    struct Accept: GlossCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept",
            abstract: "Take Gloss's proposal for a carried note (your own notes only).",
            discussion: "Example:\n  gloss review accept 9c1e")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The note (id or prefix).") var annotation: String

        func execute() throws {
            let replica = try global.openReplica()
            let outcome = try Actions(replica).acceptProposal(try replica.resolveAnnotation(annotation))
            try AnnotationPrinter.printChanged(outcome, verb: "settled", json: global.json)
        }
    }
}

/// `gloss retarget`: put a carried note at a passage of the latest version.
struct Retarget: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "retarget",
        abstract: "Place a note carried to a revised report on a passage of the new version.",
        discussion: """
            For a note made on an earlier version of a report: anchors it in the latest version \
            at the quote you give (your own notes only). To move a note within its own report, \
            use `gloss edit ID --quote …`.

            Example:
              gloss retarget 9c1e --quote "exports fell 14%"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The note (id or prefix).") var annotation: String
    @OptionGroup var span: TargetOptions

    func validate() throws {
        if span.isEmpty { throw ValidationError("give --quote (or --start and --end)") }
    }

    func execute() throws {
        let replica = try global.openReplica()
        let id = try replica.resolveAnnotation(annotation)
        guard let span = span.span else { return }
        let settled = try Actions(replica).retarget(id, to: span)
        try AnnotationPrinter.printChanged(settled, verb: "retargeted", json: global.json)
    }
}
