import Foundation

/// The SQL migrations shipped with Gloss, read from this target's resources.
///
/// Files are named `NNN_name.sql` and applied in order; a shipped file is never edited, a change
/// is a new file, named in the list below too. The names are compiled in so that opening a replica,
/// which every `gloss` command does, touches no resource bundle; a migration's SQL is read only
/// when it runs. `SchemaTests` checks that the lists and the files agree.
public enum Schema {
    /// The replica's migrations, in order (`Schema/replica`).
    public static let replicaMigrationNames = ["001_initial", "002_sync", "003_tag_lookup", "004_append_indexes", "005_lean_rows", "006_log_by_annotation_row", "007_replica_claims", "008_row_numbers", "009_tallies", "010_shared_reports", "011_quarantine", "012_revision_links", "013_unsent_tally", "014_signing"]
    /// The SQLite sync server's migrations, in order (`Schema/server`).
    public static let serverMigrationNames = ["001_initial", "002_refusals", "003_identity", "004_epoch", "005_report_order", "006_removed_users", "007_quarantine", "008_workspace_roots", "009_key_revocations", "010_signed_runs", "011_legacy_cutoffs"]
    /// The PostgreSQL sync server's migrations, in order (`Schema/postgres`).
    public static let postgresMigrationNames = ["001_initial", "002_report_order", "003_removed_users", "004_quarantine", "005_workspace_roots", "006_key_revocations", "007_signed_runs", "008_legacy_cutoffs"]

    /// One migration: its name, and its SQL, read from disk only when the migration runs.
    public struct Migration: Sendable {
        public let name: String
        let folder: String

        public func sql() throws -> String {
            guard let url = Bundle.module.url(forResource: name, withExtension: "sql", subdirectory: folder) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Schema/\(folder)/\(name).sql"])
            }
            return try String(contentsOf: url, encoding: .utf8)
        }
    }

    /// The replica's migrations, in order.
    public static func replicaMigrations() -> [Migration] {
        replicaMigrationNames.map { Migration(name: $0, folder: "replica") }
    }

    /// The SQLite sync server's migrations, in order.
    public static func serverMigrations() -> [Migration] {
        serverMigrationNames.map { Migration(name: $0, folder: "server") }
    }

    /// The PostgreSQL sync server's migrations, in order.
    public static func postgresMigrations() -> [Migration] {
        postgresMigrationNames.map { Migration(name: $0, folder: "postgres") }
    }

    /// The migration files shipped in `folder`, by name, in order (for checking the lists above).
    public static func shippedMigrationFiles(in folder: String) throws -> [String] {
        guard let dir = Bundle.module.url(forResource: folder, withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Schema/\(folder)"])
        }
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .map { $0.deletingPathExtension().lastPathComponent }
            .sorted()
    }
}
