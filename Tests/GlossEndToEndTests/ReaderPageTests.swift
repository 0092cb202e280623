import Foundation
import Testing

/// `gloss open`'s reader page in a real browser: headless Chromium driven through selenium by
/// `Browser/reader.py`, with real mouse drags and keys, against the real `gloss open` (and
/// `gloss-server`, `gloss sync --watch` where a team is involved). What the page did is then
/// read back from the replicas with the CLI, as a teammate's `gloss show` would see it.
@Suite(.serialized) struct ReaderPageTests {
    let scratch = Scratch()

    // MARK: the harness

    static let harness = BriefTools.checkout.appendingPathComponent("Tests/GlossEndToEndTests/Browser/reader.py")

    /// Runs one scenario of the harness; its JSON answer (it failed the test when not ok).
    func browser(_ scenario: String, _ arguments: [String: Any], timeout: TimeInterval = 60,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let python = try BriefTools.python()
        _ = try BriefTools.program("chromedriver")
        var arguments = arguments
        // Kept only on failure: a screenshot, the page's HTML and its console.
        arguments["debugDir"] = FileManager.default.temporaryDirectory
            .appendingPathComponent("gloss-reader-evidence/\(scenario)-\(UUID().uuidString.prefix(8))").path
        let json = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        let started = Date()
        let result = try CLI.run(python.path, [Self.harness.path, scenario, json], timeout: timeout)
        let line = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let answer = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        #expect(result.status == 0 && answer["ok"] as? Bool == true,
                "reader.py \(scenario) failed (\(result.status)): \(answer["error"] ?? result.stderr)", sourceLocation: sourceLocation)
        print("reader.py \(scenario): \(String(format: "%.1f", Date().timeIntervalSince(started))) s — \(line.prefix(600))")
        guard answer["ok"] as? Bool == true else { throw ReaderFailure(message: "reader.py \(scenario) failed") }
        return answer
    }

    // MARK: helpers

    /// alice's new replica with ``unicodeReport`` imported: her home and the report's full id.
    func aliceWithTheUnicodeReport() throws -> (home: URL, report: String) {
        let home = scratch.path("alice")
        try CLI.gloss(home, "init", "--user", "alice")
        let file = scratch.path("field-notes.txt")
        try Self.unicodeReport.write(to: file, atomically: true, encoding: .utf8)
        return (home, try importReport(home, file.path))
    }

    /// Imports a report file; its full id.
    func importReport(_ home: URL, _ file: String, _ extra: String...) throws -> String {
        let imported = try CLI.json(try CLI.run("gloss", ["--home", home.path, "import", file, "--json"] + extra)) as! [String: Any]
        return (imported["imported"] as! [[String: Any]])[0]["id"] as! String
    }

    func shown(_ home: URL, _ report: String) throws -> (text: String, notes: [[String: Any]]) {
        let object = try CLI.json(try CLI.gloss(home, "show", report, "--json")) as! [String: Any]
        let text = (object["report"] as! [String: Any])["text"] as! String
        return (text, object["annotations"] as? [[String: Any]] ?? [])
    }

    func note(_ home: URL, _ id: String) throws -> [String: Any] {
        let object = try CLI.json(try CLI.gloss(home, "show", id, "--json")) as! [String: Any]
        return object["annotation"] as! [String: Any]
    }

    func list(_ home: URL) throws -> [[String: Any]] {
        try CLI.json(try CLI.gloss(home, "list", "--json")) as! [[String: Any]]
    }

    func listening(_ home: URL) throws -> ReaderProcess {
        try ReaderProcess(home: home, log: scratch.path("open-\(home.lastPathComponent).log"))
    }
}

// MARK: - what the tests check in replicas

/// Where `passage` first occurs in `text`, in Unicode scalars (code points), as Gloss counts.
func codePoints(of passage: String, in text: String) -> (start: Int, end: Int)? {
    let t = Array(text.unicodeScalars), p = Array(passage.unicodeScalars)
    guard !p.isEmpty, p.count <= t.count else { return nil }
    for i in 0...(t.count - p.count) where t[i..<(i + p.count)].elementsEqual(p) { return (i, i + p.count) }
    return nil
}

