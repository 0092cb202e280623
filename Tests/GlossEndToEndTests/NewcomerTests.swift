import Foundation
import GlossReplica
import Testing

/// What a newcomer meets first on the command line (issue 23): exit codes as the README's
/// table says, commands that change nothing writing nothing, plain-text reports, and errors
/// that read like the rest.
@Suite struct NewcomerTests {
    let scratch = Scratch()

    /// A replica with the rare-earths report; returns its home and the report's id prefix.
    func replica(_ name: String = "alice") throws -> (home: URL, report: String) {
        let home = scratch.path(name)
        try CLI.gloss(home, "init", "--user", name)
        let imported = try CLI.json(try CLI.gloss(home, "import", CLI.examples.appendingPathComponent("rare-earths-export-controls.txt").path, "--json"))
        let id = try #require(((imported as? [String: Any])?["imported"] as? [[String: Any]])?.first?["id"] as? String)
        return (home, String(id.prefix(8)))
    }

    func id(_ result: CLI.Result) throws -> String {
        try #require((try CLI.json(result) as? [String: Any])?["id"] as? String)
    }

    /// The operations this replica holds (`gloss status`).
    func operations(_ home: URL) throws -> Int {
        try #require((try CLI.json(try CLI.gloss(home, "status", "--json")) as? [String: Any])?["operations"] as? Int)
    }

    @Test func mistakesOnTheCommandLineExit64() throws {
        let (home, report) = try replica()
        let note = try id(try CLI.gloss(home, "annotate", report, "--quote", "Most Dangerous", "--comment", "c", "--json"))
        let h = home.path
        let cases: [(String, [String], [String: String])] = [
            ("a malformed id", ["--home", h, "show", "zz"], [:]),
            ("a malformed annotation id", ["--home", h, "resolve", "nope"], [:]),
            ("an invalid tag", ["--home", h, "tag", note, "a,b"], [:]),
            ("--occurrence out of range", ["--home", h, "annotate", report, "--quote", "Most Dangerous", "--occurrence", "9", "--comment", "c"], [:]),
            ("a comment over 64 KiB", ["--home", h, "annotate", report, "--comment", String(repeating: "x", count: 64 * 1024 + 1)], [:]),
            ("an invalid --user", ["--home", scratch.path("bad").path, "init", "--user", "Not A Name!"], [:]),
            ("no token given", ["--home", h, "remote", "add", "http://127.0.0.1:9", "--workspace", "intel"], [:]),
            ("nothing to change", ["--home", h, "edit", note], ["EDITOR": "", "VISUAL": ""]),
            ("an empty --quote", ["--home", h, "annotate", report, "--quote", "", "--comment", "c"], [:]),
        ]
        for (what, arguments, environment) in cases {
            let result = try CLI.run("gloss", arguments, environment: environment)
            #expect(result.status == 64, "\(what): exit \(result.status), \(result.stderr)")
            #expect(result.stderr.lowercased().contains("error:"), "\(what): \(result.stderr)")
            // And with --json the same code, the error one JSON object
            let json = try CLI.run("gloss", arguments + ["--json"], environment: environment)
            #expect(json.status == 64, "\(what) --json: exit \(json.status)")
            let object = try? JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any]
            #expect(object?["code"] as? String == "invalidArgument", "\(what) --json: \(json.stderr)")
        }
        #expect(try operations(home) == 1, "none of them recorded anything")
        // An option ArgumentParser refuses is one JSON object under --json too, naming the help
        let typo = try CLI.run("gloss", ["--home", h, "list", "--autor", "bob", "--json"])
        let failure = try JSONSerialization.jsonObject(with: Data(typo.stderr.utf8)) as? [String: Any]
        #expect(typo.status == 64 && failure?["code"] as? String == "invalidArgument", "\(typo.stderr)")
        #expect((failure?["error"] as? String)?.contains("--autor") == true && failure?["hint"] as? String == "see `gloss list --help`",
                "\(typo.stderr)")
        #expect(try CLI.run("gloss", ["--home", h, "resolve", "nope"]).stderr.contains("'nope' is not an annotation id"))
    }

    /// Help is read at 80 columns where there is no terminal (and ArgumentParser wraps there):
    /// no example is cut inside a quoted argument, and the exit table keeps its columns.
    @Test func helpExamplesAndTheExitTableAreNotWrappedMidArgument() throws {
        for path in try HelpExampleTests().commands() {
            let help = try CLI.run("gloss", path + ["--help"]).stdout
            for example in HelpExampleTests.examples(in: help) {
                #expect(example.filter { $0 == "\"" }.count % 2 == 0, "gloss \(path.joined(separator: " ")) --help: \(example)")
            }
        }
        let help = try CLI.run("gloss", ["--help"]).stdout
        let table = try #require(help.range(of: "Exit status:\n").map { help[$0.upperBound...] })
        for line in table.split(separator: "\n", omittingEmptySubsequences: false).prefix(while: { !$0.isEmpty }) {
            #expect(line.wholeMatch(of: #/ {2}\d+ +\S.*| {6,}\S.*/#) != nil, "\(line)")
        }
        #expect(help.contains("  gloss annotate 4f2a --quote \"rare earth\" --occurrence 1 \\\n"))
    }

    @Test func commandsThatChangeNothingSaySoAndRecordNothing() throws {
        let (home, old) = try replica()
        let note = try id(try CLI.gloss(home, "annotate", old, "--quote", "specifically targeting the extraction and separation methods",
                                        "--comment", "the core of the ban", "--tag", "cobalt", "--json"))
        let reply = try id(try CLI.gloss(home, "reply", note, "--comment", "agreed", "--json"))
        try CLI.gloss(home, "resolve", note)
        try CLI.gloss(home, "import", CLI.examples.appendingPathComponent("rare-earths-export-controls-revised.txt").path, "--revises", old)
        let before = try operations(home)

        let resolved = try CLI.gloss(home, "resolve", note)
        #expect(resolved.stdout.contains("nothing changed") && resolved.stdout.contains("already resolved"), "\(resolved.stdout)")
        let untagged = try CLI.gloss(home, "tag", note, "--remove", "lithium")
        #expect(untagged.stdout.contains("nothing changed") && untagged.stdout.contains("has no #lithium"), "\(untagged.stdout)")
        let tagged = try CLI.gloss(home, "tag", note, "cobalt")
        #expect(tagged.stdout.contains("already has #cobalt"), "\(tagged.stdout)")
        // The note's passage survived the revision exactly: it is not in review
        let accepted = try CLI.gloss(home, "review", "accept", note)
        #expect(accepted.stdout.contains("nothing changed") && accepted.stdout.contains("not in review"), "\(accepted.stdout)")
        // With --json the note is printed as it stands, and the reason goes to stderr
        let json = try CLI.gloss(home, "resolve", note, "--json")
        #expect((try CLI.json(json) as? [String: Any])?["status"] as? String == "resolved" && json.stderr.contains("already resolved"))
        // A reply has no passage: retargeting one is refused
        for arguments in [["retarget", reply, "--quote", "targeting the extraction"], ["edit", reply, "--quote", "targeting the extraction"]] {
            let refused = try CLI.glossAllowingFailure(home, arguments)
            #expect(refused.status == 64 && refused.stderr.contains("is a reply"), "\(arguments): \(refused.stderr)")
        }
        #expect(try operations(home) == before, "nothing was recorded")
        // A change that does something still does it
        try CLI.gloss(home, "resolve", note, "--reopen")
        #expect(try operations(home) == before + 1)
    }
}

