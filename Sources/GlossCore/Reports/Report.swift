import Foundation

/// An immutable situation report, normalised to one canonical plain text.
///
/// The id is the SHA-256 of ``text`` (hex), so two analysts who import the same file
/// offline get the same report. Annotations address the text by Unicode code points.
public struct Report: Codable, Hashable, Sendable {
    /// One headed part of the report, e.g. "What Happened", and its paragraphs.
    public struct Section: Codable, Hashable, Sendable {
        public var heading: String
        public var paragraphs: [String]
        public init(heading: String, paragraphs: [String]) {
            self.heading = heading
            self.paragraphs = paragraphs
        }
    }

    public var id: ReportID
    public var title: String
    public var summary: String
    public var sections: [Section]
    /// The canonical plain text that selectors point into.
    public var text: String
    /// The report this one revises, when the analyst said so on import.
    public var revises: ReportID?

    public init(title: String, summary: String, sections: [Section], revises: ReportID? = nil) {
        self.title = title
        self.summary = summary
        self.sections = sections
        self.text = Report.canonicalText(title: title, summary: summary, sections: sections)
        self.id = ReportID(sha256Of: text)
        self.revises = revises
    }

    /// Why a report as received (from a teammate, through the server) cannot be taken: nil when
    /// its id is the hash of its text and its title, summary and sections are exactly that
    /// text's blocks. So no uploader can set another title or summary, or slip in words the
    /// text does not have; only which blocks are headings is theirs to say. `revises` is not
    /// checked: it is the importer's own claim and never travels as part of a report.
    public var integrityProblem: String? {
        guard ReportID(sha256Of: text) == id else { return "its id is not the SHA-256 of its text" }
        guard !title.isEmpty else { return "it has no title" }
        let parts = [title, summary] + sections.flatMap { [$0.heading] + $0.paragraphs }
        guard !parts.contains(where: { $0.contains("\n\n") }) else { return "a title, summary, heading or paragraph spans blocks of the text" }
        guard Report.canonicalText(title: title, summary: summary, sections: sections) == text else {
            return "its title, summary and sections are not its text"
        }
        return nil
    }

    /// The report as it travels between replicas: without the importer's `revises` claim.
    public var shared: Report {
        var copy = self
        copy.revises = nil
        return copy
    }

    /// The canonical text: title, summary, then each heading and its paragraphs,
    /// separated by blank lines. Deterministic, so the id is too.
    public static func canonicalText(title: String, summary: String, sections: [Section]) -> String {
        var blocks = [title, summary].filter { !$0.isEmpty }
        for section in sections {
            if !section.heading.isEmpty { blocks.append(section.heading) }
            blocks.append(contentsOf: section.paragraphs)
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }
}
