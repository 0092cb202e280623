import Foundation
import Testing

/// Issue 24, item 3, against real `gloss` and `gloss-server` processes: bob links a megabyte
/// of unrelated text as a revision of the report alice annotated (`import --revises`). Her
/// commands used to diff the two texts on every read, quadratically: minutes each.
@Suite(.serialized) struct HostileRevisionTests {
    let scratch = Scratch()

    /// Words of no report: bob's "revision".
    static func unrelatedText(bytes: Int) -> String {
        let words = ["the", "of", "supply", "port", "vessel", "freight", "minister", "said", "week", "rose", "fell", "and", "a"]
        var text = "Weekly freight notes\n\n", n = 0
        while text.utf8.count < bytes {
            n = (n &* 1_103_515_245 &+ 12345) & 0x7FFF_FFFF
            text += words[n % words.count]
            text += n % 37 == 0 ? ".\n\n" : " "
        }
        return text
    }

    /// Runs `gloss --home HOME …`, requiring success within `seconds`; returns its output.
    @discardableResult
    func timed(_ home: URL, _ arguments: [String], within seconds: Double, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let started = Date()
        let result = try CLI.run("gloss", ["--home", home.path, "--no-pager"] + arguments, timeout: 120)
        let elapsed = Date().timeIntervalSince(started)
        print("gloss \(arguments.joined(separator: " ")): \(String(format: "%.2f", elapsed)) s (debug build)")
        #expect(result.status == 0, "gloss \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(elapsed < seconds, "gloss \(arguments.joined(separator: " ")) took \(elapsed) s", sourceLocation: sourceLocation)
        return result.stdout
    }