extension NewcomerTests {
    @Test func aTokenWithAControlCharacterIsRefusedByItsPositionAndNeverPrinted() throws {
        let server = try ServerProcess(db: scratch.path("team.sqlite")).initialized()
        defer { server.stop() }
        let token = try server.addUser("alice")
        try server.admin("workspace", "create", "intel")
        try server.admin("member", "add", "intel", "alice")
        try server.start()
        let home = scratch.path("alice")
        try CLI.gloss(home, "init", "--user", "alice")
        // A stray BEL in the middle, as a paste from a terminal brings
        let bad = String(token.prefix(10)) + "\u{7}" + token.dropFirst(10)
        func secretShown(_ result: CLI.Result) -> Bool {
            (result.stdout + result.stderr).contains(String(token.suffix(16))) || (result.stdout + result.stderr).contains("Authorization")
        }
        let add = ["--home", home.path, "remote", "add", server.url, "--workspace", "intel"]
        for (how, arguments, environment, input) in [("GLOSS_TOKEN", add, ["GLOSS_TOKEN": bad], nil), ("standard input", add, [:], bad + "\n"),
                                                     ("--token", add + ["--token", bad], [:], nil)] as [(String, [String], [String: String], String?)] {
            let refused = try CLI.run("gloss", arguments, environment: environment, input: input)
            #expect(refused.status == 64, "\(how): \(refused.stderr)")
            #expect(refused.stderr.contains("control character at position 11"), "\(how): \(refused.stderr)")
            #expect(!secretShown(refused), "\(how): \(refused.stderr)")
        }
        // One stored by an earlier gloss is refused when read, before anything is sent
        try Replica.open(home: home).bind(remote: server.url, workspace: "intel", token: bad)
        for command in ["sync", "whoami"] {
            let result = try CLI.glossAllowingFailure(home, [command])
            #expect(result.stderr.contains("control character at position 11"), "\(command): \(result.stderr)")
            #expect(!secretShown(result), "\(command): \(result.stderr)")
        }
        // Stored again, cleanly, it works
        #expect(try CLI.run("gloss", add, input: token + "\n").status == 0)
        try CLI.gloss(home, "sync")
    }

