import Foundation
import Testing
@testable import GlossCore

/// The annotated brief (markdown and html): header, key judgments, dissent, contents, what is
/// left out, and the filters. Built on `ExportTests`' report and annotation maker.
@Suite struct BriefTests {
    typealias T = ExportTests

    /// alice and bob judge overlapping quotes: likely (high confidence) against unlikely (low).
    static func dispute() throws -> [Annotation] {
        [
            try T.annotation(1, author: "alice", quote: "likely in spring", motivation: .assessing, body: "Spring round confirmed by two sources.",
                             judgment: Judgment(confidence: .high, likelihood: .likely)),
            try T.annotation(2, author: "bob", quote: "Another round is likely", motivation: .assessing, body: "The chair said maybe.\nNothing booked.",
                             judgment: Judgment(confidence: .low, likelihood: .unlikely)),
            try T.annotation(3, author: "carol", quote: "稀土 working group", motivation: .assessing, body: "Agreed format.",
                             judgment: Judgment(confidence: .moderate, likelihood: .likely)),
        ]
    }

    @Test func keyJudgmentsListEveryViewAndTheDissent() throws {
        let md = MarkdownExport.render(T.input(try Self.dispute()), options: BriefOptions(title: "Geneva: week 48", workspace: "intel"))
        #expect(md.hasPrefix("# Geneva: week 48\n\n- **Date:** 2025-11-29 02:43 UTC (the latest change to a note in it)\n- **Workspace:** intel\n- **Authors:** alice, bob, carol\n\n## Key judgments\n\n"))
        #expect(md.contains("- Geneva talks stall, [“稀土 working group”](#1-geneva-talks-stall) — **carol**: confidence moderate, likely (55–80%)\n"))
        #expect(md.contains("- Geneva talks stall, [“Another round is likely”](#1-geneva-talks-stall) — **alice**: confidence high, likely (55–80%); **bob**: confidence low, unlikely (20–45%)\n"))
        let dissent = "**Analysts disagree** (likelihoods 2 steps apart on the ICD 203 scale): **bob** — confidence low, unlikely (20–45%): “The chair said maybe. Nothing booked.” · **alice** — confidence high, likely (55–80%): “Spring round confirmed by two sources.”"
        // In the summary, under the passage…
        #expect(md.contains("    - " + dissent + "\n"))
        // …and in the passage's place, right after its paragraph, before the notes.
        #expect(md.contains("**Another round is likely**[^2] **in spring**[^3], said the chair, \"maybe\".\n\n> " + dissent + "\n\n[^2]: **bob**"))
        #expect(md.contains("## Contents\n\n1. [Geneva talks stall](#1-geneva-talks-stall) — 3 notes, 1 disagreement\n"))
    }

    @Test func htmlShowsTheDissentBesideThePassageAndLinksKeyJudgmentsToNotes() throws {
        let html = HTMLExport.render(T.input(try Self.dispute()), options: BriefOptions(workspace: "intel"))
        #expect(html.contains("<title>Annotated brief</title>") && html.contains("<h1>Annotated brief</h1>"))
        #expect(html.contains("<dt>Workspace</dt><dd>intel</dd><dt>Authors</dt><dd>alice, bob, carol</dd>"))
        let id = T.report.id.short
        #expect(html.contains("<li class=\"passage disputed\"><span class=\"report-name\">Geneva talks stall</span>: <a href=\"#note-\(id)-2\">“Another round is likely”</a>"))
        #expect(html.contains("<a href=\"#report-\(T.report.id.rawValue)\">Geneva talks stall</a> <small>3 notes, 1 disagreement</small>"))
        // The paragraph's aside opens with the dissent, then the notes.
        #expect(html.contains("<aside><div class=\"dissent\" role=\"note\"><strong>Analysts disagree</strong> (likelihoods 2 steps apart on the ICD 203 scale)<ul><li><b>bob</b>"))
        #expect(html.contains("<q>Spring round confirmed by two sources.</q>"))
        #expect(html.components(separatedBy: "Analysts disagree").count == 3, "once in the key judgments, once in place")
    }

