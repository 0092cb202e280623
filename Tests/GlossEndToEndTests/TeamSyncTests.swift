import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The server issue's scenario with real processes: a `gloss-server` and three replicas —
/// alice and bob members, carol a reader — working offline and syncing in several orders.
@Suite(.serialized) struct TeamSyncTests {
    let scratch = Scratch()
    var report: String { CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path }

    func id(_ result: CLI.Result) throws -> String {
        try #require((try CLI.json(result) as? [String: Any])?["id"] as? String)
    }

    func syncJSON(_ home: URL) throws -> [String: Any] {
        try CLI.json(try CLI.gloss(home, "sync", "--json")) as! [String: Any]
    }

    @Test func threeAnalystsConvergeThroughTheServerAndPrivateNotesStayPrivate() throws {
        let server = try ServerProcess(db: scratch.path("server.sqlite")).initialized()
        let tokens = try ["alice", "bob", "carol"].map { try server.addUser($0) }
        try server.admin("workspace", "create", "intel")
        try server.admin("member", "add", "intel", "alice", "--role", "member")
        try server.admin("member", "add", "intel", "bob", "--role", "member")
        try server.admin("member", "add", "intel", "carol", "--role", "reader")
        try server.start()
        defer { server.stop() }

        let (alice, bob, carol) = (scratch.path("alice"), scratch.path("bob"), scratch.path("carol"))
        for (home, (user, token)) in zip([alice, bob, carol], zip(["alice", "bob", "carol"], tokens)) {
            try CLI.gloss(home, "init", "--user", user)
            try CLI.gloss(home, "remote", "add", server.url, "--workspace", "intel", "--token", token)
        }

        // alice starts offline: a team note and a private one.
        let imported = try CLI.json(try CLI.gloss(alice, "import", report, "--json")) as! [String: Any]
        let r = String(((imported["imported"] as! [[String: Any]])[0]["id"] as! String).prefix(8))
        let note = try id(try CLI.gloss(alice, "annotate", r, "--quote", "Most Dangerous", "--comment", "Escalation path",
                                        "--tag", "supply-chain", "--json"))
        let secret = "PRIVATE-\(UUID().uuidString)"
        let privateNote = try id(try CLI.gloss(alice, "annotate", r, "--quote", "Strategic Lens", "--comment", secret,
                                               "--private", "--json"))
        let first = try syncJSON(alice)
        #expect(first["accepted"] as? Int == 2)
        #expect(first["reportsSent"] as? Int == 1)

        // bob and carol pull the report and the note, then everyone works offline.
        try CLI.gloss(bob, "sync")
        try CLI.gloss(carol, "sync")
        #expect(try CLI.gloss(carol, "reports").stdout.contains("rare earth"), "the report travelled with the note")

        try CLI.gloss(alice, "edit", note, "--comment", "Escalation path if retaliation follows")
        try CLI.gloss(alice, "tag", note, "--remove", "supply-chain")
        try CLI.gloss(alice, "tag", note, "supply-chain")
        try CLI.gloss(bob, "tag", note, "--remove", "supply-chain")
        try CLI.gloss(bob, "tag", note, "escalation")
        try CLI.gloss(bob, "resolve", note)
        try CLI.gloss(bob, "reply", note, "--comment", "Agreed; watch magnet prices")
        let bobs = try id(try CLI.gloss(bob, "annotate", r, "--quote", "Most Likely", "--comment", "Base case", "--json"))
        // carol's replica knows she is a reader (`remote add` said so): her note is refused at once.
        let carolNote = try CLI.glossAllowingFailure(carol, "annotate", r, "--quote", "Big Picture", "--comment", "carol was here")
        #expect(carolNote.status == 4 && carolNote.stderr.contains("reader"), "\(carolNote.stderr)")

        // Sync in several orders.
        let carolSync = try syncJSON(carol)
        #expect((carolSync["refused"] as? [[String: Any]])?.isEmpty == true, "nothing of carol's went out: \(carolSync)")
        try CLI.gloss(bob, "sync")
        try CLI.gloss(alice, "sync")
        try CLI.gloss(bob, "sync")
        try CLI.gloss(carol, "sync")
        try CLI.gloss(alice, "sync")

        let exports = try [alice, bob, carol].map { try CLI.gloss($0, "export", "--format", "json").stdout }
        #expect(exports[0] == exports[1], "alice and bob differ")
        #expect(exports[1] == exports[2], "bob and carol differ")
        let list = try CLI.json(try CLI.gloss(carol, "list", "--json")) as! [[String: Any]]
        let shared = try #require(list.first { $0["id"] as? String == note })
        #expect(shared["tags"] as? [String] == ["escalation", "supply-chain"])
        #expect(shared["status"] as? String == "resolved")
        #expect(shared["body"] as? String == "Escalation path if retaliation follows")
        #expect(list.contains { $0["id"] as? String == bobs })
        #expect(!list.contains { $0["body"] as? String == "carol was here" }, "the refused note left carol's replica state")
        #expect(try CLI.gloss(carol, "sync", "--refused").stdout.contains("The server has refused nothing."))

        // alice's private note: hers on her replica, nowhere in bob's or carol's files.
        #expect(try CLI.gloss(alice, "list").stdout.contains(String(privateNote.prefix(8))))
        for home in [bob, carol] {
            var bytes = Data()
            for suffix in ["", "-wal"] {
                bytes.append((try? Data(contentsOf: home.appendingPathComponent("replica.sqlite" + suffix))) ?? Data())
            }
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "the private note reached \(home.lastPathComponent)")
            #expect(bytes.range(of: Data(privateNote.utf8)) == nil)
        }

