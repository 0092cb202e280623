import Crypto
import Foundation
import GRDB
import GlossSchema
import Testing
import GlossCore
@testable import GlossReplica

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
        #expect(Schema.postgresMigrationNames == (try Schema.shippedMigrationFiles(in: "postgres")))
        for migration in Schema.postgresMigrations() { #expect(!(try migration.sql()).isEmpty) }
    }

    /// A shipped migration is never edited (a database that ran it would not run it again):
    /// each file's SHA-256 as it shipped. A new migration adds its line here.
    static let shipped: [String: String] = [
        "replica/001_initial": "c849091eab1ee534720d947222dfc93208f2b115d8b73b11a3f075059967a9b3",
        "replica/002_sync": "4b8776fc66f88524b110b067a16848bbd6d71f56113abc75b673d8f0af88e8dd",
        "replica/003_tag_lookup": "850289d4f2c832714b3186cf18003bfa0430686df9ecc46bac9d79c871eb5624",
        "replica/004_append_indexes": "f0a782cf29b5da9ddcccb9066eddb29590ecc14bd01120227f48ebcd0fb14afa",
        "replica/005_lean_rows": "c8b7416d961656145fa0b68c87cc5f3f050f81cf5967fdbb0247aea069c5013d",
        "replica/006_log_by_annotation_row": "a5b94a96b2fcf3f3f39836b30d318462f3d9e3a97b1ceb86d02bd3006384654c",
        "replica/007_replica_claims": "3beebea7698a56bb40c7f85d78b1791dbc5777b9c99083e23c41bc37e078cc47",
        "replica/008_row_numbers": "0710fbe63f027e297374018df2fc6d193e1975c0ccfd982a2ed7ee5671d0086e",
        "replica/009_tallies": "7fba1cfb7440e70dc248735f6fb8644ace809959add1c9f1ac5a6b6139501f04",
        "replica/010_shared_reports": "7733ce4ed2f1720b17c0c41cc0ccc5a38312ebea629cc6d80fd631f4923858e7",
        "replica/011_quarantine": "8ec093b0e8ca3a1188d357297303535fbbf7455f77da606400a0eabd5a10aefa",
        "replica/012_revision_links": "183a51b2073eb401b52dbc868b649fc218e6d698e3754aa123270e99a905004c",
        "replica/013_unsent_tally": "5f1f946e8b84c700b30b38bff67639b3c89a40931365dd9e608b65cd2a592c57",
        "replica/014_signing": "8aa8706892d2e1a70d69793461bade859cb4264f84ce26e8d127615d393aa5ab",
        "server/001_initial": "5ea6e7c550f03cc8bf739f4c1ae2f212528eddb93d3567c3b28c2966724faebc",
        "server/002_refusals": "2203386d7a2c7aa994b8f2e4a2a00974b2da41d95eacbd42244c4a7ae18a5a50",
        "server/003_identity": "ff00e23d78eb70901b1d5f56f72b61d68b075c9eebeee208d82fef8b0c5e12b3",
        "server/004_epoch": "fdf85f1ae5acd856d43cc2492cae9499dbd2691d269ef78aeff78c402a57c2a9",
        "server/005_report_order": "b5489a25ff77f95e936fac91f3d296417b454624968b2421435416c20b7a8edb",
        "postgres/001_initial": "5def5181ffea65e1d05df708913b10e98bc9c8966bc06d1a6e6e170e38a2d168",
        "postgres/002_report_order": "e2bb4efd4b37dd5e393617585dbedc1e44abaf52a53817cf15493c029c1f2b4b",
        "server/006_removed_users": "884cfe3a72d21cc4357d85d05900ecd9a93c7dec9f0d8143b7264579c1c5b9a3",
        "postgres/003_removed_users": "a1aa6434c3204479f46831d356d954edea20e2b404381ea0c8d7f646d0b674c3",
        "server/007_quarantine": "8b69db03381d53227ea8df58159ed0c45d03dd4e87065de804af4c76871c2dbc",
        "postgres/004_quarantine": "d60dad0823c0aed3bfb175636a3106a404cfdda7a27b7ac02c89abfa47a8f840",
        "server/008_workspace_roots": "2ecc9e45cc9d8d8105bf337452a2d56cc4362a2cb168b4f0c2fc799daffa5e4d",
        "postgres/005_workspace_roots": "acfaff1e26ad478d64b3bb609d884974593ea42e9a4de96197cd0eb119eb9073",
        "server/009_key_revocations": "d3ec142838b39eb82187b58c0dd03dd312b41df9222ab48055ce62ced724e54f",
        "postgres/006_key_revocations": "006fc9fb738f0bd5c82cd32c039d2eb441134c150b29a92fb75aeb605a104eb2",
        "server/010_signed_runs": "8bcb6352215eb303fc29afc9391032cb4993395613a7a1d60561818984657a0a",
        "postgres/007_signed_runs": "dcb2f41df7576cf59701869645655ea3b2ec7304a12153241994d0853dde7038",
        "server/011_legacy_cutoffs": "406621b1cec7f042f6e9c9d31b6a4e894e8cc42872c340d264e956a9291cd732",
        "postgres/008_legacy_cutoffs": "109f335416b4be21db8c7f51f367dd59f4e061d5ecfa69244a740a033e3a0d5e",
    ]

    @Test func shippedMigrationsAreNeverEdited() throws {
        var seen: [String] = []
        for (folder, migrations) in [("replica", Schema.replicaMigrations()), ("server", Schema.serverMigrations()),
                                       ("postgres", Schema.postgresMigrations())] {
            for migration in migrations {
                let key = "\(folder)/\(migration.name)"
                seen.append(key)
                let digest = SHA256.hash(data: Data(try migration.sql().utf8)).map { String(format: "%02x", $0) }.joined()
                #expect(Self.shipped[key] == digest, "\(key) changed after it shipped: write a new migration instead")
            }
        }
        #expect(Set(seen) == Set(Self.shipped.keys))
    }

    /// `010_shared_reports` as it first shipped (17165af), before an edit added the revision
    /// links' column to it: what a replica migrated in between ran.
    static let first010 = """
        ALTER TABLE reports ADD COLUMN local INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX reports_to_send ON reports(id) WHERE uploaded = 0 AND local = 0;
        CREATE TABLE syncs (
            started     INTEGER PRIMARY KEY,
            after_seq   INTEGER NOT NULL,
            after_row   INTEGER NOT NULL,
            last_seq    INTEGER NOT NULL,
            last_row    INTEGER NOT NULL
        );
        PRAGMA user_version = 10;
        """

    /// Issue 25, item 5: a replica at version 10 without `annotations.revises` (it ran the first
    /// 010) holding a revision link. Opening it with this version mends it (012): the link is
    /// found again, and the notes follow the revision.
    @Test func aReplicaThatRanTheFirst010IsMendedBy012() throws {
        let home = TestHome()
        // The link and the note, made by this version, to copy into the old file.
        let made = try home.replica("made", user: "alice")
        let old = Sample.report
        let new = Report(title: old.title + " (revised)", summary: old.summary, sections: old.sections + [.init(heading: "", paragraphs: ["More."])])
        _ = try made.importReport(old, source: "old.txt")
        _ = try made.importReport(new, source: "new.txt")
        let note = try made.annotate(Creation(report: old.id, target: try Sample.target("Most Dangerous"), motivation: .commenting, body: "n"))
        try made.linkRevision(of: new.id, revises: old.id)

        // The old file: migrations 001–009, then the first 010, as GRDB's migrator records them.
        let oldHome = home.url.appendingPathComponent("old")
        try FileManager.default.createDirectory(at: oldHome, withIntermediateDirectories: true)
        let path = oldHome.appendingPathComponent("replica.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            for migration in Schema.replicaMigrations().prefix(9) {
                try db.execute(sql: migration.sql())
                try db.execute(sql: "INSERT INTO grdb_migrations VALUES (?)", arguments: [migration.name])
            }
            try db.execute(sql: Self.first010)
            try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('010_shared_reports')")
            #expect(try !db.columns(in: "annotations").contains { $0.name == "revises" }, "the state to mend")
            try db.execute(sql: "ATTACH DATABASE ? AS made", arguments: [made.path])
            let columns = try db.columns(in: "annotations").map(\.name).joined(separator: ", ")
            let reportColumns = try db.columns(in: "reports").map(\.name).joined(separator: ", ")
            try db.execute(sql: """
                INSERT INTO meta SELECT * FROM made.meta;
                INSERT INTO reports(\(reportColumns)) SELECT \(reportColumns) FROM made.reports;
                INSERT INTO annotations(\(columns)) SELECT \(columns) FROM made.annotations;
                """)
        }
        try queue.close()

        let mended = try Replica.open(home: oldHome)
        #expect(try mended.pool.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == Schema.replicaMigrationNames.count)
        #expect(try mended.revisedReport(of: new.id) == old.id, "the link is found again")
        let shown = try mended.annotationsFollowingRevisions(of: new)
        #expect(shown.first { $0.id == note.id }?.reanchor?.status == .exact, "the note follows the revision")
        // And 012 changes nothing on a replica that never lacked the column.
        #expect(try made.revisedReport(of: new.id) == old.id)
    }
}
