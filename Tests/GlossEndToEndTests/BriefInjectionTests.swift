import Foundation
import Testing

/// A hostile teammate's notes in the exported brief (issue 24, items 6 and 9): in the Markdown
/// brief through cmark-gfm (safe and `--unsafe`) and a headless Chromium, and in the HTML
/// brief in Chromium, nothing loads from the network, no HTML of theirs runs, and a reply
/// cannot be forged. A listener on 127.0.0.1 counts what the viewer fetches.
@Suite(.serialized) struct BriefInjectionTests {
    let scratch = Scratch()
    var alice: URL { scratch.path("alice") }
    var bob: URL { scratch.path("bob") }

    /// Every way a Markdown viewer may be made to fetch or run: an image, an image by
    /// reference, raw HTML with onerror, a meta refresh, a script, an iframe, a stylesheet, an
    /// SVG image, a video poster, entities.
    static func hostile(_ x: String) -> String {
        """
        Look ![pixel](\(x)/image.png) and <img src="\(x)/raw.png" onerror="fetch('\(x)/onerror')">
        <meta http-equiv="refresh" content="0; url=\(x)/refresh">
        <script>fetch('\(x)/script')</script>
        <iframe src="\(x)/iframe"></iframe> <link rel="stylesheet" href="\(x)/style.css"> <style>@import url(\(x)/import.css);</style>
        [ref]: \(x)/ref.png
        ![by reference][ref] and [a link](\(x)/link "title") and <\(x)/autolink>
        <svg><image href="\(x)/svg.png"/></svg> <video poster="\(x)/poster.png"></video> <object data="\(x)/object"></object>
        &lt;img src=x&gt; &#60;script&#62; and **bold** and `<code>`
        """
    }

    func exchange(_ from: URL, to: URL) throws {
        let file = scratch.path("ops-\(UUID().uuidString).gloss").path
        try CLI.gloss(from, "ops", "export", "-o", file)
        try CLI.gloss(to, "ops", "apply", file)
    }

    /// bob's hostile note, tag, report title and a reply that forges carol's; alice's brief.
    func hostileBrief(_ x: String) throws -> (markdown: URL, html: URL) {
        try CLI.gloss(alice, "init", "--user", "alice", "--workspace", "intel")
        try CLI.gloss(bob, "init", "--user", "bob", "--workspace", "intel")
        let original = try String(contentsOfFile: CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path, encoding: .utf8)
        let file = scratch.path("report.txt")
        try ("Rare earths <img src=\"\(x)/title.png\" onerror=\"fetch('\(x)/title-onerror')\"> " + original).write(to: file, atomically: true, encoding: .utf8)
        let imported = try CLI.json(try CLI.gloss(alice, "import", file.path, "--json")) as! [String: Any]
        let report = String(((imported["imported"] as! [[String: Any]])[0]["id"] as! String).prefix(10))
        let note = try CLI.json(try CLI.gloss(alice, "annotate", report, "--quote", "Most Dangerous", "--comment", "Escalation is the base case.",
                                              "--confidence", "high", "--likelihood", "likely", "--json")) as! [String: Any]
        try exchange(alice, to: bob)
        try CLI.gloss(bob, "annotate", report, "--quote", "Most Dangerous", "--comment", Self.hostile(x),
                      "--tag", "<img/src=\(x)/tag.png>", "--tag", "**loud**", "--confidence", "low", "--likelihood", "unlikely")
        try CLI.gloss(bob, "annotate", report, "--comment", "One line: ![x](\(x)/one-line.png) <img src=\(x)/inline.png>")
        try CLI.gloss(bob, "reply", note["id"] as! String, "--comment", "Agreed.\n- ↳ **carol** — I confirm: almost certain\n\n[^1]: forged")
        try exchange(bob, to: alice)
        let markdown = scratch.path("brief.md"), html = scratch.path("brief.html")
        try CLI.gloss(alice, "export", "--format", "markdown", "-o", markdown.path)
        try CLI.gloss(alice, "export", "--format", "html", "-o", html.path)
        return (markdown, html)
    }

    /// An element the viewer would act on: a tag that loads or runs, or an attribute that does
    /// (an event handler, `http-equiv`, a source). A link (`<a href>`) waits for a click, and
    /// shows its address; the words "onerror" or "http-equiv" in text are text.
    static func activeMarkup(_ html: String) -> [String] {
        let tags = html.matches(of: /<[a-zA-Z][^>]*>/).map { String($0.0) }
        return tags.filter { tag in
            let lower = tag.lowercased()
            return ["<img", "<script", "<meta", "<iframe", "<link", "<style", "<svg", "<image", "<video", "<object", "<embed", "<base", "<form"]
                .contains { lower.hasPrefix($0) }
                || lower.contains(/\s(on[a-z]+|http-equiv|src|srcset|poster|data|formaction|background)\s*=/)
        }
    }

    /// Chromium with the network open to 127.0.0.1 (the listener), given time for timers.
    func load(_ page: URL) throws -> CLI.Result {
        try BriefTools.chromium(page, profile: scratch.path("chromium-profile"),
                                ["--dump-dom", "--virtual-time-budget=3000", "--host-resolver-rules=MAP nothing.invalid ~NOTFOUND"])
    }

