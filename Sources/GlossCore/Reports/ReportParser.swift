import Foundation

/// Turns a file's bytes into a ``Report``: the one entry point of report import.
///
/// The parser is pure: it reads only the bytes and the file name it is given. It picks a
/// format from the content and the extension, in this order:
///
/// 1. Checks that apply to every file (``ReportText/decode(_:)``): size, emptiness, binary
///    content and UTF-8 validity.
/// 2. `.html` / `.htm` → ``HTMLReport``; `.md` / `.markdown` → ``MarkdownReport``.
/// 3. Anything else whose third line starts with `{` → ``SeedReportFormat`` (the files analysts
///    receive: title line, summary line, loose JSON body).
/// 4. Otherwise → ``PlainTextReport``.
///
/// A report must have a body: a file that yields a title (a summary, headings) but not one
/// paragraph is refused as ``ReportImportError/titleOnly(title:)``, whatever its format.
///
/// Every format yields blocks (``ReportBlock``) that ``ReportBlock/sections(from:)`` groups
/// into sections; ``Report/init(title:summary:sections:revises:)`` then builds the canonical
/// text and the id. Code points are kept as they are (no Unicode normalisation), so offsets
/// into the text stay stable.
public enum ReportParser {
    /// Largest file accepted as a report.
    public static let maxBytes = 4 * 1024 * 1024

    /// The formats a file can be read as.
    public enum Format: String, Sendable, CaseIterable {
        case seed, html, markdown, plainText
    }

    /// Parses one report file.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - fileName: the file's name; its extension picks the format, its base name is the
    ///     fallback title of a Markdown or HTML file without one.
    public static func parse(_ data: Data, fileName: String) throws(ReportImportError) -> Report {
        let text = try ReportText.decode(data)
        let report: Report
        switch format(of: text, fileName: fileName) {
        case .seed: report = try SeedReportFormat.parse(text)
        case .html: report = try HTMLReport.parse(text, fallbackTitle: baseName(of: fileName))
        case .markdown: report = try MarkdownReport.parse(text, fallbackTitle: baseName(of: fileName))
        case .plainText: report = try PlainTextReport.parse(text)
        }
        guard report.sections.contains(where: { !$0.paragraphs.isEmpty }) else { throw .titleOnly(title: report.title) }
        return report
    }

    /// The format `parse` would use for this text and file name.
    static func format(of text: String, fileName: String) -> Format {
        switch fileExtension(of: fileName) {
        case "html", "htm", "xhtml": .html
        case "md", "markdown": .markdown
        default: SeedReportFormat.looksLikeSeed(text) ? .seed : .plainText
        }
    }

    /// The lowercased extension of a file name, or "" when it has none.
    static func fileExtension(of fileName: String) -> String {
        let name = fileName.split(separator: "/").last.map(String.init) ?? fileName
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// The file name without its directory and extension.
    static func baseName(of fileName: String) -> String {
        let name = fileName.split(separator: "/").last.map(String.init) ?? fileName
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
