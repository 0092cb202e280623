/// Reads a Markdown (`.md`) report.
///
/// - The first `# ` heading is the title (else the file's base name); the summary is empty.
/// - Every other ATX heading (`##`, `###`, a later `#`) starts a section.
/// - Paragraphs are blocks separated by blank lines, their lines joined with a space.
/// - Each list item (`- `, `* `, `+ `, `1. `, `1) `, nested or not) is its own paragraph,
///   without its marker; blockquote markers (`>`) are dropped; rules (`---`) end a paragraph.
/// - A fenced code block (```` ``` ```` or `~~~`) is one paragraph, kept verbatim apart from
///   whitespace.
/// - Inline markup is removed by ``MarkdownInline``.
enum MarkdownReport {
    static func parse(_ text: String, fallbackTitle: String) throws(ReportImportError) -> Report {
        var reader = Reader()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            reader.read(line)
        }
        reader.endParagraph()
        let sections = ReportBlock.sections(from: reader.blocks)
        let title = reader.title ?? ReportWhitespace.normalise(fallbackTitle)
        guard !sections.isEmpty || reader.title != nil else { throw .noText }
        return Report(title: title, summary: "", sections: sections)
    }

    private struct Reader {
        var blocks: [ReportBlock] = []
        var title: String?
        var paragraph: [String] = []
        var paragraphIsCode = false
        var fence: String?

        mutating func read(_ rawLine: Substring) {
            var line = ReportWhitespace.trimmed(rawLine)
            if let open = fence {
                if line.hasPrefix(open) { endParagraph(); fence = nil } else { paragraph.append(String(rawLine)) }
                return
            }
            if line.hasPrefix("```") || line.hasPrefix("~~~") {
                endParagraph()
                fence = String(line.prefix(3))
                paragraphIsCode = true
                return
            }
            while line.hasPrefix(">") { line = ReportWhitespace.trimmed(line.dropFirst()) }
            if line.isEmpty || isRule(line) {
                endParagraph()
            } else if let heading = atxHeading(line) {
                endParagraph()
                let text = MarkdownInline.strip(heading.text)
                if heading.level == 1, title == nil { title = ReportWhitespace.normalise(text) } else { blocks.append(.heading(text)) }
            } else if let item = listItem(line) {
                endParagraph()
                paragraph.append(item)
            } else {
                paragraph.append(line)
            }
        }

        mutating func endParagraph() {
            if !paragraph.isEmpty {
                let joined = paragraph.joined(separator: " ")
                blocks.append(.paragraph(paragraphIsCode ? joined : MarkdownInline.strip(joined)))
            }
            paragraph = []
            paragraphIsCode = false
        }

        /// `#`…`######` then a space (or nothing); closing `#`s are dropped.
        func atxHeading(_ line: String) -> (level: Int, text: String)? {
            let level = line.prefix { $0 == "#" }.count
            guard (1...6).contains(level) else { return nil }
            let rest = line.dropFirst(level)
            guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
            var text = ReportWhitespace.trimmed(rest)
            while text.hasSuffix("#") { text.removeLast() }
            return (level, ReportWhitespace.trimmed(text))
        }

        /// The content of a list item line, without its marker.
        func listItem(_ line: String) -> String? {
            if let first = line.first, "-*+".contains(first) {
                let rest = line.dropFirst()
                guard rest.first == " " || rest.first == "\t" else { return nil }
                return ReportWhitespace.trimmed(rest)
            }
            let digits = line.prefix { $0.isASCII && $0.isNumber }
            guard (1...9).contains(digits.count) else { return nil }
            let rest = line.dropFirst(digits.count)
            guard let marker = rest.first, marker == "." || marker == ")" else { return nil }
            let content = rest.dropFirst()
            guard content.first == " " || content.first == "\t" else { return nil }
            return ReportWhitespace.trimmed(content)
        }

        /// A thematic break: three or more `-`, `*` or `_` (spaces allowed) and nothing else.
        func isRule(_ line: String) -> Bool {
            let marks = line.filter { $0 != " " && $0 != "\t" }
            guard marks.count >= 3, let mark = marks.first, "-*_=".contains(mark) else { return false }
            return marks.allSatisfy { $0 == mark }
        }
    }
}
