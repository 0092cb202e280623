import Foundation
import GlossCore
import Testing

/// Issue 24, item 1, against real `gloss` and `gloss-server` processes: bob hands alice an
/// operations file whose operations name *her* as author, under a replica claim freshly minted
/// for her name (her name and a random salt are all it takes). Her client must not speak for
/// her: the operations are set aside, loudly, and her sync sends none of them; adopting or
/// discarding each is her choice.
@Suite(.serialized) struct ForgedInYourNameTests {
    let scratch = Scratch()

    /// bob's forgery: four operations in alice's name, as the issue found them pushed as hers
    /// (her judgment changed, her comment replaced, a new "alice" note, one of her notes deleted).
    func forgery(on note: [String: Any], deleting other: [String: Any], report: String) throws -> (file: URL, new: OperationID) {
        var system = SystemRandomNumberGenerator()
        let claim = ReplicaClaim.mint(for: "alice", salt: ReplicaClaim.randomSalt(using: &system))
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let noteID = AnnotationID(rawValue: try #require(note["id"] as? String))
        let versions = try #require(note["bodyVersions"] as? [[String: Any]]).compactMap { ($0["op"] as? String).flatMap(OperationID.init) }
        func op(_ counter: UInt64, _ change: Change, on annotation: AnnotationID?) -> GlossCore.Operation {
            let id = OperationID(replica: claim.replica, counter: counter)
            return GlossCore.Operation(id: id, hlc: HLC(wall: now, logical: UInt32(counter)), author: "alice", workspace: "intel",
                                       annotation: annotation ?? AnnotationID(createdBy: id), isPrivate: false, change: change)
        }
        let ops = [
            op(1, .judge(Judgment(confidence: .high, likelihood: .almostCertain)), on: noteID),
            op(2, .editBody(text: "I was wrong: withdraw this assessment", seen: versions), on: noteID),
            op(3, .create(Creation(report: ReportID(rawValue: report), target: nil, motivation: .commenting,
                                   body: "alice agrees with bob on everything")), on: nil),
            op(4, .delete, on: AnnotationID(rawValue: try #require(other["id"] as? String))),
        ]
        let file = scratch.path("from-bob.gloss")
        try Data(OperationBundle(reports: [], operations: ops, claims: [claim]).fileBytes()).write(to: file)
        return (file, ops[2].id)
    }

    @Test func operationsForgedInAlicesNameAreSetAsideNeverSentAndHersToAdoptOrDiscard() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        let report = try team.shareReport()
        try CLI.gloss(team.alice, "annotate", report, "--quote", "Most Likely", "--comment", "second note", "--confidence", "low")
        try CLI.gloss(team.alice, "sync")
        try CLI.gloss(team.bob, "sync")
        let notes = try #require(try CLI.json(try CLI.gloss(team.bob, "list", "--json")) as? [[String: Any]])
        let first = try #require(notes.first { $0["body"] as? String == "first note" })
        let second = try #require(notes.first { $0["body"] as? String == "second note" })
        let reportID = try #require(first["report"] as? String)
        let (file, newNote) = try forgery(on: first, deleting: second, report: reportID)
        let before = try CLI.gloss(team.alice, "export", "--format", "json").stdout

        // alice applies bob's file: nothing is applied, and she is told, on standard error
        let applied = try CLI.gloss(team.alice, "ops", "apply", file.path)
        #expect(applied.stdout.contains("0 new operation(s)") && applied.stdout.contains("4 set aside"), "\(applied.stdout)")
        #expect(applied.stderr.contains("4 operation(s) name you as their author but were not made on this replica"), "\(applied.stderr)")
        #expect(applied.stderr.contains("if these are yours from another machine, adopt them"), "\(applied.stderr)")
        let again = try CLI.json(try CLI.gloss(team.alice, "ops", "apply", file.path, "--json")) as! [[String: Any]]
        #expect((again[0]["result"] as? [String: Any])?["quarantined"] as? Int == 4)
        #expect(try CLI.gloss(team.alice, "export", "--format", "json").stdout == before, "her notes are as they were")
        let status = try CLI.gloss(team.alice, "status")
        #expect(status.stdout.contains("set aside:   4 operation(s) in your name that were not made here"), "\(status.stdout)")
        let statusJSON = try CLI.json(try CLI.gloss(team.alice, "status", "--json")) as! [String: Any]
        #expect(statusJSON["quarantined"] as? Int == 4 && statusJSON["unsynced"] as? Int == 0)

        // her sync sends none of it: the server and bob hold her notes as she wrote them
        let synced = try CLI.json(try CLI.gloss(team.alice, "sync", "--json")) as! [String: Any]
        #expect(synced["accepted"] as? Int == 0)
        try CLI.gloss(team.bob, "sync")
        let seenByBob = try #require(try CLI.json(try CLI.gloss(team.bob, "list", "--json")) as? [[String: Any]])
        #expect(seenByBob.map { $0["body"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") } == ["first note", "second note"])
        let judged = try #require(seenByBob.first { $0["body"] as? String == "first note" })
        #expect(judged["judgment"] == nil, "her judgment is hers")

        // the quarantine lists each operation's change in words
        let listed = try CLI.gloss(team.alice, "ops", "quarantine").stdout
        for words in ["judged: high confidence, almost certain", "set the text: I was wrong", "noted", "deleted", "adopt"] {
            #expect(listed.contains(words), "\(words) in:\n\(listed)")
        }
        // adopting one is her choice: it is applied and sent as hers
        let prefix = String(newNote.description.prefix(20))
        let adopted = try CLI.json(try CLI.gloss(team.alice, "ops", "adopt", prefix, "--json")) as! [String: Any]
        #expect(adopted["applied"] as? Int == 1)
        try CLI.gloss(team.alice, "sync")
        try CLI.gloss(team.bob, "sync")
        #expect(try CLI.gloss(team.bob, "list").stdout.contains("alice agrees with bob"))
        // discarding the rest drops them; nothing else changes, and nothing is left aside
        let discarded = try CLI.json(try CLI.gloss(team.alice, "ops", "discard", "--all", "--json")) as! [String: Any]
        #expect(discarded["discarded"] as? Int == 3)
        #expect(try CLI.gloss(team.alice, "ops", "quarantine").stdout.contains("Nothing is set aside"))
        #expect(!(try CLI.gloss(team.alice, "status").stdout.contains("set aside")))
        try CLI.gloss(team.alice, "sync")
        try CLI.gloss(team.bob, "sync")
        let after = try #require(try CLI.json(try CLI.gloss(team.bob, "list", "--json")) as? [[String: Any]])
        #expect(after.count == 3 && after.contains { $0["body"] as? String == "second note" })
        // an id that is not set aside is a clear "not found", not a usage error
        let missing = try CLI.glossAllowingFailure(team.alice, "ops", "adopt", "0123456789abcdef-1")
        #expect(missing.status == 3 && missing.stderr.contains("gloss ops quarantine"), "\(missing.stderr)")
    }
}
