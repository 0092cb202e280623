/// Reads a plain-text (`.txt`) report that is not in the seed format.
///
/// ```text
/// Title                         ← first non-empty line
/// One-line summary              ← the summary, only when a blank line follows it
///
/// First paragraph, which may
/// span several lines.           ← lines of a block are joined with a space
///
/// What Happened                 ← a known heading alone on its line starts a section
/// …
/// ```
enum PlainTextReport {
    static func parse(_ text: String) throws(ReportImportError) -> Report {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let first = lines.first, ReportWhitespace.trimmed(first).isEmpty { lines.removeFirst() }
        guard let titleLine = lines.popFirst() else { throw .noText }
        let title = ReportWhitespace.normalise(titleLine)

        var summary = ""
        if lines.count >= 2, let candidate = lines.first,
           !ReportWhitespace.trimmed(candidate).isEmpty, SectionHeading.match(candidate) == nil,
           ReportWhitespace.trimmed(lines[lines.startIndex + 1]).isEmpty {
            summary = ReportWhitespace.normalise(candidate)
            lines.removeFirst()
        }

        let sections = ReportBlock.sections(from: blocks(of: lines))
        return Report(title: title, summary: summary, sections: sections)
    }

    /// Paragraphs separated by blank lines, and headings alone on their lines.
    static func blocks(of lines: some Sequence<Substring>) -> [ReportBlock] {
        var blocks: [ReportBlock] = []
        var paragraph: [Substring] = []
        func endParagraph() {
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph.joined(separator: " "))) }
            paragraph = []
        }
        for line in lines {
            if ReportWhitespace.trimmed(line).isEmpty {
                endParagraph()
            } else if let heading = SectionHeading.match(line) {
                endParagraph()
                blocks.append(.heading(heading))
            } else {
                paragraph.append(line)
            }
        }
        endParagraph()
        return blocks
    }
}
