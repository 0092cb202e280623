import Foundation
import GlossTestSupport
import Testing
@testable import gloss_server

/// An admin who mistypes `--db`, leaves it out, or names an empty PostgreSQL database gets an
/// error that says so and makes nothing; `init` and `--create` are the only ways to a new team.
/// Real `gloss-server` processes, as an admin runs them.
@Suite struct DatabaseOpeningTests {
    typealias Run = AdminCommandTests.Run

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Run {
        try AdminCommandTests.run(arguments, in: directory)
    }

    static func files(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func aMistypedDatabaseIsRefusedWithTheNameMeantAndNothingIsMade() throws {
        // Given a team database, team.sqlite, with a user.
        let folder = try AdminCommandTests.temporaryFolder()
        let team = folder.appendingPathComponent("team.sqlite").path
        #expect(try Self.run(["init", "--db", team]).status == 0)
        #expect(try Self.run(["--db", team, "user", "add", "alice"]).status == 0)
        let before = try Self.files(in: folder)

        // When the admin types teem.sqlite.
        let typo = folder.appendingPathComponent("teem.sqlite").path
        for command in [["member", "add", "intel", "alice"], ["token", "issue", "alice"], ["serve", "--port", "0"]] {
            let result = try Self.run(["--db", typo] + command)
            // Then: exit 3, the missing file named, the file meant suggested, how to make one,
            // no word of creating a workspace, and no new file.
            #expect(result.status == 3, "\(command): \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("no team database at \(typo)"))
            #expect(result.stderr.contains("did you mean \(team)?"))
            #expect(result.stderr.contains("gloss-server init --db \(typo)"))
            #expect(!result.stderr.contains("workspace create"))
            #expect(try Self.files(in: folder) == before)
        }

        // A relative path gets a relative suggestion, as it was typed.
        let relative = try Self.run(["--db", "teem.sqlite", "token", "issue", "alice"], in: folder)
        #expect(relative.status == 3)
        #expect(relative.stderr.contains("did you mean team.sqlite?"))
        // Nothing alike: no guess, still how to make one.
        let unlike = try Self.run(["--db", "analysts.sqlite", "token", "issue", "alice"], in: folder)
        #expect(unlike.status == 3)
        #expect(!unlike.stderr.contains("did you mean"))
        #expect(unlike.stderr.contains("gloss-server init --db analysts.sqlite"))
        #expect(try Self.files(in: folder) == before)
    }

    @Test func withoutADatabaseNothingIsMadeInTheCurrentFolder() throws {
        let folder = try AdminCommandTests.temporaryFolder()
        for command in [["user", "add", "alice"], ["workspace", "create", "intel"], ["serve", "--port", "0"], ["init"]] {
            let result = try Self.run(command, in: folder)
            #expect(result.status == 64, "\(command): exit \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("pass --db FILE or --postgres URL"))
            let made = try Self.files(in: folder)
            #expect(made.isEmpty, "\(command) made \(made)")
        }
    }

    @Test func initMakesAnEmptyTeamThatTheOtherCommandsUseAndRefusesToMakeItTwice() throws {
        let folder = try AdminCommandTests.temporaryFolder()
        let db = folder.appendingPathComponent("team.sqlite").path
        let made = try Self.run(["init", "--db", db])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("made an empty team database at \(db)"))
        #expect(try Self.run(["--db", db, "user", "add", "alice"]).status == 0)
        #expect(try Self.run(["--db", db, "workspace", "create", "intel"]).status == 0)
        let member = try Self.run(["--db", db, "member", "add", "intel", "alice"])
        #expect(member.status == 0, "\(member.stderr)")

        // A second init leaves the team as it was and exits 4.
        let again = try Self.run(["init", "--db", db])
        #expect(again.status == 4)
        #expect(again.stderr.contains("already exists"))
        let issued = try Self.run(["--db", db, "--json", "token", "issue", "alice"])
        #expect(issued.status == 0)
        #expect(issued.stdout.contains(#""user":"alice""#))
    }

    @Test func createMakesTheDatabaseWhenAskedAndOpensAnExistingOne() throws {
        let folder = try AdminCommandTests.temporaryFolder()
        let db = folder.appendingPathComponent("new.sqlite").path
        let added = try Self.run(["--db", db, "--create", "user", "add", "alice"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(FileManager.default.fileExists(atPath: db))
        let again = try Self.run(["--db", db, "user", "add", "bob", "--create"])
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test func aPostgresDatabaseWithoutTheSchemaIsRefusedUntilInit() throws {
        let database = try TestPostgres.freshDatabase()
        let refused = try Self.run(["--postgres", database, "user", "add", "alice"])
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("no gloss team"))
        #expect(refused.stderr.contains("gloss-server init --postgres"))
        #expect(!refused.stderr.contains("workspace create"))
        // Nothing was made: the schema is still absent.
        #expect(try TestPostgres.psql(database, "SELECT to_regclass('gloss_migrations') IS NULL") == "t")

        let served = try Self.run(["--postgres", database, "serve", "--port", "0"])
        #expect(served.status == 3)

        #expect(try Self.run(["init", "--postgres", database]).status == 0)
        #expect(try Self.run(["--postgres", database, "user", "add", "alice"]).status == 0)
        let again = try Self.run(["init", "--postgres", database])
        #expect(again.status == 4)
        #expect(again.stderr.contains("already holds a gloss team"))

        let other = try TestPostgres.freshDatabase()
        #expect(try Self.run(["--postgres", other, "--create", "workspace", "create", "intel"]).status == 0)
    }

    @Test func errorsExitByKind() throws {
        let db = try AdminCommandTests.temporaryDatabase()
        #expect(try Self.run(["--db", db, "user", "add", "alice"]).status == 0)
        #expect(try Self.run(["--db", db, "user", "add", "alice"]).status == 4)       // taken
        #expect(try Self.run(["--db", db, "member", "add", "nowhere", "alice"]).status == 3)
        #expect(try Self.run(["--db", db, "token", "revoke", "0123456789abcdef"]).status == 3)
        #expect(try Self.run(["--db", db, "member", "add", "intel", "alice", "--role", "boss"]).status == 64)
    }

    @Test func guessesAreTyposNotStrangers() {
        #expect(DatabaseFileGuess.closest(to: "teem.sqlite", among: ["team.sqlite", "other.sqlite"]) == "team.sqlite")
        #expect(DatabaseFileGuess.closest(to: "tem.sqlite", among: ["team.sqlite"]) == "team.sqlite")
        #expect(DatabaseFileGuess.closest(to: "analysts.sqlite", among: ["team.sqlite"]) == nil)
        #expect(DatabaseFileGuess.distance("kitten", "sitting") == 3)
    }
}
