import Foundation

/// The `markdown` export: the annotated brief (``Brief``) in GitHub-flavoured Markdown.
///
/// The brief opens with its title, date, workspace and authors, the key judgments (each judged
/// passage with every analyst's view, and "Analysts disagree" where they do) and the contents,
/// whose links use the heading anchors GitHub gives (`#1-geneva-talks-stall`). Each report is
/// a `##` section: its quotes are **bold**, each note's footnote reference `[^n]` stands where
/// its quote ends, and the footnote definitions, right below the paragraph, hold the note and
/// its thread (`- ↳ **bob** — …`). Footnotes are numbered through the whole brief in reading
/// order, so every reference has one definition and every definition is referenced; a
/// disagreement also shows in the passage's place, as a block quote. Report text, titles, names
/// and tags are escaped so that they cannot turn into markup; a note's text keeps only the
/// Markdown ``MarkdownText`` allows (emphasis and code; links and images as text with their
/// address; no raw HTML), and a text of several lines is a block quote under its note's head,
/// so that no line of it can pass for a reply or a footnote.
public enum MarkdownExport {
    public static func render(_ input: ExportInput, options: BriefOptions = BriefOptions()) -> String {
        render(Brief(input, options: options))
    }

    static func render(_ brief: Brief) -> String {
        var anchors = HeadingAnchors()
        // The headings before the reports, in order, so that the reports' anchors come out as GitHub's.
        for heading in [brief.title, "Key judgments", "Contents"] { _ = anchors.anchor(for: heading) }
        var footnotes = 0
        var sections: [(anchor: String, text: String)] = []
        for section in brief.sections {
            let heading = "\(section.number). " + headingTitle(section.layout)
            let anchor = anchors.anchor(for: heading)
            sections.append((anchor, render(section, heading: heading, anchors: &anchors, footnotes: &footnotes)))
        }
        var out = "# \(escape(brief.title))\n\n" + header(brief)
        out += "## Key judgments\n\n" + keyJudgments(brief, anchors: sections.map(\.anchor))
        out += "## Contents\n\n"
        if brief.sections.isEmpty { out += "_No report in this brief: no note matches._\n\n" }
        for (section, anchor) in zip(brief.sections, sections.map(\.anchor)) {
            var counts = ["\(section.noteCount) note\(section.noteCount == 1 ? "" : "s")"]
            let disputed = section.disagreements.count
            if disputed > 0 { counts.append("\(disputed) disagreement\(disputed == 1 ? "" : "s")") }
            out += "\(section.number). [\(escape(headingTitle(section.layout)))](#\(anchor)) — \(counts.joined(separator: ", "))\n"
            for version in section.revises { out += "    - " + revised(version) + "\n" }
        }
        if !brief.sections.isEmpty { out += "\n" }
        return out + sections.map { "---\n\n" + $0.text }.joined()
    }

    static func header(_ brief: Brief) -> String {
        var lines: [String] = []
        if let asOf = brief.asOf { lines.append("**Date:** \(ExportText.dateTime(asOf)) (the latest change to a note in it)") }
        if !brief.workspace.isEmpty { lines.append("**Workspace:** \(escape(brief.workspace.rawValue))") }
        if !brief.authors.isEmpty { lines.append("**Authors:** " + brief.authors.map { escape($0.rawValue) }.joined(separator: ", ")) }
        if let filters = brief.filters { lines.append("**Notes chosen by:** \(escape(filters)) (each with its whole thread)") }
        return lines.isEmpty ? "" : lines.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
    }

    static func headingTitle(_ layout: BriefLayout) -> String {
        layout.report == nil ? "\(layout.title) (text not included)" : layout.title
    }

    /// Each judged passage: where it is, every analyst's view, and the dissent.
    static func keyJudgments(_ brief: Brief, anchors: [String]) -> String {
        var out = ""
        for (section, anchor) in zip(brief.sections, anchors) {
            for passage in section.passages {
                let quote = passage.quote.map { "“" + escape($0) + "”" } ?? "the whole report"
                let views = passage.entries.map { "**\(escape($0.author.rawValue))**: \(ExportText.judgmentShort($0.judgment))" }
                out += "- \(escape(headingTitle(section.layout))), [\(quote)](#\(anchor)) — \(views.joined(separator: "; "))\n"
                if let disagreement = passage.disagreement { out += "    - " + dissent(disagreement) + "\n" }
            }
        }
        return out.isEmpty ? "_No note in this brief carries a judgment._\n\n" : out + "\n"
    }

