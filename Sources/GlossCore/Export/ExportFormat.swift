import Foundation

/// The formats of `gloss export`, each a pure function from the input to bytes.
public enum ExportFormat: String, CaseIterable, Sendable {
    case w3c, json, csv, markdown, html

    /// The usual file extension for `-o` defaults.
    public var fileExtension: String {
        switch self {
        case .w3c: "jsonld"
        case .json: "json"
        case .csv: "csv"
        case .markdown: "md"
        case .html: "html"
        }
    }

    /// Whether the format is the annotated brief, which takes ``BriefOptions``.
    public var isBrief: Bool { self == .markdown || self == .html }

    /// The export in this format, as UTF-8 bytes. The same input always gives the same bytes.
    /// `brief` shapes the `markdown` and `html` briefs; the other formats export everything.
    public func data(_ input: ExportInput, brief: BriefOptions = BriefOptions()) throws -> Data {
        switch self {
        case .w3c: try W3CExport.data(input)
        case .json: try GlossJSONExport.data(input)
        case .csv: Data(CSVExport.render(input).utf8)
        case .markdown: Data(MarkdownExport.render(input, options: brief).utf8)
        case .html: Data(HTMLExport.render(input, options: brief).utf8)
        }
    }
}