    @Test func aMistypedWorkspaceGetsADidYouMeanAndNoMembershipSaysSo() throws {
        let server = try ServerProcess(db: scratch.path("team.sqlite")).initialized()
        defer { server.stop() }
        let alice = try server.addUser("alice"), dave = try server.addUser("dave")
        for workspace in ["intel", "ops"] { try server.admin("workspace", "create", workspace) }
        try server.admin("member", "add", "intel", "alice")
        try server.admin("member", "add", "ops", "alice")
        try server.start()
        for user in ["alice", "dave"] { try CLI.gloss(scratch.path(user), "init", "--user", user) }
        let typo = try CLI.run("gloss", ["--home", scratch.path("alice").path, "remote", "add", server.url, "--workspace", "intl"], input: alice)
        #expect(typo.status == 4 && typo.stderr.contains("hint: did you mean `--workspace intel`? (alice is a member of intel, ops)"), "\(typo.stderr)")
        let none = try CLI.run("gloss", ["--home", scratch.path("dave").path, "remote", "add", server.url, "--workspace", "intel"], input: dave)
        #expect(none.status == 4 && none.stderr.contains("dave is a member of no workspace yet; ask an admin to run `gloss-server member add intel dave`"),
                "\(none.stderr)")
        #expect(!none.stderr.contains("member of: ;"))
    }

    @Test func serveSaysWhyItCannotListenInTheWordsOfTheOtherFailures() throws {
        let db = scratch.path("team.sqlite").path
        #expect(try CLI.run("gloss-server", ["--db", db, "init"]).status == 0)
        // Another program listens on the port
        let taken = try ListeningSocket()
        let busy = try CLI.run("gloss-server", ["--db", db, "serve", "--port", String(taken.port)], timeout: 30)
        #expect(busy.status == 1, "\(busy.stderr)")
        #expect(busy.stderr.contains("error: port \(taken.port) is in use (another gloss-server?); choose another with --port"), "\(busy.stderr)")
        #expect(!busy.stderr.contains("bind(") && !busy.stderr.contains("errno"), "\(busy.stderr)")
        let json = try CLI.run("gloss-server", ["--db", db, "--json", "serve", "--port", String(taken.port)], timeout: 30)
        let failure = try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any]
        #expect(json.status == 1 && (failure?["error"] as? String)?.contains("is in use") == true, "\(json.stderr)")
        // A host that no address has
        let unknown = try CLI.run("gloss-server", ["--db", db, "serve", "--host", "no-such-host.invalid", "--port", "0"], timeout: 60)
        #expect(unknown.status == 1 && unknown.stderr.contains("error: unknown host 'no-such-host.invalid'"), "\(unknown.stderr)")
        #expect(!unknown.stderr.contains("SocketAddressError"), "\(unknown.stderr)")
        // An address this machine does not have
        let elsewhere = try CLI.run("gloss-server", ["--db", db, "serve", "--host", "192.0.2.1", "--port", "0"], timeout: 60)
        #expect(elsewhere.status == 1 && elsewhere.stderr.contains("192.0.2.1 is not an address of this machine"), "\(elsewhere.stderr)")
    }
}

extension NewcomerTests {
    /// A spawned program that inherits the test runner's standard input reads whatever the
    /// runner was given (a token, a comment): every `Process()` in the tests sets its own.
    @Test func everyProgramTheTestsStartGetsItsOwnStandardInput() throws {
        var tests = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { tests.deleteLastPathComponent() }
        let files = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" }
        var unset: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: /let (\w+) = Process\(\)/) {
                let name = String(match.1), rest = text[match.range.upperBound...]
                let start = rest.range(of: "\(name).run()")?.lowerBound ?? rest.endIndex
                if !rest[..<start].contains("\(name).standardInput =") { unset.append("\(file.lastPathComponent): \(name)") }
            }
        }
        #expect(files.count > 20 && unset.isEmpty, "\(unset)")
    }
}

/// A TCP socket listening on a free loopback port, as another program holding the port.
final class ListeningSocket {
    let descriptor: Int32
    private(set) var port = 0

    init() throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 1) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { close(descriptor); throw CLIError.timedOut("cannot listen on a loopback port") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}

extension CLI {
    static func glossAllowingFailure(_ home: URL, _ arguments: [String]) throws -> Result {
        try run("gloss", ["--home", home.path] + arguments)
    }
}
