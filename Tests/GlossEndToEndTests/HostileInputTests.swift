import Foundation
import Testing

/// Hostile input through the real `gloss` and `gloss-server` processes: odd paths, odd files,
/// SQL metacharacters and odd Unicode. Each refusal is a clear error and changes nothing.
@Suite(.serialized) struct HostileInputTests {
    let scratch = Scratch()
    var home: URL { scratch.path("home") }
    var report: String { CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path }

    /// SQL metacharacters, LIKE wildcards, quotes and NUL-free odd Unicode (RTL override,
    /// zero-width joiner, astral plane, combining marks).
    static let hostile = "Robert'); DROP TABLE operations; -- 100% _under_ \"dq\" 'sq' `bt` \\ ;* NEAR( OR AND "
        + "Zoë ß 名前 𝔘𝔫𝔦 👩‍👩‍👧 e\u{301} \u{202E}rtl\u{202C} zero\u{200B}width"
    static let hostileTag = "'%_\";DROP--Zoë👍"

    func state(_ home: URL) throws -> String {
        try CLI.gloss(home, "export", "--format", "json").stdout
    }

    func reportID(_ home: URL) throws -> String {
        let reports = try CLI.json(try CLI.gloss(home, "reports", "--json")) as! [[String: Any]]
        return try #require(reports.first?["id"] as? String)
    }

    // MARK: import paths

    @Test func importRefusesFoldersMissingFilesDevicesAndFIFOsWithoutHanging() throws {
        try CLI.gloss(home, "init", "--user", "alice")
        let fifo = scratch.path("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let folder = scratch.path("folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cases = [(folder.path, "folder"), (scratch.path("missing.txt").path, "no such file"),
                     ("/dev/zero", "not a regular file"), (fifo, "not a regular file")]
        for (path, reason) in cases {
            // A FIFO with no writer or /dev/zero read to the end would block or never end.
            let result = try CLI.run("gloss", ["--home", home.path, "import", path], timeout: 20)
            #expect(result.status == 5, "\(path): \(result.stderr)")
            #expect(result.stderr.contains(path) && result.stderr.contains(reason), "\(path): \(result.stderr)")
        }
        let reports = try CLI.json(try CLI.gloss(home, "reports", "--json")) as! [[String: Any]]
        #expect(reports.isEmpty, "nothing was imported")
    }

    @Test func importFollowsASymlinkToARegularReport() throws {
        try CLI.gloss(home, "init", "--user", "alice")
        let link = scratch.path("link.txt")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: report)
        let result = try CLI.gloss(home, "import", link.path, "--json")
        #expect((try CLI.json(result) as? [String: Any])?["imported"] as? [Any] != nil)
        #expect(try CLI.json(try CLI.gloss(home, "reports", "--json")) is [[String: Any]])
    }

    // MARK: export paths

