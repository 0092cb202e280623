import Foundation
import Testing
@testable import GlossCore

@Suite("ReportParser: HTML files")
struct ReportParserHTMLTests {
    private func parse(_ html: String, fileName: String = "report.html") throws -> Report {
        try ReportParser.parse(Data(html.utf8), fileName: fileName)
    }

    @Test func titleSummaryAndSectionsComeFromTheDocument() throws {
        let report = try parse("""
            <!DOCTYPE html>
            <html><head>
              <title>Port   congestion eases</title>
              <meta name="description" content="Delays fell for three weeks &amp; more.">
            </head><body>
              <p>Opening note.</p>
              <h2>What Happened</h2><p>Two berths opened.</p>
              <h3>Why It Matters</h3><div>Exports recover.</div>
            </body></html>
            """)
        #expect(report.title == "Port congestion eases")
        #expect(report.summary == "Delays fell for three weeks & more.")
        #expect(report.sections == [
            .init(heading: "", paragraphs: ["Opening note."]),
            .init(heading: "What Happened", paragraphs: ["Two berths opened."]),
            .init(heading: "Why It Matters", paragraphs: ["Exports recover."]),
        ])
    }

    @Test func firstH1IsTheTitleWhenThereIsNoTitleElement() throws {
        let report = try parse("<h1>Headline</h1><p>Body.</p><h2>Next</h2><p>More.</p>")
        #expect(report.title == "Headline")
        #expect(report.summary == "")
        #expect(report.headings == ["", "Next"])
    }

    @Test func fileNameIsTheTitleWhenThereIsNoHeading() throws {
        let report = try parse("<p>Only a paragraph.</p>", fileName: "dir/field-note.htm")
        #expect(report.title == "field-note")
    }

    @Test func scriptStyleNoscriptAndTemplateContentIsDropped() throws {
        let report = try parse("""
            <style>p { content: "<p>styled</p>"; }</style>
            <script type="text/javascript">if (a < b && c > d) { document.write("<p>scripted</p>"); }</SCRIPT >
            <noscript><p>enable scripts</p></noscript>
            <template><p>templated</p></template>
            <p>Kept.</p>
            """)
        #expect(report.paragraphs == ["Kept."])
    }

    @Test func commentsDoctypeAndCDATAAreDropped() throws {
        let report = try parse("<!doctype html><p>Before<!-- a <p>hidden</p> -- comment -->After<![CDATA[ x ]]><?php echo 1 ?></p>")
        #expect(report.paragraphs == ["BeforeAfter"])
    }

    @Test func quotedAttributeValuesMayContainAngleBrackets() throws {
        let report = try parse(#"<p><a title="a>b" data-x='<p>' href=/x>link</a> text <img alt="x > y" src=i.png></p>"#)
        #expect(report.paragraphs == ["link text"])
    }

    @Test func nestedListItemsAreEachAParagraph() throws {
        let report = try parse("""
            <ul>
              <li>One
                <ul><li>Two</li><li>Three <ol><li>Deep</li></ol></li></ul>
              </li>
              <li><strong>Four</strong> items</li>
            </ul>
            """)
        #expect(report.paragraphs == ["One", "Two", "Three", "Deep", "Four items"])
    }

    @Test func tableRowsBecomeParagraphsWithCellsJoined() throws {
        let report = try parse("""
            <table>
              <thead><tr><th>Item</th><th>Qty</th><th></th></tr></thead>
              <tbody>
                <tr><td>Bolts<br>(M8)</td><td><p>3</p></td><td>boxes</td></tr>
                <tr><td>Nuts</td><td>12</td>
              </tbody>
            </table>
            <p>After the table.</p>
            """)
        #expect(report.paragraphs == ["Item | Qty", "Bolts (M8) | 3 | boxes", "Nuts | 12", "After the table."])
    }

    @Test func lineBreakSplitsAParagraph() throws {
        let report = try parse("<p>Line one<br>Line two<br/>Line three<BR />\n</p><h2>Head<br>ing</h2>")
        #expect(report.paragraphs == ["Line one", "Line two", "Line three"])
        #expect(report.headings == ["", "Head ing"])
    }

    @Test func entitiesAreDecodedAndUnknownOnesKept() throws {
        let report = try parse("<p>&amp; &lt;tag&gt; &quot;q&quot; &apos;a&apos; &#8217; &#x2013; &#X2014; &ndash; &eacute;&Uuml; &euro;5 &#146; &#39 R&D &unknown; &#0; &#x110000;</p>")
        #expect(report.paragraphs == [
            "& <tag> \"q\" 'a' ’ – — – éÜ €5 ’ ' R&D &unknown; \u{FFFD} \u{FFFD}",
        ])
    }

    @Test func whitespaceCollapsesButNoBreakSpaceIsKept() throws {
        let report = try parse("<p>  a \t\n  b&nbsp;%  c  </p>")
        #expect(report.paragraphs == ["a b\u{A0}% c"])
    }

    @Test func lessThanThatIsNotATagStaysText() throws {
        let report = try parse("<p>if a < b and 3 <4 then <= ok</p>")
        #expect(report.paragraphs == ["if a < b and 3 <4 then <= ok"])
    }

    @Test func unterminatedMarkupIsDroppedNotLeaked() throws {
        let report = try parse("<p>Visible</p><p>Also <a href=\"cut")
        #expect(report.paragraphs == ["Visible", "Also"])
        let comment = try parse("<p>Visible</p><!-- never closed <p>hidden</p>")
        #expect(comment.paragraphs == ["Visible"])
    }

    @Test func latin1EntityTableCoversU00A0ThroughU00FF() {
        #expect(HTMLEntities.named["nbsp"] == "\u{A0}")
        #expect(HTMLEntities.named["iquest"] == "\u{BF}")
        #expect(HTMLEntities.named["Agrave"] == "\u{C0}")
        #expect(HTMLEntities.named["yuml"] == "\u{FF}")
    }
}
