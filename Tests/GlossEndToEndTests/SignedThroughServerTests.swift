import Foundation
import GRDB
import Testing

/// Signed operations through a real `gloss-server`, with real `gloss` processes: analysts pin
/// the workspace's root at `gloss remote add --root`, their device keys are bound through the
/// server, and a server whose stored operations were altered behind its back is caught by the
/// replica that pulls them, which names each one and merges only the honest ones.
@Suite(.serialized) struct SignedThroughServerTests {
    let scratch = Scratch()
    var report: String { CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path }

    func json(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try CLI.json(result) as? [String: Any])
    }

    @Test func aServerThatAltersAStoredNoteIsCaughtAndTheWrongRootIsRefusedAtRemoteAdd() throws {
        let db = scratch.path("server.sqlite")
        let server = try ServerProcess(db: db).initialized()
        let tokens = try ["alice", "bob", "mallory"].map { try server.addUser($0) }
        let created = try #require(try CLI.json(try CLI.run("gloss-server", ["--db", db.path, "workspace", "create", "intel", "--json"])) as? [String: Any])
        let rootID = try #require(created["rootID"] as? String)
        for user in ["alice", "bob", "mallory"] { try server.admin("member", "add", "intel", user) }
        try server.start()
        defer { server.stop() }

        let (alice, bob, mallory) = (scratch.path("alice"), scratch.path("bob"), scratch.path("mallory"))
        for (home, (user, token)) in zip([alice, bob], zip(["alice", "bob"], tokens)) {
            try CLI.gloss(home, "init", "--user", user)
            let added = try CLI.gloss(home, "remote", "add", server.url, "--workspace", "intel", "--token", token, "--root", rootID)
            #expect(added.stdout.contains("root of trust \(rootID) pinned"), "\(added.stdout)")
        }
        // A root id that is not the server's: refused, and nothing saved.
        try CLI.gloss(mallory, "init", "--user", "mallory")
        let wrong = try CLI.glossAllowingFailure(mallory, "remote", "add", server.url, "--workspace", "intel", "--token", tokens[2],
                                                 "--root", "0123456789abcdef")
        #expect(wrong.status == 4, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("not the 0123456789abcdef you were given"), "\(wrong.stderr)")
        #expect(try json(try CLI.gloss(mallory, "status", "--json"))["remote"] == nil || !(try CLI.gloss(mallory, "status").stdout.contains(server.url)))
        // The server bound alice's and bob's keys to them.
        let keys = try CLI.run("gloss-server", ["--db", db.path, "user", "keys", "alice", "--workspace", "intel", "--json"])
        let aliceKey = try #require(try json(try CLI.gloss(alice, "keys", "show", "--json"))["key"] as? String)
        #expect((try CLI.json(keys) as? [[String: Any]])?.map { $0["key"] as? String } == [aliceKey])

        let imported = try json(try CLI.gloss(alice, "import", report, "--json"))
        let r = String(((imported["imported"] as! [[String: Any]])[0]["id"] as! String).prefix(8))
        let honest = try #require(try json(try CLI.gloss(alice, "annotate", r, "--quote", "Most Dangerous", "--comment", "Escalation path",
                                                          "--json"))["id"] as? String)
        let altered = try #require(try json(try CLI.gloss(alice, "annotate", r, "--quote", "Strategic Lens", "--comment", "Export volumes fell",
                                                           "--json"))["id"] as? String)
        #expect(try json(try CLI.gloss(alice, "sync", "--json"))["accepted"] as? Int == 2)

        // Behind the server's back, its store's copy of one note is changed.
        let store = try DatabaseQueue(path: db.path)
        try store.write { db in
            try db.execute(sql: "UPDATE operations SET payload = replace(payload, 'Export volumes fell', 'Export volumes rose') WHERE annotation = ?",
                           arguments: [altered])
            #expect(db.changesCount == 1)
        }

        let synced = try CLI.gloss(bob, "sync")
        #expect(synced.stderr.contains("kept aside operation") && synced.stderr.contains("body-changed: it was altered after its author signed it"),
                "the note is named: \(synced.stdout) \(synced.stderr)")
        let listed = try CLI.gloss(bob, "list", "--json").stdout
        #expect(listed.contains("Escalation path") && listed.contains(honest))
        #expect(!listed.contains("Export volumes rose") && !listed.contains(altered), "the altered note never merges")
        let refused = try CLI.gloss(bob, "sync", "--refused").stdout
        #expect(refused.contains("body-changed") && refused.contains("the server"), "\(refused)")
        #expect(try json(try CLI.gloss(bob, "status", "--json"))["held"] as? Int == 1)
        let scripted = try #require(try CLI.json(try CLI.gloss(bob, "sync", "--refused", "--json")) as? [[String: Any]])
        #expect(scripted.count == 1 && scripted[0]["code"] as? String == "body-changed" && scripted[0]["keptAside"] as? Bool == true
                && scripted[0]["source"] as? String == "the server", "\(scripted)")
        #expect(synced.stdout.contains("received 1 (1 more kept aside: their signature did not check)"), "\(synced.stdout)")
    }
}
