/// The report as `gloss show` prints it: the text with highlighted quotes and, after each
/// paragraph, its notes and their replies.
///
/// With `color`, highlights have a yellow background and notes are cyan (replies dim); without
/// it, quotes read `[[quote]]¹` and nothing but text is printed. Lines are wrapped to `width`
/// terminal columns (``StyledText/wrap(_:width:)``); a word longer than a line is cut between
/// Characters, never inside a grapheme cluster.
///
/// Everything it prints that someone wrote (the report's text, names, tags, comments) goes
/// through ``TerminalText``: controls show as `^[`, bidi controls as `<U+202E>`, and each field
/// of a note holding right-to-left text is isolated.
public enum ReportRenderer {
    public static func render(report: Report, annotations: [Annotation], color: Bool, width: Int = 100) -> String {
        let layout = BriefLayout(report: report, annotations: annotations)
        let width = max(width, 20)
        var out = StyledText(color: color)
        for block in layout.blocks {
            switch block.kind {
            case .title:
                out.add(runs(block.runs, color: color, base: .title), width: width)
                if !color { out.add(String(repeating: "=", count: min(TerminalText.shown(block.text).displayColumns, width)), style: .plain, width: width) }
            case .summary: out.add(runs(block.runs, color: color, base: .summary), width: width)
            case .heading:
                out.add(runs(block.runs, color: color, base: .heading), width: width)
                if !color { out.add(String(repeating: "-", count: min(TerminalText.shown(block.text).displayColumns, width)), style: .plain, width: width) }
            case .paragraph: out.add(runs(block.runs, color: color, base: .plain), width: width)
            }
            for note in block.notes { add(note, to: &out, reportKnown: true, width: width) }
            out.blank()
        }
        if !layout.wholeReportNotes.isEmpty {
            out.add("Notes on the whole report", style: .heading, width: width)
            if !color { out.add(String(repeating: "-", count: 25), style: .plain, width: width) }
            for note in layout.wholeReportNotes { add(note, to: &out, reportKnown: true, width: width) }
            out.blank()
        }
        return out.text
    }

    /// The block's text as styled pieces: `[[…]]` around plain-text highlights, superscript markers.
    static func runs(_ runs: [BriefLayout.Run], color: Bool, base: StyledText.Style) -> [(String, StyledText.Style)] {
        var markerBefore = false
        return runs.flatMap { run -> [(String, StyledText.Style)] in
            defer { if case .marker = run { markerBefore = true } else { markerBefore = false } }
            switch run {
            case let .plain(text): return [(TerminalText.shown(text, keepingLineBreaks: true), base)]
            // Two notes on one passage read as two marks ("⁶,⁷"), not as one number ("⁶⁷").
            case let .marker(number): return [((markerBefore ? "," : "") + ExportText.superscript(number), .marker)]
            case let .highlight(text, _):
                let (lead, core, trail) = ExportText.padding(of: TerminalText.shown(text, keepingLineBreaks: true))
                return [(lead, base), color ? (core, .highlight) : ("[[" + core + "]]", base), (trail, base)]
            }
        }
    }

    static func add(_ note: BriefLayout.Note, to out: inout StyledText, reportKnown: Bool, width: Int) {
        let extra = BriefLayout.unplacedQuote(of: note, reportKnown: reportKnown).map { [$0] } ?? []
        entry(note.annotation, label: ExportText.superscript(note.number), extra: extra, indent: "  ", style: .note, to: &out, width: width)
        for reply in note.replies {
            let indent = "    " + String(repeating: "  ", count: reply.depth - 1)
            entry(reply.annotation, label: "↳", extra: [], indent: indent, style: .reply, to: &out, width: width)
        }
    }

    /// How a note carried from an earlier version reads: nothing when its text survived.
    static func reanchorMark(_ a: Annotation) -> String? {
        guard let carried = a.reanchor else { return nil }
        let status: String? = switch carried.status {
        case .exact: nil
        case .changed: "~ quoted text changed in this version"
        case .review: "? needs review (\(TerminalText.safe(carried.reason ?? "placed by a guess"))): gloss review"
        case .orphan: "✗ its text is gone from this version (was on \(carried.from.short))"
        }
        guard let claim = carried.claim else { return status }
        return [status, "! " + claimWords(claim)].compactMap { $0 }.joined(separator: " · ")
    }

