import Foundation
import GlossTestSupport
import Testing

/// A PostgreSQL database that holds another application's tables is refused before anything is
/// written: `init`, `serve --create` and `migrate-store` leave it exactly as it was.
@Suite struct ForeignDatabaseTests {
    @Test func anotherApplicationsDatabaseIsRefusedAndLeftAsItWas() throws {
        let scratch = Scratch()
        let url = try TestPostgres.freshDatabase()
        _ = try TestPostgres.psql(url, "CREATE TABLE users (id integer PRIMARY KEY, email text); CREATE TABLE invoices (id integer)")
        let tables = { try TestPostgres.psql(url, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = current_schema()") }
        let before = try tables()

        let team = scratch.path("team.sqlite").path
        #expect(try CLI.run("gloss-server", ["init", "--db", team]).status == 0)
        for arguments in [["init", "--postgres", url], ["--postgres", url, "user", "add", "alice", "--create"],
                          ["migrate-store", "--from-db", team, "--to-postgres", url]] {
            let result = try CLI.run("gloss-server", arguments)
            #expect(result.status != 0, "gloss-server \(arguments.joined(separator: " ")) went through")
            #expect(result.stderr.contains("another application's tables (invoices, users)"), "\(result.stderr)")
            #expect(result.stderr.contains("createdb"), "the hint should say to give gloss its own database: \(result.stderr)")
            #expect(try tables() == before, "gloss-server \(arguments[0]) left something behind")
        }
    }
}
