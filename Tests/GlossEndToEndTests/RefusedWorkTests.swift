import Foundation
import Testing

/// Refused work is never lost from its author's sight (issue 23), with real processes: a replica
/// that knows its user is a reader refuses a change at once, and whatever the server refuses
/// stays listed, shown, exportable and deletable on its author's replica, with the reason.
@Suite(.serialized) struct RefusedWorkTests {
    let scratch = Scratch()

    @Test func aReplicaThatKnowsItIsAReadersRefusesAChangeAtOnceWithTheReason() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        let report = try team.shareReport()
        try CLI.gloss(team.carol, "sync")
        let note = try CLI.glossAllowingFailure(team.carol, "annotate", report, "--quote", "Big Picture", "--comment", "carol was here")
        #expect(note.status == 4, "not allowed: \(note.stdout)\(note.stderr)")
        #expect(note.stderr.contains("not allowed") && note.stderr.contains("reader") && note.stderr.contains("intel"), "\(note.stderr)")
        #expect(note.stderr.contains("hint:") && note.stderr.contains("member"), "\(note.stderr)")
        let secret = try CLI.glossAllowingFailure(team.carol, "annotate", report, "--quote", "Big Picture", "--comment", "mine", "--private")
        #expect(secret.status == 4, "a private note is a write too: \(secret.stderr)")
        let first = try CLI.json(try CLI.gloss(team.carol, "list", "--json")) as! [[String: Any]]
        let noteID = try #require(first.first?["id"] as? String)
        let reply = try CLI.glossAllowingFailure(team.carol, "reply", noteID, "--comment", "a reply")
        #expect(reply.status == 4, "\(reply.stderr)")
        // Nothing was recorded: nothing waits for the server, and the sync refuses nothing.
        let status = try CLI.json(try CLI.gloss(team.carol, "status", "--json")) as! [String: Any]
        #expect(status["unsynced"] as? Int == 0, "\(status)")
        let sync = try CLI.glossAllowingFailure(team.carol, "sync")
        #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
    }

    /// A newcomer's path: notes made before joining, then `remote add` says "you are reader";
    /// the sync refuses them (exit 5), and they stay in sight with why: listed, shown, in
    /// `sync --refused` with their text, exported with `list --refused --json`, and deleted.
    @Test func workTheServerRefusesStaysVisibleToItsAuthorWithTheReasonUntilDeleted() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        let shared = try team.shareReport()
        let token = try team.server.addUser("dave")
        try team.server.admin("member", "add", "intel", "dave", "--role", "reader")
        let dave = scratch.path("dave")
        try CLI.gloss(dave, "init", "--user", "dave")
        try CLI.gloss(dave, "import", Team.reportFile)
        let made = try CLI.json(try CLI.gloss(dave, "annotate", shared, "--quote", "Big Picture", "--comment", "dave's reading of it",
                                              "--tag", "watch", "--json")) as! [String: Any]
        let id = try #require(made["id"] as? String)
        let short = String(id.prefix(8))
        try CLI.gloss(dave, "annotate", shared, "--quote", "Most Likely", "--comment", "dave's private aside", "--private")
        let added = try CLI.run("gloss", ["--home", dave.path, "remote", "add", team.server.url, "--workspace", "intel", "--token", token])
        #expect(added.status == 0 && added.stdout.contains("you are reader"), "\(added.stdout)\(added.stderr)")
        #expect(added.stderr.contains("2 change(s)") && added.stderr.contains("gloss list --refused"), "\(added.stderr)")

        let sync = try CLI.glossAllowingFailure(dave, "sync")
        #expect(sync.status == 5, "\(sync.stdout)\(sync.stderr)")

        // Listed, with the text and the reason.
        let list = try CLI.gloss(dave, "list", "--refused").stdout
        #expect(list.contains(short) && list.contains("dave's reading of it") && list.contains("dave's private aside"), "\(list)")
        #expect(list.contains("read-only") && list.contains("reader"), "\(list)")
        let teamList = try CLI.gloss(dave, "list").stdout
        #expect(!teamList.contains("dave's reading of it") && teamList.contains("gloss list --refused"), "the team's list, and a pointer: \(teamList)")
        // Shown: the note's text, its quote, and that it was refused and why.
        let show = try CLI.gloss(dave, "show", short, "--no-pager")
        #expect(show.stdout.contains("dave's reading of it") && show.stdout.contains("Big Picture"), "\(show.stdout)")
        #expect(show.stdout.contains("Refused by the team server") && show.stdout.contains("read-only") && show.stdout.contains("reader"),
                "\(show.stdout)")
        // `sync --refused` says what each change was, not only its id.
        let refused = try CLI.gloss(dave, "sync", "--refused").stdout
        #expect(refused.contains("noted “Big Picture”: dave's reading of it") && refused.contains("dave's private aside"), "\(refused)")
        // Exported: the note as written and each refused operation, with the code and reason.
        let export = try CLI.json(try CLI.gloss(dave, "list", "--refused", "--json")) as! [[String: Any]]
        let entry = try #require(export.first { $0["id"] as? String == id })
        #expect((entry["annotation"] as? [String: Any])?["body"] as? String == "dave's reading of it")
        #expect((entry["annotation"] as? [String: Any])?["tags"] as? [String] == ["watch"])
        let refusals = try #require(entry["refusals"] as? [[String: Any]])
        #expect(refusals.first?["code"] as? String == "read-only" && (refusals.first?["operation"] as? [String: Any]) != nil)
        // Another command on it says where it went, not that it does not exist.
        let edit = try CLI.glossAllowingFailure(dave, "tag", short, "more")
        #expect(edit.stderr.contains("refused by the team server") && edit.stderr.contains("gloss delete \(short)"), "\(edit.stderr)")

        // The replica learned the role from the refusal: new work is refused at once.
        #expect(try CLI.glossAllowingFailure(dave, "annotate", shared, "--comment", "again").status == 4)

        // Deleted: dropped here, for good.
        let deleted = try CLI.gloss(dave, "delete", short)
        #expect(deleted.stdout.contains("dropped refused note") && deleted.stdout.contains(short), "\(deleted.stdout)")
        let after = try CLI.gloss(dave, "list", "--refused").stdout
        #expect(!after.contains("dave's reading of it") && after.contains("dave's private aside"), "\(after)")
        #expect(try CLI.glossAllowingFailure(dave, "show", short, "--no-pager").status == 3)
    }

    /// A member demoted after `remote add`: the replica cannot know, so the server refuses, and
    /// the replica learns. Promoted again, the next sync learns that too, and the refused note
    /// goes through with `--retry-refused`.
    @Test func aReplicaLearnsItsRoleFromTheServerBothWays() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        let report = try team.shareReport()
        try team.server.admin("member", "add", "intel", "bob", "--role", "reader")
        try CLI.gloss(team.bob, "sync")
        try CLI.gloss(team.bob, "annotate", report, "--quote", "Big Picture", "--comment", "bob before he knew")
        #expect(try CLI.glossAllowingFailure(team.bob, "sync").status == 5)
        #expect(try CLI.glossAllowingFailure(team.bob, "annotate", report, "--comment", "and after").status == 4)
        try team.server.admin("member", "add", "intel", "bob", "--role", "member")
        try CLI.gloss(team.bob, "sync", "--retry-refused")
        try CLI.gloss(team.bob, "annotate", report, "--comment", "a member again")
        try CLI.gloss(team.bob, "sync")
        try CLI.gloss(team.alice, "sync")
        let bodies = (try CLI.json(try CLI.gloss(team.alice, "list", "--json")) as! [[String: Any]]).compactMap { $0["body"] as? String }
        #expect(bodies.contains("bob before he knew") && bodies.contains("a member again"), "\(bodies)")
        #expect(try CLI.gloss(team.bob, "list", "--refused").stdout.contains("none"), "nothing refused is left")
    }
}
