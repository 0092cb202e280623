import Foundation
import GlossCore
import GlossReplica
import GlossTestSupport
import Testing

/// `kill -9` of the client during local writes and during sync, and of the server between its
/// commit and its answer, at random points. Afterwards nothing acknowledged is lost, nothing
/// is stored twice, the files pass `PRAGMA integrity_check`, and syncing resumes.
///
/// `GLOSS_CRASH_POINTS` sets the kill points per test (default 40, so CI covers 120);
/// `GLOSS_SEED` replays a run.
@Suite(.serialized) struct CrashSafetyTests {
    let scratch = Scratch()
    let points = Int(ProcessInfo.processInfo.environment["GLOSS_CRASH_POINTS"] ?? "") ?? 40
    var report: String { CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path }

    /// A server with alice and bob as members, and their replicas bound to it.
    func team() throws -> (server: ServerProcess, alice: URL, bob: URL, reportID: ReportID) {
        let server = try ServerProcess(db: scratch.path("server.sqlite")).initialized()
        let tokens = try ["alice", "bob"].map { try server.addUser($0) }
        try server.admin("workspace", "create", "intel")
        for user in ["alice", "bob"] { try server.admin("member", "add", "intel", user, "--role", "member") }
        try server.start()
        let alice = scratch.path("alice"), bob = scratch.path("bob")
        for (home, (user, token)) in zip([alice, bob], zip(["alice", "bob"], tokens)) {
            try CLI.gloss(home, "init", "--user", user)
            try CLI.gloss(home, "remote", "add", server.url, "--workspace", "intel", "--token", token)
        }
        let imported = try CLI.json(try CLI.gloss(alice, "import", report, "--json")) as! [String: Any]
        let id = ReportID(rawValue: (imported["imported"] as! [[String: Any]])[0]["id"] as! String)
        return (server, alice, bob, id)
    }

    /// Makes `count` local changes on a replica, in-process.
    func work(_ home: URL, report: ReportID, count: Int, rng: inout SeededRandom) throws {
        let replica = try Replica.open(home: home)
        var made: [AnnotationID] = []
        for n in 0..<count {
            if let target = made.randomElement(using: &rng), rng.next() % 3 == 0 {
                _ = try replica.tag(target, add: ["t\(rng.int(in: 0..<5))"], remove: [])
            } else {
                made.append(try replica.annotate(Creation(report: report, target: nil, motivation: .commenting, body: "note \(n)")).id)
            }
        }
    }

