import Foundation
import Testing

/// `gloss sync --watch` left running, as real processes: a server that restarts, changes made
/// by other commands, signals, and a token that stops working. Every wait is a poll with a
/// deadline (the bounds the watch promises), never a fixed sleep.
@Suite(.serialized) struct WatchTests {
    let scratch = Scratch()

    @Test func aWatchReconnectsAfterTheServerRestartsAndSaysSoOnceEachWay() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        let report = try team.shareReport()
        let watch = try WatchProcess(home: team.bob, log: scratch.path("bob-watch.log"))
        #expect(watch.shows("watching for changes", within: 30), "\(watch.output)")

        // The server dies under bob's long poll and comes back on the same port and database.
        team.server.kill9()
        #expect(watch.shows("server unreachable", within: 10), "the watch noticed: \(watch.output)")
        try team.server.start()
        let restarted = Date()
        try CLI.gloss(team.alice, "annotate", report, "--quote", "Most Likely", "--comment", "after the restart")
        try CLI.gloss(team.alice, "sync")
        let arrived = try eventually(within: 10 - Date().timeIntervalSince(restarted)) {
            try CLI.gloss(team.bob, "list").stdout.contains("after the restart")
        }
        #expect(arrived, "alice's note reached bob's replica within 10 s of the restart: \(watch.output)")
        print("watch: note in bob's replica \(String(format: "%.2f", Date().timeIntervalSince(restarted))) s after the restart")
        #expect(watch.shows("reconnected", within: 1), "\(watch.output)")
        #expect(watch.process.isRunning, "still watching")
        let output = watch.output
        #expect(output.components(separatedBy: "server unreachable").count == 2, "one line for the outage, not one per attempt: \(output)")
        #expect(output.components(separatedBy: "reconnected").count == 2, "\(output)")

        #expect(watch.stop(SIGTERM) == 0)
        #expect(try Inspect.integrity(Team.replicaFile(team.bob)) == "ok")
    }

    @Test func aWatchStartedWhileTheServerIsDownSaysSoAtOnceAndConnectsWhenItComesUp() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        _ = try team.shareReport()
        team.server.stop()
        let watch = try WatchProcess(home: team.bob, log: scratch.path("bob-watch.log"))
        #expect(watch.shows("server unreachable", within: 5), "said at once, not after a connect timeout: \(watch.output)")
        #expect(watch.output.contains("connection refused"), "\(watch.output)")
        try team.server.start()
        let started = Date()
        #expect(watch.shows("watching for changes", within: 10), "\(watch.output)")
        print("watch: connected \(String(format: "%.2f", Date().timeIntervalSince(started))) s after the server started")
        #expect(watch.output.contains("reconnected"), "\(watch.output)")
        #expect(try eventually(within: 5) { try CLI.gloss(team.bob, "list").stdout.contains("first note") }, "and pulled")
        #expect(watch.output.components(separatedBy: "server unreachable").count == 2, "one line: \(watch.output)")
        #expect(watch.stop(SIGINT) == 0)
    }

    @Test func aWatchPushesAnotherCommandsChangeAtOnceAndSIGTERMEndsItCleanly() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        let report = try team.shareReport()
        let watch = try WatchProcess(home: team.alice, log: scratch.path("alice-watch.log"))
        #expect(watch.shows("watching for changes", within: 30), "\(watch.output)")

        // alice annotates in another terminal while her watch waits in its long poll.
        try CLI.gloss(team.alice, "annotate", report, "--quote", "Most Likely", "--comment", "pushed by the watch")
        let made = Date()
        let operations = "\(team.server.url)/v1/workspaces/intel/operations?after=0&limit=1000"
        let reached = eventually(within: 3) { get(operations, token: team.tokens["bob"]!).body.contains("pushed by the watch") }
        #expect(reached, "on the server within 3 s: \(watch.output)")
        print("watch: a local note on the server \(String(format: "%.2f", Date().timeIntervalSince(made))) s after `gloss annotate` returned")
        try CLI.gloss(team.bob, "sync")
        #expect(try CLI.gloss(team.bob, "list").stdout.contains("pushed by the watch"))
        #expect(watch.shows("sent 1 operation(s) (1 accepted", within: 1), "the watch said what it sent: \(watch.output)")

        // SIGTERM (a service manager, `kill`): a last line, exit 0, everything acknowledged and intact.
        #expect(watch.stop(SIGTERM) == 0)
        let lines = watch.output.split(separator: "\n")
        #expect(lines.last == "stopped", "\(watch.output)")
        let (all, acked) = try Inspect.replicaOperations(team.alice)
        #expect(Set(all) == acked, "nothing left unsent")
        #expect(try Inspect.integrity(Team.replicaFile(team.alice)) == "ok")
    }

    @Test func aRefusedTokenEndsTheWatchAndNamesTheCommandThatMendsIt() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        _ = try team.shareReport()
        let watch = try WatchProcess(home: team.bob, log: scratch.path("bob-watch.log"))
        #expect(watch.shows("watching for changes", within: 30), "\(watch.output)")

        try team.server.admin("token", "revoke", team.tokens["bob"]!)
        // The long poll re-checks its token: the watch ends by itself, not retrying forever.
        #expect(watch.exitStatus(within: 10) == 4, "\(watch.output)")
        let output = watch.output
        #expect(output.contains("token was revoked"), "\(output)")
        #expect(output.contains("gloss remote add \(team.server.url) --workspace intel < new-token.txt"), "\(output)")
        #expect(!output.contains("Authorization"), "speaks to the analyst, not to an HTTP client: \(output)")
        #expect(!output.contains("server unreachable"), "a refused token is not an outage: \(output)")
    }

    @Test func losingTheWorkspaceEndsTheWatch() throws {
        let team = try Team(in: scratch)
        defer { team.server.stop() }
        _ = try team.shareReport()
        let watch = try WatchProcess(home: team.bob, log: scratch.path("bob-watch.log"))
        #expect(watch.shows("watching for changes", within: 30), "\(watch.output)")

        try team.server.admin("member", "remove", "intel", "bob")
        #expect(watch.exitStatus(within: 10) == 4, "\(watch.output)")
        #expect(watch.output.contains("no longer a member of workspace 'intel'"), "\(watch.output)")
        #expect(!watch.output.contains("server unreachable"), "\(watch.output)")
    }
}