/// Swift's `==` on strings is canonical equivalence (é == e + U+0301); a quote must be the very
/// same code points.
func sameScalars(_ a: String?, _ b: String) -> Bool {
    guard let a else { return false }
    return a.unicodeScalars.elementsEqual(b.unicodeScalars)
}

func target(_ note: [String: Any]) -> (start: Int?, end: Int?, exact: String?, prefix: String?, suffix: String?) {
    let target = note["target"] as? [String: Any]
    let position = target?["position"] as? [String: Any], quote = target?["quote"] as? [String: Any]
    return (position?["start"] as? Int, position?["end"] as? Int, quote?["exact"] as? String,
            quote?["prefix"] as? String, quote?["suffix"] as? String)
}

extension ReaderPageTests {
    // MARK: a. selecting a passage

    static let unicodeReport = """
        Unicode field notes

        The flag 🇺🇦 flew over 東京 while a family 👩‍👩‍👧 watched the café e\u{301}clair stand open.

        A second paragraph, in plain words, for the keyboard to walk through.

        """

    /// alice drags the mouse over a passage that starts on a flag (two code points, one
    /// character), crosses CJK and a ZWJ family (five code points) and ends on an e with a
    /// combining accent; comments with two tags and a judgment from the toolbar. `gloss show`
    /// then has exactly that passage, at the code-point offsets `gloss annotate --start --end`
    /// takes — the very target the CLI makes from them. Were the page counting UTF-16 units or
    /// graphemes, the offsets would be off and a teammate's CLI would quote the wrong text.
    @Test func aPassageSelectedWithTheMouseIsTheNoteTheCLIMakes() throws {
        let (home, report) = try aliceWithTheUnicodeReport()
        let text = try shown(home, report).text
        let passage = "🇺🇦 flew over 東京 while a family 👩‍👩‍👧 watched the café e\u{301}"
        let expected = try #require(codePoints(of: passage, in: text), "the report text keeps the passage as written")
        let reader = try listening(home)

        let answer = try browser("select", [
            "url": reader.url, "report": report, "passage": passage, "comment": "Which day? The flag is new.",
            "tags": ["unicode", "sightings"], "confidence": "moderate", "likelihood": "almost-certain",
        ])
        #expect(sameScalars(answer["selected"] as? String, passage), "the drag selected the passage: \(answer["selected"] ?? "")")
        #expect(sameScalars(answer["highlighted"] as? String, passage), "the page highlights the passage")
        #expect(sameScalars(answer["toolbarQuote"] as? String, "“\(passage)”"), "the toolbar quoted it")
        let id = try #require(answer["note"] as? String)
        #expect(answer["focused"] as? String == id, "the new note has focus")

        let made = try note(home, id)
        let t = target(made)
        #expect(sameScalars(t.exact, passage), "quote.exact is the passage, code point for code point: \(t.exact ?? "none")")
        #expect(t.start == expected.start && t.end == expected.end,
                "position \(t.start ?? -1)…\(t.end ?? -1), Swift counts \(expected.start)…\(expected.end)")
        #expect(made["body"] as? String == "Which day? The flag is new.")
        #expect(Set(made["tags"] as? [String] ?? []) == ["unicode", "sightings"])
        let judgment = made["judgment"] as? [String: Any]
        #expect(judgment?["confidence"] as? String == "moderate" && judgment?["likelihood"] as? String == "almost-certain")
        #expect(made["visibility"] as? String == "team")

