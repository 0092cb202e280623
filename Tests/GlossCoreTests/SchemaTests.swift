import GlossSchema
import Testing

/// The migration names compiled into `Schema` are exactly the shipped files, in order: a new
/// migration file that is not listed would never run.
@Suite struct SchemaTests {
    @Test func theReplicaMigrationListNamesEveryShippedFile() throws {
        #expect(Schema.replicaMigrationNames == (try Schema.shippedMigrationFiles(in: "replica")))
        for migration in Schema.replicaMigrations() { #expect(!(try migration.sql()).isEmpty) }
    }

    @Test func theServerMigrationListNamesEveryShippedFile() throws {
        #expect(Schema.serverMigrationNames == (try Schema.shippedMigrationFiles(in: "server")))
        for migration in Schema.serverMigrations() { #expect(!(try migration.sql()).isEmpty) }
    }
}
