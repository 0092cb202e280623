import Foundation
import GRDB
import GRDBSQLite
import GlossCore
import GlossSchema
import Synchronization

/// One analyst's local copy of the workspace: a single SQLite file (WAL) holding the
/// operation log, the materialised annotations, reports and the search index.
///
/// Every change a command makes — the operation, the state it produces and the clock —
/// is written in one transaction (see `Replica+Apply.swift`).
public final class Replica: Sendable {
    /// The file name of the replica inside a Gloss home.
    public static let fileName = "replica.sqlite"

    public let path: String
    /// One connection, serialising reads and writes. Every `gloss` command is a short process,
    /// and a `DatabasePool` made each one pay for a reader connection and a write at open
    /// (GRDB keeps the WAL file non-empty); several processes still share the file safely
    /// through SQLite's WAL locks.
    let pool: DatabaseQueue
    /// Milliseconds since the epoch; injected so tests can drive the clock.
    let now: @Sendable () -> Int64
    /// The id and counters this process writes under (see ``WriterSession``).
    let session: WriterSession
    /// The diffs between versions of a report this process computed (``TextRevisions``).
    let revisions = TextRevisions()
    /// The device key (``DeviceKeyFile``), read when first needed: a command that signs
    /// nothing does not open the file. A replica in memory holds a key of its own in memory.
    private let deviceKey = Mutex<DeviceKey?>(nil)

