import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GlossCore
import GRDB
import Testing

/// Issue 24, item 2, against real `gloss` and `gloss-server` processes: one push stopped the
/// whole team's sync, for good. A 600 KB report of `abab…` (within every limit) compressed past
/// the client's 200:1 ratio, and one operation with a 7.9 MB quote prefix did the same to the
/// operations feed: every member's `gloss sync` exited 1, "cannot reach the server: limit".
@Suite(.serialized) struct FeedJamTests {
    let scratch = Scratch()

    static func imported(_ result: CLI.Result) throws -> String {
        let json = try #require(try CLI.json(result) as? [String: Any])
        return String(((json["imported"] as! [[String: Any]])[0]["id"] as! String).prefix(8))
    }

    static func reportTitles(_ home: URL) throws -> [String] {
        try #require(try CLI.json(try CLI.gloss(home, "reports", "--json")) as? [[String: Any]]).compactMap { $0["title"] as? String }
    }

    @Test func aHighlyCompressibleReportNoLongerStopsTheReportFeed() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        // bob shares 600 KB of `abab…`: within the 4 MiB report limit, ~1000:1 under gzip.
        let abab = scratch.path("abab.txt")
        try ("Pattern\n\n" + String(repeating: "ab", count: 300_000) + "\n").write(to: abab, atomically: true, encoding: .utf8)
        try CLI.gloss(team.bob, "import", abab.path)
        try CLI.gloss(team.bob, "sync")
        // alice's sync takes it (it used to fail, "cannot reach the server: limit", every time),
        let sync = try CLI.gloss(team.alice, "sync")
        #expect(!sync.stderr.contains("cannot reach"), "\(sync.stderr)")
        #expect(try Self.reportTitles(team.alice).contains("Pattern"))
        // and the reports after it arrive.
        try CLI.gloss(team.bob, "import", Team.reportFile)
        try CLI.gloss(team.bob, "sync")
        try CLI.gloss(team.alice, "sync")
        #expect(try Self.reportTitles(team.alice).count == 2)
    }

    @Test func aHugeQuoteContextIsRefusedAtThePushAndOneAlreadyStoredIsSkippedNamedAndTakenOut() async throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        let report = try team.shareReport()
        try CLI.gloss(team.bob, "sync")
        try CLI.gloss(team.bob, "annotate", report, "--quote", "Most Dangerous", "--comment", "bob's first")
        let file = scratch.path("bob.gloss")
        try CLI.gloss(team.bob, "ops", "export", "-o", file.path)
        let bundle = try OperationBundle.read(try Data(contentsOf: file))
        let mine = try #require(bundle.operations.first { $0.author == "bob" })
        let huge = String(repeating: "a", count: 7_900_000)

        // 1. The push of a note with a 7.9 MB prefix is refused, naming the field.
        var forged = mine
        forged.id = OperationID(replica: mine.id.replica, counter: 900)
        forged.annotation = AnnotationID(createdBy: forged.id)
        guard case var .create(creation) = forged.change else { Issue.record("a create"); return }
        creation.target?.quote.prefix = huge
        forged.change = .create(creation)
        var request = URLRequest(url: try #require(URL(string: "\(team.server.url)/v1/workspaces/intel/push")))
        request.httpMethod = "POST"
        request.setValue("Bearer \(team.tokens["bob"]!)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(Sync.PushRequest(replica: mine.id.replica, operations: [forged], claims: bundle.claims).wireBytes())
        let (data, _) = try await URLSession.shared.data(for: request)
        let answer = try JSONDecoder().decode(Sync.PushResponse.self, from: data)
        #expect(answer.accepted.isEmpty && answer.refused.first?.reason.contains("quote prefix") == true, "\(answer)")

        // 2. A server from before the limit stored one: bob's note, as stored, gets the prefix.
        try CLI.gloss(team.bob, "sync")
        let poisoned = JSONWriter.string(forged.withID(mine.id))
        try await DatabaseQueue(path: team.server.db.path).write { db in
            try db.execute(sql: "UPDATE operations SET payload = ? WHERE replica = ? AND counter = ?",
                           arguments: [poisoned, mine.id.replica.hex, Int64(mine.id.counter)])
        }
        // bob's next note lies past it in the feed.
        try CLI.gloss(team.bob, "annotate", report, "--quote", "Most Dangerous", "--comment", "bob's second")
        try CLI.gloss(team.bob, "sync")

        // alice's sync skips that one operation, says which and why, and takes the rest;
        let sync = try CLI.gloss(team.alice, "sync")
        #expect(sync.stderr.contains("skipped operation \(mine.id)") && sync.stderr.contains("quote prefix"), "\(sync.stderr)")
        let bodies = try #require(try CLI.json(try CLI.gloss(team.alice, "list", "--json")) as? [[String: Any]]).compactMap { $0["body"] as? String }
        #expect(bodies.contains("bob's second") && !bodies.contains("bob's first"), "\(bodies)")
        // the next sync goes on quietly (the cursor moved past it),
        let again = try CLI.gloss(team.alice, "sync")
        #expect(!again.stderr.contains("skipped"), "\(again.stderr)")
        // What was skipped is named again on asking, with why.
        let named = try CLI.gloss(team.alice, "sync", "--refused")
        #expect(named.stdout.contains("operation \(mine.id)") && named.stdout.contains("quote prefix"), "\(named.stdout)")
        // and a member's first sync gets everything else too.
        let first = try CLI.gloss(team.carol, "sync")
        #expect(first.stderr.contains("skipped operation \(mine.id)"))
        #expect(try CLI.gloss(team.carol, "list", "--json").stdout.contains("bob's second"))

        // 3. The admin takes it out of the workspace, recorded: nobody's sync meets it again.
        let out = try team.server.admin("quarantine", "op", mine.id.description, "--workspace", "intel", "--reason", "7.9 MB quote prefix")
        #expect(out.joined().contains("took operation \(mine.id) out of 'intel'"), "\(out)")
        let listed = try team.server.admin("quarantine", "list", "--workspace", "intel", "--json").joined()
        #expect(listed.contains(mine.id.description) && listed.contains("7.9 MB quote prefix"), "\(listed)")
        let laptop = scratch.path("carol-laptop")
        try CLI.gloss(laptop, "init", "--user", "carol")
        try CLI.gloss(laptop, "remote", "add", team.server.url, "--workspace", "intel", "--token", team.tokens["carol"]!)
        let fresh = try CLI.gloss(laptop, "sync")
        #expect(!fresh.stderr.contains("skipped"), "\(fresh.stderr)")
        #expect(try CLI.gloss(laptop, "list", "--json").stdout.contains("bob's second"))
    }
}

extension GlossCore.Operation {
    /// The same operation under another id (its annotation id follows, for a create).
    func withID(_ id: OperationID) -> GlossCore.Operation {
        var op = self
        op.id = id
        if isCreate { op.annotation = AnnotationID(createdBy: id) }
        return op
    }
}
