/// The `html` export: the annotated brief (``Brief``) as one self-contained page.
///
/// Inline CSS only: no script, no font, no image, nothing fetched. The page opens with the
/// brief's title, date, workspace and authors, the key judgments (each judged passage with
/// every analyst's view, linked to its note, and "Analysts disagree" where they do) and the
/// contents. Each report is an `<article>`: highlights are `<mark>` elements titled with their
/// authors; each paragraph's notes sit beside it in an `<aside>` (below it on a narrow screen),
/// with a disagreement on the passage first, threaded replies, tags as pills, judgments, and the
/// resolved, private, conflict and deleted states. Every piece of user text is escaped.
///
/// A Content-Security-Policy (``contentSecurityPolicy``), set before anything it governs, keeps
/// to that if an escape were ever missed: the page may use its own inline style and nothing
/// else (no script, no fetch, no frame, no form), and images only as `data:` URLs.
public enum HTMLExport {
    /// No source by default; inline style; images only from `data:`; no `<base>`, no form target.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

    public static func render(_ input: ExportInput, options: BriefOptions = BriefOptions()) -> String {
        render(Brief(input, options: options))
    }

    static func render(_ brief: Brief) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(contentSecurityPolicy)">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="Gloss">
        <title>\(escape(brief.title))</title>
        <style>\(style)</style>
        </head>
        <body>
        <header class="brief">
        <h1>\(escape(brief.title))</h1>
        \(header(brief))</header>
        \(keyJudgments(brief))\(contents(brief))\(brief.sections.map(section).joined())</body>
        </html>

