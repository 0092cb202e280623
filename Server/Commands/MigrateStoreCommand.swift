import ArgumentParser
import Foundation
import GlossCore

/// `gloss-server migrate-store --from-db FILE --to-postgres URL`
struct MigrateStoreCommand: AdminCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-store",
        abstract: "Copy a team from its SQLite database to an empty PostgreSQL database.",
        discussion: """
            Copies users, token hashes, workspaces, members, reports and every operation, keeping
            their numbers and the store's epoch: analysts' cursors stay valid, so they sync on
            without pulling again, and their tokens keep working. Stop the SQLite server first;
            then start instances with --postgres. Refuses a database that already holds a team.
            One transaction: if it fails, the target is left empty.

            Example:
              gloss-server migrate-store --from-db team.sqlite --to-postgres postgres://gloss@127.0.0.1/gloss
            """
    )

    @Option(help: ArgumentHelp("The SQLite database to copy from.", valueName: "file"))
    var fromDb: String

    @Option(help: ArgumentHelp("The empty PostgreSQL database to copy into.", valueName: "postgres://USER@HOST:PORT/DATABASE"))
    var toPostgres: String

    /// `--json` (the store options themselves are not used: --from-db and --to-postgres name both ends).
    @OptionGroup var global: ServerOptions

    func validate() throws {
        guard global.postgres == nil else {
            throw ValidationError("migrate-store takes --from-db FILE and --to-postgres URL, not --postgres")
        }
    }

    func run() async throws {
        try await reporting {
            guard FileManager.default.fileExists(atPath: fromDb) else {
                let guess = DatabaseFileGuess.similar(to: fromDb).map { "did you mean \($0)? " } ?? ""
                throw CommandFailure(.notFound, "no SQLite database at \(fromDb)", hint: "\(guess)pass the file `gloss-server --db` used")
            }
            let source = try SQLiteSyncStore(path: fromDb)
            let url = try PostgresURL(toPostgres)
            let counts = try await StoreLocation.postgres(url).withStore(.existingOrNew) { store in
                guard let target = store as? PostgresSyncStore else { return StoreMigration.Counts() }
                let migration = StoreMigration(source: source, target: target) { done, total in
                    FileHandle.standardError.write(Data("\rcopying operations: \(done) of \(total)".utf8))
                    if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
                }
                return try await migration.run()
            }
            if global.json {
                print(try JSON.string(counts))
            } else {
                print("""
                    copied \(fromDb) to \(url):
                      \(counts.users) users, \(counts.tokens) tokens, \(counts.workspaces) workspaces, \(counts.members) members
                      \(counts.reports) reports, \(counts.operations) operations, \(counts.refusals) refusals
                      epoch \(counts.epoch) kept: clients sync on from their cursors
                    """)
            }
        }
    }
}
