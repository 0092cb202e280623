import GRDB
import GlossCore

/// The replica's identity, clock and settings, as stored in the `meta` table.
public struct Meta: Sendable, Equatable {
    public var user = UserName(stored: "")
    /// ``WorkspaceName/unbound`` until the replica joins one.
    public var workspace = WorkspaceName.unbound
    /// The replica id the latest writing process used (shown in `gloss status`).
    public var replica = ReplicaID(rawValue: 0)
    /// The latest HLC issued or observed.
    public var clock = HLC.zero
    /// The team server, once `gloss remote add` ran.
    public var remoteURL = ""
    public var remoteToken = ""
    /// This user's role in the workspace, as the server last said (`gloss remote add`, a sync);
    /// nil when not known. A replica that knows it is a reader's refuses writes at once.
    public var role: Role?
    /// The server cursor up to which this replica has pulled.
    public var pullCursor: Int64 = 0
    /// The server store's epoch that cursor belongs to ("" before the first pull).
    public var pullEpoch = ""
    /// How far this replica has paged through the workspace's reports (same epoch).
    public var reportCursor: Int64 = 0
    public var lastSync: Int64 = 0

    static func load(_ db: Database) throws -> Meta {
        var meta = Meta()
        for row in try MetaRow.fetchAll(db, sql: "SELECT key, value FROM meta") {
            let value = row.value
            switch row.key {
            case "user": meta.user = UserName(stored: value)
            case "workspace": meta.workspace = WorkspaceName(stored: value)
            case "replica": meta.replica = ReplicaID(hex: value) ?? meta.replica
            case "clock_wall": meta.clock.wall = Int64(value) ?? 0
            case "clock_logical": meta.clock.logical = UInt32(value) ?? 0
            case "remote_url": meta.remoteURL = value
            case "remote_token": meta.remoteToken = value
            case "role": meta.role = Role(rawValue: value)
            case "pull_cursor": meta.pullCursor = Int64(value) ?? 0
            case "pull_epoch": meta.pullEpoch = value
            case "report_cursor": meta.reportCursor = Int64(value) ?? 0
            case "last_sync": meta.lastSync = Int64(value) ?? 0
            default: break
            }
        }
        return meta
    }

    func save(_ db: Database) throws {
        try Self.save([
            ("user", user.rawValue), ("workspace", workspace.rawValue), ("replica", replica.hex),
            ("clock_wall", String(clock.wall)), ("clock_logical", String(clock.logical)), ("remote_url", remoteURL),
            ("remote_token", remoteToken), ("role", role?.rawValue ?? ""), ("pull_cursor", String(pullCursor)), ("pull_epoch", pullEpoch),
            ("report_cursor", String(reportCursor)),
            ("last_sync", String(lastSync)),
        ], db)
    }

    /// Saves what a writing process changes: the clock, and the replica id it wrote under.
    static func save(clock: HLC, replica: ReplicaID, _ db: Database) throws {
        try save([("replica", replica.hex), ("clock_wall", String(clock.wall)), ("clock_logical", String(clock.logical))], db)
    }

    private static func save(_ pairs: [(String, String)], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO meta(key, value) VALUES (?, ?)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value
            """)
        for (key, value) in pairs { try statement.execute(arguments: [key, value]) }
    }
}
