/// One unit of a report body as a format reader sees it: a heading or a paragraph.
///
/// Every format reduces its body to a flat list of blocks; ``sections(from:)`` then groups them
/// the same way for all formats.
enum ReportBlock: Hashable, Sendable {
    case heading(String)
    case paragraph(String)

    var isParagraph: Bool {
        if case .paragraph = self { return true }
        return false
    }

    /// Groups blocks into sections: each heading starts one, and paragraphs before the first
    /// heading go to a section whose heading is "". Blocks whose text normalises to nothing
    /// are dropped; a heading with no paragraphs is kept (its words are still text).
    static func sections(from blocks: [ReportBlock]) -> [Report.Section] {
        var sections: [Report.Section] = []
        for block in blocks {
            switch block {
            case let .heading(raw):
                let heading = ReportWhitespace.normalise(raw)
                guard !heading.isEmpty else { continue }
                sections.append(Report.Section(heading: heading, paragraphs: []))
            case let .paragraph(raw):
                let paragraph = ReportWhitespace.normalise(raw)
                guard !paragraph.isEmpty else { continue }
                if sections.isEmpty { sections.append(Report.Section(heading: "", paragraphs: [])) }
                sections[sections.count - 1].paragraphs.append(paragraph)
            }
        }
        return sections
    }
}