    @Test func exportRefusesFoldersTheHomeAndLinksToTheReplicaAndChangesNothing() throws {
        try CLI.gloss(home, "init", "--user", "alice")
        try CLI.gloss(home, "import", report)
        try CLI.gloss(home, "annotate", String(try reportID(home).prefix(8)), "--quote", "Most Dangerous", "--comment", "note")
        let replicaFile = home.appendingPathComponent("replica.sqlite")
        let before = try state(home)
        let link = scratch.path("innocent.json")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: replicaFile.path)
        let folder = scratch.path("out")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let refused = [
            (folder.path, "is a folder"),
            (home.appendingPathComponent("brief.json").path, "inside the Gloss home"),
            (replicaFile.path, "inside the Gloss home"),
            (scratch.path("out/../home/replica.sqlite").path, "inside the Gloss home"),
            (link.path, "inside the Gloss home"),
        ]
        for (path, reason) in refused {
            let result = try CLI.glossAllowingFailure(home, "export", "--format", "json", "-o", path)
            #expect(result.status != 0, "\(path) was written")
            #expect(result.stderr.contains(reason), "\(path): \(result.stderr)")
        }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == replicaFile.path, "the link is untouched")
        #expect(try state(home) == before, "the replica is unchanged and still opens")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

        // A `../` path that lands outside the home is fine.
        let outside = scratch.path("out/../brief.json").path
        try CLI.gloss(home, "export", "--format", "json", "-o", outside)
        #expect(try String(contentsOfFile: scratch.path("brief.json").path, encoding: .utf8) == before)
    }

    // MARK: text fields

    @Test func sqlMetacharactersAndOddUnicodeAreStoredSearchedAndExportedVerbatim() throws {
        // Given a report whose text holds the hostile string, so it can be quoted
        let file = scratch.path("hostile.txt")
        try "Hostile \(Self.hostile)\n\nThe quoted line: \(Self.hostile) ends here.\n".write(to: file, atomically: true, encoding: .utf8)
        try CLI.gloss(home, "init", "--user", "alice")
        try CLI.gloss(home, "import", file.path)
        let r = String(try reportID(home).prefix(8))
        // When it is the comment, a tag and the quote of an annotation, and a reply's comment
        let made = try CLI.json(try CLI.gloss(home, "annotate", r, "--quote", "quoted line: \(Self.hostile)",
                                               "--comment", Self.hostile, "--tag", Self.hostileTag, "--json")) as! [String: Any]
        let note = try #require(made["id"] as? String)
        try CLI.gloss(home, "reply", note, "--comment", "re: " + Self.hostile)
        // Then every field comes back verbatim
        let list = try CLI.json(try CLI.gloss(home, "list", "--json")) as! [[String: Any]]
        let byID = Dictionary(uniqueKeysWithValues: list.map { ($0["id"] as! String, $0) })
        #expect(byID[note]?["body"] as? String == Self.hostile)
        #expect(byID[note]?["tags"] as? [String] == [Self.hostileTag])
        #expect(list.contains { $0["body"] as? String == "re: " + Self.hostile })
        let w3c = try CLI.gloss(home, "export", "--format", "w3c").stdout
        let decoded = String(data: try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(w3c.utf8))),
                             encoding: .utf8) ?? ""
        #expect(w3c.contains("DROP TABLE operations") && !decoded.isEmpty)
        let csv = try CLI.gloss(home, "export", "--format", "csv").stdout
        #expect(csv.contains("DROP TABLE operations"))

        // Searches with metacharacters answer (maybe with nothing) and change nothing.
        let before = try state(home)
        for query in ["'; DROP TABLE operations; --", "%", "_", "\"", "'", "*", "NEAR(", "AND", "OR NOT", "名前", "𝔘𝔫𝔦", "^", ":", "-"] {
            let result = try CLI.run("gloss", ["--home", home.path, "search", query, "--json"])
            #expect(result.status == 0, "search \(query): \(result.stderr)")
            #expect((try? CLI.json(result)) is [Any], "search \(query) prints a JSON list")
        }
        let hits = try CLI.json(try CLI.gloss(home, "search", "DROP", "--json")) as! [[String: Any]]
        #expect(hits.contains { ($0["id"] as? String) == note }, "the annotation is found by a word of its body")
        #expect(try state(home) == before)
    }

    @Test func adminNamesRefuseSQLMetacharactersAndKeepLikeWildcardsLiteral() throws {
        let server = try ServerProcess(db: scratch.path("server.sqlite")).initialized()
        // `_` is allowed in names and must not act as a LIKE wildcard: a_b and axb are two users.
        _ = try server.addUser("a_b")
        _ = try server.addUser("axb")
        _ = try server.addUser("Zoe.Doe@x")
        try server.admin("workspace", "create", "ws_1")
        try server.admin("workspace", "create", "wsx1")
        try server.admin("member", "add", "ws_1", "a_b", "--role", "member")
        let removeOther = try CLI.run("gloss-server", ["--db", server.db.path, "member", "remove", "wsx1", "a_b"])
        #expect(removeOther.status != 0, "a_b is not a member of wsx1: \(removeOther.stdout)")
        for name in ["x'; DROP TABLE users; --", "50%", "o\"brien", "a b", "", String(repeating: "a", count: 65), "Zoë.名前@x"] {
            let user = try CLI.run("gloss-server", ["--db", server.db.path, "user", "add", name])
            #expect(user.status != 0 && user.stderr.contains("not a valid user name"), "user '\(name)': \(user.stderr)")
            let workspace = try CLI.run("gloss-server", ["--db", server.db.path, "workspace", "create", name])
            #expect(workspace.status != 0 && workspace.stderr.contains("not a valid workspace name"), "workspace '\(name)': \(workspace.stderr)")
        }
        // Nothing was dropped: the users still get tokens.
        for user in ["a_b", "axb", "zoe.doe@x", "ZOE.DOE@X"] {
            #expect(try server.admin("token", "issue", user).last?.hasPrefix("gls_") == true)
        }
    }
}
