/// Reads an `.html` / `.htm` file as a report.
///
/// The title is the `<title>`, else the first `<h1>`, else the file's base name; the first heading,
/// when it repeats the title, is not kept as a section. The summary is
/// `<meta name="description">`, else empty. Sections come from ``HTMLText``.
enum HTMLReport {
    static func parse(_ html: String, fallbackTitle: String) throws(ReportImportError) -> Report {
        let document = HTMLText(html: html)
        let title = document.title ?? document.firstH1 ?? ReportWhitespace.normalise(fallbackTitle)
        var blocks = document.blocks
        let firstHeading = blocks.firstIndex { if case .heading = $0 { true } else { false } }
        if let firstHeading, blocks[firstHeading] == .heading(title) { blocks.remove(at: firstHeading) }
        let sections = ReportBlock.sections(from: blocks)
        guard !sections.isEmpty else {
            throw (document.title ?? document.firstH1).map { .titleOnly(title: $0) } ?? .noText
        }
        return Report(title: title, summary: document.description ?? "", sections: sections)
    }
}
