import Foundation
import Testing
@testable import GlossCore

@Suite("ReportParser: Markdown, plain text and inline seed reports")
struct ReportParserTextTests {
    private func parse(_ text: String, fileName: String) throws -> Report {
        try ReportParser.parse(Data(text.utf8), fileName: fileName)
    }

    // MARK: Markdown

    @Test func markdownHeadingsParagraphsAndListsBecomeSections() throws {
        let report = try parse("""
            # Servicing **licences**

            Intro with **bold**, _emphasis_, `code_span` and a [link](https://example.com/a_(b)).
            It continues here.

            ## What Happened

            - First item
            * Second *item*
              1. Nested numbered
            2) Another ![chart](c.png)

            > Quoted __strong__ text

            ---
            ## Why It Matters ##
            snake_case stays, 2 * 3 stays, \\*escaped\\* stays, ~~gone~~ struck.
            """, fileName: "brief.md")
        #expect(report.title == "Servicing licences")
        #expect(report.summary == "")
        #expect(report.sections == [
            .init(heading: "", paragraphs: ["Intro with bold, emphasis, code_span and a link. It continues here."]),
            .init(heading: "What Happened", paragraphs: [
                "First item", "Second item", "Nested numbered", "Another chart", "Quoted strong text",
            ]),
            .init(heading: "Why It Matters", paragraphs: ["snake_case stays, 2 * 3 stays, *escaped* stays, gone struck."]),
        ])
    }

    @Test func markdownWithoutH1TakesItsTitleFromTheFileName() throws {
        let report = try parse("Just a note with `*stars*` in code.\n", fileName: "notes/field-note.md")
        #expect(report.title == "field-note")
        #expect(report.paragraphs == ["Just a note with *stars* in code."])
    }

    @Test func markdownFencedCodeIsOneVerbatimParagraph() throws {
        let report = try parse("# T\n\n```\nlet a_b = *c*\n```\nAfter.\n", fileName: "x.markdown")
        #expect(report.paragraphs == ["let a_b = *c*", "After."])
    }

    // MARK: Plain text

    @Test func plainTextHasTitleSummaryAndHeadedSections() throws {
        let report = try parse("""
            Port congestion eases
            Shipping delays at the main port have fallen for three weeks.

            Opening remark.

            big picture
            Congestion peaked in March.
            It has  eased since.

            What happened:
            Two new berths opened.

            Dwell times fell.
            """, fileName: "port.txt")
        #expect(report.title == "Port congestion eases")
        #expect(report.summary == "Shipping delays at the main port have fallen for three weeks.")
        #expect(report.sections == [
            .init(heading: "", paragraphs: ["Opening remark."]),
            .init(heading: "big picture", paragraphs: ["Congestion peaked in March.", "It has eased since."]),
            .init(heading: "What happened", paragraphs: ["Two new berths opened.", "Dwell times fell."]),
        ])
    }

    @Test func plainTextSecondLineWithoutBlankAfterIsNotASummary() throws {
        let report = try parse("Title\nFirst line\nsecond line\n\nNext.", fileName: "x.txt")
        #expect(report.summary == "")
        #expect(report.paragraphs == ["First line", "second line", "Next."])
    }

    @Test("a title line and any further text is a report, each line kept as written", arguments: [
        // `printf 'Title\nBody text\n' | gloss import -`
        ("Title\nBody text\n", "standard input", ["Body text"]),
        // a one-paragraph .txt
        ("Port congestion eases\nShipping delays at the main port have fallen for three weeks.\n\n", "port.txt",
         ["Shipping delays at the main port have fallen for three weeks."]),
        // three lines: lines 2 and 3 stay two
        ("Title\nExports fell 14% in March.\nImports rose.\n", "three.txt", ["Exports fell 14% in March.", "Imports rose."]),
        // lines that all read like headings are still text
        ("Rare earths\n\nWhat Happened\n\nWhy It Matters\n", "t.txt", ["What Happened", "Why It Matters"]),
    ])
    func plainTextTitleAndAnyTextIsAReport(content: String, fileName: String, paragraphs: [String]) throws {
        let report = try parse(content, fileName: fileName)
        #expect(report.summary == "")
        #expect(report.paragraphs == paragraphs)
        #expect(report.title == String(content.prefix { $0 != "\n" }))
    }

    @Test func plainTextSummaryNeedsABlankLineAndTextAfterIt() throws {
        let report = try parse("Title\nThe summary.\n\nThe body.\n", fileName: "x.txt")
        #expect(report.summary == "The summary." && report.paragraphs == ["The body."])
    }

    @Test func plainTextWithWindowsLineEndingsParsesTheSame() throws {
        let unix = try parse("Title\nSummary\n\nWhy It Matters\nBody.\n", fileName: "a.txt")
        let windows = try parse("\u{FEFF}Title\r\nSummary\r\n\r\nWhy It Matters\r\nBody.\r\n", fileName: "a.txt")
        #expect(unix == windows)
    }

    // MARK: Seed reports written inline

    @Test func seedJSONEscapesAreDecoded() throws {
        let report = try parse(#"""
            Title
            Summary
            {"version": 2, "meta": {"tags": ["a", "b}"]}, "situation_report_body_HTML":"Big Picture:\nCaf\u00e9 \ud83d\ude00 said \"hi\"\ta\/b c\\d \ud800 lone", "after": true}
            """#, fileName: "seed.txt")
        #expect(report.sections == [
            .init(heading: "Big Picture", paragraphs: ["Café 😀 said \"hi\" a/b c\\d \u{FFFD} lone"]),
        ])
    }

    @Test func seedBodyWithUnescapedAttributeQuotesIsRead() throws {
        let report = try parse("""
            Title
            Summary
            {"situation_report_body_HTML":"<h2>What Happened</h2><p><a href="https://x.test">Link</a> text, "quoted", "listed", done.</p>", "next": 1}
            """, fileName: "seed.txt")
        #expect(report.sections == [.init(heading: "What Happened", paragraphs: ["Link text, \"quoted\", \"listed\", done."])])
    }

    @Test func seedTextBodyDropsStrayTagsAndEntities() throws {
        let report = try parse("""
            Title
            Summary
            {"situation_report_body_HTML":"Intro with <em>stray</em> tag &amp; entity.
            WHAT COMES NEXT
            Most Likely: talks resume."}
            """, fileName: "seed.txt")
        #expect(report.sections == [
            .init(heading: "", paragraphs: ["Intro with stray tag & entity."]),
            .init(heading: "WHAT COMES NEXT", paragraphs: ["Most Likely: talks resume."]),
        ])
    }

    @Test func seedShapeIsDetectedWhateverTheExtension() throws {
        let data = try ReportFixtures.data("003_unicode_geneva_talks.txt")
        let report = try ReportParser.parse(data, fileName: "geneva")
        #expect(ReportParser.format(of: String(decoding: data, as: UTF8.self), fileName: "geneva") == .seed)
        #expect(report.headings.count == 4)
    }
}
