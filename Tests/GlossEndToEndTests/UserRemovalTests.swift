import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `gloss-server user remove`, as a team lives it: the removed analyst is locked out at once,
/// and what they wrote stays in the team's history for everyone else.
@Suite struct UserRemovalTests {
    let scratch = Scratch()
    var report: String { CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path }

    @Test func aRemovedUsersTokenIsRefusedAndTheirNotesStillReachTeammates() async throws {
        // Given alice and bob, members of intel, and alice's note on the server.
        let server = try ServerProcess(db: scratch.path("team.sqlite")).initialized()
        defer { server.stop() }
        let aliceToken = try server.addUser("alice"), bobToken = try server.addUser("bob")
        try server.admin("workspace", "create", "intel")
        try server.admin("member", "add", "intel", "alice")
        try server.admin("member", "add", "intel", "bob")
        try server.start()
        let alice = scratch.path("alice"), bob = scratch.path("bob")
        for (home, user, token) in [(alice, "alice", aliceToken), (bob, "bob", bobToken)] {
            try CLI.gloss(home, "init", "--user", user)
            try CLI.gloss(home, "remote", "add", server.url, "--workspace", "intel", "--token", token)
        }
        let imported = try CLI.json(try CLI.gloss(alice, "import", report, "--json")) as? [String: Any]
        let id = try #require(((imported?["imported"] as? [[String: Any]])?.first?["id"] as? String)?.prefix(8))
        try CLI.gloss(alice, "annotate", String(id), "--quote", "Most Dangerous", "--comment", "Escalation path")
        try CLI.gloss(alice, "sync")

        // When the admin removes alice (the server keeps running).
        let removed = try server.admin("user", "remove", "alice")
        #expect(removed.first?.contains("removed user alice: 1 token(s) revoked, left 'intel'") == true)

        // Then her token is refused by the HTTP API, and her next sync fails saying so.
        var request = URLRequest(url: try #require(URL(string: "\(server.url)/v1/me")))
        request.setValue("Bearer \(aliceToken)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 401)
        try CLI.gloss(alice, "annotate", String(id), "--quote", "Most Likely", "--comment", "after removal")
        let refused = try CLI.glossAllowingFailure(alice, "sync")
        #expect(refused.status != 0)
        // And bob, syncing for the first time after it, still receives her note.
        try CLI.gloss(bob, "sync")
        let list = try CLI.gloss(bob, "list").stdout
        #expect(list.contains("Escalation path"))
        #expect(!list.contains("after removal"))
        // The workspace still counts her operations.
        let workspaces = try server.admin("--json", "workspace", "list").joined()
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(workspaces.utf8)) as? [[String: Any]])
        #expect((listed.first?["operations"] as? Int ?? 0) >= 1)
        #expect(listed.first?["members"] as? Int == 1)
    }
}
