import GRDB
import GlossCore

/// Items of the server's feed this replica did not take (``Sync/Skipped``): a sync names them
/// and goes on past them; they are kept here too (in `meta`, no schema of their own), so
/// that they can be named again later (``skippedFromServer()``).
extension Replica {
    static let skippedKey = "skipped_from_server:"
    /// The most kept; past it, the oldest are forgotten.
    static let maxSkippedKept = 1000

    /// Records items a sync skipped.
    public func recordSkipped(_ items: [Sync.Skipped]) throws {
        guard !items.isEmpty else { return }
        let time = now()
        try pool.write { db in
            for item in items {
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [Self.skippedKey + "\(item.kind.rawValue):\(item.id)", "\(time)\t\(item.reason)"])
            }
            let kept = try Self.skipped(in: db)
            for old in kept.dropFirst(Self.maxSkippedKept) {
                try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [Self.skippedKey + "\(old.item.kind.rawValue):\(old.item.id)"])
            }
        }
    }

    /// The items of the server's feed this replica skipped, newest first, with when (ms).
    public func skippedFromServer() throws -> [(item: Sync.Skipped, at: Int64)] {
        try pool.read { try Self.skipped(in: $0) }
    }

    static func skipped(in db: Database) throws -> [(item: Sync.Skipped, at: Int64)] {
        try MetaRow.prefixed(skippedKey, in: db).compactMap { row -> (item: Sync.Skipped, at: Int64)? in
            let key = row.key, value = row.value
            let name = key.dropFirst(skippedKey.count)
            guard let colon = name.firstIndex(of: ":"), let kind = Sync.Skipped.Kind(rawValue: String(name[..<colon])),
                  let tab = value.firstIndex(of: "\t"), let at = Int64(value[..<tab]) else { return nil }
            return (Sync.Skipped(kind: kind, id: String(name[name.index(after: colon)...]), reason: String(value[value.index(after: tab)...])), at)
        }
        .sorted { $0.at > $1.at }
    }
}