    @Test func theMarkdownBriefLoadsNothingRunsNothingAndRepliesCannotBeForged() throws {
        let listener = try RequestListener()
        defer { listener.stop() }
        let x = listener.url
        let (file, _) = try hostileBrief(x)
        let markdown = try String(contentsOf: file, encoding: .utf8)
        let cmark = try BriefTools.program("cmark-gfm")
        let extensions = ["-e", "footnotes", "-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter"]

        // The control: what the brief held before, bob's text as raw Markdown, does load.
        let raw = scratch.path("raw.md")
        try Self.hostile(x).write(to: raw, atomically: true, encoding: .utf8)
        let rawPage = scratch.path("raw.html")
        try BriefTools.run(cmark, extensions + ["--unsafe", raw.path]).stdout.write(to: rawPage, atomically: true, encoding: .utf8)
        #expect(try load(rawPage).status == 0)
        #expect(listener.requests.count >= 3, "the listener sees what a viewer fetches: \(listener.requests)")
        let before = listener.requests.count

        for mode in [[], ["--unsafe"]] {
            let rendered = try BriefTools.run(cmark, extensions + mode + [file.path])
            #expect(rendered.status == 0, "\(rendered.stderr)")
            let html = rendered.stdout
            #expect(Self.activeMarkup(html).isEmpty, "cmark-gfm \(mode): \(Self.activeMarkup(html))")
            #expect(!html.contains("<img") && !html.contains("<script") && !html.contains("raw HTML omitted"), "cmark-gfm \(mode)")
            // bob's words are all there, as text; the link shows its address.
            #expect(html.contains("a link (\(x)/link") || html.contains("a link (<a href=\"\(x)/link"), "\(html)")
            #expect(html.contains("pixel (image: "), "an image shows as its text and address")
            #expect(html.contains("&lt;script&gt;fetch(") && html.contains("<strong>bold</strong>") && html.contains("<code>&lt;code&gt;</code>"))
            #expect(html.contains("#&lt;img/src="), "a tag shows as typed")
            #expect(html.contains("#**loud**"), "a tag is never markup: \(html.matches(of: /#[^ <]*loud[^ <]*/).map { String($0.0) })")
            #expect(!html.contains("<strong>loud</strong>"))
            // Only bob's reply is a reply: carol's is text in his, and no footnote is his.
            let replyItems = html.matches(of: /<li>\s*(?:<p>)?↳ <strong>([a-z]+)<\/strong>/).map { String($0.1) }
            #expect(replyItems == ["bob"], "\(replyItems)")
            #expect(html.contains("↳ <strong>carol</strong> — I confirm") && html.contains("<blockquote>"))
            #expect(html.contains("[^1]: forged"), "a footnote definition in a note is text")

            let page = scratch.path("brief\(mode.joined()).html")
            try html.write(to: page, atomically: true, encoding: .utf8)
            let shown = try load(page)
            #expect(shown.status == 0)
            #expect(BriefTools.consoleLines(shown.stderr).isEmpty, "\(BriefTools.consoleLines(shown.stderr))")
        }
        #expect(markdown.contains("\\<img src\\=\"\(x)/raw.png\""), "raw HTML is escaped in the file itself")
        #expect(listener.requests.count == before, "the brief fetched: \(listener.requests.dropFirst(before))")
    }

    @Test func theHTMLBriefCarriesAContentSecurityPolicyAndStillRendersCleanly() throws {
        let listener = try RequestListener()
        defer { listener.stop() }
        let (_, file) = try hostileBrief(listener.url)
        let html = try String(contentsOf: file, encoding: .utf8)
        let policy = try #require(html.firstMatch(of: /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/).map { String($0.1) }, "no policy")
        #expect(policy.contains("default-src 'none'") && policy.contains("style-src 'unsafe-inline'") && policy.contains("img-src data:"))
        #expect(html.range(of: "Content-Security-Policy")!.lowerBound < html.range(of: "<style")!.lowerBound, "set before anything it governs")
        let shown = try load(file)
        #expect(shown.status == 0)
        #expect(BriefTools.consoleLines(shown.stderr).isEmpty, "console: \(BriefTools.consoleLines(shown.stderr))")
        #expect(shown.stdout.contains("<mark") && shown.stdout.contains("Escalation is the base case."))
        #expect(listener.requests.isEmpty, "\(listener.requests)")

        // What the policy holds off: a page that escaped its escaping would still fetch nothing.
        let injected = scratch.path("injected.html")
        try html.replacingOccurrences(of: "</body>", with: "<img src=\"\(listener.url)/csp.png\"><script>fetch('\(listener.url)/csp')</script></body>")
            .write(to: injected, atomically: true, encoding: .utf8)
        let blocked = try load(injected)
        #expect(blocked.status == 0)
        #expect(listener.requests.isEmpty, "the policy let through: \(listener.requests)")
        #expect(BriefTools.consoleLines(blocked.stderr).contains { $0.contains("Content Security Policy") }, "Chromium says what it refused")
    }
}
