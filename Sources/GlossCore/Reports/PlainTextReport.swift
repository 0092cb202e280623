/// Reads a plain-text (`.txt`) report that is not in the seed format.
///
/// ```text
/// Title                         ← first non-empty line
/// One-line summary              ← the summary, only when a blank line and more text follow it
///
/// First line of the body        ← every other line is kept as written: a paragraph of its own
/// Second line of the body
///
/// What Happened                 ← a known heading alone on its line starts a section
/// …
/// ```
///
/// So `Title` and one line of text is a report, and no two lines are ever run together.
enum PlainTextReport {
    static func parse(_ text: String) throws(ReportImportError) -> Report {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let first = lines.first, ReportWhitespace.trimmed(first).isEmpty { lines.removeFirst() }
        guard let titleLine = lines.popFirst() else { throw .noText }
        let title = ReportWhitespace.normalise(titleLine)

        var summary = ""
        if lines.count >= 3, let candidate = lines.first,
           !ReportWhitespace.trimmed(candidate).isEmpty, SectionHeading.match(candidate) == nil,
           ReportWhitespace.trimmed(lines[lines.startIndex + 1]).isEmpty,
           lines.dropFirst(2).contains(where: { !ReportWhitespace.trimmed($0).isEmpty }) {
            summary = ReportWhitespace.normalise(candidate)
            lines.removeFirst()
        }

        var body = blocks(of: lines)
        if !body.contains(where: \.isParagraph) {
            // Lines that all read like headings ("Background") are still the report's text.
            body = lines.filter { !ReportWhitespace.trimmed($0).isEmpty }.map { .paragraph(String($0)) }
        }
        let sections = ReportBlock.sections(from: body)
        return Report(title: title, summary: summary, sections: sections)
    }

    /// Each non-empty line: a heading when it is a known one alone on its line, else a
    /// paragraph of its own.
    static func blocks(of lines: some Sequence<Substring>) -> [ReportBlock] {
        lines.compactMap { line in
            if ReportWhitespace.trimmed(line).isEmpty { return nil }
            if let heading = SectionHeading.match(line) { return .heading(heading) }
            return .paragraph(String(line))
        }
    }
}