    /// "carried here by bob's claim (2026-12-06) that this revises 2d03a70d, which you have not
    /// accepted": on every note carried across it, and above the report it is shown on.
    public static func claimWords(_ claim: RevisionClaim) -> String {
        "carried here by \(TerminalText.safe(claim.by.rawValue))’s claim (\(ExportText.timestamp(claim.at).prefix(10))) that this "
            + "revises \(claim.revises.short), which you have not accepted: gloss revisions accept \(claim.report.short), or decline"
    }

    /// "¹ 3f9a1c2b alice · commenting · #tag · …" and the text below it.
    static func entry(_ a: Annotation, label: String, extra: [String], indent: String,
                      style: StyledText.Style, to out: inout StyledText, width: Int) {
        var parts = ["\(label) \(a.id.short) \(TerminalText.safe(a.author.rawValue))"]
        if let mark = reanchorMark(a) { parts.append(mark) }
        let head = (parts + (BriefLayout.facts(of: a) + extra).map(TerminalText.safe)).joined(separator: " · ")
        let bodyIndent = indent + "  "
        switch BriefLayout.content(of: a) {
        case let .deleted(by):
            out.add(head + " (deleted by \(TerminalText.safe(by)))", style: style, width: width, indent: indent, hanging: bodyIndent)
        case let .text(body) where style == .reply:
            let body = TerminalText.safeLines(body).joined(separator: "\n")
            out.add(body.isEmpty ? head : head + ": " + body, style: style, width: width, indent: indent, hanging: bodyIndent)
        case let .text(body):
            let body = TerminalText.safeLines(body).joined(separator: "\n")
            out.add(head, style: style, width: width, indent: indent, hanging: bodyIndent)
            if !body.isEmpty { out.add(body, style: .plain, width: width, indent: bodyIndent) }
        case let .conflict(versions):
            out.add(head + " · conflict, \(versions.count) versions:", style: style, width: width, indent: indent, hanging: bodyIndent)
            for (index, version) in versions.enumerated() {
                out.add("\(index + 1). \(TerminalText.safe(BriefLayout.versionLabel(version))): \(TerminalText.safeLines(version.text).joined(separator: "\n"))",
                        style: style == .note ? .plain : .reply, width: width, indent: bodyIndent, hanging: bodyIndent + "   ")
            }
        }
    }
}

extension ReportRenderer {
    /// One note as `gloss show NOTE` prints it: its head line and text, its quote in context
    /// (highlighted), then its whole thread. `annotations` are the report's (the thread is
    /// found among them).
    public static func renderThread(of note: Annotation, report: Report?, annotations: [Annotation], color: Bool, width: Int = 100) -> String {
        let width = max(width, 20)
        var out = StyledText(color: color)
        entry(note, label: "●", extra: [], indent: "", style: .note, to: &out, width: width)
        if let context = quoteInContext(note, report: report) {
            let quote = color ? (context.quote, StyledText.Style.highlight) : ("[[" + context.quote + "]]", .plain)
            out.add([("…" + context.before, .reply), quote, (context.after + "…", .reply)], width: width, indent: "  ")
        } else if let quote = note.target?.quote.exact {
            out.add("quote no longer found: “\(TerminalText.safe(quote))”", style: .reply, width: width, indent: "  ")
        }
        let replies = Threads(annotations).replies(to: note.id)
        if !replies.isEmpty {
            out.blank()
            out.add("Thread (\(replies.count) repl\(replies.count == 1 ? "y" : "ies"))", style: .heading, width: width)
            for reply in replies {
                let indent = "  " + String(repeating: "  ", count: reply.depth - 1)
                entry(reply.annotation, label: "↳", extra: [], indent: indent, style: .reply, to: &out, width: width)
            }
        }
        return out.text
    }

    /// The quote where it stands now and the text around it, when the note has a place.
    static func quoteInContext(_ note: Annotation, report: Report?, around: Int = 40) -> (before: String, quote: String, after: String)? {
        guard let report, let target = note.target else { return nil }
        let anchor = TextAnchor(text: report.text)
        guard let range = BriefLayout.locate(target, in: anchor) else { return nil }
        let flat = { (text: String) in TerminalText.shown(text) }
        return (flat(anchor.text(in: max(0, range.lowerBound - around)..<range.lowerBound)), TerminalText.shown(anchor.text(in: range), keepingLineBreaks: true),
                flat(anchor.text(in: range.upperBound..<min(anchor.scalars.count, range.upperBound + around))))
    }
}
