import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GlossCore
import GlossReplica
import Hummingbird
import HummingbirdTesting
import GlossTestSupport
import Testing
@testable import gloss_server

/// The admin commands, run as the real `gloss-server` binary on a temporary database.
@Suite struct AdminCommandTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        var lastLine: String { stdout.split(separator: "\n").last.map(String.init) ?? "" }
    }

    /// The built binary, beside the test bundle in the build products folder.
    static var binary: URL {
        var dir = Bundle.main.bundleURL
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("gloss-server").path), dir.path != "/" {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("gloss-server")
    }

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A new, empty folder.
    static func temporaryFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-server-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A team database made as an admin makes one (`gloss-server init`), in a folder of its own.
    static func temporaryDatabase() throws -> String {
        let db = try temporaryFolder().appendingPathComponent("team.sqlite").path
        let made = try run(["init", "--db", db])
        #expect(made.status == 0, "gloss-server init: \(made.stderr)")
        return db
    }

    @Test func tokenIsPrintedOnceAsTheLastLineAndRevokingItLocksTheUserOut() async throws {
        let db = try Self.temporaryDatabase()
        let added = try Self.run(["--db", db, "user", "add", "alice"])
        #expect(added.status == 0, "\(added.stderr)")
        let token = try #require(BearerToken(added.lastLine))
        #expect(added.stdout.components(separatedBy: token.text).count == 2)
        #expect(try Self.run(["--db", db, "workspace", "create", "intel"]).status == 0)
        // --db after the subcommand works too.
        #expect(try Self.run(["member", "add", "intel", "alice", "--role", "member", "--db", db]).status == 0)

        let second = try Self.run(["--db", db, "token", "issue", "alice", "--json"])
        let issued = try JSONDecoder().decode(IssuedToken.self, from: Data(second.lastLine.utf8))
        #expect(issued.user == "alice")
        #expect(BearerToken(issued.token) != nil)

        let store = try SQLiteSyncStore(path: db)
        let app = Application(router: buildRouter(store: store))
        try await app.test(.router) { client in
            #expect(try await client.call(.get, "/v1/me", token: token.text).status == .ok)
            let revoked = try Self.run(["--db", db, "token", "revoke", token.text])
            #expect(revoked.status == 0, "\(revoked.stderr)")
            let refused = try await client.call(.get, "/v1/me", token: token.text)
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.wwwAuthenticate] == "Bearer")
            // The other token still works; revoking by its public id stops it too.
            #expect(try await client.call(.get, "/v1/me", token: issued.token).status == .ok)
            #expect(try Self.run(["--db", db, "token", "revoke", issued.id]).status == 0)
            #expect(try await client.call(.get, "/v1/me", token: issued.token).status == .unauthorized)
        }
        // The database keeps only the hash.
        let raw = try Data(contentsOf: URL(fileURLWithPath: db))
        #expect(raw.range(of: Data(token.secret.utf8)) == nil)
    }

    @Test func removedMemberLosesTheWorkspace() async throws {
        let db = try Self.temporaryDatabase()
        let token = try Self.run(["--db", db, "user", "add", "alice"]).lastLine
        let created = try Self.run(["--db", db, "--json", "workspace", "create", "intel"])
        let made = try JSONDecoder().decode([String: String].self, from: Data(created.lastLine.utf8))
        #expect(made["workspace"] == "intel" && made["root"]?.count == 43 && made["rootID"]?.count == 16, "\(made)")
        // The root is made once: `workspace root` prints the same key.
        #expect(try Self.run(["--db", db, "workspace", "root", "intel"]).lastLine == made["root"])
        #expect(try Self.run(["--db", db, "member", "add", "intel", "alice", "--role", "reader"]).status == 0)
        let app = Application(router: buildRouter(store: try SQLiteSyncStore(path: db)))
        try await app.test(.router) { client in
            let me = try await client.call(.get, "/v1/me", token: token).decode(Sync.WhoAmI.self)
            #expect(me.memberships == [.init(workspace: "intel", role: .reader)])
            #expect(try Self.run(["--db", db, "member", "remove", "intel", "alice"]).status == 0)
            #expect(try await client.call(.get, "/v1/me", token: token).decode(Sync.WhoAmI.self).memberships.isEmpty)
            #expect(try await client.pull(token: token).status == .forbidden)
        }
        let again = try Self.run(["--db", db, "member", "remove", "intel", "alice"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("not a member"))
    }

    @Test func errorsGoToStderrWithAHintAndFail() throws {
        let db = try Self.temporaryDatabase()
        #expect(try Self.run(["--db", db, "user", "add", "alice"]).status == 0)
        let again = try Self.run(["--db", db, "user", "add", "alice"])
        #expect(again.status != 0)
        #expect(again.stdout.isEmpty)
        #expect(again.stderr.contains("already exists"))
        #expect(again.stderr.contains("hint:"))
        let noWorkspace = try Self.run(["--db", db, "member", "add", "nowhere", "alice"])
        #expect(noWorkspace.status != 0)
        #expect(noWorkspace.stderr.contains("workspace create nowhere"))
        let badRole = try Self.run(["--db", db, "member", "add", "intel", "alice", "--role", "boss"])
        #expect(badRole.status != 0)
        let badToken = try Self.run(["--db", db, "token", "revoke", "nonsense"])
        #expect(badToken.status != 0)
    }

    /// A database with alice, a member of "intel", served by a real `gloss-server serve` on a
    /// free port (`extra` arguments after it): the process, its output pipes and alice's token.
    static func serving(_ extra: [String] = []) throws -> (process: Process, out: Pipe, err: Pipe, token: String) {
        let db = try temporaryDatabase()
        let token = try run(["--db", db, "user", "add", "alice"]).lastLine
        #expect(try run(["--db", db, "workspace", "create", "intel"]).status == 0)
        #expect(try run(["--db", db, "member", "add", "intel", "alice"]).status == 0)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--db", db, "serve", "--host", "127.0.0.1", "--port", "0"] + extra
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err, token)
    }

    @Test func serveAnnouncesItsPortAnswersAndStopsGracefullyDuringALongPoll() async throws {
        let (process, out, err, token) = try Self.serving()
        defer { if process.isRunning { process.terminate() } }
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        #expect(line.hasPrefix("listening on http://127.0.0.1:"))
        let port = try #require(Int(line.dropFirst("listening on http://127.0.0.1:".count).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(port > 0)
        let base = "http://127.0.0.1:\(port)"
        let (health, _) = try await URLSession.shared.data(from: try #require(URL(string: "\(base)/health")))
        #expect(String(decoding: health, as: UTF8.self) == #"{"status":"ok"}"#)

        // A long poll is parked; SIGTERM ends it with an empty page and the server exits soon after.
        var poll = URLRequest(url: try #require(URL(string: "\(base)/v1/workspaces/intel/operations?wait=30")))
        poll.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        poll.timeoutInterval = 60
        let start = ContinuousClock.now
        async let polled = URLSession.shared.data(for: poll)
        // Long enough for the poll to be parked even on a machine slowed by a sanitizer and the
        // rest of the suite (at 500 ms, twice at 2 s and once at 5 s under the whole suite, the
        // SIGTERM beat the poll's connection, which was then held for its whole wait: a poll
        // that arrives after SIGTERM is not cut short, docs/RELIABILITY.md).
        try await Task.sleep(for: .seconds(10))
        process.terminate()  // SIGTERM: graceful shutdown
        let (body, response) = try await polled
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(try JSONDecoder().decode(Sync.PullResponse.self, from: body).operations.isEmpty)
        process.waitUntilExit()
        // Well before the poll's own 30 s (the whole suite's disk load once made it 10.2 s).
        #expect(ContinuousClock.now - start < .seconds(25))
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        // One log line per request, and never the token.
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("GET /v1/workspaces/intel/operations 200"))
        #expect(!log.contains("gls_"))
    }

    /// A long poll that arrives after SIGTERM, while the server drains (`--drain`), is answered
    /// at once instead of parked for its whole wait: a restart is never held up by a late poll.
    @Test func aLongPollArrivingWhileTheServerDrainsIsAnsweredAtOnce() async throws {
        let (process, out, _, token) = try Self.serving(["--drain", "300"])
        defer { if process.isRunning { process.terminate() } }
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(line.dropFirst("listening on http://127.0.0.1:".count).trimmingCharacters(in: .whitespacesAndNewlines)))
        let base = "http://127.0.0.1:\(port)"
        process.terminate()  // SIGTERM: not ready from now on, still answering for --drain seconds
        var ready = URLRequest(url: try #require(URL(string: "\(base)/health/ready")))
        ready.timeoutInterval = 10
        for _ in 0..<100 {
            let (_, answer) = try await URLSession.shared.data(for: ready)
            if (answer as? HTTPURLResponse)?.statusCode == 503 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        var poll = URLRequest(url: try #require(URL(string: "\(base)/v1/workspaces/intel/operations?wait=30")))
        poll.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        poll.timeoutInterval = 60
        let start = ContinuousClock.now
        let (body, response) = try await URLSession.shared.data(for: poll)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(try JSONDecoder().decode(Sync.PullResponse.self, from: body).operations.isEmpty)
        // At once: not after its 30 s wait (the bound leaves room for a sanitizer's slowness; the
        // server still drains for its --drain 300).
        #expect(ContinuousClock.now - start < .seconds(25), "answered at once, not after its 30 s wait")
        // Its exit after the drain is `sigtermDrainsAndLogsHoldNoSecrets`'s to check.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// `user list`, `user remove`, `member list` and `workspace list`, as the real binary runs
/// them on each store, read back through `--json` and as the table an admin reads.
@Suite struct AdminListTests {
    /// `--db FILE` on a new SQLite team, or `--postgres URL` on a new PostgreSQL one.
    static func team(_ kind: TestPostgres.Kind) throws -> [String] {
        switch kind {
        case .sqlite: return ["--db", try AdminCommandTests.temporaryDatabase()]
        case .postgres:
            let store = ["--postgres", try TestPostgres.freshDatabase()]
            let made = try AdminCommandTests.run(["init"] + store)
            #expect(made.status == 0, "\(made.stderr)")
            return store
        }
    }

    static func admin(_ store: [String], _ arguments: String...) throws -> AdminCommandTests.Run {
        let result = try AdminCommandTests.run(store + arguments)
        #expect(result.status == 0, "gloss-server \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    static func decode<T: Decodable>(_ type: T.Type, _ run: AdminCommandTests.Run) throws -> T {
        try JSONDecoder().decode(type, from: Data(run.stdout.utf8))
    }

    @Test(arguments: TestPostgres.Kind.allCases)
    func listsShowTheTeamAsItIs(_ kind: TestPostgres.Kind) throws {
        let store = try Self.team(kind)
        #expect(try Self.admin(store, "user", "list").stdout.contains("no users yet"))
        #expect(try Self.admin(store, "--json", "workspace", "list").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        for user in ["carol", "alice", "bob"] { _ = try Self.admin(store, "user", "add", user) }
        _ = try Self.admin(store, "token", "issue", "alice")
        for workspace in ["intel", "archive"] { _ = try Self.admin(store, "workspace", "create", workspace) }
        _ = try Self.admin(store, "member", "add", "intel", "bob", "--role", "reader")
        _ = try Self.admin(store, "member", "add", "intel", "alice", "--role", "admin")
        _ = try Self.admin(store, "member", "add", "archive", "alice")

        let users = try Self.decode([UserSummary].self, try Self.admin(store, "user", "list", "--json"))
        #expect(users.map(\.name) == ["alice", "bob", "carol"])
        #expect(users.map(\.activeTokens) == [2, 1, 1])
        #expect(users.map(\.workspaces) == [["archive", "intel"], ["intel"], []])
        #expect(users.allSatisfy { $0.removed == nil && $0.created > 0 })

        let members = try Self.decode([MemberSummary].self, try Self.admin(store, "--json", "member", "list", "intel"))
        #expect(members == [MemberSummary(user: "alice", role: .admin), MemberSummary(user: "bob", role: .reader)])
        let workspaces = try Self.decode([WorkspaceSummary].self, try Self.admin(store, "workspace", "list", "--json"))
        #expect(workspaces.map(\.name) == ["archive", "intel"])
        #expect(workspaces.map(\.members) == [1, 2])
        #expect(workspaces.map(\.operations) == [0, 0])

        // The tables: a header, one aligned row each.
        let table = try Self.admin(store, "member", "list", "intel").stdout.split(separator: "\n").map(String.init)
        #expect(table == ["USER   ROLE", "alice  admin", "bob    reader"])
        let userTable = try Self.admin(store, "user", "list").stdout.split(separator: "\n").map(String.init)
        #expect(userTable.count == 4)
        #expect(userTable[0].hasPrefix("USER   TOKENS  WORKSPACES"))
        #expect(userTable[1].hasPrefix("alice       2  archive, intel"))
        #expect(userTable[3].hasPrefix("carol       1  -"))

        let missing = try AdminCommandTests.run(store + ["member", "list", "nowhere"])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("no workspace named 'nowhere'"))
    }

    @Test(arguments: TestPostgres.Kind.allCases)
    func removingAUserRevokesTheirTokensAndMembershipsAndKeepsTheirNameTaken(_ kind: TestPostgres.Kind) throws {
        let store = try Self.team(kind)
        _ = try Self.admin(store, "user", "add", "alice")
        _ = try Self.admin(store, "token", "issue", "alice")
        _ = try Self.admin(store, "user", "add", "bob")
        _ = try Self.admin(store, "workspace", "create", "intel")
        _ = try Self.admin(store, "member", "add", "intel", "alice")
        _ = try Self.admin(store, "member", "add", "intel", "bob")

        let removal = try Self.decode(UserRemoval.self, try Self.admin(store, "--json", "user", "remove", "alice"))
        #expect(removal.user == "alice")
        #expect(removal.revokedTokens.count == 2)
        #expect(removal.leftWorkspaces == ["intel"])

        let users = try Self.decode([UserSummary].self, try Self.admin(store, "user", "list", "--json"))
        let alice = try #require(users.first { $0.name == "alice" })
        #expect(alice.removed != nil)
        #expect(alice.activeTokens == 0)
        #expect(alice.workspaces.isEmpty)
        #expect(try Self.decode([MemberSummary].self, try Self.admin(store, "member", "list", "intel", "--json")).map(\.user) == ["bob"])
        #expect(try Self.admin(store, "user", "list").stdout.contains(" UTC"))

        // Not again, no new token, no membership, and the name is not given to someone else.
        for (arguments, status, words) in [(["user", "remove", "alice"], Int32(4), "was removed"),
                                           (["token", "issue", "alice"], 4, "was removed"),
                                           (["member", "add", "intel", "alice"], 4, "was removed"),
                                           (["user", "add", "alice"], 4, "not given again"),
                                           (["user", "remove", "nobody"], 3, "no user named nobody")] {
            let refused = try AdminCommandTests.run(store + arguments)
            #expect(refused.status == status, "\(arguments): \(refused.stderr)")
            #expect(refused.stderr.contains(words), "\(arguments): \(refused.stderr)")
        }
        let text = try Self.admin(store, "user", "remove", "bob").stdout
        #expect(text.contains("removed user bob: 1 token(s) revoked, left 'intel'"))
    }
}
