/// The readable content of an HTML document or fragment: its blocks, `<title>`, first `<h1>`
/// and `<meta name="description">`.
///
/// How elements become blocks:
/// - `h1`–`h6` become headings; block elements (`p`, `div`, `li`, `blockquote`, `section`, …)
///   end the current paragraph, so each list item (nested lists too) is its own paragraph.
/// - `<br>` also ends the paragraph: canonical paragraphs never contain a line break, so a
///   line break in the source becomes a paragraph break (inside a heading or table cell it is
///   a space).
/// - A table row becomes one paragraph, its non-empty cells joined by " | ".
/// - Inline elements (`strong`, `em`, `a`, `span`, …) add nothing; the content of `script`,
///   `style`, `noscript` and `template` is dropped.
struct HTMLText {
    private(set) var blocks: [ReportBlock] = []
    /// The document's `<title>`, whitespace-normalised; nil when absent or empty.
    private(set) var title: String?
    /// The text of the first `<h1>`, whitespace-normalised.
    private(set) var firstH1: String?
    /// The `content` of `<meta name="description">`, whitespace-normalised.
    private(set) var description: String?

    static let headingElements: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "head", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre",
        "section", "summary", "ul",
    ]
    static let tableElements: Set<String> = ["table", "thead", "tbody", "tfoot", "tr", "td", "th"]

    private var buffer = ""
    private var headingLevel: String?
    /// Cells of the table row being read, or nil outside a row.
    private var row: [String]?

    init(html: String) {
        for token in HTMLTokenizer.tokenize(html) {
            switch token {
            case let .text(text): buffer += text
            case let .startTag(name, attributes, _): start(name, attributes: attributes)
            case let .endTag(name): end(name)
            case let .rawText(element, text):
                if element == "title", title == nil {
                    let normalised = ReportWhitespace.normalise(text)
                    if !normalised.isEmpty { title = normalised }
                }
            }
        }
        finishRow()
        flush()
    }

    /// Whether `body` uses block-level markup (headings, paragraphs, lists, tables, `<br>`),
    /// as opposed to text whose tags were already stripped.
    static func hasBlockMarkup(_ body: String) -> Bool {
        HTMLTokenizer.tokenize(body).contains { token in
            let name: String
            switch token {
            case let .startTag(tagName, _, _): name = tagName
            case let .endTag(tagName): name = tagName
            default: return false
            }
            return name == "br" || headingElements.contains(name) || blockElements.contains(name)
                || tableElements.contains(name)
        }
    }

    /// The text of `html` with every tag removed and entities decoded, keeping its line
    /// breaks; raw-text elements (`script`, `style`, …) are dropped.
    static func strippingTags(_ html: String) -> String {
        HTMLTokenizer.tokenize(html).reduce(into: "") { text, token in
            if case let .text(piece) = token { text += piece }
        }
    }

    // MARK: - Building blocks

    private mutating func start(_ name: String, attributes: [String: String]) {
        if Self.headingElements.contains(name) {
            flush()
            headingLevel = name
        } else if name == "br" {
            if row != nil || headingLevel != nil { buffer += " " } else { flush() }
        } else if name == "td" || name == "th" {
            if row == nil { flush(); row = [] } else { finishCell() }
        } else if name == "tr" {
            finishRow()
            row = []
        } else if Self.tableElements.contains(name) {
            finishRow()
        } else if Self.blockElements.contains(name) {
            if row != nil { buffer += " " } else { flush() }
        } else if name == "meta", attributes["name"]?.lowercased() == "description", description == nil {
            description = attributes["content"].map { ReportWhitespace.normalise($0) }
        }
    }

    private mutating func end(_ name: String) {
        if Self.headingElements.contains(name) {
            flush()
            headingLevel = nil
        } else if name == "td" || name == "th" {
            if row != nil { finishCell() }
        } else if Self.tableElements.contains(name) {
            finishRow()
        } else if Self.blockElements.contains(name) {
            if row != nil { buffer += " " } else { flush() }
        }
    }

    /// Ends the current paragraph or heading.
    private mutating func flush() {
        let text = ReportWhitespace.normalise(buffer)
        buffer = ""
        guard !text.isEmpty else { return }
        if let level = headingLevel {
            if level == "h1", firstH1 == nil { firstH1 = text }
            blocks.append(.heading(text))
        } else {
            blocks.append(.paragraph(text))
        }
    }

    private mutating func finishCell() {
        let cell = ReportWhitespace.normalise(buffer)
        buffer = ""
        if !cell.isEmpty { row?.append(cell) }
    }

    /// Ends the current table row as one paragraph; outside a row, ends the paragraph.
    private mutating func finishRow() {
        guard row != nil else { flush(); return }
        finishCell()
        if let cells = row, !cells.isEmpty { blocks.append(.paragraph(cells.joined(separator: " | "))) }
        row = nil
    }
}