        """
    }

    static func header(_ brief: Brief) -> String {
        var items: [String] = []
        if let asOf = brief.asOf {
            items.append("<dt>Date</dt><dd><time datetime=\"\(ExportText.timestamp(asOf))\">\(escape(ExportText.dateTime(asOf)))</time> (the latest change to a note in it)</dd>")
        }
        if !brief.workspace.isEmpty { items.append("<dt>Workspace</dt><dd>\(escape(brief.workspace.rawValue))</dd>") }
        if !brief.authors.isEmpty { items.append("<dt>Authors</dt><dd>\(escape(brief.authors.map(\.rawValue).joined(separator: ", ")))</dd>") }
        if let filters = brief.filters { items.append("<dt>Notes chosen by</dt><dd>\(escape(filters)) (each with its whole thread)</dd>") }
        return items.isEmpty ? "" : "<dl class=\"meta\">\(items.joined())</dl>\n"
    }

    static func reportAnchor(_ layout: BriefLayout) -> String { "report-\(layout.reportID.rawValue)" }

    static func headingTitle(_ layout: BriefLayout) -> String {
        layout.report == nil ? "\(layout.title) (text not included)" : layout.title
    }

    /// Each judged passage: where it is, every analyst's view, and the dissent.
    static func keyJudgments(_ brief: Brief) -> String {
        var items: [String] = []
        for section in brief.sections {
            for passage in section.passages {
                let quote = passage.quote.map { "“\(escape($0))”" } ?? "the whole report"
                // The passage's first note in reading order.
                let target = passage.entries.compactMap { section.note($0.annotation) }.min { $0.number < $1.number }
                    .map { "#" + anchor($0.number, report: section.layout.reportID) } ?? "#" + reportAnchor(section.layout)
                let views = passage.entries.map { "<li><b>\(escape($0.author.rawValue))</b>: <span class=\"judgment\">\(escape(ExportText.judgmentShort($0.judgment)))</span></li>" }
                items.append("<li class=\"passage\(passage.disagreement == nil ? "" : " disputed")\"><span class=\"report-name\">\(escape(headingTitle(section.layout)))</span>: "
                    + "<a href=\"\(escape(target))\">\(quote)</a><ul class=\"views\">\(views.joined())</ul>"
                    + (passage.disagreement.map(Self.dissent) ?? "") + "</li>")
            }
        }
        let body = items.isEmpty ? "<p class=\"none\">No note in this brief carries a judgment.</p>" : "<ul>\(items.joined())</ul>"
        return "<section class=\"judgments\" id=\"key-judgments\"><h2>Key judgments</h2>\(body)</section>\n"
    }

    /// "Analysts disagree (…)" and both views, each with its comment.
    static func dissent(_ disagreement: Disagreement) -> String {
        let sides = Brief.sides(disagreement).map { entry in
            let comment = Brief.oneLine(entry.comment)
            return "<li><b>\(escape(entry.author.rawValue))</b> — <span class=\"judgment\">\(escape(ExportText.judgmentShort(entry.judgment)))</span>"
                + (comment.isEmpty ? "" : ": <q>\(escape(comment))</q>") + "</li>"
        }
        return "<div class=\"dissent\" role=\"note\"><strong>Analysts disagree</strong> (\(escape(Brief.reason(disagreement))))<ul>\(sides.joined())</ul></div>"
    }

    static func contents(_ brief: Brief) -> String {
        guard !brief.sections.isEmpty else {
            return "<nav class=\"contents\"><h2>Contents</h2><p class=\"none\">No report in this brief: no note matches.</p></nav>\n"
        }
        let items = brief.sections.map { section in
            var counts = ["\(section.noteCount) note\(section.noteCount == 1 ? "" : "s")"]
            let disputed = section.disagreements.count
            if disputed > 0 { counts.append("\(disputed) disagreement\(disputed == 1 ? "" : "s")") }
            let earlier = section.revises.isEmpty ? "" : "<ul>" + section.revises.map { "<li class=\"revised\">\(revised($0))</li>" }.joined() + "</ul>"
            return "<li><a href=\"#\(escape(reportAnchor(section.layout)))\">\(escape(headingTitle(section.layout)))</a> <small>\(counts.joined(separator: ", "))</small>\(earlier)</li>"
        }
        return "<nav class=\"contents\"><h2>Contents</h2><ol>\(items.joined())</ol></nav>\n"
    }

    static func section(_ section: Brief.Section) -> String {
        let layout = section.layout
        var dissentByBlock: [Int: [Disagreement]] = [:], wholeDissent: [Disagreement] = []
        for passage in section.passages {
            guard let disagreement = passage.disagreement else { continue }
            if let block = section.block(of: passage) { dissentByBlock[block, default: []].append(disagreement) } else { wholeDissent.append(disagreement) }
        }
        var out = "<article class=\"report\" id=\"\(escape(reportAnchor(layout)))\">\n"
            + "<h2><span class=\"number\">\(section.number).</span> \(escape(headingTitle(layout)))</h2>\n"
            + section.revises.map { "<p class=\"revised\">\(revised($0))</p>\n" }.joined()
        for (index, block) in layout.blocks.enumerated() {
            let text = inline(block.runs, report: layout.reportID)
            let disputes = (dissentByBlock[index] ?? []).map(Self.dissent).joined()
            // The heading already names the report; its title shows again only when annotated.
            if block.kind == .title, block.runs == [.plain(block.text)], disputes.isEmpty { continue }
            let element = switch block.kind {
            case .title: "<p class=\"title\"><b>Title:</b> \(text)</p>"
            case .summary: "<p class=\"summary\">\(text)</p>"
            case .heading: "<h3>\(text)</h3>"
            case .paragraph: "<p>\(text)</p>"
            }
            out += "<div class=\"block\">\(element)"
            if !block.notes.isEmpty || !disputes.isEmpty {
                out += "<aside>\(disputes)\(block.notes.map { note($0, report: layout.reportID, reportKnown: true) }.joined())</aside>"
            }
            out += "</div>\n"
        }
        if !layout.wholeReportNotes.isEmpty {
            out += "<section class=\"whole\"><h3>Notes on the whole report</h3>" + wholeDissent.map(Self.dissent).joined()
                + layout.wholeReportNotes.map { note($0, report: layout.reportID, reportKnown: layout.report != nil) }.joined() + "</section>\n"
        }
        return out + "</article>\n"
    }

    /// "Earlier version “Old” (9f8e7d6c), revised by “New”, 2025-11-29 08:30 UTC: its notes are carried into this version."
    static func revised(_ version: Brief.RevisedVersion) -> String {
        let line = Brief.revisedLine(version)
        return "Earlier version \(escape(line.earlier)), revised by \(escape(line.by)), \(escape(line.when)): its notes are carried into this version."
    }

    /// The anchor of a note, unique on the page even when it holds several reports.
    static func anchor(_ number: Int, report: ReportID) -> String { "note-\(report.short)-\(number)" }

    static func inline(_ runs: [BriefLayout.Run], report: ReportID) -> String {
        var markerBefore = false
        return runs.map { run in
            defer { if case .marker = run { markerBefore = true } else { markerBefore = false } }
            return switch run {
            case let .plain(text): escape(text)
            case let .highlight(text, authors):
                "<mark\(authors.count > 1 ? " class=\"overlap\"" : "") title=\"\(escape(authors.joined(separator: ", ")))\">\(escape(text))</mark>"
            // Two notes on one passage read as two marks ("6,7"), not as one number ("67").
            case let .marker(number): "<sup>\(markerBefore ? "," : "")<a href=\"#\(anchor(number, report: report))\">\(number)</a></sup>"
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
        var head = "<span class=\"n\">\(escape(label))</span> <b>\(escape(a.author.rawValue))</b>"
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
        case let .deleted(by): "<p class=\"deleted\">(\(a.parent == nil ? "note" : "reply") deleted by \(escape(by)))</p>"
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
    body{font:16px/1.6 Georgia,serif;color:#222;background:#fdfdfb;margin:0 auto;max-width:72rem;padding:1rem 2rem;overflow-wrap:anywhere}
    h1{font-size:1.9rem;line-height:1.25;margin-bottom:.3rem}h2{font-size:1.45rem;line-height:1.3;margin-top:2rem}h3{font-size:1.15rem;margin-top:1.6rem}
    .brief{border-bottom:3px double #bbb;margin-bottom:1.5rem}.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;font:.9rem system-ui,sans-serif;color:#444}
    .meta dt{font-weight:bold}.meta dd{margin:0}
    .judgments,.contents{font:.95rem/1.5 system-ui,sans-serif;margin-bottom:1.5rem}.judgments>ul{padding-left:1.2rem}
    .passage{margin:.5rem 0}.report-name{color:#555}.views{margin:.1rem 0;padding-left:1.2rem}.none{color:#666;font-style:italic}
    .dissent{border-left:3px solid #c0392b;background:#fdf0ee;padding:.35rem .6rem;margin:.4rem 0;font:.85rem/1.45 system-ui,sans-serif}
    .dissent strong{color:#a3281c}.dissent ul{margin:.2rem 0;padding-left:1.1rem}
    .number{color:#888}.title{font-weight:bold}
    .report{border-bottom:1px solid #ddd;padding-bottom:2rem;margin-bottom:2rem}
    .block{display:grid;grid-template-columns:minmax(0,1fr) 22rem;gap:1.5rem;align-items:start}
    .block>:first-child{grid-column:1}.block aside{grid-column:2}
    .summary{font-style:italic;color:#444}.revised{font-style:italic;color:#555}
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
    .body{white-space:pre-wrap;margin:.2rem 0}p.deleted{color:#888;font-style:italic;margin:.2rem 0}
    .quote{color:#666;font-style:italic;margin:.2rem 0}.versions{margin:.2rem 0;padding-left:1.2rem}
    @media (max-width:50rem){.block{display:block}}
    """
}
