import Foundation
import GlossCore
import GlossRemote
import GlossTestSupport
import Synchronization
import Testing

/// Several real `gloss-server` instances on one PostgreSQL (docs/server.md, "Several instances"):
/// no pull skips or repeats an operation whatever fails, watches hear pushes made through
/// other instances, and a team moves from SQLite without its analysts pulling again.
@Suite(.serialized) struct PostgresClusterTests {
    static let report = Report(title: "Gallium", summary: "Export licences slow.",
                               sections: [.init(heading: "What Happened", paragraphs: ["Licences for gallium now take 45 days."])])

    /// Three instances, writers pushing through any of them, readers pulling with pages of 1–3
    /// through any of them, while instances are killed (-9) at random (before a commit, after a
    /// commit and before its answer, mid-pull) and restarted, and PostgreSQL cuts their push,
    /// pull and LISTEN connections. At the end every reader's sequence is exactly the store's,
    /// in order, and every acknowledged operation is in it once.
    @Test func randomizedHistoryWithFaultsSkipsAndRepeatsNothing() async throws {
        let seed = SeededRandom.seed()
        print("PostgreSQL history check: seed \(seed) (replay: GLOSS_SEED=\(seed))")
        var rng = SeededRandom(seed: seed)
        let database = try TestPostgres.freshDatabase()
        let admin = try ServerProcess(postgres: database).initialized()
        try admin.admin("workspace", "create", "intel")
        let writers = ["w1", "w2", "w3"], readers = ["r1", "r2", "r3"]
        var tokens: [String: String] = [:]
        for user in writers + readers {
            tokens[user] = try admin.addUser(user)
            try admin.admin("member", "add", "intel", user, "--role", writers.contains(user) ? "member" : "reader")
        }
        // Instance 0 dies after its 4th commit, before answering (then restarts without the hook).
        let instances = [ServerProcess(postgres: database), ServerProcess(postgres: database), ServerProcess(postgres: database)]
        let logs = (0..<3).map { URL(fileURLWithPath: "/tmp/gloss-history-\(getpid())-\($0).log") }
        print("PostgreSQL history check: server logs in \(logs.map(\.path))")
        try instances[0].start(environment: ["GLOSS_SERVER_CRASH_AFTER_COMMIT": "4"], log: logs[0])
        try instances[1].start(log: logs[1])
        try instances[2].start(log: logs[2])
        let urls = instances.map { URL(string: $0.url)! }
        try await HTTPTransport.with(base: urls[1], workspace: "intel", token: tokens["w1"]!) { try await $0.upload(Self.report) }

        let shared = Shared()
        // Everything is bounded: a writer or reader still going after five minutes fails the
        // test (alone it takes about 10 s; on a loaded machine, several times that).
        let deadline = ContinuousClock.now + .seconds(300)
        let work = Task {
            try await withThrowingTaskGroup(of: (String, [String]).self) { group in
                for (n, writer) in writers.enumerated() {
                    let token = tokens[writer]!, writerSeed = seed &+ UInt64(n) &+ 1
                    group.addTask {
                        var rng = SeededRandom(seed: writerSeed)
                        let claim = ReplicaClaim.mint(for: UserName(stored: writer), salt: withUnsafeBytes(of: writerSeed.bigEndian) { Array($0) } + Array(repeating: 0x5A, count: 8))
                        var recorder = OperationRecorder(replica: claim.replica, author: UserName(stored: writer), workspace: "intel",
                                                         clock: HybridClock(), now: 1_764_384_000_000)
                        for _ in 0..<20 {
                            guard ContinuousClock.now < deadline else { throw TransportError(status: nil, message: "\(writer) ran out of time") }
                            let batch = (0..<rng.int(in: 1..<5)).map { i in
                                recorder.record(.create(Creation(report: Self.report.id, target: nil, motivation: .commenting,
                                                                 body: "\(writer) note \(i)", visibility: .team)), isPrivate: false)
                            }
                            let request = Sync.PushRequest(replica: claim.replica, operations: batch, claims: [claim])
                            let response = try await Self.untilAnswered(urls, &rng) { url in
                                try await HTTPTransport.with(base: url, workspace: "intel", token: token) { try await $0.push(request) }
                            }
                            #expect(response.refused.isEmpty, "\(writer): \(response.refused.first.map { "\($0.code): \($0.reason)" } ?? "")")
                            shared.acknowledged.withLock { $0.formUnion((response.accepted + response.duplicates).map(\.description)) }
                            try await Task.sleep(for: .milliseconds(rng.int(in: 0..<60)))
                        }
                        return (writer, [])
                    }
                }
                for (n, reader) in readers.enumerated() {
                    let token = tokens[reader]!, pageSize = n + 1, readerSeed = seed &+ 100 &+ UInt64(n)
                    group.addTask {
                        var rng = SeededRandom(seed: readerSeed)
                        var cursor: Int64 = 0, received: [String] = []
                        while true {
                            guard ContinuousClock.now < deadline else { throw TransportError(status: nil, message: "\(reader) ran out of time") }
                            let finished = shared.writersDone.withLock { $0 }
                            let page = try await Self.untilAnswered(urls, &rng) { url in
                                try await HTTPTransport.with(base: url, workspace: "intel", token: token) {
                                    try await $0.pull(after: cursor, epoch: nil, limit: pageSize, wait: 0)
                                }
                            }
                            received += page.operations.map(\.id.description)
                            cursor = page.cursor
                            // Done when the writers were done before a pull that found nothing more.
                            if finished && !page.more && page.operations.isEmpty { break }
                            if page.operations.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
                        }
                        return (reader, received)
                    }
                }
                var results: [String: [String]] = [:]
                var writing = writers.count
                for try await (who, received) in group {
                    results[who] = received
                    if writers.contains(who) {
                        writing -= 1
                        if writing == 0 { shared.writersDone.withLock { $0 = true } }
                    }
                }
                return results
            }
        }

        // Faults, while they work.
        var faults: [String] = []
        for _ in 0..<8 {
            try await Task.sleep(for: .milliseconds(rng.int(in: 150..<500)))
            switch rng.int(in: 0..<3) {
            case 0:
                let i = rng.int(in: 0..<3)
                instances[i].kill9()
                try instances[i].start(log: logs[i])
                faults.append("kill -9 instance \(i)")
            case 1:
                try TestPostgres.psql(database, """
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'
                    """)
                faults.append("terminate LISTEN connections")
            default:
                try TestPostgres.psql(database, """
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()
                    """)
                faults.append("terminate every connection")
            }
        }
        // Instance 0's crash hook may not have fired yet; restart whatever died.
        for (i, instance) in instances.enumerated() where instance.process?.isRunning != true {
            try instance.start(log: logs[i])
        }
        print("PostgreSQL history check: faults \(faults)")
        let results = try await work.value

        let stored = try TestPostgres.psql(database, "SELECT replica || '-' || counter FROM operations ORDER BY seq")
            .split(separator: "\n").map(String.init)
        let numbers = try TestPostgres.psql(database, "SELECT count(*) || ' ' || count(DISTINCT seq) || ' ' || coalesce(max(seq), 0) FROM operations")
        #expect(numbers == "\(stored.count) \(stored.count) \(stored.count)", "the numbers are not 1…n: \(numbers)")
        #expect(Set(stored).count == stored.count, "an operation is stored twice")
        let acked = shared.acknowledged.withLock { $0 }
        #expect(acked.isSubset(of: Set(stored)), "acknowledged but not stored: \(acked.subtracting(stored).sorted().prefix(5))")
        #expect(stored.count >= 40)
        for reader in readers {
            let received = try #require(results[reader])
            #expect(received == stored, "\(reader) (page \(readers.firstIndex(of: reader)! + 1)) received \(received.count) of \(stored.count); first difference at \(zip(received, stored).enumerated().first { $1.0 != $1.1 }?.offset ?? min(received.count, stored.count)) (seed \(seed))")
        }
        for instance in instances { instance.stop() }
    }

