import Foundation
import GRDB
import GlossSchema
import Testing
@testable import GlossCore

/// The migration names compiled into `Schema` are exactly the shipped files, in order: a new
/// migration file that is not listed would never run.
@Suite struct SchemaTests {
    @Test func theReplicaMigrationListNamesEveryShippedFile() throws {
        #expect(Schema.replicaMigrationNames == (try Schema.shippedMigrationFiles(in: "replica")))
        for migration in Schema.replicaMigrations() { #expect(!(try migration.sql()).isEmpty) }
    }

    /// Opening a replica skips the migrator when user_version says every migration ran, so
    /// each migration must set it to its number.
    @Test func aNewReplicaRecordsThatEveryMigrationRan() throws {
        let home = TestHome()
        let replica = try home.replica("new", user: "alice")
        let version = try replica.pool.read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
        #expect(version == Schema.replicaMigrationNames.count, "the newest migration must set PRAGMA user_version to its number")
        #expect(try replica.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test func theServerMigrationListNamesEveryShippedFile() throws {
        #expect(Schema.serverMigrationNames == (try Schema.shippedMigrationFiles(in: "server")))
        for migration in Schema.serverMigrations() { #expect(!(try migration.sql()).isEmpty) }
    }
}
