/// The `markdown` export: the annotated brief, one part per report.
///
/// Quotes are **bold** with a marker `[^n]` where they end; the notes follow the paragraph as
/// a block quote: `> **[1] alice** · commenting · #supply-chain · confidence high, likely (55–80%) — text`,
/// replies below as `>   ↳ **bob**: text`. Deleted notes read "(deleted by alice)" and keep
/// their replies; a body conflict lists every version. Report text is escaped so that it
/// cannot turn into markup; bodies are markdown already and are kept as written.
public enum MarkdownExport {
    public static func render(_ input: ExportInput) -> String {
        BriefLayout.layouts(for: input).map(render).joined(separator: "\n---\n\n")
    }

    static func render(_ layout: BriefLayout) -> String {
        var out = layout.report == nil ? "# \(escape(layout.title)) (text not included)\n\n" : ""
        for block in layout.blocks {
            let text = inline(block.runs)
            switch block.kind {
            case .title: out += "# \(text)\n\n"
            case .summary: out += "_\(text)_\n\n"
            case .heading: out += "## \(text)\n\n"
            case .paragraph: out += "\(text)\n\n"
            }
            if !block.notes.isEmpty { out += notes(block.notes, reportKnown: true) }
        }
        if !layout.wholeReportNotes.isEmpty {
            out += "## Notes on the whole report\n\n" + notes(layout.wholeReportNotes, reportKnown: layout.report != nil)
        }
        return out
    }

    static func inline(_ runs: [BriefLayout.Run]) -> String {
        runs.map { run in
            switch run {
            case let .plain(text): return escape(text)
            case let .marker(number): return "[^\(number)]"
            case let .highlight(text, _):
                let (lead, core, trail) = ExportText.padding(of: text)
                return core.isEmpty ? text : "\(lead)**\(escape(core))**\(trail)"
            }
        }.joined()
    }

    static func notes(_ notes: [BriefLayout.Note], reportKnown: Bool) -> String {
        notes.map { note in
            let head = "**[\(note.number)] \(escape(note.annotation.author))**"
            let extra = BriefLayout.unplacedQuote(of: note, reportKnown: reportKnown).map { [escape($0)] } ?? []
            var lines = [entry(note.annotation, head: head, extra: extra, prefix: "> ")]
            lines += note.replies.map { reply in
                let indent = "> " + String(repeating: "\u{00A0}\u{00A0}", count: reply.depth - 1) + "  "
                return entry(reply.annotation, head: "↳ **\(escape(reply.annotation.author))**", extra: [], prefix: indent)
            }
            return lines.joined(separator: "\n>\n") + "\n\n"
        }.joined()
    }

    /// One note or reply: its head, facts and text, continuation lines kept inside the quote.
    static func entry(_ annotation: Annotation, head: String, extra: [String], prefix: String) -> String {
        let facts = ([head] + BriefLayout.facts(of: annotation) + extra).joined(separator: " · ")
        let continuation = "> " + String(repeating: "\u{00A0}", count: max(0, prefix.count - 2))
        switch BriefLayout.content(of: annotation) {
        case let .deleted(by):
            return prefix + facts + " (deleted by \(escape(by)))"
        case let .text(body):
            let text = body.isEmpty ? "" : " — " + body
            return prefix + ExportText.prefixLines(facts + text, with: continuation).dropFirst(continuation.count)
        case let .conflict(versions):
            let list = versions.map { version in
                "- \(escape(BriefLayout.versionLabel(version))): " + ExportText.prefixLines(version.text, with: "  ").dropFirst(2)
            }
            return prefix + facts + " · conflict, \(versions.count) versions:\n"
                + ExportText.prefixLines(list.joined(separator: "\n"), with: continuation)
        }
    }

    /// Backslash-escapes the ASCII punctuation that markdown (CommonMark, GFM) reads as markup.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_[]<>#|~=!".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
