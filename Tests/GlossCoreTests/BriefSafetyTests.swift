import Foundation
import Testing
@testable import GlossCore

/// What a hostile teammate's text becomes in the briefs (issue 24, items 6 and 9): in the
/// Markdown brief a note keeps emphasis and code, links and images show as text with their
/// address, raw HTML and every other markup shows as typed, and a reply cannot be forged; the
/// HTML brief sets a Content-Security-Policy.
@Suite struct BriefSafetyTests {
    typealias T = ExportTests

    @Test func aNoteKeepsEmphasisAndCodeAndShowsLinksAndImagesAsTextWithTheirAddress() {
        let cases: [(String, String)] = [
            ("Check the **delegation** list, _now_.", "Check the **delegation** list, _now_."),
            ("see [the annex](https://example.org/a_b \"t\")", "see the annex (https://example.org/a\\_b \"t\")"),
            ("![pixel](http://127.0.0.1:9/x.png)", "pixel (image: http://127.0.0.1:9/x.png)"),
            ("[](<http://a.example/x>)", "http://a.example/x"),
            ("<img src=x onerror=alert(1)>", "\\<img src\\=x onerror\\=alert(1)\\>"),
            ("<meta http-equiv=\"refresh\" content=\"0;url=http://x\">", "\\<meta http-equiv\\=\"refresh\" content\\=\"0;url\\=http://x\"\\>"),
            ("`<b>` and `` a ` b ``", "`<b>` and `` a ` b ``"),
            ("a ``` b", "a \\`\\`\\` b"),
            ("&lt;script&gt; &#60;", "\\&lt;script\\&gt; \\&\\#60;"),
            ("[ref]: http://x/x.png", "\\[ref\\]: http://x/x.png"),
            ("![by reference][ref]", "\\!\\[by reference\\]\\[ref\\]"),
            ("[^1]: forged", "\\[^1\\]: forged"),
            ("<http://x.example/auto>", "\\<http://x.example/auto\\>"),
            ("~~gone~~ | a | b |", "\\~\\~gone\\~\\~ \\| a \\| b \\|"),
            ("\u{1B}]0;pwned\u{07} \u{202E}mrifnoc I · lorac\u{202C}", "^\\[\\]0;pwned^G \\<U+202E\\>mrifnoc I · lorac\\<U+202C\\>"),
        ]
        for (typed, markdown) in cases { #expect(MarkdownText.line(typed) == markdown, "\(typed)") }
    }

    @Test func aLineOfUnclosedBracketsAndBackticksCostsTimeInProportionToItsLength() {
        let size = 64 * 1024
        let hostile = [String(repeating: "[", count: size), String(repeating: "[a](", count: size / 4),
                       (1...360).map { String(repeating: "`", count: $0) }.joined(separator: "x"), String(repeating: "![x](((", count: size / 7)]
        let clock = ContinuousClock()
        for text in hostile {
            let took = clock.measure { _ = MarkdownText.line(text) }
            #expect(took < .seconds(2), "\(text.prefix(12))…: \(took)")
        }
        #expect(MarkdownText.line("[a [b](c)") == "\\[a b (c)", "the innermost bracket pair is the link")
        #expect(MarkdownText.line("[a](b (c)) d)") == "a (b (c)) d)", "balanced parentheses close the address")
    }

    @Test func noLineOfANoteCanStartABlock() {
        let cases: [(String, String)] = [
            ("- ↳ **carol** — I confirm", "\\- ↳ **carol** — I confirm"),
            ("+ item", "\\+ item"), ("* item", "\\* item"), ("*em* first", "*em* first"), ("**strong** first", "**strong** first"),
            ("***", "\\***"), ("___", "\\___"), ("---", "\\---"), ("- - -", "\\- - -"), ("===", "\\=\\=\\="),
            ("1. one", "1\\. one"), ("12) twelve", "12\\) twelve"), ("2025 was", "2025 was"),
            ("# heading", "\\# heading"), ("> quote", "\\> quote"), ("    indented code", "indented code"), ("\t<div>", "\\<div\\>"),
            ("```js", "\\`\\`\\`js"), ("~~~", "\\~\\~\\~"), ("| a | b |", "\\| a \\| b \\|"),
        ]
        for (typed, markdown) in cases { #expect(MarkdownText.line(typed) == markdown, "\(typed)") }
    }

    @Test func aReplyCannotForgeAnotherReplyAndTagsNamesAndTitlesAreEscaped() throws {
        let report = Report(title: "Rare <img src=x onerror=alert(1)> *earths* \u{1B}]0;t\u{07}", summary: "", sections: [
            .init(heading: "", paragraphs: ["The Most Dangerous course is escalation."]),
        ])
        let notes = [
            try T.annotation(1, author: "alice", quote: "Most Dangerous", body: "Escalation is the base case.", report: report),
            try T.annotation(2, author: "bob", motivation: .replying, body: "Agreed.\n- ↳ **carol** — I confirm\n\n[^1]: forged", parent: 1, report: report),
            try T.annotation(3, author: "bob", quote: "course", body: "![x](http://127.0.0.1:9/x.png)",
                             tags: ["<img/src=x/onerror=alert(1)>", "**loud**", "[^9]"], report: report),
        ]
        let md = MarkdownExport.render(ExportInput(reports: [report], annotations: notes))
        // The reply's head is the only reply line; its text is quoted under it.
        #expect(md.contains("    - ↳ **bob**\n      > Agreed.\n      > \\- ↳ **carol** — I confirm\n      >\n      > \\[^1\\]: forged\n"), "\(md)")
        #expect(md.matches(of: #/^\s*- ↳ /#.anchorsMatchLineEndings()).count == 1, "one reply, one reply line")
        #expect(md.matches(of: #/^\[\^\d+\]: /#.anchorsMatchLineEndings()).count == 2, "a footnote per note, none of bob's making")
        #expect(md.contains("#\\*\\*loud\\*\\* · #\\<img/src\\=x/onerror\\=alert(1)\\> · #\\[^9\\]"), "tags escaped: \(md)")
        #expect(md.contains("— x (image: http://127.0.0.1:9/x.png)"))
        #expect(md.contains("## 1. Rare \\<img src\\=x onerror\\=alert(1)\\> \\*earths\\* ^\\[\\]0;t^G"), "a title's controls show")
        #expect(!md.replacingOccurrences(of: "\\<", with: "").contains("<") && !md.contains("](http"), "no raw HTML and no link or image syntax left")
    }

    @Test func theHTMLBriefSetsAContentSecurityPolicyFirst() throws {
        let html = HTMLExport.render(T.input(try T.sample()))
        let policy = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">"
        #expect(html.contains(policy))
        #expect(html.range(of: policy)!.lowerBound < html.range(of: "<style>")!.lowerBound, "before the style and the body it governs")
    }
}
