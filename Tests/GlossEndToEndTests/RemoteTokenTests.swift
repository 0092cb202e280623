import Foundation
import Testing

/// `gloss remote add` without the token on the command line: from GLOSS_TOKEN or piped in, it
/// works like `--token`, and it never shows in what the replica prints.
@Suite struct RemoteTokenTests {
    let scratch = Scratch()

    @Test func theTokenComesFromTheEnvironmentOrStandardInputAndIsNeverPrinted() throws {
        let server = try ServerProcess(db: scratch.path("team.sqlite")).initialized()
        defer { server.stop() }
        let aliceToken = try server.addUser("alice"), bobToken = try server.addUser("bob")
        try server.admin("workspace", "create", "intel")
        try server.admin("member", "add", "intel", "alice")
        try server.admin("member", "add", "intel", "bob", "--role", "reader")
        try server.start()
        let alice = scratch.path("alice"), bob = scratch.path("bob"), carol = scratch.path("carol")
        for (home, user) in [(alice, "alice"), (bob, "bob"), (carol, "alice")] { try CLI.gloss(home, "init", "--user", user) }

        // alice's token in GLOSS_TOKEN; bob's piped in, with the newline and spaces a file has.
        let fromEnvironment = try CLI.run("gloss", ["--home", alice.path, "remote", "add", server.url, "--workspace", "intel"],
                                          environment: ["GLOSS_TOKEN": aliceToken])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
        #expect(fromEnvironment.stdout.contains("you are member"))
        let fromInput = try CLI.run("gloss", ["--home", bob.path, "remote", "add", server.url, "--workspace", "intel"],
                                    input: "  \(bobToken)  \n")
        #expect(fromInput.status == 0, "\(fromInput.stderr)")
        #expect(fromInput.stdout.contains("you are reader"))

        // Both sync with it.
        try CLI.gloss(alice, "sync")
        try CLI.gloss(bob, "sync")

        // No printed trace of either token: not in remote add's output, status or their --json.
        for (home, token, added) in [(alice, aliceToken, fromEnvironment), (bob, bobToken, fromInput)] {
            let printed = [added.stdout, added.stderr, try CLI.gloss(home, "status").stdout, try CLI.gloss(home, "status", "--json").stdout,
                           try CLI.gloss(home, "--json", "remote", "add", server.url, "--workspace", "intel", "--token", token).stdout]
            for output in printed { #expect(!output.contains(token)); #expect(!output.contains("gls_")) }
        }

        // Nothing given, stdin empty (not a terminal): refused, saying where a token may come from.
        let none = try CLI.run("gloss", ["--home", carol.path, "remote", "add", server.url, "--workspace", "intel"])
        #expect(none.status != 0)
        #expect(none.stderr.contains("empty"))
        #expect(none.stderr.contains("GLOSS_TOKEN"))
        // --token still wins over the environment.
        let both = try CLI.run("gloss", ["--home", carol.path, "remote", "add", server.url, "--workspace", "intel", "--token", aliceToken],
                               environment: ["GLOSS_TOKEN": "gls_not_a_real_token"])
        #expect(both.status == 0, "\(both.stderr)")
    }
}