        // A revoked token is refused from the next request on.
        try server.admin("token", "revoke", tokens[1])
        let refused = try CLI.glossAllowingFailure(bob, "sync")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("token"))
        #expect(try status(of: server.url + "/v1/me", token: tokens[1]) == 401)
        #expect(try status(of: server.url + "/v1/me", token: tokens[0]) == 200)
    }

    /// The HTTP status of a GET with a bearer token.
    func status(of url: String, token: String) throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        nonisolated(unsafe) var code = 0
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { _, response, _ in
            code = (response as? HTTPURLResponse)?.statusCode ?? 0
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 10)
        return code
    }
}

extension TeamSyncTests {
    @Test func syncWatchPullsATeammatesWorkAsSoonAsItIsPushedAndStopsCleanlyOnCtrlC() throws {
        let server = try ServerProcess(db: scratch.path("watch.sqlite")).initialized()
        let tokens = try ["alice", "bob"].map { try server.addUser($0) }
        try server.admin("workspace", "create", "intel")
        for user in ["alice", "bob"] { try server.admin("member", "add", "intel", user, "--role", "member") }
        try server.start()
        defer { server.stop() }
        let (alice, bob) = (scratch.path("w-alice"), scratch.path("w-bob"))
        for (home, (user, token)) in zip([alice, bob], zip(["alice", "bob"], tokens)) {
            try CLI.gloss(home, "init", "--user", user)
            try CLI.gloss(home, "remote", "add", server.url, "--workspace", "intel", "--token", token)
        }
        // bob watches.
        let watcher = Process()
        watcher.executableURL = CLI.binDir.appendingPathComponent("gloss")
        watcher.arguments = ["--home", bob.path, "sync", "--watch"]
        let out = Pipe()
        watcher.standardOutput = out
        watcher.standardError = FileHandle.nullDevice
        watcher.standardInput = FileHandle.nullDevice
        try watcher.run()
        defer { if watcher.isRunning { watcher.terminate() } }
        Thread.sleep(forTimeInterval: 1)

        // alice pushes a note; bob's replica has it within seconds, without running anything.
        try CLI.gloss(alice, "import", report)
        let r = String(((try CLI.json(try CLI.gloss(alice, "reports", "--json")) as! [[String: Any]])[0]["id"] as! String).prefix(8))
        try CLI.gloss(alice, "annotate", r, "--quote", "Most Likely", "--comment", "watch this")
        try CLI.gloss(alice, "sync")
        var arrived = false
        for _ in 0..<100 where !arrived {
            Thread.sleep(forTimeInterval: 0.1)
            arrived = try CLI.gloss(bob, "list").stdout.contains("watch this")
        }
        #expect(arrived, "the watcher pulled alice's note")

        // Ctrl-C stops it cleanly.
        kill(watcher.processIdentifier, SIGINT)
        watcher.waitUntilExit()
        #expect(watcher.terminationStatus == 0)
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("stopped"))
    }
}
