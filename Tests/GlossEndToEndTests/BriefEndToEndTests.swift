import Foundation
import Testing

/// The brief and the W3C export as a reader's tools see them: real `gloss` processes make a
/// team's notes (two analysts who disagree, a thread under a deleted note, a revision link),
/// and the exported files go through GitHub's Markdown parser (cmark-gfm, footnotes on), a
/// headless Chromium, a JSON-LD processor (pyld) and the W3C test suite's schemas (jsonschema).
/// The tools come from `scripts/brief-tools.sh`.
@Suite(.serialized) struct BriefEndToEndTests {
    let scratch = Scratch()
    var alice: URL { scratch.path("alice") }
    var bob: URL { scratch.path("bob") }

    func report(_ name: String) -> String { CLI.examples.appendingPathComponent(name).path }

    func id(_ result: CLI.Result) throws -> String {
        try #require((try CLI.json(result) as? [String: Any])?["id"] as? String)
    }

    func exchange(_ from: URL, to: URL) throws {
        let file = scratch.path("ops-\(UUID().uuidString).gloss").path
        try CLI.gloss(from, "ops", "export", "-o", file)
        try CLI.gloss(to, "ops", "apply", file)
    }

    /// alice and bob judge the same passage two steps apart on the ICD 203 scale; bob replies
    /// to a note alice then deletes; alice deletes a note nobody answered, highlights a phrase
    /// without a word, and links a revision. Lithography is imported but nobody annotates it.
    func teamWork() throws {
        try CLI.gloss(alice, "init", "--user", "alice", "--workspace", "intel")
        try CLI.gloss(bob, "init", "--user", "bob", "--workspace", "intel")
        let imported = try CLI.json(try CLI.gloss(alice, "import", report("rare-earths-export-controls.txt"),
                                                  report("geneva-talks.txt"), report("lithography-servicing.txt"), "--json")) as! [String: Any]
        let ids = (imported["imported"] as! [[String: Any]]).map { String(($0["id"] as! String).prefix(10)) }
        let (rare, geneva) = (ids[0], ids[1])
        let judged = try id(try CLI.gloss(alice, "annotate", rare, "--quote", "Most Dangerous", "--comment", "Escalation is the base case.",
                                          "--confidence", "high", "--likelihood", "likely", "--tag", "supply-chain", "--json"))
        let doomed = try id(try CLI.gloss(alice, "annotate", rare, "--quote", "rare earth processing technologies", "--occurrence", "1",
                                          "--comment", "SECRET-DRAFT-WORDING", "--json"))
        let lonely = try id(try CLI.gloss(alice, "annotate", geneva, "--quote", "working group", "--occurrence", "1",
                                          "--comment", "LONELY-DELETED-NOTE", "--json"))
        try CLI.gloss(alice, "annotate", geneva, "--quote", "Genève", "--motivation", "highlighting")
        try CLI.gloss(alice, "annotate", geneva, "--comment", "Overall: thin sourcing; see [^1] in the annex.", "--confidence", "moderate")
        try exchange(alice, to: bob)
        try CLI.gloss(bob, "annotate", rare, "--quote", "Most Dangerous", "--comment", "Beijing has held back before.\n\nSee 2010.",
                      "--confidence", "low", "--likelihood", "unlikely")
        try CLI.gloss(bob, "reply", judged, "--comment", "Which indicators?")
        try CLI.gloss(bob, "reply", doomed, "--comment", "The reply that must survive.")
        try CLI.gloss(bob, "resolve", judged)
        try exchange(bob, to: alice)
        try CLI.gloss(alice, "delete", doomed)
        try CLI.gloss(alice, "delete", lonely)
        let revised = BriefTools.checkout.appendingPathComponent("Tests/GlossCoreTests/Fixtures/reports/002_rare_earths_revised.txt").path
        try CLI.gloss(alice, "import", revised, "--revises", rare)
    }

