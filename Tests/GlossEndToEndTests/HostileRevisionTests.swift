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
}