    @Test func aBriefWithoutJudgmentsSaysSo() throws {
        let md = MarkdownExport.render(T.input([try T.annotation(1, quote: "Zoe\u{0308}", body: "Who?")]))
        #expect(md.contains("## Key judgments\n\n_No note in this brief carries a judgment._\n"))
        #expect(!md.contains("Analysts disagree"))
    }

    @Test func onlyAnnotatedReportsUnlessAskedForAll() throws {
        let quiet = Report(title: "Quiet report", summary: "", sections: [.init(heading: "", paragraphs: ["Nobody wrote here."])])
        let input = ExportInput(reports: [T.report, quiet], annotations: [try T.annotation(1, quote: "Zoe\u{0308}", body: "Who?")])
        for render in [{ MarkdownExport.render($0, options: $1) }, { HTMLExport.render($0, options: $1) }] as [(ExportInput, BriefOptions) -> String] {
            #expect(!render(input, BriefOptions()).contains("Quiet report"))
            #expect(render(input, BriefOptions(includeUnannotated: true)).contains("Nobody wrote here."))
        }
        // A report whose only note was deleted, unanswered, is not annotated any more.
        let gone = try T.annotation(2, author: "bob", quote: "Nobody wrote", body: "GONE", deleted: true, report: quiet)
        let md = MarkdownExport.render(ExportInput(reports: [T.report, quiet], annotations: [gone]))
        #expect(!md.contains("Quiet report") && !md.contains("GONE"))
        #expect(md.contains("_No report in this brief: no note matches._"))
    }

    @Test func revisionLinksAreLeftOut() throws {
        var link = try T.annotation(1, author: "alice", motivation: .linking)
        link.revises = ReportID(rawValue: String(repeating: "ab", count: 32))
        let md = MarkdownExport.render(T.input([link, try T.annotation(2, quote: "Zoe\u{0308}", body: "Who?")]))
        #expect(!md.contains("linking"))
        #expect(md.contains("1 note"))
    }

    @Test func filtersChooseNotesWithTheirWholeThread() throws {
        let notes = [
            try T.annotation(1, author: "alice", quote: "稀土 working group", body: "Tagged.", tags: ["supply-chain"]),
            try T.annotation(2, author: "bob", motivation: .replying, body: "Bob answers alice.", parent: 1),
            try T.annotation(3, author: "carol", quote: "Zoe\u{0308}", body: "Resolved one.", status: .resolved),
            try T.annotation(4, author: "dave", quote: "likely in spring", body: "Late one."),
        ]
        func shown(_ filter: BriefFilter) -> Set<String> {
            Set(Brief.shownAnnotations(T.input(notes).sortedAnnotations, filter: filter).map(\.body))
        }
        #expect(shown(BriefFilter(tag: "supply-chain")) == ["Tagged.", "Bob answers alice."])
        #expect(shown(BriefFilter(author: "bob")) == ["Tagged.", "Bob answers alice."], "bob took part in alice's thread")
        #expect(shown(BriefFilter(status: .resolved)) == ["Resolved one."])
        #expect(shown(BriefFilter(status: .open)) == ["Tagged.", "Bob answers alice.", "Late one."])
        // Note 4 was made at 02:44; the others last changed at 02:43:01 or before.
        #expect(shown(BriefFilter(since: T.wall + 3 * 60_000 + 2000)) == ["Late one."])
        #expect(shown(BriefFilter(tag: "supply-chain", status: .resolved)).isEmpty)
        let md = MarkdownExport.render(T.input(notes), options: BriefOptions(filter: BriefFilter(author: "carol")))
        #expect(md.contains("Resolved one.") && !md.contains("Tagged.") && md.contains("- **Authors:** carol\n"))
    }

    @Test func twoNotesOnOnePassageReadAsTwoMarksNotOneNumber() throws {
        let notes = [try T.annotation(1, author: "alice", quote: "likely in spring", body: "First."),
                     try T.annotation(2, author: "bob", quote: "likely in spring", body: "Second.")]
        let md = MarkdownExport.render(T.input(notes))
        #expect(md.contains("**likely in spring**[^1],[^2]"), "\(md)")
        let html = HTMLExport.render(T.input(notes))
        let id = T.report.id.short
        #expect(html.contains("<sup><a href=\"#note-\(id)-1\">1</a></sup><sup>,<a href=\"#note-\(id)-2\">2</a></sup>"), "\(html)")
        let shown = ReportRenderer.render(report: T.report, annotations: notes, color: false, width: 200)
        #expect(shown.contains("¹,²") && !shown.contains("¹²"), "\(shown)")
    }