    /// What the writers and readers share.
    final class Shared: Sendable {
        let writersDone = Mutex(false)
        let acknowledged = Mutex(Set<String>())
    }

    /// Tries `body` against the instances, starting from a random one, until one answers.
    static func untilAnswered<T>(_ urls: [URL], _ rng: inout SeededRandom, _ body: (URL) async throws -> T) async throws -> T {
        var start = rng.int(in: 0..<urls.count)
        for attempt in 0..<200 {
            do {
                return try await body(urls[(start + attempt) % urls.count])
            } catch let error as TransportError where error.status == nil || error.status! >= 500 {
                try await Task.sleep(for: .milliseconds(25))
            }
            start = rng.int(in: 0..<urls.count)
        }
        throw TransportError(status: nil, message: "no instance answered in 200 attempts")
    }

    /// `gloss sync --watch` through instance B learns of a push through instance A within 2 s,
    /// also after PostgreSQL cut B's LISTEN connection.
    @Test func aWatchOnOneInstanceHearsAPushThroughAnother() async throws {
        let scratch = Scratch()
        let database = try TestPostgres.freshDatabase()
        let a = try ServerProcess(postgres: database).initialized(), b = ServerProcess(postgres: database)
        try a.admin("workspace", "create", "intel")
        let aliceToken = try a.addUser("alice"), bobToken = try a.addUser("bob")
        try a.admin("member", "add", "intel", "alice")
        try a.admin("member", "add", "intel", "bob")
        try a.start()
        try b.start()
        defer { a.stop(); b.stop() }
        let alice = scratch.path("alice"), bob = scratch.path("bob")
        try CLI.gloss(alice, "init", "--user", "alice")
        try CLI.gloss(alice, "remote", "add", b.url, "--workspace", "intel", "--token", aliceToken)
        try CLI.gloss(bob, "init", "--user", "bob")
        try CLI.gloss(bob, "remote", "add", a.url, "--workspace", "intel", "--token", bobToken)
        let reportFile = CLI.examples.appendingPathComponent("rare-earths-export-controls.txt")
        try CLI.gloss(bob, "import", reportFile.path)
        let report = try #require((try CLI.json(try CLI.gloss(bob, "reports", "--json")) as? [[String: Any]])?.first?["id"] as? String)
        try CLI.gloss(bob, "sync")

        let watch = Process()
        watch.executableURL = CLI.binDir.appendingPathComponent("gloss")
        watch.arguments = ["--home", alice.path, "sync", "--watch"]
        watch.standardOutput = FileHandle.nullDevice
        watch.standardError = FileHandle.nullDevice
        watch.standardInput = FileHandle.nullDevice
        try watch.run()
        defer { watch.terminate(); watch.waitUntilExit() }
        try await Task.sleep(for: .seconds(1))

        for round in 1...2 {
            if round == 2 {
                // PostgreSQL cuts every LISTEN connection (B's included).
                try TestPostgres.psql(database, """
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'
                    """)
                try await Task.sleep(for: .milliseconds(300))
            }
            let comment = "round \(round) from bob"
            try CLI.gloss(bob, "annotate", String(report.prefix(8)), "--quote", "Most Likely", "--comment", comment)
            try CLI.gloss(bob, "sync")
            let pushed = ContinuousClock.now
            var arrived: Duration?
            while ContinuousClock.now - pushed < .seconds(5) {
                if try CLI.gloss(alice, "list").stdout.contains(comment) { arrived = ContinuousClock.now - pushed; break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let latency = try #require(arrived, "round \(round): bob's note never reached alice's watch on the other instance")
            print("cross-instance watch, round \(round): \(latency)")
            #expect(latency < .seconds(2), "round \(round): \(latency)")
        }
    }

    /// `migrate-store` moves a team from SQLite to PostgreSQL with every cursor valid: after
    /// the move, an analyst's sync receives only what is new. It refuses a non-empty target.
    /// Pointing the same clients at another store (a new epoch) makes them start over, not skip.
    @Test func migrateStoreKeepsCursorsAndAReplacedStoreIsNoticed() async throws {
        let scratch = Scratch()
        let sqlite = try ServerProcess(db: scratch.path("team.sqlite")).initialized()
        try sqlite.admin("workspace", "create", "intel")
        let aliceToken = try sqlite.addUser("alice"), bobToken = try sqlite.addUser("bob")
        try sqlite.admin("member", "add", "intel", "alice")
        try sqlite.admin("member", "add", "intel", "bob")
        _ = try sqlite.addUser("carol")
        try sqlite.admin("user", "remove", "carol")   // removed users stay removed on the new store
        try sqlite.start()
        let alice = scratch.path("alice"), bob = scratch.path("bob")
        for (home, user, token) in [(alice, "alice", aliceToken), (bob, "bob", bobToken)] {
            try CLI.gloss(home, "init", "--user", user)
            try CLI.gloss(home, "remote", "add", sqlite.url, "--workspace", "intel", "--token", token)
        }
        let reportFile = CLI.examples.appendingPathComponent("rare-earths-export-controls.txt")
        try CLI.gloss(alice, "import", reportFile.path)
        let report = try #require((try CLI.json(try CLI.gloss(alice, "reports", "--json")) as? [[String: Any]])?.first?["id"] as? String)
        for n in 1...5 { try CLI.gloss(alice, "annotate", String(report.prefix(8)), "--quote", "Most Likely", "--comment", "note \(n)") }
        try CLI.gloss(alice, "sync")
        try CLI.gloss(bob, "sync")
        sqlite.stop()

        let database = try TestPostgres.freshDatabase()
        let migrated = try CLI.run("gloss-server", ["migrate-store", "--from-db", sqlite.db.path, "--to-postgres", database, "--json"])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        let counts = try #require(try CLI.json(migrated) as? [String: Any])
        #expect(counts["operations"] as? Int == 5)
        #expect(counts["users"] as? Int == 3)
        let again = try CLI.run("gloss-server", ["migrate-store", "--from-db", sqlite.db.path, "--to-postgres", database])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already holds a team"))

        // The PostgreSQL instance takes the old server's address; tokens and cursors carry over.
        let postgres = ServerProcess(postgres: database, port: sqlite.port)
        let users = try #require(try JSONSerialization.jsonObject(with: Data(try postgres.admin("--json", "user", "list").joined().utf8)) as? [[String: Any]])
        #expect(users.map { $0["name"] as? String } == ["alice", "bob", "carol"])
        #expect(users.map { $0["removed"] != nil } == [false, false, true])
        try postgres.start()
        defer { postgres.stop() }
        try CLI.gloss(alice, "annotate", String(report.prefix(8)), "--quote", "Most Likely", "--comment", "after the move")
        let aliceSync = try CLI.gloss(alice, "sync", "--json")
        #expect((try CLI.json(aliceSync) as? [String: Any])?["accepted"] as? Int == 1)
        let bobSync = try CLI.json(try CLI.gloss(bob, "sync", "--json")) as? [String: Any]
        #expect(bobSync?["received"] as? Int == 1, "bob pulled \(bobSync?["received"] ?? "?") operations; only the new one was due")
        #expect(bobSync?["startedOver"] as? Bool == false)

        // Another store behind the same address (a new epoch): bob notices and starts over.
        postgres.stop()
        let other = try TestPostgres.freshDatabase()
        let migratedAgain = try CLI.run("gloss-server", ["migrate-store", "--from-db", sqlite.db.path, "--to-postgres", other])
        #expect(migratedAgain.status == 0)
        try TestPostgres.psql(other, "UPDATE meta SET value = 'feedfacecafebeef' WHERE key = 'epoch'")
        let replaced = ServerProcess(postgres: other, port: sqlite.port)
        try replaced.start()
        defer { replaced.stop() }
        let restarted = try CLI.gloss(bob, "sync")
        #expect(restarted.stdout.contains("replaced or restored"), "\(restarted.stdout)")
        // alice's note made after the move was not in that copy: alice sends it again.
        try CLI.gloss(alice, "sync")
        try CLI.gloss(bob, "sync")
        #expect(try CLI.gloss(bob, "list").stdout.contains("after the move"))
    }

    /// On SIGTERM an instance answers "not ready" at once, keeps serving through `--drain`,
    /// then ends its long polls with an answer and exits. Its log, at the most verbose level,
    /// holds requests but never a token or a note's text; /metrics counts the push.
    @Test func sigtermDrainsAndLogsHoldNoSecrets() async throws {
        let scratch = Scratch()
        let database = try TestPostgres.freshDatabase()
        let server = try ServerProcess(postgres: database).initialized()
        try server.admin("workspace", "create", "intel")
        let token = try server.addUser("alice")
        try server.admin("member", "add", "intel", "alice")
        let log = scratch.path("server.log")
        try server.start(arguments: ["--drain", "2", "--log-level", "trace"], log: log)
        #expect(try Self.status(server.url + "/health/ready") == "200")

        let alice = scratch.path("alice")
        try CLI.gloss(alice, "init", "--user", "alice")
        try CLI.gloss(alice, "remote", "add", server.url, "--workspace", "intel", "--token", token)
        try CLI.gloss(alice, "import", CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path)
        let report = try #require((try CLI.json(try CLI.gloss(alice, "reports", "--json")) as? [[String: Any]])?.first?["id"] as? String)
        try CLI.gloss(alice, "annotate", String(report.prefix(8)), "--quote", "Most Likely", "--comment", "CONFIDENTIAL-SOURCE-NAME")
        try CLI.gloss(alice, "sync")
        #expect(try Self.curl(["-s", server.url + "/metrics"]).contains("gloss_push_seconds_count 1"))

        // A long poll waiting when SIGTERM comes.
        let poll = Process()
        poll.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        poll.arguments = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)",
                          server.url + "/v1/workspaces/intel/operations?after=1&wait=30"]
        let pollOut = Pipe()
        poll.standardOutput = pollOut
        poll.standardInput = FileHandle.nullDevice
        try poll.run()
        try await Task.sleep(for: .milliseconds(300))
        let signalled = ContinuousClock.now
        server.terminate()
        try await Task.sleep(for: .milliseconds(300))
        #expect(try Self.status(server.url + "/health/ready") == "503", "not ready at once after SIGTERM")
        #expect(try Self.status(server.url + "/health/live") == "200", "still serving while it drains")
        poll.waitUntilExit()
        let pollStatus = String(decoding: pollOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(pollStatus == "200", "the long poll was answered, not cut: \(pollStatus)")
        server.process?.waitUntilExit()
        let took = ContinuousClock.now - signalled
        #expect(took >= .seconds(2) && took < .seconds(10), "exit \(took) after SIGTERM with --drain 2")

        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("/v1/workspaces/intel/push"), "the log names requests")
        let secret = String(token.split(separator: "_").last!)
        #expect(!text.contains(secret), "the log holds the token")
        #expect(!text.contains("CONFIDENTIAL-SOURCE-NAME"), "the log holds a note's text")
    }

    static func status(_ url: String) throws -> String {
        try curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", url])
    }

    static func curl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "--max-time", "5"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
