import Foundation
import Testing

/// What a `gloss sync` tells a script (its exit status) and a person (its words), as real
/// processes: refusals for good, refusals for now, a token the server no longer takes.
@Suite(.serialized) struct SyncOutcomeTests {
    let scratch = Scratch()

    @Test func aSyncWithRefusedOperationsExits5AndOneHeldBackForNowDoesNot() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        let report = try team.shareReport()

        // carol, made a reader after her replica learned she was a member, annotates: refused
        // for good by the server, exit 5, and said on stderr.
        try team.server.admin("member", "add", "intel", "carol", "--role", "member")
        try CLI.gloss(team.carol, "sync")
        try team.server.admin("member", "add", "intel", "carol", "--role", "reader")
        try CLI.gloss(team.carol, "annotate", report, "--quote", "Big Picture", "--comment", "carol was here")
        let refused = try CLI.glossAllowingFailure(team.carol, "sync")
        #expect(refused.status == 5, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("refused") && refused.stderr.contains("gloss sync --refused"), "\(refused.stderr)")
        let json = try CLI.run("gloss", ["--home", team.carol.path, "sync", "--json"])
        #expect(json.status == 0, "nothing new was refused: \(json.stderr)")

        // bob relays alice's note, which arrived by file, before alice syncs it: held back for
        // now (awaiting its author) is information, not an error.
        try CLI.gloss(team.alice, "annotate", report, "--quote", "Most Likely", "--comment", "by file first")
        let file = scratch.path("to-bob.gloss").path
        try CLI.gloss(team.alice, "ops", "export", "-o", file)
        try CLI.gloss(team.bob, "ops", "apply", file)
        let held = try CLI.glossAllowingFailure(team.bob, "sync")
        #expect(held.status == 0, "\(held.stdout)\(held.stderr)")
        #expect(held.stdout.contains("held back for now") && held.stdout.contains("relayed from alice"), "\(held.stdout)")
        #expect(!held.stderr.contains("refused"), "\(held.stderr)")
    }

    @Test func aRefusedTokenIsWordedForTheAnalystWithTheCommandThatMendsIt() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        try team.server.admin("token", "revoke", team.tokens["bob"]!)
        let sync = try CLI.glossAllowingFailure(team.bob, "sync")
        #expect(sync.status == 4, "not allowed: \(sync.stderr)")
        #expect(sync.stderr.contains("token was revoked"), "\(sync.stderr)")
        #expect(sync.stderr.contains("gloss remote add \(team.server.url) --workspace intel < new-token.txt"), "\(sync.stderr)")
        #expect(!sync.stderr.contains("Authorization"), "speaks to the analyst, not to an HTTP client: \(sync.stderr)")
        #expect(!sync.stderr.contains("--token"), "a token on the command line stays in the shell's history: \(sync.stderr)")
    }
}