    @Test func markdownBriefParsesWithEveryFootnoteResolved() throws {
        try teamWork()
        let file = scratch.path("brief.md")
        try CLI.gloss(alice, "export", "--format", "markdown", "--title", "Rare earths: week 48", "-o", file.path)
        let markdown = try String(contentsOf: file, encoding: .utf8)

        // GitHub's own parser, footnotes on.
        let cmark = try BriefTools.run(try BriefTools.program("cmark-gfm"), ["-e", "footnotes", file.path])
        #expect(cmark.status == 0, "\(cmark.stderr)")
        let html = cmark.stdout
        let references = Set(html.matches(of: /<sup class="footnote-ref"><a href="#fn-([^"]+)"/).map { String($0.1) })
        let definitions = Set(html.matches(of: /<li id="fn-([^"]+)">/).map { String($0.1) })
        let backReferences = Set(html.matches(of: /<a href="#fnref-([^"]+)" class="footnote-backref"/).map { String($0.1) })
        let sourceDefinitions = markdown.matches(of: #/^\[\^([^\]]+)\]: /#.anchorsMatchLineEndings()).map { String($0.1) }
        #expect(html.contains("<section class=\"footnotes\""), "the rendered brief has its footnote section")
        #expect(references.count >= 3, "\(references)")
        #expect(references == definitions, "every reference resolves and every definition is referenced")
        #expect(backReferences == definitions)
        #expect(Set(sourceDefinitions) == definitions && sourceDefinitions.count == definitions.count,
                "cmark-gfm drops a definition nobody references; none was dropped")
        // The annotator's "[^1]" is their text, not a footnote.
        #expect(html.contains("see [^1] in the annex"))

        // What the reader sees.
        #expect(html.contains("<h1>Rare earths: week 48</h1>"))
        #expect(html.contains("<h2>Key judgments</h2>") && html.contains("<h2>Contents</h2>"))
        #expect(html.contains("<strong>Analysts disagree</strong>"))
        #expect(html.contains("<strong>Workspace:</strong> intel") && html.contains("<strong>Authors:</strong> alice, bob"))
        #expect(html.contains("Beijing has held back before.") && html.contains("Escalation is the base case."))
        #expect(html.contains("The reply that must survive.") && html.contains("note deleted by alice"))
        #expect(!html.contains("SECRET-DRAFT-WORDING") && !html.contains("LONELY-DELETED-NOTE"))
        #expect(!html.contains("Lithography") && !html.contains("lithography"), "a report nobody annotated stays out")
        #expect(!html.contains("linking"), "the revision link is bookkeeping")
        #expect(html.contains("<strong>Genève</strong>"), "a bare highlight still marks its quote")
        // The contents list each report once, linked to its numbered heading.
        let contents = markdown.matches(of: #/^(\d+)\. \[([^\]]+)\]\(#(\d+)-[^)]+\) — /#.anchorsMatchLineEndings())
        #expect(contents.count == 2, "rare earths and Geneva")
        for entry in contents {
            #expect(entry.1 == entry.3 && markdown.contains("\n## \(entry.1). \(entry.2)\n"), "no heading for \(entry.0)")
        }
    }

    @Test func briefFiltersChooseNotesAndAreRefusedWhereTheyMeanNothing() throws {
        try teamWork()
        let open = try CLI.gloss(alice, "export", "--format", "markdown", "--status", "open", "--author", "BOB").stdout
        #expect(open.contains("Beijing has held back before.") && open.contains("The reply that must survive."))
        #expect(!open.contains("Escalation is the base case."), "alice's note is resolved")
        let tagged = try CLI.gloss(alice, "export", "--format", "html", "--tag", "supply-chain", "--since", "2d").stdout
        #expect(tagged.contains("Escalation is the base case.") && tagged.contains("Which indicators?"))
        #expect(!tagged.contains("Beijing has held back before.") && !tagged.contains("Geneva"))
        let future = try CLI.gloss(alice, "export", "--format", "markdown", "--since", "2999-01-01").stdout
        #expect(future.contains("_No report in this brief: no note matches._"))

        let csv = try CLI.glossAllowingFailure(alice, "export", "--format", "csv", "--tag", "supply-chain")
        #expect(csv.status != 0 && csv.stderr.contains("--tag shapes the brief: use it with --format markdown or html"))
        let since = try CLI.glossAllowingFailure(alice, "export", "--format", "markdown", "--since", "yesterday")
        #expect(since.status != 0 && since.stderr.contains("“yesterday” is not a time"))
    }

    @Test func htmlBriefRendersInChromiumWithoutConsoleErrors() throws {
        try teamWork()
        let file = scratch.path("brief.html")
        try CLI.gloss(alice, "export", "--format", "html", "-o", file.path)
        let profile = scratch.path("chromium-profile")

        let dump = try BriefTools.chromium(file, profile: profile, ["--dump-dom"])
        #expect(dump.status == 0, "\(dump.stderr.suffix(2000))")
        let dom = dump.stdout
        #expect(dom.contains("<mark"), "highlights render as <mark>")
        #expect(dom.contains("id=\"key-judgments\"") && dom.contains("<h2>Key judgments</h2>"))
        #expect(dom.contains("<strong>Analysts disagree</strong>"))
        #expect(dom.contains("<h1>Annotated brief</h1>"))
        #expect(dom.contains("<dd>intel</dd>") && dom.contains("<dd>alice, bob</dd>"))
        #expect(dom.contains("The reply that must survive.") && !dom.contains("SECRET-DRAFT-WORDING"))
        #expect(BriefTools.consoleLines(dump.stderr).isEmpty, "console: \(BriefTools.consoleLines(dump.stderr))")

        // The console check sees errors when there are some (this Chromium's log format).
        let broken = scratch.path("broken.html")
        try #"<!DOCTYPE html><title>x</title><script>console.error("boom"); missing();</script>"#.write(to: broken, atomically: true, encoding: .utf8)
        let control = try BriefTools.chromium(broken, profile: profile, ["--dump-dom"])
        #expect(BriefTools.consoleLines(control.stderr).contains { $0.contains("missing is not defined") })

        // A screenshot at the size docs/brief.png was made at (scripts/brief-screenshot.sh).
        let png = scratch.path("brief.png")
        let shot = try BriefTools.chromium(file, profile: profile, ["--screenshot=\(png.path)", "--window-size=1200,1600", "--hide-scrollbars"])
        #expect(shot.status == 0)
        let bytes = try Data(contentsOf: png)
        #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let width = bytes[16..<20].reduce(0) { $0 << 8 | UInt32($1) }, height = bytes[20..<24].reduce(0) { $0 << 8 | UInt32($1) }
        #expect(width == 1200 && height == 1600)
        #expect(bytes.count > 20_000, "a page with text, not a blank image")
    }

    /// A note that is one long unbroken string (a 600-character URL) wraps inside its margin
    /// note: neither the note nor the page scrolls sideways, on a wide or a narrow window.
    @Test func htmlBriefWrapsLongUnbrokenTextInsideTheMargin() throws {
        try CLI.gloss(alice, "init", "--user", "alice")
        let imported = try CLI.json(try CLI.gloss(alice, "import", report("rare-earths-export-controls.txt"), "--json")) as! [String: Any]
        let rare = String(((imported["imported"] as! [[String: Any]])[0]["id"] as! String).prefix(10))
        let url = "https://example.org/sources/" + String(repeating: "a1b2c3d4e5", count: 57)
        #expect(url.count >= 590)
        try CLI.gloss(alice, "annotate", rare, "--quote", "Most Dangerous", "--comment", "Source: \(url)", "--tag", "supply-chain")
        try CLI.gloss(alice, "annotate", rare, "--comment", url)
        let file = scratch.path("brief.html")
        try CLI.gloss(alice, "export", "--format", "html", "-o", file.path)
        // The page as exported, with a script that measures it and writes what it found into the DOM
        // (and without its Content-Security-Policy, which would refuse that script)
        let measure = """
            <script>const d = document.documentElement;
            const wide = [...document.querySelectorAll("aside, .note, .whole, .body, article, p, dd")]
              .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.tagName + "." + e.className);
            document.body.setAttribute("data-overflow", JSON.stringify({page: d.scrollWidth - d.clientWidth, wide}));</script>
            """
        let measured = scratch.path("measured.html")
        try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "</body>", with: measure + "</body>")
            .replacing(/<meta http-equiv="Content-Security-Policy"[^>]*>/, with: "")
            .write(to: measured, atomically: true, encoding: .utf8)
        for width in [1200, 480] {
            let dump = try BriefTools.chromium(measured, profile: scratch.path("chromium-profile"), ["--dump-dom", "--window-size=\(width),900"])
            #expect(dump.status == 0, "\(dump.stderr.suffix(2000))")
            let found = try #require(dump.stdout.firstMatch(of: /data-overflow="([^"]*)"/).map { String($0.1) }, "\(dump.stdout.prefix(500))")
            #expect(found.replacingOccurrences(of: "&quot;", with: "\"") == #"{"page":0,"wide":[]}"#, "at \(width) px: \(found)")
        }
    }