    @Test func anUnrelatedRevisionKeepsAlicesCommandsQuickAndSheCanDeclineIt() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        let old = try team.shareReport()
        let note = try #require((try CLI.json(try CLI.gloss(team.alice, "list", "--json")) as? [[String: Any]])?
            .first { $0["body"] as? String == "first note" }?["id"] as? String)

        // bob links a megabyte of other text as the report's revision, and shares the link.
        try CLI.gloss(team.bob, "sync")
        let file = scratch.path("freight.txt")
        try Self.unrelatedText(bytes: 1 << 20).write(to: file, atomically: true, encoding: .utf8)
        let imported = try CLI.json(try CLI.gloss(team.bob, "import", file.path, "--revises", old, "--json")) as! [String: Any]
        let new = String(((imported["imported"] as! [[String: Any]])[0]["id"] as! String).prefix(8))
        try CLI.gloss(team.bob, "sync")
        try CLI.gloss(team.alice, "sync")

        // Every command that shows alice's note answers at once (a debug build; before: minutes each),
        let brief = scratch.path("brief.md").path, html = scratch.path("brief.html").path
        try timed(team.alice, ["reports"], within: 10)
        try timed(team.alice, ["show", new], within: 15)
        try timed(team.alice, ["show", String(note.prefix(8))], within: 10)
        try timed(team.alice, ["judgments"], within: 10)
        try timed(team.alice, ["list", "--report", new], within: 10)
        try timed(team.alice, ["export", "--format", "markdown", "--report", new, "-o", brief], within: 15)
        try timed(team.alice, ["export", "--format", "html", "-o", html], within: 15)
        // and her note is not carried onto bob's text: it waits for her, with the reason.
        let review = try timed(team.alice, ["review"], within: 10)
        #expect(review.contains(String(note.prefix(8))) && review.contains("the new version shares almost nothing with the old"), "\(review)")

        // She declines the link for herself: the note is back on the version she trusts,
        let declined = try timed(team.alice, ["revisions", "decline", new], within: 10)
        #expect(declined.contains("no longer revises") && declined.contains("claimed by bob"), "\(declined)")
        #expect(try timed(team.alice, ["review"], within: 10).contains("Nothing to review"))
        let onOld = try #require(try CLI.json(try CLI.gloss(team.alice, "list", "--report", old, "--json")) as? [[String: Any]])
        let shown = try #require(onOld.first { $0["id"] as? String == note })
        #expect(shown["reanchor"] == nil && ((shown["target"] as? [String: Any])?["quote"] as? [String: Any])?["exact"] as? String == "Most Dangerous")
        #expect(try timed(team.alice, ["show", old], within: 10).contains("first note"))
        // and only for herself: bob's link stands for bob (and a sync does not undo her decline).
        try CLI.gloss(team.alice, "sync")
        let links = try #require(try CLI.json(try CLI.gloss(team.bob, "revisions", "--json")) as? [[String: Any]])
        #expect(links.count == 1 && links[0]["declined"] as? Bool == false)
        let hers = try #require(try CLI.json(try CLI.gloss(team.alice, "revisions", "--json")) as? [[String: Any]])
        #expect(hers.count == 1 && hers[0]["declined"] as? Bool == true && hers[0]["claimedBy"] as? String == "bob")

        // Accepting the link again puts the note back in her review queue.
        try CLI.gloss(team.alice, "revisions", "accept", new)
        #expect(try timed(team.alice, ["review"], within: 10).contains(String(note.prefix(8))))
    }

    /// Issue 24, item 5: bob imports a doctored copy of alice's report (a sentence negated) as its
    /// revision. Her note lands `exact` on his text, so the diff raises nothing: what must tell
    /// her is whose claim the version rests on. It is named wherever the version appears, on
    /// every note carried across it, and in her review queue, until she accepts it; then a link
    /// war by bob changes nothing she sees.
    @Test func aTeammatesDoctoredRevisionIsShownAsHisClaimUntilAliceAcceptsIt() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        let old = try team.shareReport()
        try CLI.gloss(team.bob, "sync")
        let original = try String(contentsOfFile: Team.reportFile, encoding: .utf8)
        let doctored = original.replacingOccurrences(of: "Legal disputes proliferate", with: "Legal disputes do not proliferate")
        #expect(doctored != original)
        let file = scratch.path("doctored.txt")
        try doctored.write(to: file, atomically: true, encoding: .utf8)
        let imported = try CLI.json(try CLI.gloss(team.bob, "import", file.path, "--revises", old, "--json")) as! [String: Any]
        let new = String(((imported["imported"] as! [[String: Any]])[0]["id"] as! String).prefix(8))
        try CLI.gloss(team.bob, "sync")
        try CLI.gloss(team.alice, "sync")

        // `reports`: the two identical titles say which revises which, on bob's word.
        let reports = try timed(team.alice, ["reports"], within: 10)
        let newLine = try #require(reports.split(separator: "\n").first { $0.hasPrefix(new) })
        #expect(newLine.contains("revises \(old) by bob’s claim") && newLine.contains("not accepted by you"), "\(reports)")
        // `show`: first, not after the last paragraph; and on her note carried there.
        let shown = try timed(team.alice, ["show", new], within: 10)
        #expect(shown.split(separator: "\n").first?.contains("bob’s claim") == true, "\(shown.prefix(400))")
        #expect(shown.contains("first note"))
        let json = try #require(try CLI.json(try CLI.gloss(team.alice, "show", new, "--json")) as? [String: Any])
        #expect((json["claim"] as? [String: Any])?["by"] as? String == "bob")
        let carried = try #require((json["annotations"] as? [[String: Any]])?.first { $0["body"] as? String == "first note" })
        let reanchor = try #require(carried["reanchor"] as? [String: Any])
        #expect(reanchor["status"] as? String == "exact" && (reanchor["claim"] as? [String: Any])?["by"] as? String == "bob")
        // `review` no longer says there is nothing to review.
        let review = try timed(team.alice, ["review"], within: 10)
        #expect(review.contains("bob’s claim") && review.contains(String((carried["id"] as! String).prefix(8))), "\(review)")
        // `show NOTE` and `list` carry the mark too.
        let note = String((carried["id"] as! String).prefix(8))
        #expect(try timed(team.alice, ["show", note], within: 10).contains("bob’s claim"))
        // bob sees his own link unmarked.
        #expect(!(try CLI.gloss(team.bob, "show", new, "--no-pager")).stdout.contains("claim"))

        // She accepts it: the marks go, for her alone.
        let accepted = try timed(team.alice, ["revisions", "accept", new], within: 10)
        #expect(accepted.contains("claimed by bob") && accepted.contains("no longer marked"), "\(accepted)")
        #expect(!(try timed(team.alice, ["show", new], within: 10)).contains("claim"))
        #expect(try timed(team.alice, ["review"], within: 10).contains("Nothing to review"))

        // The link war: bob re-points his report at another one. Alice keeps the link she accepted.
        let otherFile = scratch.path("other.txt")
        try "Other report\n\nNothing to do with rare earths.\n".write(to: otherFile, atomically: true, encoding: .utf8)
        let otherImport = try CLI.json(try CLI.gloss(team.bob, "import", otherFile.path, "--json")) as! [String: Any]
        let other = String(((otherImport["imported"] as! [[String: Any]])[0]["id"] as! String).prefix(8))
        try CLI.gloss(team.bob, "import", file.path, "--revises", other)
        try CLI.gloss(team.bob, "sync")
        try CLI.gloss(team.alice, "sync")
        let hers = try #require(try CLI.json(try CLI.gloss(team.alice, "revisions", "--json")) as? [[String: Any]])
        let link = try #require(hers.first { ($0["report"] as? String)?.hasPrefix(new) == true })
        #expect((link["revises"] as? String)?.hasPrefix(old) == true && link["confirmed"] as? Bool == true, "\(hers)")
        #expect(try timed(team.alice, ["show", new], within: 10).contains("first note"))
        // carol, who decided nothing, sees bob's latest claim, marked as his.
        try CLI.gloss(team.carol, "sync")
        let carols = try #require(try CLI.json(try CLI.gloss(team.carol, "revisions", "--json")) as? [[String: Any]])
        let carolsLink = try #require(carols.first { ($0["report"] as? String)?.hasPrefix(new) == true })
        #expect((carolsLink["revises"] as? String)?.hasPrefix(other) == true && carolsLink["confirmed"] as? Bool == false, "\(carols)")
    }
}