    @Test func aFilteredBriefSaysWhichFiltersChoseItsNotes() throws {
        let notes = [try T.annotation(1, author: "alice", quote: "稀土 working group", body: "Tagged.", tags: ["supply-chain"])]
        let filter = BriefFilter(tag: "supply-chain", author: "alice", status: .open, since: T.wall)
        let md = MarkdownExport.render(T.input(notes), options: BriefOptions(filter: filter))
        #expect(md.contains("- **Notes chosen by:** tag supply-chain, author alice, status open, made or changed since 2025-11-29 02:40 UTC (each with its whole thread)\n"),
                "\(md)")
        let html = HTMLExport.render(T.input(notes), options: BriefOptions(filter: BriefFilter(status: .resolved)))
        #expect(html.contains("<dt>Notes chosen by</dt><dd>status resolved (each with its whole thread)</dd>"))
        // An unfiltered brief says nothing of filters
        #expect(!MarkdownExport.render(T.input(notes)).contains("chosen by"))
    }

    @Test func footnotesPairUpAcrossReportsAndBodiesCannotForgeThem() throws {
        let other = Report(title: "Second report", summary: "", sections: [.init(heading: "", paragraphs: ["Second text here."])])
        let input = ExportInput(reports: [T.report, other], annotations: try T.sample() + [
            try T.annotation(20, author: "ivan", quote: "Second text", body: "Cites [^1] and\n[^9]: a fake definition", report: other),
        ])
        let md = MarkdownExport.render(input)
        let unescaped = md.replacingOccurrences(of: "\\[^", with: "")
        let references = unescaped.matches(of: /\[\^(\d+)\](?!:)/).map { Int($0.1)! }
        let definitions = md.matches(of: #/^\[\^(\d+)\]: /#.anchorsMatchLineEndings()).map { Int($0.1)! }
        #expect(references == Array(1...5), "numbered through the whole brief in reading order")
        #expect(definitions == references)
        #expect(md.contains("[^5]: **ivan** · commenting\n    > Cites \\[^1\\] and\n    > \\[^9\\]: a fake definition\n"), "a text of two lines is quoted under its head")
        #expect(md.contains("## 2. Second report\n\n**Second text**[^5] here.\n\n[^5]: **ivan**"))
    }

    @Test func headingAnchorsFollowGitHub() {
        var anchors = HeadingAnchors()
        #expect(anchors.anchor(for: "1. Geneva talks stall — 稀土 (rare earth)") == "1-geneva-talks-stall--稀土-rare-earth")
        #expect(anchors.anchor(for: "Big Picture") == "big-picture")
        #expect(anchors.anchor(for: "Big Picture") == "big-picture-1")
        #expect(anchors.anchor(for: "Zoe\u{0308}'s *view*") == "zoe\u{0308}s-view")
    }

    @Test("--since takes dates, times and durations", arguments: [
        ("2025-11-29", 1_764_374_400_000),
        ("2025-11-29T02:40Z", 1_764_384_000_000),
        ("2025-11-29 02:40:00.5", 1_764_384_000_500),
        ("2025-11-29T04:40:00+02:00", 1_764_384_000_000),
        ("2000-02-29", 951_782_400_000),
        ("90m", 1_764_384_000_000 - 5_400_000),
        ("3d", 1_764_384_000_000 - 3 * 86_400_000),
        ("2w", 1_764_384_000_000 - 14 * 86_400_000),
    ] as [(String, Int64)])
    func sinceParses(text: String, millis: Int64) throws {
        #expect(try BriefTime.parse(text, now: T.wall) == millis)
    }

    @Test("--since refuses what is not a time", arguments: ["yesterday", "2025-02-30", "2025-13-01", "2025-11-29T25:00", "3y", "d", "", "2025-11-29T02:40Zjunk"])
    func sinceRefuses(text: String) {
        #expect(throws: BriefTime.Invalid(text: text)) { try BriefTime.parse(text, now: T.wall) }
    }
}
