import Foundation
import GlossTestSupport
import Testing

/// The tests' own PostgreSQL does not fill a developer's disk: databases earlier runs left are
/// dropped once they are stale, and one a running test made is kept.
@Suite struct TestPostgresTests {
    @Test func staleTestDatabasesAreDroppedAndFreshOnesKept() throws {
        let server = try TestPostgres.server.get()
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let stale = "gloss_test_1_\(suffix)", legacy = "gloss_test_\(suffix)0000"
        for name in [stale, legacy] { try TestPostgres.psql(server, "CREATE DATABASE \(name)") }
        let fresh = try TestPostgres.freshDatabase()
        let freshName = String(fresh.split(separator: "/").last!)

        TestPostgres.dropStaleDatabases(on: server)

        let left = Set(try TestPostgres.psql(server, "SELECT datname FROM pg_database").split(separator: "\n").map(String.init))
        #expect(!left.contains(stale) && !left.contains(legacy), "stale databases are dropped")
        #expect(left.contains(freshName), "a database made in this run is kept")
        try TestPostgres.psql(server, "DROP DATABASE \(freshName)")
    }
}