    /// "**Analysts disagree** (…): **alice** — unlikely (20–45%): “Thin.” · **bob** — …".
    static func dissent(_ disagreement: Disagreement) -> String {
        let sides = Brief.sides(disagreement).map { entry in
            let comment = MarkdownText.line(Brief.oneLine(entry.comment))
            return "**\(escape(entry.author.rawValue))** — \(ExportText.judgmentShort(entry.judgment))"
                + (comment.isEmpty ? "" : ": “\(comment)”")
        }
        return "**Analysts disagree** (\(Brief.reason(disagreement))): " + sides.joined(separator: " · ")
    }

    static func render(_ section: Brief.Section, heading: String, anchors: inout HeadingAnchors, footnotes: inout Int) -> String {
        let layout = section.layout
        var out = "## \(escape(heading))\n\n"
        for version in section.revises { out += "_" + revised(version) + "_\n\n" }
        var dissentByBlock: [Int: [Disagreement]] = [:], wholeDissent: [Disagreement] = []
        for passage in section.passages {
            guard let disagreement = passage.disagreement else { continue }
            if let block = section.block(of: passage) { dissentByBlock[block, default: []].append(disagreement) } else { wholeDissent.append(disagreement) }
        }
        for (index, block) in layout.blocks.enumerated() {
            // Footnote labels in the order their references appear.
            var labels: [Int: Int] = [:]
            for case let .marker(number) in block.runs {
                footnotes += 1
                labels[number] = footnotes
            }
            let text = inline(block.runs, labels: labels)
            switch block.kind {
            case .title:
                // The section heading already names the report; its title shows again only when annotated.
                if block.runs != [.plain(block.text)] { out += "**Title:** \(text)\n\n" }
            case .summary: out += "_\(text)_\n\n"
            case .heading:
                _ = anchors.anchor(for: block.text)
                out += "### \(text)\n\n"
            case .paragraph: out += "\(text)\n\n"
            }
            for disagreement in dissentByBlock[index] ?? [] { out += "> " + dissent(disagreement) + "\n\n" }
            for note in block.notes.sorted(by: { labels[$0.number, default: 0] < labels[$1.number, default: 0] }) {
                guard let label = labels[note.number] else { continue }
                let lines = entry(note, reportKnown: true)
                out += "[^\(label)]: " + lines[0] + "\n" + indent(lines.dropFirst(), by: 4) + "\n"
            }
        }
        if !layout.wholeReportNotes.isEmpty {
            _ = anchors.anchor(for: "Notes on the whole report")
            out += "### Notes on the whole report\n\n"
            for disagreement in wholeDissent { out += "> " + dissent(disagreement) + "\n\n" }
            for note in layout.wholeReportNotes {
                let lines = entry(note, reportKnown: layout.report != nil)
                out += "- " + lines[0] + "\n" + indent(lines.dropFirst(), by: 4)
            }
            out += "\n"
        }
        return out
    }

    /// "Earlier version “Old” (9f8e7d6c), revised by “New”, 2025-11-29 08:30 UTC: its notes are carried into this version."
    static func revised(_ version: Brief.RevisedVersion) -> String {
        let line = Brief.revisedLine(version)
        return "Earlier version \(escape(line.earlier)), revised by \(escape(line.by)), \(line.when): its notes are carried into this version."
    }

    static func inline(_ runs: [BriefLayout.Run], labels: [Int: Int]) -> String {
        var markerBefore = false
        return runs.map { run in
            defer { if case let .marker(number) = run { markerBefore = markerBefore || labels[number] != nil } else { markerBefore = false } }
            switch run {
            case let .plain(text): return MarkdownText.escape(text, keepingLineBreaks: true)
            // Two notes on one passage read as two marks ("⁶,⁷"), not as one number ("⁶⁷").
            case let .marker(number): return labels[number].map { (markerBefore ? "," : "") + "[^\($0)]" } ?? ""
            case let .highlight(text, _):
                let (lead, core, trail) = ExportText.padding(of: text)
                return core.isEmpty ? text : "\(lead)**\(MarkdownText.escape(core, keepingLineBreaks: true))**\(trail)"
            }
        }.joined()
    }

