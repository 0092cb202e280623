import Foundation
import Testing

/// A server URL with credentials in it (`http://user:secret@host`, issue 24, item 10): gloss
/// uses it as given and never prints the user info, in `remote add`, `status`, `whoami` or any
/// sync error or hint, with or without --json.
@Suite(.serialized) struct RemoteCredentialsTests {
    @Test func thePasswordInAServerURLIsNeverPrinted() throws {
        let scratch = Scratch()
        let team = try Team(in: scratch)
        let port = try #require(team.server.port)
        let url = "http://user:secret@127.0.0.1:\(port)"
        let home = scratch.path("alice-laptop"), bogus = scratch.path("alice-old")
        try CLI.gloss(home, "init", "--user", "alice")
        try CLI.gloss(bogus, "init", "--user", "alice")
        var seen: [(String, CLI.Result)] = []
        func run(_ home: URL, _ arguments: String...) throws {
            seen.append((arguments.joined(separator: " "), try CLI.run("gloss", ["--home", home.path] + arguments)))
        }
        // The server up: a good token, and a token it refuses.
        try run(home, "remote", "add", url, "--workspace", "intel", "--token", team.tokens["alice"]!)
        try run(home, "remote", "add", url, "--workspace", "intel", "--token", team.tokens["alice"]!, "--json")
        #expect(seen.last?.1.status == 0, "\(seen.last!.1.stderr)")
        try run(bogus, "remote", "add", url, "--workspace", "intel", "--token", "gls_" + String(repeating: "x", count: 40))
        let report = try Self.reportID(home, team: team)
        try CLI.gloss(home, "annotate", try #require(report), "--comment", "to send")
        // The server down.
        team.server.stop()
        for arguments in [["status"], ["status", "--json"], ["whoami"], ["whoami", "--json"], ["sync"], ["sync", "--json"]] {
            seen.append((arguments.joined(separator: " "), try CLI.run("gloss", ["--home", home.path] + arguments)))
        }
        try run(bogus, "remote", "add", url, "--workspace", "intel", "--token", "gls_" + String(repeating: "y", count: 40))
        try run(home, "remote", "add", "ftp://user:secret@127.0.0.1/", "--workspace", "intel", "--token", team.tokens["alice"]!)
        // Up again: a stored token it refuses (401, whose hint names the URL to add again).
        try team.server.start()
        try run(bogus, "sync")
        try run(bogus, "whoami")

        let shown = "http://127.0.0.1:\(port)"
        for (command, result) in seen {
            #expect(!result.stdout.contains("secret") && !result.stderr.contains("secret"),
                    "gloss \(command):\n\(result.stdout)\(result.stderr)")
            #expect(!result.stdout.contains("user:") && !result.stderr.contains("user:"), "gloss \(command)")
        }
        // What they say still names the server, without its user info.
        let said = Dictionary(seen.map { ($0.0, $0.1.stdout + $0.1.stderr) }, uniquingKeysWith: { $0 + $1 })
        #expect(said["status"]!.contains("server:      \(shown)"), "\(said["status"]!)")
        #expect(said["whoami"]!.contains("on \(shown)") && said["whoami"]!.contains("cannot reach the server at \(shown)"), "\(said["whoami"]!)")
        #expect(said["sync"]!.contains("cannot reach the server at \(shown)"), "\(said["sync"]!)")
        #expect(said["remote add \(url) --workspace intel --token \(team.tokens["alice"]!)"]!.contains("remote set: \(shown)"))
        let refused = try #require(seen.last { $0.0 == "sync" }?.1)
        #expect(refused.status != 0 && refused.stderr.contains("gloss remote add \(shown) --workspace intel"), "the 401's hint: \(refused.stderr)")
    }

    static func reportID(_ home: URL, team: Team) throws -> String? {
        let imported = try CLI.json(try CLI.gloss(home, "import", Team.reportFile, "--json")) as? [String: Any]
        return ((imported?["imported"] as? [[String: Any]])?.first?["id"] as? String).map { String($0.prefix(8)) }
    }
}
