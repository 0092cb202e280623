import Foundation
import Testing
@testable import GlossCore

@Suite("ReportParser: the seed report fixtures")
struct ReportParserFixtureTests {
    static let sixHeadings = [
        "Big Picture", "What Happened", "Why It Matters", "Strategic Lens", "What Comes Next", "How we got here",
    ]
    static let fourHeadings = ["Big Picture", "What Happened", "Why It Matters", "What Comes Next"]

    @Test("every good fixture parses with its exact headings", arguments: [
        ("000_231c2f7b2f17f197.txt", sixHeadings),
        ("001_lithography_servicing_html.txt", fourHeadings),
        ("002_rare_earths_revised.txt", sixHeadings),
        ("003_unicode_geneva_talks.txt", fourHeadings),
    ])
    func goodFixtureParsesWithItsHeadings(file: String, headings: [String]) throws {
        let report = try ReportFixtures.report(file)
        #expect(report.headings == headings)
        #expect(report.sections.allSatisfy { !$0.paragraphs.isEmpty })
        #expect(report.text == Report.canonicalText(title: report.title, summary: report.summary, sections: report.sections))
        #expect(report.id == ReportID(sha256Of: report.text))
        #expect(!report.text.contains("situation_report_body_HTML"))
        #expect(!report.paragraphs.contains { $0.contains("\n") || $0.contains("\\n") })
    }

    @Test func seedTitleAndSummaryComeFromTheFirstTwoLines() throws {
        let report = try ReportFixtures.report("000_231c2f7b2f17f197.txt")
        #expect(report.title == "China announces export restrictions on key rare earth processing technologies")
        #expect(report.summary.hasPrefix("China’s new export controls on rare earth processing technology"))
        #expect(report.summary.hasSuffix("amid ongoing geopolitical tensions."))
        #expect(report.sections[0].paragraphs[0].hasPrefix("This is a strategic supply chain"))
    }

    @Test func literalNewlineEscapesBecomeParagraphBreaks() throws {
        // Given 000, whose last section mixes raw newlines with literal `\n\n` escapes
        let report = try ReportFixtures.report("000_231c2f7b2f17f197.txt")
        // Then "How we got here" has three paragraphs, none of them carrying a backslash
        let history = try #require(report.sections.last)
        #expect(history.heading == "How we got here")
        #expect(history.paragraphs.count == 3)
        #expect(history.paragraphs[0].hasPrefix("The rare earth supply chain sits"))
        #expect(history.paragraphs[1].hasPrefix("This dominance didn’t happen by accident."))
        #expect(history.paragraphs[2].hasPrefix("As geopolitical competition intensified"))
        #expect(!report.text.contains("\\"))
    }

    @Test func revisedReportWithRawBlankLinesHasTheSameShape() throws {
        let report = try ReportFixtures.report("002_rare_earths_revised.txt")
        #expect(report.title.hasSuffix("(updated)"))
        #expect(report.sections.last?.paragraphs.count == 3)
        #expect(report.sections[4].paragraphs.count == 2) // Most Likely / Most Dangerous
    }

    @Test func htmlBodyLeavesNoMarkupAndDecodesEntities() throws {
        let report = try ReportFixtures.report("001_lithography_servicing_html.txt")
        #expect(report.title == "Servicing licences turn installed lithography tools into a new chokepoint")
        #expect(report.summary.hasPrefix("A licensing rule for on-site servicing"))
        #expect(!report.text.contains("<"))
        #expect(!report.text.contains(">"))
        #expect(report.text.firstMatch(of: /&#?[A-Za-z0-9]+;/) == nil)
        #expect(report.text.contains("Taiwan’s leading foundry"))
        #expect(report.text.contains("maintenance know-how & spare parts"))
        #expect(report.text.contains("delays of 3–6 weeks"))
        #expect(report.text.contains("by 10–20% within a quarter"))
        #expect(report.text.contains("on \"continuity of supply\"."))
    }

    @Test func htmlListItemsAndLineBreaksBecomeParagraphs() throws {
        let report = try ReportFixtures.report("001_lithography_servicing_html.txt")
        let happened = try #require(report.sections.first { $0.heading == "What Happened" })
        #expect(happened.paragraphs == [
            "The rule requires a licence for any on-site servicing of lithography equipment above a stated performance threshold.",
            "Servicing contracts signed before the rule are not grandfathered.",
            "Two fabrication plants report delays of 3–6 weeks in scheduled maintenance.",
            "Spare-part inventories cover roughly 45 days of normal operation.",
            "Customers have asked for written assurances on \"continuity of supply\".",
        ])
        #expect(report.sections.first { $0.heading == "What Comes Next" }?.paragraphs.count == 2)
    }

    @Test func unicodeReportKeepsEveryCodePointByteExact() throws {
        // Given the raw lines of 003's body, as bytes
        let data = try ReportFixtures.data("003_unicode_geneva_talks.txt")
        let raw = String(decoding: data, as: UTF8.self)
        let bodyLines = raw.split(separator: "\n").dropFirst(3)
            .map(String.init)
            .filter { $0 != "\"}" && SectionHeading.match($0) == nil }
        // When it is parsed
        let report = try ReportFixtures.report("003_unicode_geneva_talks.txt")
        // Then each paragraph has exactly the bytes of its line (no normalisation)
        #expect(report.paragraphs.map { Array($0.utf8) } == bodyLines.map { Array($0.utf8) })
        for piece in ["👨\u{200D}👩\u{200D}👧\u{200D}👦", "🇪🇺🇨🇳", "🤔", "Zoe\u{0308}", "稀土", "Әлия Нұрланқызы", "وزارة الصناعة", "Việt Nam", "Kraków"] {
            #expect(report.text.containsBytes(of: piece), "\(piece) changed")
        }
        #expect(report.title.containsBytes(of: "稀土 working group"))
    }

    @Test func parsingTwiceGivesTheSameID() throws {
        let first = try ReportFixtures.report("000_231c2f7b2f17f197.txt")
        let second = try ReportFixtures.report("000_231c2f7b2f17f197.txt")
        #expect(first.id == second.id)
        #expect(first == second)
    }

    @Test func revisedReportHasADifferentID() throws {
        let original = try ReportFixtures.report("000_231c2f7b2f17f197.txt")
        let revised = try ReportFixtures.report("002_rare_earths_revised.txt")
        #expect(original.id != revised.id)
    }

    @Test func fileNameDoesNotChangeTheID() throws {
        let data = try ReportFixtures.data("000_231c2f7b2f17f197.txt")
        let asTxt = try ReportParser.parse(data, fileName: "a.txt")
        let asOther = try ReportParser.parse(data, fileName: "b.report")
        #expect(asTxt.id == asOther.id)
    }
}
