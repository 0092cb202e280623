import Foundation
import Testing

/// What `gloss log` and `gloss show` say each change did, in what order, on which report; and
/// a revised report in the brief and `gloss judgments` after a note is settled in the new
/// version (issue 23), with real `gloss` processes.
@Suite(.serialized) struct HistoryAndRevisionTests {
    let scratch = Scratch()
    static let old = CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path
    static let revised = CLI.examples.appendingPathComponent("rare-earths-export-controls-revised.txt").path

    func imported(_ home: URL, _ arguments: String...) throws -> String {
        let out = try CLI.json(try CLI.run("gloss", ["--home", home.path, "import"] + arguments + ["--json"])) as! [String: Any]
        return String(((out["imported"] as! [[String: Any]])[0]["id"] as! String).prefix(8))
    }

    func note(_ result: CLI.Result) throws -> String {
        String(try #require((try CLI.json(result) as? [String: Any])?["id"] as? String).prefix(8))
    }

    @Test func logSaysWhatEachOperationDidNotWhatTheNoteSaysNow() throws {
        let alice = scratch.path("alice")
        try CLI.gloss(alice, "init", "--user", "alice")
        let report = try imported(alice, Self.old)
        let id = try note(try CLI.gloss(alice, "annotate", report, "--quote", "Most Dangerous", "--comment", "first words", "--json"))
        try CLI.gloss(alice, "edit", id, "--comment", "second words")
        try CLI.gloss(alice, "tag", id, "china")
        try CLI.gloss(alice, "resolve", id)
        try CLI.gloss(alice, "resolve", id, "--reopen")
        try CLI.gloss(alice, "tag", id, "--remove", "china")
        let lines = try CLI.gloss(alice, "log").stdout.split(separator: "\n").map(String.init)
        func line(_ kind: String) -> String { lines.first { $0.contains("alice    \(kind) ") } ?? "" }
        #expect(line("create").contains("noted “Most Dangerous”: first words") && !line("create").contains("second words"), "\(lines)")
        #expect(line("edit").contains("set the text: second words"), "\(lines)")
        #expect(line("tag").contains("tagged #china") && line("untag").contains("removed tag #china"), "\(lines)")
        #expect(lines.contains { $0.contains(" status ") && $0.hasSuffix("resolved") } && lines.contains { $0.hasSuffix("reopened") }, "\(lines)")
        let history = try CLI.gloss(alice, "show", id, "--no-pager").stdout
        #expect(history.contains("set the text: second words") && history.contains("reopened"), "\(history)")
    }

    /// bob's own change is logged before alice's earlier one reaches him: his history still
    /// reads in stamp order, as alice's does.
    @Test func showsHistoryIsInStampOrderWhateverTheOrderOfArrival() throws {
        let (alice, bob) = (scratch.path("h-alice"), scratch.path("h-bob"))
        for (home, user) in [(alice, "alice"), (bob, "bob")] { try CLI.gloss(home, "init", "--user", user) }
        let report = try imported(alice, Self.old)
        let id = try note(try CLI.gloss(alice, "annotate", report, "--quote", "Most Dangerous", "--comment", "n", "--json"))
        let first = scratch.path("first.gloss").path
        try CLI.gloss(alice, "ops", "export", "-o", first)
        try CLI.gloss(bob, "ops", "apply", first)
        try CLI.gloss(alice, "tag", id, "early")  // made first, reaches bob last
        Thread.sleep(forTimeInterval: 0.05)
        try CLI.gloss(bob, "resolve", id)
        let second = scratch.path("second.gloss").path
        try CLI.gloss(alice, "ops", "export", "-o", second)
        try CLI.gloss(bob, "ops", "apply", second)
        let shown = try CLI.gloss(bob, "show", id, "--no-pager").stdout
        let tagged = try #require(shown.range(of: "tagged #early")), resolved = try #require(shown.range(of: "  resolved"))
        #expect(tagged.lowerBound < resolved.lowerBound, "oldest first by stamp: \(shown)")
    }

    /// A note made on a report that a later version revises: `show` and `log` name the same
    /// report, the latest version.
    @Test func logAndShowNameTheSameReportForACarriedNote() throws {
        let alice = scratch.path("c-alice")
        try CLI.gloss(alice, "init", "--user", "alice")
        let old = try imported(alice, Self.old)
        let id = try note(try CLI.gloss(alice, "annotate", old, "--quote", "specifically targeting the extraction and separation methods",
                                        "--comment", "the core of the ban", "--json"))
        let new = try imported(alice, Self.revised, "--revises", old)
        let shown = try CLI.gloss(alice, "show", id, "--no-pager").stdout
        #expect(shown.contains("on report \(new)"), "\(shown)")
        let logged = try CLI.gloss(alice, "log").stdout.split(separator: "\n").first { $0.contains(id) && $0.contains(" create ") } ?? ""
        #expect(logged.contains(new) && !logged.contains(old), "\(logged)")
    }

    /// After `review accept` in the new version: the brief shows the latest version with the
    /// carried notes and names the old one as revised; `judgments OLD` shows the new version's
    /// passage; the old report no longer lists the settled note as a note on the whole report.
    @Test func aRevisedReportShowsInTheBriefAndJudgmentsAsItsLatestVersion() throws {
        let alice = scratch.path("r-alice")
        try CLI.gloss(alice, "init", "--user", "alice")
        let old = try imported(alice, Self.old)
        let exact = try note(try CLI.gloss(alice, "annotate", old, "--quote", "specifically targeting the extraction and separation methods",
                                           "--comment", "the core of the ban", "--json"))
        let review = try note(try CLI.gloss(alice, "annotate", old, "--quote", "Most Dangerous: Escalation spirals", "--comment", "escalation is likely",
                                            "--likelihood", "likely", "--confidence", "high", "--json"))
        let new = try imported(alice, Self.revised, "--revises", old)
        try CLI.gloss(alice, "review", "accept", review)

        // The old report no longer lists the settled note (the new version does).
        let oldNotes = try CLI.json(try CLI.gloss(alice, "list", "--report", old, "--json")) as! [[String: Any]]
        #expect(!oldNotes.contains { ($0["id"] as? String)?.hasPrefix(review) == true }, "\(oldNotes)")
        let counted = try CLI.json(try CLI.gloss(alice, "reports", "--json")) as! [[String: Any]]
        #expect(counted.first { ($0["id"] as? String)?.hasPrefix(old) == true }?["annotations"] as? Int == oldNotes.count, "reports agrees")
        let newNotes = (try CLI.json(try CLI.gloss(alice, "list", "--report", new, "--json")) as! [[String: Any]])
            .filter { $0["motivation"] as? String != "linking" }
        #expect(Set(newNotes.compactMap { ($0["id"] as? String)?.prefix(8) }.map(String.init)) == [exact, review])

        // judgments OLD: the new version's passage, not "(the whole report)".
        let judged = try CLI.gloss(alice, "judgments", old, "--no-pager").stdout
        #expect(judged.contains("Most Dangerous (15%): Escalation spirals") && !judged.contains("(the whole report)"), "\(judged)")
        #expect(judged.contains("updated") && judged.contains("earlier version"), "\(judged)")
        let json = try CLI.json(try CLI.gloss(alice, "judgments", old, "--json")) as! [[String: Any]]
        #expect((json.first?["report"] as? String)?.hasPrefix(new) == true, "\(json)")

        // The brief: the latest version with both notes placed; the old one named as revised.
        for format in ["markdown", "html"] {
            let brief = try CLI.gloss(alice, "export", "--format", format).stdout
            #expect(!brief.contains("quote no longer found"), "\(format): \(brief)")
            #expect(brief.contains("(updated)") && brief.contains("escalation is likely") && brief.contains("the core of the ban"), "\(format)")
            #expect(brief.contains("Earlier version") && brief.contains("revised by"), "\(format): the old version is named")
            #expect(brief.components(separatedBy: "Analysts disagree").count == 1)
            let oneReport = try CLI.gloss(alice, "export", "--format", format, "--report", old).stdout
            #expect(oneReport.contains("(updated)") && oneReport.contains("Earlier version") && !oneReport.contains("quote no longer found"),
                    "\(format) --report OLD")
        }
        let markdown = try CLI.gloss(alice, "export", "--format", "markdown").stdout
        #expect(markdown.contains("**Most Dangerous (15%): Escalation spirals**") && markdown.contains("**specifically targeting the extraction"),
                "both quotes are marked in the new text: \(markdown)")
        #expect(!markdown.contains("## 2."), "one section, the latest version: \(markdown)")
    }
}
