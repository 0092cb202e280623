import Foundation
import Testing

/// A `gloss-server` with alice and bob (members) and carol (a reader) in workspace "intel",
/// each with a replica bound to it.
struct Team {
    let server: ServerProcess
    let tokens: [String: String]
    let alice, bob, carol: URL

    static var reportFile: String { CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path }

    init(in scratch: Scratch) throws {
        server = try ServerProcess(db: scratch.path("server.sqlite")).initialized()
        var tokens: [String: String] = [:]
        for user in ["alice", "bob", "carol"] { tokens[user] = try server.addUser(user) }
        self.tokens = tokens
        try server.admin("workspace", "create", "intel")
        try server.admin("member", "add", "intel", "alice", "--role", "member")
        try server.admin("member", "add", "intel", "bob", "--role", "member")
        try server.admin("member", "add", "intel", "carol", "--role", "reader")
        try server.start()
        (alice, bob, carol) = (scratch.path("alice"), scratch.path("bob"), scratch.path("carol"))
        for (home, user) in [(alice, "alice"), (bob, "bob"), (carol, "carol")] {
            try CLI.gloss(home, "init", "--user", user)
            try CLI.gloss(home, "remote", "add", server.url, "--workspace", "intel", "--token", tokens[user]!)
        }
    }

    /// alice imports the sample report and shares it with a first note; returns the report's short id.
    func shareReport() throws -> String {
        let imported = try CLI.json(try CLI.gloss(alice, "import", Self.reportFile, "--json")) as! [String: Any]
        let report = String(((imported["imported"] as! [[String: Any]])[0]["id"] as! String).prefix(8))
        try CLI.gloss(alice, "annotate", report, "--quote", "Most Dangerous", "--comment", "first note")
        try CLI.gloss(alice, "sync")
        return report
    }

    static func replicaFile(_ home: URL) -> String { home.appendingPathComponent("replica.sqlite").path }
}
