import ArgumentParser
import GlossCore

/// Options that describe a judgment, shared by `annotate` and `edit`.
struct JudgmentOptions: ParsableArguments {
    @Option(help: "Analytic confidence: low, moderate or high.") var confidence: Confidence?
    @Option(help: "ICD 203 likelihood: almost-no-chance, very-unlikely, unlikely, roughly-even-chance, likely, very-likely, almost-certain.")
    var likelihood: Likelihood?

    var judgment: Judgment? {
        confidence == nil && likelihood == nil ? nil : Judgment(confidence: confidence, likelihood: likelihood)
    }
}

/// Options that choose a span of the report, shared by `annotate` and `edit`.
struct TargetOptions: ParsableArguments {
    @Option(help: "The exact text to annotate, as `gloss show` prints it.") var quote: String?
    @Option(help: "Which occurrence of --quote, from 1, when it occurs more than once.") var occurrence: Int?
    @Option(help: "Start offset, in Unicode code points of the report text (instead of --quote).") var start: Int?
    @Option(help: "End offset (exclusive), in code points.") var end: Int?

    var isEmpty: Bool { quote == nil && start == nil && end == nil }

    func validate() throws {
        if quote != nil, start != nil || end != nil { throw ValidationError("use either --quote or --start/--end, not both") }
        if (start == nil) != (end == nil) { throw ValidationError("--start and --end go together") }
        if occurrence != nil, quote == nil { throw ValidationError("--occurrence needs --quote") }
    }

    /// The span chosen, in a report's canonical text.
    func target(in text: String) throws -> Target? {
        let anchor = TextAnchor(text: text)
        if let quote { return try anchor.target(quote: quote, occurrence: occurrence) }
        if let start, let end { return try anchor.target(start: start, end: end) }
        return nil
    }
}

struct Annotate: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        _superCommandName: "gloss",
        abstract: "Annotate a report: highlight, comment, tag, judge.",
        discussion: """
            Choose the text with --quote (add --occurrence N when it occurs more than once) or \
            with --start/--end code-point offsets; without either, the note is on the whole report. \
            The motivation defaults to assessing with a judgment, commenting with a comment, \
            highlighting otherwise.

            Examples:
              gloss annotate 4f2a --quote "rare earth processing" --occurrence 2 \\
                  --comment "Volumes?" --tag supply-chain --confidence high --likelihood likely
              gloss annotate 4f2a --quote "Most Dangerous" --private --comment "my own note"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The report (id or unique prefix).") var report: String
    @OptionGroup var span: TargetOptions
    @Option(help: "The note, in Markdown.") var comment: String?
    @Option(help: "A tag (repeatable).") var tag: [String] = []
    @OptionGroup var judgmentOptions: JudgmentOptions
    @Option(help: "W3C motivation: highlighting, commenting, questioning, assessing, …") var motivation: Motivation?
    @Flag(help: "Only you (on any of your machines) will ever see this annotation.") var `private` = false

    func execute() throws {
        let replica = try global.openReplica()
        let report = try replica.resolveReport(self.report)
        let target = try span.target(in: try replica.reportText(report))
        let judgment = judgmentOptions.judgment
        let motivation = self.motivation ?? (judgment != nil ? .assessing : comment != nil ? .commenting : .highlighting)
        if target == nil, comment == nil {
            throw GlossError(.invalidArgument, "nothing to annotate", hint: "give --quote TEXT to highlight, or --comment TEXT for a note on the whole report")
        }
        let annotation = try replica.annotate(NewAnnotation(
            report: report, target: target, motivation: motivation, body: comment ?? "",
            tags: tag, judgment: judgment, visibility: `private` ? .private : .team))
        try AnnotationPrinter.printChanged(annotation, verb: "annotated", json: global.json)
    }
}
