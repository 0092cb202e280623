import Foundation
import Testing

/// Issue 25, item 5: `scripts/check-migrations.sh` (run by `.ci/run`) fails on a branch that
/// edits a shipped migration and passes on one that adds a new file, in a real clone of this
/// repository with real commits.
@Suite struct MigrationCheckTests {
    let scratch = Scratch()

    func git(_ clone: URL, _ arguments: String...) throws -> CLI.Result {
        try CLI.run("/usr/bin/git", ["-C", clone.path, "-c", "user.name=t", "-c", "user.email=t@example.invalid"] + arguments, timeout: 60)
    }

    @Test func editingAShippedMigrationFailsTheCheckAndANewOnePasses() throws {
        let clone = scratch.path("clone")
        let made = try CLI.run("/usr/bin/git", ["clone", "-q", "--no-local", BriefTools.checkout.path, clone.path], timeout: 120)
        try #require(made.status == 0, "\(made.stderr)")
        let check = clone.appendingPathComponent("scripts/check-migrations.sh").path
        let clean = try CLI.run("/bin/bash", [check], timeout: 60)
        #expect(clean.status == 0, "main passes: \(clean.stderr)")

        let shipped = clone.appendingPathComponent("Schema/replica/001_initial.sql")
        try (try String(contentsOf: shipped, encoding: .utf8) + "\n-- a later fix\n").write(to: shipped, atomically: true, encoding: .utf8)
        #expect(try git(clone, "commit", "-qam", "Fix the first migration").status == 0)
        let edited = try CLI.run("/bin/bash", [check], timeout: 60)
        #expect(edited.status == 1 && edited.stderr.contains("Schema/replica/001_initial.sql") && edited.stderr.contains("new file"), "\(edited.stderr)")

        #expect(try git(clone, "reset", "-q", "--hard", "HEAD~1").status == 0)
        try "-- a new one\nPRAGMA user_version = 99;\n".write(to: clone.appendingPathComponent("Schema/replica/099_new.sql"), atomically: true, encoding: .utf8)
        #expect(try git(clone, "add", "Schema/replica/099_new.sql").status == 0)
        #expect(try git(clone, "commit", "-qm", "A new migration").status == 0)
        #expect(try CLI.run("/bin/bash", [check], timeout: 60).status == 0, "a new file passes")
    }
}
