import Foundation

/// The SQL migrations shipped with Gloss, read from this target's resources.
///
/// Files are named `NNN_name.sql` and applied in order; a shipped file is never edited,
/// a change is a new file.
public enum Schema {
    /// One migration: its name, and its SQL, read from disk only when the migration runs
    /// (every `gloss` command opens the replica, and usually nothing is pending).
    public struct Migration: Sendable {
        public let name: String
        let url: URL

        public func sql() throws -> String {
            try String(contentsOf: url, encoding: .utf8)
        }
    }

    /// The replica's migrations, in order.
    public static func replicaMigrations() throws -> [Migration] {
        try migrations(in: "replica")
    }

    /// The SQLite sync server's migrations, in order.
    public static func serverMigrations() throws -> [Migration] {
        try migrations(in: "server")
    }

    static func migrations(in folder: String) throws -> [Migration] {
        guard let dir = Bundle.module.url(forResource: folder, withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Schema/\(folder)"])
        }
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
            .map { Migration(name: $0.deletingPathExtension().lastPathComponent, url: $0) }
    }
}
