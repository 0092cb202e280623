import Foundation

/// The SQL migrations shipped with Gloss, read from this target's resources.
///
/// Files are named `NNN_name.sql` and applied in order; a shipped file is never edited,
/// a change is a new file.
public enum Schema {
    /// The replica's migrations as (name, SQL), in order.
    public static func replicaMigrations() throws -> [(name: String, sql: String)] {
        try migrations(in: "replica")
    }

    /// The SQLite sync server's migrations as (name, SQL), in order.
    public static func serverMigrations() throws -> [(name: String, sql: String)] {
        try migrations(in: "server")
    }

    static func migrations(in folder: String) throws -> [(name: String, sql: String)] {
        guard let dir = Bundle.module.url(forResource: folder, withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Schema/\(folder)"])
        }
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map { ($0.deletingPathExtension().lastPathComponent, try String(contentsOf: $0, encoding: .utf8)) }
    }
}
