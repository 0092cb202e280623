/// The `html` export: the annotated brief as one self-contained page.
///
/// Inline CSS only: no script, no font, no image, nothing fetched. Highlights are `<mark>`
/// elements titled with their authors; each paragraph's notes sit beside it in an `<aside>`
/// (below it on a narrow screen), with threaded replies, tags as pills, judgments, and the
/// resolved, private, conflict and deleted states. Every piece of user text is escaped.
public enum HTMLExport {
    public static func render(_ input: ExportInput, title: String = "Gloss annotated brief") -> String {
        let reports = BriefLayout.layouts(for: input).map(report).joined()
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="Gloss">
        <title>\(escape(title))</title>
        <style>\(style)</style>
        </head>
        <body>
        \(reports)</body>
        </html>

        """
    }

    static func report(_ layout: BriefLayout) -> String {
        var out = "<article class=\"report\" id=\"report-\(escape(layout.reportID.rawValue))\">\n"
        if layout.report == nil {
            out += "<h1>\(escape(layout.title)) <small>(text not included)</small></h1>\n"
        }
        for block in layout.blocks {
            let text = inline(block.runs, report: layout.reportID)
            let element = switch block.kind {
            case .title: "<h1>\(text)</h1>"
            case .summary: "<p class=\"summary\">\(text)</p>"
            case .heading: "<h2>\(text)</h2>"
            case .paragraph: "<p>\(text)</p>"
            }
            out += "<div class=\"block\">\(element)"
            if !block.notes.isEmpty { out += "<aside>\(block.notes.map { note($0, report: layout.reportID, reportKnown: true) }.joined())</aside>" }
            out += "</div>\n"
        }
        if !layout.wholeReportNotes.isEmpty {
            out += "<section class=\"whole\"><h2>Notes on the whole report</h2>"
                + layout.wholeReportNotes.map { note($0, report: layout.reportID, reportKnown: layout.report != nil) }.joined() + "</section>\n"
        }
        return out + "</article>\n"
    }

    /// The anchor of a note, unique on the page even when it holds several reports.
    static func anchor(_ number: Int, report: ReportID) -> String { "note-\(report.short)-\(number)" }

    static func inline(_ runs: [BriefLayout.Run], report: ReportID) -> String {
        runs.map { run in
            switch run {
            case let .plain(text): escape(text)
            case let .highlight(text, authors):
                "<mark\(authors.count > 1 ? " class=\"overlap\"" : "") title=\"\(escape(authors.joined(separator: ", ")))\">\(escape(text))</mark>"
            case let .marker(number): "<sup><a href=\"#\(anchor(number, report: report))\">\(number)</a></sup>"
            }
        }.joined()
    }

    static func note(_ note: BriefLayout.Note, report: ReportID, reportKnown: Bool) -> String {
        let quote = BriefLayout.unplacedQuote(of: note, reportKnown: reportKnown).map { "<p class=\"quote\">\(escape($0))</p>" } ?? ""
        let replies = note.replies.map { reply in
            "<div class=\"reply\" style=\"margin-left:\(reply.depth - 1)em\">" + entry(reply.annotation, label: "↳") + "</div>"
        }.joined()
        return "<div class=\"note\(states(note.annotation))\" id=\"\(anchor(note.number, report: report))\">"
            + entry(note.annotation, label: "[\(note.number)]") + quote + replies + "</div>"
    }

    /// The head (number, author, motivation, pills, judgment, states) and the text of one entry.
    static func entry(_ a: Annotation, label: String) -> String {
        var head = "<span class=\"n\">\(escape(label))</span> <b>\(escape(a.author))</b>"
        if !a.deleted {
            if a.parent == nil { head += " <span class=\"m\">\(escape(a.motivation.rawValue))</span>" }
            head += ExportText.tags(a).map { " <span class=\"tag\">#\(escape($0))</span>" }.joined()
            if let judgment = a.judgment, !judgment.isEmpty {
                head += " <span class=\"judgment\">\(escape(ExportText.judgmentShort(judgment)))</span>"
            }
            if a.status == .resolved { head += " <span class=\"state\">resolved</span>" }
            if a.visibility == .private { head += " <span class=\"state\">private</span>" }
        }
        let body: String = switch BriefLayout.content(of: a) {
        case let .deleted(by): "<p class=\"deleted\">(deleted by \(escape(by)))</p>"
        case let .text(text): text.isEmpty ? "" : "<p class=\"body\">\(escape(text))</p>"
        case let .conflict(versions):
            "<p class=\"state conflict\">conflict: \(versions.count) versions</p><ol class=\"versions\">"
                + versions.map { "<li><small>\(escape(BriefLayout.versionLabel($0)))</small><p class=\"body\">\(escape($0.text))</p></li>" }.joined()
                + "</ol>"
        }
        return "<div class=\"head\">\(head)</div>\(body)"
    }

    static func states(_ a: Annotation) -> String {
        (a.deleted ? " deleted" : "") + (a.status == .resolved ? " resolved" : "") + (a.hasConflict ? " conflict" : "")
    }

    /// Escapes text for HTML content and attribute values: `& < > " '`.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let style = """
    body{font:16px/1.6 Georgia,serif;color:#222;background:#fdfdfb;margin:0 auto;max-width:72rem;padding:1rem 2rem}
    h1{font-size:1.8rem;line-height:1.25}h2{font-size:1.25rem;margin-top:2rem}
    .report{border-bottom:1px solid #ddd;padding-bottom:2rem;margin-bottom:2rem}
    .block{display:grid;grid-template-columns:minmax(0,1fr) 22rem;gap:1.5rem;align-items:start}
    .block>:first-child{grid-column:1}.block aside{grid-column:2}
    .summary{font-style:italic;color:#444}
    mark{background:#fff1a8;padding:0 .1em}mark.overlap{background:#ffd966}
    sup a{color:#0a58ca;text-decoration:none;font:bold .7rem sans-serif}
    aside,.whole{font:.85rem/1.45 system-ui,sans-serif}
    .note{border-left:3px solid #0a58ca;background:#f3f6fb;padding:.4rem .6rem;margin:.5rem 0}
    .note.resolved{border-color:#2e8540;opacity:.8}.note.deleted{border-color:#999;background:#f4f4f4}
    .note.conflict{border-color:#c0392b}
    .reply{border-top:1px dashed #ccd;padding-top:.3rem;margin-top:.3rem}
    .n{color:#0a58ca;font-weight:bold}.m{color:#666}
    .tag{display:inline-block;background:#e2e8f5;color:#234;border-radius:1em;padding:0 .5em;font-size:.8em}
    .judgment{color:#6b3fa0}.state{color:#2e8540;font-size:.8em;text-transform:uppercase}.conflict{color:#c0392b}
    .body{white-space:pre-wrap;margin:.2rem 0}.deleted{color:#888;font-style:italic;margin:.2rem 0}
    .quote{color:#666;font-style:italic;margin:.2rem 0}.versions{margin:.2rem 0;padding-left:1.2rem}
    @media (max-width:50rem){.block{display:block}}
    """
}