    /// A note and its thread as lines: the note's head and text first, then its replies as a
    /// nested list. Continuation lines are relative to where the first line starts.
    static func entry(_ note: BriefLayout.Note, reportKnown: Bool) -> [String] {
        let extra = BriefLayout.unplacedQuote(of: note, reportKnown: reportKnown).map { [escape($0)] } ?? []
        var lines = text(note.annotation, head: "**\(escape(note.annotation.author.rawValue))**", extra: extra, deleted: "note")
        if !note.replies.isEmpty { lines.append("") }
        for reply in note.replies {
            let indent = String(repeating: " ", count: 4 * (reply.depth - 1))
            let own = text(reply.annotation, head: "↳ **\(escape(reply.annotation.author.rawValue))**", extra: [], deleted: "reply")
            lines.append(indent + "- " + own[0])
            lines += own.dropFirst().map { $0.isEmpty ? "" : indent + "  " + $0 }
        }
        return lines
    }

    /// One note or reply: its head, facts and text (a deleted one says only who deleted it).
    /// A text of one line follows the head ("… — text"); a longer one is a block quote below
    /// it, each line `> …`, so that none of its lines starts a block at the head's level.
    static func text(_ annotation: Annotation, head: String, extra: [String], deleted what: String) -> [String] {
        let facts = ([head] + BriefLayout.facts(of: annotation).map(fact) + extra).joined(separator: " · ")
        switch BriefLayout.content(of: annotation) {
        case let .deleted(by):
            return ["_(\(what) deleted by \(escape(by)))_"]
        case let .text(text):
            return under(facts, text)
        case let .conflict(versions):
            return [facts + " · conflict, \(versions.count) versions:", ""] + versions.flatMap { version -> [String] in
                let lines = under("- \(escape(BriefLayout.versionLabel(version))):", version.text, separator: " ")
                return [lines[0]] + lines.dropFirst().map { "  " + $0 }
            }
        }
    }

    /// `head` and a note's text: on the head's line when it is one line, else quoted below it.
    static func under(_ head: String, _ text: String, separator: String = " — ") -> [String] {
        let lines = MarkdownText.lines(text)
        if lines.count == 1 { return [lines[0].isEmpty ? head : head + separator + lines[0]] }
        return [head] + lines.map { $0.isEmpty ? ">" : "> " + $0 }
    }

    /// A fact after the author ("#tag", "commenting", "(resolved)"), escaped; a tag keeps its "#".
    static func fact(_ fact: String) -> String {
        fact.hasPrefix("#") ? "#" + escape(String(fact.dropFirst())) : escape(fact)
    }

    static func indent(_ lines: ArraySlice<String>, by count: Int) -> String {
        lines.map { ($0.isEmpty ? "" : String(repeating: " ", count: count) + $0) + "\n" }.joined()
    }

    /// Backslash-escapes the ASCII punctuation that markdown (CommonMark, GFM) reads as markup
    /// (``MarkdownText/escape(_:keepingLineBreaks:)``), on one line.
    static func escape(_ text: String) -> String {
        MarkdownText.escape(text)
    }
}

/// The anchors GitHub gives headings: lower case, punctuation dropped, spaces as hyphens, and
/// `-1`, `-2`… after a repeated one. Fed every heading in document order.
struct HeadingAnchors {
    private var used: [String: Int] = [:]

    mutating func anchor(for heading: String) -> String {
        var base = ""
        // The heading as the brief shows it (controls as `^[`, ``MarkdownText``).
        for scalar in TerminalText.shown(heading).lowercased().unicodeScalars {
            let p = scalar.properties
            if scalar == " " {
                base.append("-")
            } else if scalar == "-" || scalar == "_" || p.isAlphabetic || p.generalCategory == .decimalNumber
                        || p.generalCategory == .nonspacingMark || p.generalCategory == .spacingMark || p.generalCategory == .enclosingMark
                        || p.generalCategory == .connectorPunctuation {
                base.unicodeScalars.append(scalar)
            }
        }
        let count = used[base, default: 0]
        used[base] = count + 1
        return count == 0 ? base : "\(base)-\(count)"
    }
}
