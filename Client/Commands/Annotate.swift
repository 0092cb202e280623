import ArgumentParser
import GlossCore
import GlossReplica

struct Annotate: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Annotate a report: highlight, comment, tag, judge.",
        discussion: """
            Choose the text with --quote (add --occurrence N when it occurs more than once) or \
            with --start/--end code-point offsets; without either, the note is on the whole report. \
            The motivation defaults to assessing with a judgment, commenting with a comment, \
            highlighting otherwise.

            Examples:
              gloss annotate 4f2a --quote "rare earth processing" --occurrence 2 \\
                  --comment "Volumes?" --tag supply-chain \\
                  --confidence high --likelihood likely
              gloss annotate 4f2a --quote "Most Dangerous" --private --comment "my own note"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The report (id or unique prefix).") var report: String
    @OptionGroup var span: TargetOptions
    @Option(help: "The note, in Markdown (`-` reads standard input).") var comment: String?
    @Option(help: "A tag (repeatable; a leading # is dropped).", transform: TagName.normalized) var tag: [String] = []
    @OptionGroup var judgmentOptions: JudgmentOptions
    @Option(help: "W3C motivation: highlighting, commenting, questioning, assessing, …") var motivation: Motivation?
    @Flag(help: "Only you (on any of your machines) will ever see this annotation.") var `private` = false

    func execute() throws {
        let replica = try global.openReplica()
        let annotation = try Actions(replica).annotate(
            report: try replica.resolveReport(self.report), span: span.span, comment: try StandardStreams.comment(self.comment),
            tags: tag, judgment: judgmentOptions.judgment, motivation: motivation, isPrivate: `private`)
        try AnnotationPrinter.printChanged(annotation, verb: "annotated", json: global.json)
    }
}