    /// Fresh salts for replica ids (``ReplicaClaim``): 128 bits from the system's random number generator.
    public static func randomSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return ReplicaClaim.randomSalt(using: &generator)
    }

    public static func systemMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Opens the replica in `home`, failing with a hint when `gloss init` has not run there.
    /// A file made by an earlier version is migrated first, once; `upgrade` hears of it when
    /// that takes over a second (see ``Upgrade``).
    public static func open(home: URL, now: @escaping @Sendable () -> Int64 = Replica.systemMillis,
                            newReplicaSalt: @escaping @Sendable () -> [UInt8] = Replica.randomSalt,
                            upgrade: (@Sendable (Upgrade) -> Void)? = nil) throws -> Replica {
        let file = home.appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: file) else {
            throw ReplicaError.notInitialized(home: home.path)
        }
        return try Replica(path: file, now: now, newReplicaSalt: newReplicaSalt, upgrade: upgrade)
    }

    /// Creates a new replica in `home` for `user`.
    @discardableResult
    public static func create(home: URL, user: String, workspace: String = "",
                              now: @escaping @Sendable () -> Int64 = Replica.systemMillis,
                              newReplicaSalt: @escaping @Sendable () -> [UInt8] = Replica.randomSalt) throws -> Replica {
        let user = try Self.canonical(user: user)
        let workspace = try workspace.isEmpty ? WorkspaceName.unbound : Self.canonical(workspace: workspace)
        let file = home.appendingPathComponent(fileName).path
        if FileManager.default.fileExists(atPath: file) {
            throw ReplicaError.alreadyInitialized(home: home.path)
        }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let replica = try Replica(path: file, now: now, newReplicaSalt: newReplicaSalt)
        try replica.name(user: user, workspace: workspace)
        _ = try replica.device()
        return replica
    }

    /// A new replica for `user` in memory: the same schema and transactions as on a file, gone
    /// with its last reference. For tests of what works through a replica (``SyncSession``
    /// through ``SyncingReplica``, the reader page's handlers) without a file.
    public static func inMemory(user: String, workspace: String = "",
                                now: @escaping @Sendable () -> Int64 = Replica.systemMillis,
                                newReplicaSalt: @escaping @Sendable () -> [UInt8] = Replica.randomSalt) throws -> Replica {
        let user = try Self.canonical(user: user)
        let workspace = try workspace.isEmpty ? WorkspaceName.unbound : Self.canonical(workspace: workspace)
        let replica = try Replica(path: Self.inMemoryPath, now: now, newReplicaSalt: newReplicaSalt)
        try replica.name(user: user, workspace: workspace)
        return replica
    }

    /// SQLite's name for a database that lives in memory.
    public static let inMemoryPath = ":memory:"

    private func name(user: UserName, workspace: WorkspaceName) throws {
        try pool.write { db in
            var meta = try Meta.load(db)
            meta.user = user
            meta.workspace = workspace
            try meta.save(db)
        }
    }

    init(path: String, now: @escaping @Sendable () -> Int64, newReplicaSalt: @escaping @Sendable () -> [UInt8],
         upgrade: (@Sendable (Upgrade) -> Void)? = nil) throws {
        self.path = path
        self.now = now
        self.session = WriterSession(salt: newReplicaSalt)
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // WAL is set when the file is made (it stays in the file). A 16 MB page cache holds a
            // pull page's writes and the indexes they touch: SQLite's 2 MB default made applying
            // 1.8× slower, while 8–64 MB applied a million operations within 10% of each other,
            // 16 MB among the fastest, and 64 MB was most of a pulling client's memory.
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; PRAGMA journal_size_limit = 0; PRAGMA wal_autocheckpoint = 8192")
            // Keep the WAL file when the last connection closes (checkpointed, then truncated):
            // otherwise the next command's first write re-creates it, with two fsyncs.
            var persist: Int32 = 1
            sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
        }
        do {
            pool = try DatabaseQueue(path: path, configuration: config)
            // A new file: 8 KB pages and WAL before anything is written (applying a million pulled
            // operations took 6–8% less time than with 4 KB pages: half as many pages to write
            // and copy back). Then the migrations, unless the file says (user_version, which
            // each migration sets) that all have run.
            let (isNew, version) = try pool.read { db in
                (try Int.fetchOne(db, sql: "PRAGMA page_count") == 0, try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0)
            }
            if isNew { try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA page_size = 8192; PRAGMA journal_mode = WAL") } }
            if version < Schema.replicaMigrationNames.count {
                try Upgrade.announcing(Array(Schema.replicaMigrationNames.dropFirst(version)), to: upgrade) {
                    try Self.migrator().migrate(pool)
                }
            }
        } catch let error as DatabaseError {
            throw ReplicaError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
    }

    /// This replica's device key, which signs the heads of its chains.
    func device() throws -> DeviceKey {
        try deviceKey.withLock { key in
            if let key { return key }
            let made: DeviceKey
            if path == Self.inMemoryPath {
                var generator = SystemRandomNumberGenerator()
                made = DeviceKey.generate(using: &generator)
            } else {
                made = try DeviceKeyFile.loadOrCreate(in: URL(fileURLWithPath: path).deletingLastPathComponent())
            }
            key = made
            return made
        }
    }

    /// The device's public key: what the workspace's root binds to this analyst.
    public func devicePublicKey() throws -> DevicePublicKey { try device().publicKey }

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in Schema.replicaMigrations() {
            migrator.registerMigration(migration.name) { db in
                // 012 mends replicas that ran 010 before it was edited (see the file).
                if migration.name == "012_revision_links", try !db.columns(in: "annotations").contains(where: { $0.name == "revises" }) {
                    try db.execute(sql: "ALTER TABLE annotations ADD COLUMN revises TEXT")
                }
                try db.execute(sql: migration.sql())
            }
        }
        return migrator
    }

    /// The settings and identity of this replica.
    public func meta() throws -> Meta {
        try pool.read { try Meta.load($0) }
    }

    /// The user's name in canonical form (``IdentityName``), as the team server has it.
    public static func canonical(user: String) throws -> UserName {
        do { return try UserName(user) } catch {
            throw ReplicaError.invalidName(.user, text: user, reason: "\(error)")
        }
    }

    public static func canonical(workspace: String) throws -> WorkspaceName {
        do { return try WorkspaceName(workspace) } catch {
            throw ReplicaError.invalidName(.workspace, text: workspace, reason: "\(error)")
        }
    }
}