    /// Starts `gloss` and kills it with SIGKILL after `delay` seconds (if it is still running).
    func killed(_ arguments: [String], after delay: Double) throws {
        let process = Process()
        process.executableURL = CLI.binDir.appendingPathComponent("gloss")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Every operation the client marked acknowledged is on the server exactly once; nothing is stored twice.
    func checkInvariants(_ home: URL, server: ServerProcess, seed: UInt64) throws {
        let local = try Inspect.replicaOperations(home)
        let stored = try Inspect.serverOperations(server.db)
        for id in local.acked { #expect(stored[id] == 1, "acknowledged \(id) is on the server \(stored[id] ?? 0) times (seed \(seed))") }
        #expect(stored.values.allSatisfy { $0 == 1 }, "seed \(seed)")
        #expect(Set(local.all).count == local.all.count, "an operation is in the replica twice (seed \(seed))")
        #expect(try Inspect.integrity(home.appendingPathComponent("replica.sqlite").path) == "ok", "seed \(seed)")
    }

    @Test func clientKilledDuringSyncLosesAndDuplicatesNothing() throws {
        let seed = SeededRandom.seed()
        print("CrashSafetyTests.clientKilledDuringSync seed \(seed) (replay: GLOSS_SEED=\(seed))")
        var rng = SeededRandom(seed: seed)
        let (server, alice, bob, report) = try team()
        defer { server.stop() }
        try work(alice, report: report, count: 300, rng: &rng)
        for point in 0..<points {
            if point % 8 == 7 { try work(alice, report: report, count: 5, rng: &rng) }
            try killed(["--home", alice.path, "sync", "--batch-size", "7"], after: Double(rng.int(in: 0..<120)) / 1000)
            try checkInvariants(alice, server: server, seed: seed)
        }
        // Syncing resumes and completes; a teammate converges.
        try CLI.gloss(alice, "sync")
        let local = try Inspect.replicaOperations(alice)
        #expect(local.acked.count == local.all.count, "every operation acknowledged after the final sync (seed \(seed))")
        #expect(Set(try Inspect.serverOperations(server.db).keys) == Set(local.all), "seed \(seed)")
        try CLI.gloss(bob, "sync")
        #expect(try CLI.gloss(alice, "export", "--format", "json").stdout == CLI.gloss(bob, "export", "--format", "json").stdout)
    }

    @Test func serverKilledBetweenCommitAndAnswerLosesAndDuplicatesNothing() throws {
        let seed = SeededRandom.seed()
        print("CrashSafetyTests.serverKilled seed \(seed) (replay: GLOSS_SEED=\(seed))")
        var rng = SeededRandom(seed: seed)
        let (server, alice, bob, report) = try team()
        defer { server.stop() }
        let rounds = max(5, points / 4)
        for _ in 0..<rounds {
            try work(alice, report: report, count: 20, rng: &rng)
            // The server dies right after committing its n-th push, before answering.
            server.stop()
            try server.start(environment: ["GLOSS_SERVER_CRASH_AFTER_COMMIT": String(rng.int(in: 1..<4))])
            let cut = try CLI.glossAllowingFailure(alice, "sync", "--batch-size", "7")
            #expect(cut.status != 0, "the sync saw the server die (seed \(seed))")
            try checkInvariants(alice, server: server, seed: seed)
            server.kill9()
            try server.start()
            let resumed = try CLI.json(try CLI.gloss(alice, "sync", "--json")) as! [String: Any]
            #expect((resumed["alreadyOnServer"] as? Int ?? 0) >= 1, "the committed but unanswered push is recognised (seed \(seed))")
            try checkInvariants(alice, server: server, seed: seed)
        }
        let local = try Inspect.replicaOperations(alice)
        #expect(local.acked.count == local.all.count)
        #expect(Set(try Inspect.serverOperations(server.db).keys) == Set(local.all))
        try CLI.gloss(bob, "sync")
        #expect(try CLI.gloss(alice, "export", "--format", "json").stdout == CLI.gloss(bob, "export", "--format", "json").stdout)
        #expect(try Inspect.integrity(server.db.path) == "ok")
    }

    @Test func clientKilledDuringLocalWritesLeavesNoPartialChange() throws {
        let seed = SeededRandom.seed()
        print("CrashSafetyTests.localWrites seed \(seed) (replay: GLOSS_SEED=\(seed))")
        var rng = SeededRandom(seed: seed)
        let home = scratch.path("writer")
        try CLI.gloss(home, "init", "--user", "alice")
        try CLI.gloss(home, "import", report)
        let r = String(((try CLI.json(try CLI.gloss(home, "reports", "--json")) as! [[String: Any]])[0]["id"] as! String).prefix(8))
        var completed = Set<String>()
        for point in 0..<points {
            let body = "kill point \(point)"
            if rng.next() % 4 == 0 {
                // Some writes run to the end: the analyst saw their id.
                let done = try CLI.gloss(home, "annotate", r, "--comment", body, "--tag", "crash", "--json")
                completed.insert((try CLI.json(done) as! [String: Any])["id"] as! String)
            } else {
                try killed(["--home", home.path, "annotate", r, "--comment", body, "--tag", "crash"], after: Double(rng.int(in: 0..<60)) / 1000)
            }
        }
        #expect(try Inspect.integrity(home.appendingPathComponent("replica.sqlite").path) == "ok", "seed \(seed)")
        let list = try CLI.json(try CLI.gloss(home, "list", "--json")) as! [[String: Any]]
        let ids = Set(list.map { $0["id"] as! String })
        #expect(completed.isSubset(of: ids), "a completed annotate was lost (seed \(seed))")
        // Each create is whole: one operation, one annotation with its tag, nothing half-written.
        let ops = try Inspect.replicaOperations(home).all
        #expect(ops.count == list.count, "operations \(ops.count) vs annotations \(list.count) (seed \(seed))")
        #expect(list.allSatisfy { ($0["tags"] as? [String]) == ["crash"] })
        // And the replica keeps working.
        try CLI.gloss(home, "annotate", r, "--comment", "after the crashes")
    }
}
