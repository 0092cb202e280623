import ArgumentParser
import GlossCore
import GlossReplica

/// Options that choose a span of the report, shared by `annotate` and `edit`.
struct TargetOptions: ParsableArguments {
    @Option(help: "The exact text to annotate, as `gloss show` prints it.") var quote: String?
    @Option(help: "Which occurrence of --quote, from 1, when it occurs more than once.") var occurrence: Int?
    @Option(help: "Start offset, in Unicode code points of the report text (instead of --quote).") var start: Int?
    @Option(help: "End offset (exclusive), in code points.") var end: Int?

    var isEmpty: Bool { quote == nil && start == nil && end == nil }

    func validate() throws {
        if quote?.isEmpty == true { throw ValidationError("--quote is empty: give the text to annotate, as `gloss show` prints it") }
        if quote != nil, start != nil || end != nil { throw ValidationError("use either --quote or --start/--end, not both") }
        if (start == nil) != (end == nil) { throw ValidationError("--start and --end go together") }
        if occurrence != nil, quote == nil { throw ValidationError("--occurrence needs --quote") }
    }

    /// The passage these options name, if any (``Actions/Span``).
    var span: Actions.Span? {
        if let quote { return .quote(quote, occurrence: occurrence) }
        if let start, let end { return .positions(start: start, end: end) }
        return nil
    }

    func target(in text: String) throws -> Target? {
        try span?.target(in: text)
    }
}
