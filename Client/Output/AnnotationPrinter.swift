import Foundation
import GlossCore
import GlossReplica

/// How annotations read in a terminal.
enum AnnotationPrinter {
    /// After a change: the id (for scripts that capture it) and a one-line summary.
    static func printChanged(_ a: Annotation, verb: String, json: Bool) throws {
        if json { return try Output.json(a) }
        Output.line("\(verb) \(Output.yellow(a.id.short))  \(summary(a))")
    }

    /// A change's outcome: the note as changed, or, when it already was as asked, that nothing
    /// changed and why (on standard error with `--json`, whose output stays the note).
    static func printChanged(_ outcome: ChangeOutcome, verb: String, json: Bool) throws {
        guard let reason = outcome.unchanged else { return try printChanged(outcome.annotation, verb: verb, json: json) }
        if json {
            Output.warn("nothing changed: \(Output.safe(reason))")
            return try Output.json(outcome.annotation)
        }
        Output.line("nothing changed: \(Output.safe(reason))")
    }

    /// One line: author, motivation, quote, body, tags, judgment, state.
    static func summary(_ a: Annotation) -> String {
        var parts = [Output.bold(Output.safe(a.author.rawValue)), a.motivation.rawValue]
        if let quote = a.target?.quote.exact { parts.append("“\(Output.clip(quote, 40))”") }
        if a.parent != nil { parts.append("↳ reply to \(a.parent!.short)") }
        if !a.body.isEmpty { parts.append(Output.clip(a.body, 60)) }
        if !a.tags.isEmpty { parts.append(a.tags.map { "#\(Output.safe($0))" }.joined(separator: " ")) }
        if let j = a.judgment { parts.append(judgment(j)) }
        if a.status == .resolved { parts.append(Output.green("resolved")) }
        if a.visibility == .private { parts.append(Output.dim("private")) }
        if a.hasConflict { parts.append(Output.red("conflict (\(a.bodyVersions.count) versions)")) }
        if a.deleted { parts.append(Output.red("deleted")) }
        return parts.joined(separator: " · ")
    }

    static func judgment(_ j: Judgment) -> String {
        [j.confidence.map { "\($0.rawValue) confidence" }, j.likelihood.map { $0.phrase }]
            .compactMap { $0 }.joined(separator: ", ")
    }

    /// One row per note, naming its report: `id  report-id title…  summary`.
    static func printList(_ list: [Annotation], titles: [ReportID: String]) {
        for a in list { Output.row("\(Output.yellow(a.id.short))  \(report(a.report, titles))  \(summary(a))") }
    }

    /// A report in a row: its short id and its title shortened in the middle to a fixed width;
    /// on a narrow terminal the id alone, so that the note's own words keep their room.
    static func report(_ id: ReportID, _ titles: [ReportID: String]) -> String {
        let columns = Terminal.columns() ?? 120
        guard columns >= 100 else { return Output.dim(id.short) }
        let width = columns >= 120 ? 28 : 16
        return Output.dim(id.short) + " " + Output.pad(Output.middle(titles[id] ?? "(report not here)", width), width)
    }
}