    @Test func w3cExportPassesTheSuiteAndKeepsGlossTermsThroughJSONLD() throws {
        try teamWork()
        let file = scratch.path("annotations.jsonld")
        try CLI.gloss(alice, "export", "--format", "w3c", "-o", file.path)
        let python = try BriefTools.python()
        let script = BriefTools.checkout.appendingPathComponent("scripts/w3c-check.py").path

        let validate = try BriefTools.run(python, [script, "validate", file.path])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        #expect(validate.stdout.contains("collection musts: 10 schemas x 1 collection(s), 1 passed, 0 failed"))
        #expect(validate.stdout.contains("page musts: 15 schemas x 1 page(s), 1 passed, 0 failed"))
        #expect(validate.stdout.contains("annotation musts: 54 schemas x"), "\(validate.stdout)")
        #expect(!validate.stdout.contains("annotation musts: 54 schemas x 0 "))
        #expect(validate.stdout.hasSuffix(", 0 failed\n"))

        let roundtrip = try BriefTools.run(python, [script, "roundtrip", file.path])
        #expect(roundtrip.status == 0, "expansion lost something: \(roundtrip.stderr)")

        let expand = try BriefTools.run(python, [script, "expand", file.path])
        #expect(expand.status == 0, "\(expand.stderr)")
        let expanded = try #require(try JSONSerialization.jsonObject(with: expand.data) as? [Any])
        let nodes = Self.nodes(in: expanded)
        let ns = "urn:gloss:ns#"
        func values(_ property: String) -> [String] {
            nodes.flatMap { ($0[ns + property] as? [[String: Any]] ?? []).compactMap { $0["@value"] as? String ?? $0["@id"] as? String } }
        }
        #expect(values("confidence").sorted() == ["high", "low", "moderate"])
        #expect(values("likelihood").sorted() == ["likely", "unlikely"])
        #expect(values("status") == ["resolved"])
        #expect(values("revises").count == 1 && values("revises")[0].hasPrefix("urn:sha256:"))
        #expect(nodes.contains { $0[ns + "judgment"] != nil })
        #expect(!nodes.contains { $0.keys.contains { $0.hasPrefix("gloss:") } }, "no term left as a bare gloss: IRI")
    }

    /// Every JSON object in an expanded document.
    static func nodes(in value: Any) -> [[String: Any]] {
        if let list = value as? [Any] { return list.flatMap(nodes) }
        if let object = value as? [String: Any] { return [object] + object.values.flatMap(nodes) }
        return []
    }
}