        // The CLI given the same offsets makes the same target.
        let cli = try CLI.json(try CLI.gloss(home, "annotate", String(report.prefix(8)), "--start", "\(expected.start)",
                                             "--end", "\(expected.end)", "--comment", "from the CLI", "--json")) as! [String: Any]
        let cliNote = try note(home, try #require((cli["annotation"] as? [String: Any])?["id"] as? String ?? cli["id"] as? String))
        let c = target(cliNote)
        #expect(c.start == t.start && c.end == t.end && sameScalars(c.exact, t.exact ?? "")
                && sameScalars(c.prefix, t.prefix ?? "") && sameScalars(c.suffix, t.suffix ?? ""),
                "page \(t), CLI \(c)")
        #expect(reader.stop() == 0)
    }

    // MARK: b. two analysts

    /// alice and bob each have the page open, `gloss sync --watch` running beside it. alice
    /// selects and comments in her page: bob's page shows her note, highlight and all, within
    /// 2 s without a reload. bob replies in his page; alice's page shows the reply.
    @Test func aNoteInAlicesPageShowsInBobsWithinTwoSecondsAndHisReplyInHers() throws {
        let team = try Team(in: scratch)
        let report = try team.shareReport()
        try CLI.gloss(team.bob, "sync")
        let watches = try [team.alice, team.bob].map { try WatchProcess(home: $0, log: scratch.path("watch-\($0.lastPathComponent).log")) }
        let (alicesPage, bobsPage) = (try listening(team.alice), try listening(team.bob))
        let full = try shown(team.alice, report).text
        let passage = "leveraging its dominance in rare earth processing technologies"
        #expect(codePoints(of: passage, in: full) != nil)

        let answer = try browser("team", [
            "alice": alicesPage.url, "bob": bobsPage.url, "report": report, "passage": passage,
            "comment": "Dominance in processing, not in mining: say so.", "tags": ["processing"],
            "reply": "Agreed; the 2023 figures show it.", "within": 2.0,
        ])
        let live = try #require(answer["liveSeconds"] as? Double)
        print("alice's note reached bob's page in \(live) s; bob's reply reached alice's page in \(answer["replySeconds"] ?? "?") s")
        #expect(live < 2.0, "bob's page showed alice's note after \(live) s")
        let id = try #require(answer["note"] as? String), reply = try #require(answer["reply"] as? String)

        let onBob = try note(team.bob, id)
        #expect(onBob["author"] as? String == "alice" && onBob["body"] as? String == "Dominance in processing, not in mining: say so.")
        #expect(sameScalars(target(onBob).exact, passage))
        let replyOnAlice = try note(team.alice, reply)
        #expect(replyOnAlice["author"] as? String == "bob" && replyOnAlice["body"] as? String == "Agreed; the 2023 figures show it.")
        #expect((replyOnAlice["replyTo"] ?? replyOnAlice["parent"]) as? String == id, "the reply answers alice's note: \(replyOnAlice)")
        for watch in watches { #expect(watch.stop() == 0, "\(watch.output)") }
        #expect(alicesPage.stop() == 0 && bobsPage.stop() == 0)
    }

    // MARK: c. conflicts

    /// alice edits her note's comment at her desk and on her laptop, both offline (bob may not
    /// edit it: only its author can). After the syncs her page shows the note in conflict with
    /// both versions; she merges them in the page. After two rounds of sync every replica —
    /// both of alice's, bob's and carol's (a reader) — holds the same notes, the merged one
    /// with one version.
    @Test func aConflictShowsBothVersionsAndMergingInThePageSettlesItEverywhere() throws {
        let team = try Team(in: scratch)
        let report = try team.shareReport()
        let id = try #require(try list(team.alice).first?["id"] as? String)
        let laptop = scratch.path("alice-laptop")
        try CLI.gloss(laptop, "init", "--user", "alice")
        try CLI.gloss(laptop, "remote", "add", team.server.url, "--workspace", "intel", "--token", team.tokens["alice"]!)
        for home in [laptop, team.bob, team.carol] { try CLI.gloss(home, "sync") }

        let desk = "Desk: exports fell 12% in May.", travel = "Laptop: exports fell 15% by June."
        try CLI.gloss(team.alice, "edit", String(id.prefix(8)), "--comment", desk)
        try CLI.gloss(laptop, "edit", String(id.prefix(8)), "--comment", travel)
        let bobs = try CLI.glossAllowingFailure(team.bob, "edit", String(id.prefix(8)), "--comment", "bob's version")
        #expect(bobs.status != 0, "only the author edits a note: \(bobs.stdout)")
        for home in [team.alice, laptop, team.alice] { try CLI.gloss(home, "sync") }
        let before = try note(team.alice, id)
        #expect((before["bodyVersions"] as? [Any])?.count == 2, "alice's replica holds both versions: \(before)")

        let page = try listening(team.alice)
        let merged = "Exports fell 12% in May and 15% by June (desk and laptop figures)."
        let answer = try browser("conflict", ["url": page.url, "report": report, "note": id, "merge": merged])
        let versions = answer["versions"] as? [String] ?? []
        #expect(Set(versions) == [desk, travel], "the page shows both versions: \(versions)")
        let prefilled = answer["prefilled"] as? String ?? ""
        #expect(prefilled.contains(desk) && prefilled.contains(travel), "merging starts from both: \(prefilled)")
        #expect(page.stop() == 0)

        let homes = [team.alice, laptop, team.bob, team.carol]
        for _ in 0..<2 { for home in homes { try CLI.gloss(home, "sync") } }
        func summary(_ home: URL) throws -> [String] {
            try shown(home, report).notes.map { n in
                "\(n["id"]!)|\(n["body"] ?? "")|\((n["bodyVersions"] as? [Any])?.count ?? -1)|\(n["deleted"] as? Bool ?? true)|\(n["status"]!)"
            }.sorted()
        }
        let reference = try summary(team.alice)
        #expect(reference.contains("\(id)|\(merged)|1|false|open"), "\(reference)")
        for home in homes.dropFirst() {
            #expect(try summary(home) == reference, "\(home.lastPathComponent) differs from alice's desk")
        }
    }

    // MARK: d. hostile notes

    /// bob writes notes, tags and a reply full of markup, a javascript: link, remote images and
    /// control characters (a right-to-left override, an escape). alice reads them in her page:
    /// nothing runs (no alert), nothing is fetched (a listener on the image addresses gets no
    /// request), no element is made of them; she sees them as the text bob typed, with the
    /// controls shown as <U+202E> and ^[; the console stays free of errors.
    @Test func hostileNotesAreShownAsTextAndNothingRunsOrLoads() throws {
        let team = try Team(in: scratch)
        let report = try team.shareReport()
        let first = try #require(try list(team.alice).first?["id"] as? String)
        let listener = try RequestListener()
        defer { listener.stop() }
        try CLI.gloss(team.bob, "sync")
        let script = "<script>alert(1)</script>"
        let img = "<img src=\(listener.url)/x onerror=alert(2)>"
        let link = "[link](javascript:alert(3))"
        let image = "![i](\(listener.url)/i.png)"
        let bidi = "\u{202E}gnp.exe", escape = "\u{1B}[31mred\u{1B}[0m"
        let comment = [script, img, link, image, bidi, escape].joined(separator: " ")
        let made = try CLI.json(try CLI.gloss(team.bob, "annotate", String(report.prefix(8)), "--quote", "What Happened",
                                              "--comment", comment, "--tag", script, "--tag", "rtl\u{202E}tag", "--json")) as! [String: Any]
        let bobsNote = try #require(((made["annotation"] as? [String: Any])?["id"] ?? made["id"]) as? String)
        let replied = try CLI.json(try CLI.gloss(team.bob, "reply", String(first.prefix(8)), "--comment",
                                                 "\(img) \(link) \(escape)", "--json")) as! [String: Any]
        let bobsReply = try #require(((replied["annotation"] as? [String: Any])?["id"] ?? replied["id"]) as? String)
        try CLI.gloss(team.bob, "sync")
        try CLI.gloss(team.alice, "sync")
        let page = try listening(team.alice)

        let answer = try browser("hostile", [
            "url": page.url, "report": report, "notes": [bobsNote, bobsReply, first],
            "expect": [script, img, link, image, "<U+202E>gnp.exe", "^[[31mred^[[0m", "rtl<U+202E>tag"],
            "absent": ["\u{202E}", "\u{1B}"],
        ])
        #expect(answer["alerts"] as? Int == 0)
        let elements = answer["elements"] as? [String: Int] ?? [:]
        #expect(elements["script"] == 0 && elements["img"] == 0 && elements["iframe"] == 0 && elements["onerror"] == 0
                && elements["link"] == 0, "elements made inside the notes: \(elements)")
        #expect(elements["images"] == 0, "no image anywhere in the page: \(elements)")
        #expect(elements["allScripts"] == 1, "the page's own module is its only script: \(elements)")
        #expect((answer["errors"] as? [Any])?.isEmpty == true, "console errors: \(answer["errors"] ?? "")")
        #expect(listener.requests.isEmpty, "the page fetched \(listener.requests)")
        #expect(page.stop() == 0)
    }

    // MARK: e. review queue

    /// alice's notes on a report follow it to a revised version she imports: one quote had a
    /// number change ("Most Likely:" became "Most Likely (60%):"), another passage is gone. In
    /// the page's review view she accepts Gloss's proposal for the first and places the second
    /// anew by selecting new text and pressing Place here. Both leave `gloss review`, and sit
    /// on the new version at the passages she chose.
    @Test func inTheReviewViewAcceptingAndPlacingAnewSettleCarriedNotes() throws {
        let home = scratch.path("alice")
        try CLI.gloss(home, "init", "--user", "alice")
        let old = try importReport(home, Team.reportFile)
        let changed = "Most Likely:", gone = "The move is justified by Chinese authorities as necessary for national security"
        var ids: [String] = []
        for (quote, comment) in [(changed, "the base case"), (gone, "Beijing's stated reason")] {
            let made = try CLI.json(try CLI.gloss(home, "annotate", String(old.prefix(8)), "--quote", quote,
                                                  "--comment", comment, "--json")) as! [String: Any]
            ids.append(try #require(((made["annotation"] as? [String: Any])?["id"] ?? made["id"]) as? String))
        }
        let revised = CLI.examples.appendingPathComponent("rare-earths-export-controls-revised.txt").path
        let new = try importReport(home, revised, "--revises", String(old.prefix(8)))
        func queue() throws -> [String: String] {
            let groups = try CLI.json(try CLI.gloss(home, "review", "--json")) as! [[String: Any]]
            var statuses: [String: String] = [:]
            for group in groups {
                for n in group["notes"] as? [[String: Any]] ?? [] {
                    statuses[n["id"] as! String] = (n["reanchor"] as? [String: Any])?["status"] as? String
                }
            }
            return statuses
        }
        let waiting = try queue()
        #expect(waiting[ids[0]] == "review" && waiting[ids[1]] == "orphan", "both need review: \(waiting)")

        let placed = "On Thursday the Ministry of Commerce published an updated catalogue"
        let page = try listening(home)
        let answer = try browser("review", ["url": page.url, "accept": ids[0], "retarget": ids[1], "passage": placed])
        #expect(answer["proposal"] as? String == "Gloss proposes:\nMost Likely (60%):", "\(answer["proposal"] ?? "")")
        #expect((answer["leftInReview"] as? [String])?.isEmpty == true)
        #expect(page.stop() == 0)

        let left = try queue()
        #expect(left[ids[0]] == nil && left[ids[1]] == nil, "still in review: \(left)")
        let newText = try shown(home, new).text
        for (id, quote) in [(ids[0], "Most Likely (60%):"), (ids[1], placed)] {
            let settled = try note(home, id)
            let t = target(settled)
            let expected = try #require(codePoints(of: quote, in: newText))
            #expect(settled["report"] as? String == new, "\(id) is on the new version")
            #expect(t.exact == quote && t.start == expected.start && t.end == expected.end, "\(id): \(t)")
            #expect(settled["reanchor"] == nil, "\(id) is settled: \(settled["reanchor"] ?? "")")
        }
    }

    // MARK: f. keyboard only

    /// Without a mouse: Tab to the report's link, Enter, Tab into the report text, Shift+→ over
    /// a passage (a flag and a ZWJ family are one keystroke each), c, type, Ctrl+Enter; the new
    /// note has focus: r, type, Ctrl+Enter. The note and its reply are in the replica.
    @Test func keyboardOnlyNoteAndReply() throws {
        let (home, report) = try aliceWithTheUnicodeReport()
        let text = try shown(home, report).text
        let passage = "🇺🇦 flew over 東京 while a family 👩‍👩‍👧"
        let expected = try #require(codePoints(of: passage, in: text))
        let page = try listening(home)
        // Down: the title's end; Right: the paragraph's start; 9 graphemes to the flag; then
        // 31 graphemes of selection: 🇺🇦 (1) " flew over " (11) 東京 (2) " while a family " (16) 👩‍👩‍👧 (1).
        let answer = try browser("keyboard", [
            "url": page.url, "report": report,
            "keys": [["Down", 1], ["Right", 1], ["Right", 9], ["Shift+Right", 31]],
            "comment": "Typed without a mouse.", "reply": "Replied without a mouse.",
        ])
        #expect(sameScalars(answer["selected"] as? String, passage), "Shift+→ selected \(answer["selected"] ?? "")")
        let id = try #require(answer["note"] as? String), reply = try #require(answer["reply"] as? String)
        let made = try note(home, id)
        let t = target(made)
        #expect(made["body"] as? String == "Typed without a mouse.")
        #expect(sameScalars(t.exact, passage) && t.start == expected.start && t.end == expected.end, "\(t)")
        let answered = try note(home, reply)
        #expect(answered["body"] as? String == "Replied without a mouse.")
        #expect((answered["replyTo"] ?? answered["parent"]) as? String == id)
        #expect(answer["focusedAfterReply"] as? String == reply, "focus is on the reply it made")
        #expect(page.stop() == 0)
    }

    /// alice is typing a reply when a change made elsewhere (her own `gloss tag` in a terminal,
    /// or a teammate's note by sync) arrives and the page rebuilds, on a machine slow enough that
    /// the rebuild's read takes a while. The page used to put her caret back where it stood
    /// before that read: the words she typed meanwhile came out scrambled ("Replied wt a
    /// mouse.ithou", seen under the whole suite's load). What she typed is what she saves.
    @Test func typingThroughNewsKeepsEveryWordInPlace() throws {
        let (home, report) = try aliceWithTheUnicodeReport()
        let made = try CLI.json(try CLI.gloss(home, "annotate", report, "--quote", "flew over", "--comment", "Which day?", "--json")) as! [String: Any]
        let id = try #require((made["annotation"] as? [String: Any])?["id"] as? String ?? made["id"] as? String)
        let page = try listening(home)
        let answer = try browser("typing", [
            "url": page.url, "report": report, "note": id, "first": "Replied w", "during": "ithou", "after": "t a mouse.",
            "elsewhere": [CLI.binDir.appendingPathComponent("gloss").path, "--home", home.path, "tag", id, "elsewhere"],
            "tagsBefore": 0,
        ])
        #expect(answer["typed"] as? String == "Replied without a mouse.", "the field held \(answer["typed"] ?? "nothing")")
        let reply = try note(home, try #require(answer["reply"] as? String))
        #expect(reply["body"] as? String == "Replied without a mouse.")
        #expect(page.stop() == 0)
    }

    // MARK: g. screenshots

    /// `scripts/reader-screenshot.sh` (docs/reader.png, docs/reader-phone.png) runs end to end:
    /// a replica with notes, `gloss open`, the page at desktop and phone width, gloss stopped.
    @Test func theScreenshotScriptSavesBothWidths() throws {
        let out = scratch.path("shots")
        let script = BriefTools.checkout.appendingPathComponent("scripts/reader-screenshot.sh")
        let result = try CLI.run(script.path, [out.path], environment: ["GLOSS_BIN": CLI.binDir.path], timeout: 90)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        for (name, size) in [("reader.png", (1280, 900)), ("reader-phone.png", (390, 844))] {
            let data = try Data(contentsOf: out.appendingPathComponent(name))
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is a PNG")
            let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
            #expect(width == size.0 && height == size.1, "\(name) is \(width)x\(height)")
            #expect(data.count > 20_000, "\(name) holds a page, not a blank: \(data.count) bytes")
        }
        #expect(!result.stderr.contains("gloss open") || result.status == 0)
    }
}
