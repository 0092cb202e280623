import Foundation
import GlossCore
import GlossSchema
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import ServiceLifecycle

/// A ``SyncStore`` on PostgreSQL, so that several stateless `gloss-server` instances can serve
/// one team (`gloss-server --postgres URL …`). SQLite stays the default.
///
/// Numbering is gapless in commit order: a push that stores operations locks its workspace's
/// `heads` row as late as it can (after reading facts and deciding), numbers from `seq + 1`, and
/// holds the lock until it commits, so a later number never becomes visible before an earlier
/// one (the argument is in docs/server.md; `PostgresInterleavingTests` shows it). Pulls read the
/// primary. Rules stay in ``PushPolicy`` and ``PullPager``; this type fetches and persists.
final class PostgresSyncStore: SyncStore {
    let client: PostgresClient
    let url: PostgresURL
    let epoch: String
    let logger: Logger
    let metrics: ServerMetrics
    /// Called inside a push transaction once its operations are numbered, before it commits:
    /// for tests that force an interleaving. Nil in the server.
    let afterNumbering: (@Sendable (_ workspace: String, _ head: Int64) async -> Void)?
    /// The pool's own task when it runs by itself (``PoolRunning/byItself``); nil when the
    /// caller's service group runs ``client``.
    private let running: Task<Void, Never>?
    /// Each workspace's group commit (``push(_:claims:policy:)``).
    let batchers = NIOLockedValueBox([String: Batcher<PendingPush, PushOutcome>]())

    /// The channel pushes are announced on, after they commit (``PostgresListener``).
    static let channel = "gloss_push"

    private init(client: PostgresClient, url: PostgresURL, epoch: String, logger: Logger, metrics: ServerMetrics,
                 afterNumbering: (@Sendable (String, Int64) async -> Void)?, running: Task<Void, Never>?) {
        self.client = client
        self.url = url
        self.epoch = epoch
        self.logger = logger
        self.metrics = metrics
        self.afterNumbering = afterNumbering
        self.running = running
    }

    /// Who runs the connection pool (``client``, a `Service`).
    enum PoolRunning: Sendable {
        /// `gloss-server serve`: its service group runs the pool, first in and last out, so the
        /// pool stops after the requests and the listener, within the group's own bounds.
        case asService
        /// The admin commands, tools and tests, which have no service group: the pool runs in a
        /// task of its own until ``shutdown()``.
        case byItself
    }

    /// Connects, brings the schema up to date (once, whichever instance gets there first) and
    /// reads the store's epoch. The first connection is one of its own, so that a store that
    /// cannot be reached says why (refused, unknown database, wrong password). A database where
    /// the gloss schema was never made is refused unless `opening` may make it (``StoreLocation/Opening``).
    static func open(_ url: PostgresURL, _ opening: StoreLocation.Opening = .existing,
                     logger: Logger = Logger(label: "gloss-server.postgres"),
                     metrics: ServerMetrics = ServerMetrics(), pool: PoolRunning = .byItself,
                     afterNumbering: (@Sendable (String, Int64) async -> Void)? = nil) async throws -> PostgresSyncStore {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)
        let epoch: String
        do {
            let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 0, logger: quiet)
            do {
                try await requireSchema(opening, connection, url: url, logger: quiet)
                try await migrate(connection, logger: quiet)
                epoch = try await connection.query("SELECT value FROM meta WHERE key = 'epoch'", logger: quiet)
                    .collect().first?.decode(String.self) ?? ""
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            if let error = error as? StoreError { throw error }
            throw StoreError(.invalid, "cannot open the PostgreSQL store at \(url): \(describePostgres(error))",
                             hint: "check that PostgreSQL runs there and that the user may connect: `psql '\(url)'`")
        }
        // The pool's own log says little a team's admin can act on (and warns, racily, when the
        // first lease comes before `run()` has started); our errors carry what it knows.
        var background = quiet
        background.logLevel = .error
        let client = PostgresClient(configuration: url.configuration, backgroundLogger: background)
        let running: Task<Void, Never>? = switch pool {
        case .asService: nil
        case .byItself: Task { await client.run() }
        }
        return PostgresSyncStore(client: client, url: url, epoch: epoch, logger: quiet, metrics: metrics,
                                 afterNumbering: afterNumbering, running: running)
    }

    /// The pool first, when the group runs it: a group stops its services in reverse, so the
    /// pool stops last, after the server's requests and the listener are done with it.
    func services(notifier: PushNotifier, logger: Logger) -> [any Service] {
        (running == nil ? [client] : []) + [PostgresListener(store: self, notifier: notifier, logger: logger)]
    }

    /// Closes every connection of a pool that runs by itself: waits up to 5 s for the pool to
    /// close, then goes on (a process that is exiting must not wait on a connection PostgreSQL
    /// already cut). A service group stops a pool it runs itself, within its own bounds.
    func shutdown() async {
        guard let running else { return }
        running.cancel()
        let closed = NIOLockedValueBox<CheckedContinuation<Void, Never>?>(nil)
        await withCheckedContinuation { continuation in
            closed.withLockedValue { $0 = continuation }
            let running = running
            Task {
                await running.value
                closed.withLockedValue { $0.take() }?.resume()
            }
            Task {
                try? await Task.sleep(for: .seconds(5))
                closed.withLockedValue { $0.take() }?.resume()
            }
        }
    }

    // MARK: Schema

    /// Applies the migrations not yet applied, each in its own transaction, under an advisory
    /// lock so that instances starting together migrate once.
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_lock(\(migrationLock))", logger: logger)
        do {
            // A new store's schema is made in one transaction: a migration that fails leaves
            // the database as it was, without even `gloss_migrations`.
            let made = try await connection.query("SELECT to_regclass('gloss_migrations') IS NOT NULL", logger: logger)
                .collect().first?.decode(Bool.self) ?? false
            if !made {
                try await connection.withTransaction(logger: logger) { connection in
                    try await connection.query("CREATE TABLE gloss_migrations (name TEXT PRIMARY KEY, applied BIGINT NOT NULL)", logger: logger)
                    for migration in Schema.postgresMigrations() {
                        for statement in SQLScript.statements(try migration.sql()) {
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await connection.query("INSERT INTO gloss_migrations (name, applied) VALUES (\(migration.name), \(Names.millisNow()))",
                                                   logger: logger)
                    }
                }
            }
            try await connection.query("CREATE TABLE IF NOT EXISTS gloss_migrations (name TEXT PRIMARY KEY, applied BIGINT NOT NULL)",
                                       logger: logger)
            let applied = Set(try await connection.query("SELECT name FROM gloss_migrations", logger: logger)
                .collect().map { try $0.decode(String.self) })
            for migration in Schema.postgresMigrations() where !applied.contains(migration.name) {
                let statements = SQLScript.statements(try migration.sql())
                let name = migration.name
                try await connection.withTransaction(logger: logger) { connection in
                    for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                    try await connection.query("INSERT INTO gloss_migrations (name, applied) VALUES (\(name), \(Names.millisNow()))", logger: logger)
                }
            }
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(migrationLock))", logger: logger)
            throw error
        }
        try await connection.query("SELECT pg_advisory_unlock(\(migrationLock))", logger: logger)
    }

    /// Refuses a database without the gloss schema unless it may be made, and one with it when
    /// it must be new. `gloss_migrations` is the first table a migration makes.
    static func requireSchema(_ opening: StoreLocation.Opening, _ connection: PostgresConnection, url: PostgresURL,
                              logger: Logger) async throws {
        let made = try await connection.query("SELECT to_regclass('gloss_migrations') IS NOT NULL", logger: logger)
            .collect().first?.decode(Bool.self) ?? false
        if !made, opening != .existing {
            // Making the schema in a database that holds another application's tables would
            // mix the two, or fail half-way on a clash of names: refuse before writing anything.
            let tables = try await connection.query(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename", logger: logger)
                .collect().map { try $0.decode(String.self) }
            if !tables.isEmpty {
                let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", … (\(tables.count) in all)" : "")
                throw StoreError(.conflict, "the PostgreSQL database \(url) holds another application's tables (\(shown)) and no gloss team; nothing was written to it",
                                 hint: "give gloss a database of its own: `createdb gloss` and pass its URL")
            }
        }
        switch opening {
        case .existing where !made:
            throw StoreError(.notFound, "no gloss team in the PostgreSQL database \(url): its schema was never made",
                             hint: "to start a new team there, make its schema with `gloss-server init --postgres '\(url)'` "
                                 + "(or add --create to this command); check the database name if the team is elsewhere")
        case .new where made:
            throw StoreError(.conflict, "the PostgreSQL database \(url) already holds a gloss team; it was left as it is",
                             hint: "to work on that team, name it with --postgres; for a new team, create another database (`createdb`)")
        default:
            return
        }
    }

    /// The advisory lock key migrations hold ("gloss" in ASCII).
    static let migrationLock: Int64 = 0x676c_6f73_73

    func checkReady() async throws {
        let applied = try await run("SELECT name FROM gloss_migrations ORDER BY name").map { try $0.decode(String.self) }
        guard applied == Schema.postgresMigrationNames else {
            throw StoreError(.invalid, "the PostgreSQL schema is at \(applied.last ?? "nothing"), not \(Schema.postgresMigrationNames.last ?? "")")
        }
    }

    // MARK: Statements

    /// One statement on a connection from the pool, its rows collected, within ``AnswerBound``.
    @discardableResult
    func run(_ query: PostgresQuery) async throws -> [PostgresRow] {
        let client = client, logger = logger
        return try await AnswerBound.within { try await client.query(query, logger: logger).collect() }
    }

    // MARK: Transactions

    /// Runs `body` in a transaction, again (up to 5 times) when PostgreSQL aborts it for a
    /// deadlock, a serialization failure or a unique violation a concurrent push caused; the
    /// body then reads the facts afresh. Errors from `body` come out as they were thrown.
    ///
    /// Not PostgresNIO's `withTransaction`: after the server closed the connection (a restart, an
    /// admin's `pg_terminate_backend`), that one sends ROLLBACK on it, which never returns (see
    /// ``TransactionConnection``), and every later push to the workspace waited behind it.
    func transaction<T: Sendable>(_ body: @Sendable (TransactionConnection) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    let transaction = TransactionConnection(connection: connection)
                    try await transaction.query("BEGIN", logger: logger)
                    do {
                        let value = try await body(transaction)
                        try await transaction.query("COMMIT", logger: logger)
                        return value
                    } catch {
                        // On a closed connection the server has rolled the transaction back already.
                        _ = try? await transaction.query("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            } catch let error as PSQLError where attempt < 5 && ["40P01", "40001", "23505"].contains(error.sqlState ?? "") {
                logger.debug("retrying a transaction", metadata: ["sqlstate": .string(error.sqlState ?? ""), "attempt": "\(attempt)"])
            }
        }
    }

    // MARK: Identity

    func token(id: String) async throws -> StoredToken? {
        try await run("SELECT id, user_name, hash, created, revoked FROM tokens WHERE id = \(id)").first.map { row in
                let (id, user, hash, created, revoked) = try row.decode((String, String, Data, Int64, Int64?).self)
                return StoredToken(id: id, user: UserName(stored: user), secretHash: Array(hash), created: created, revoked: revoked)
            }
    }

    func token(id: String, roleIn workspace: WorkspaceName) async throws -> (token: StoredToken, role: Role?)? {
        let workspace = workspace.rawValue
        return try await run("""
            SELECT t.id, t.user_name, t.hash, t.created, t.revoked, m.role
            FROM tokens t LEFT JOIN members m ON m.workspace = \(workspace) AND m.user_name = t.user_name
            WHERE t.id = \(id)
            """).first.map { row in
            let (id, user, hash, created, revoked, role) = try row.decode((String, String, Data, Int64, Int64?, String?).self)
            return (StoredToken(id: id, user: UserName(stored: user), secretHash: Array(hash), created: created, revoked: revoked),
                    role.flatMap(Role.init(rawValue:)))
        }
    }

    func allowedTokens(_ ids: [String], in workspace: WorkspaceName) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let workspace = workspace.rawValue
        return Set(try await run("""
            SELECT t.id FROM tokens t JOIN members m ON m.workspace = \(workspace) AND m.user_name = t.user_name
            WHERE t.revoked IS NULL AND t.id = ANY(\(ids)::text[])
            """).map { try $0.decode(String.self) })
    }

    func role(of user: UserName, in workspace: WorkspaceName) async throws -> Role? {
        let user = user.rawValue
        let workspace = workspace.rawValue
        return try await run("SELECT role FROM members WHERE workspace = \(workspace) AND user_name = \(user)").first.flatMap { Role(rawValue: try $0.decode(String.self)) }
    }

    func memberships(of user: UserName) async throws -> [Sync.WhoAmI.Membership] {
        let user = user.rawValue
        return try await run("""
            SELECT workspace, role FROM members WHERE user_name = \(user) ORDER BY workspace COLLATE "C"
            """).compactMap { row in
            let (workspace, role) = try row.decode((String, String).self)
            return Role(rawValue: role).map { Sync.WhoAmI.Membership(workspace: WorkspaceName(stored: workspace), role: $0) }
        }
    }

    // MARK: Reports

    func storeReport(_ report: Report, in workspace: WorkspaceName) async throws -> Bool {
        let workspace = workspace.rawValue
        let json = try JSON.string(report)
        return try await transaction { [logger] connection in
            // Numbered under the workspace's report lock, so that numbers commit in order on
            // every instance and a teammate paging with `after` never steps over one.
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.reportLock), hashtext(\(workspace)))", logger: logger)
            let rows = try await connection.query("""
                INSERT INTO reports (workspace, id, title, json, seq)
                VALUES (\(workspace), \(report.id.rawValue), \(report.title), \(json),
                        (SELECT coalesce(max(seq), 0) + 1 FROM reports WHERE workspace = \(workspace)))
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger).collect()
            return !rows.isEmpty
        }
    }

    /// The first key of the advisory locks that number a workspace's reports ("rpt").
    static let reportLock: Int32 = 0x72_70_74

    func reports(in workspace: WorkspaceName, after: Int64, limit: Int, maxBytes: Int) async throws -> ReportRows {
        let workspace = workspace.rawValue
        let rows = try await run("""
            SELECT seq, json FROM reports r WHERE workspace = \(workspace) AND seq > \(after)
            AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.workspace = r.workspace AND q.kind = 'report' AND q.seq = r.seq)
            ORDER BY seq LIMIT \(limit + 1)
            """).map { row in
            let (seq, json) = try row.decode((Int64, String).self)
            return (seq: seq, json: json)
        }
        return ReportRows(rows: rows, after: after, limit: limit, maxBytes: maxBytes)
    }

    func reportHead(of workspace: WorkspaceName) async throws -> Int64 {
        let workspace = workspace.rawValue
        return try await run("SELECT coalesce(max(seq), 0)::bigint FROM reports WHERE workspace = \(workspace)").first?.decode(Int64.self) ?? 0
    }

    func report(_ id: ReportID, in workspace: WorkspaceName) async throws -> Report? {
        let workspace = workspace.rawValue
        let json = try await run("""
            SELECT json FROM reports r WHERE workspace = \(workspace) AND id = \(id.rawValue)
            AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.workspace = r.workspace AND q.kind = 'report' AND q.seq = r.seq)
            """).first?.decode(String.self)
        return try json.map { try JSON.decode(Report.self, from: $0) }
    }

    // MARK: Administration

    func addUser(_ name: UserName, now: Int64) async throws {
        let name = name.rawValue
        try StoreNames.requireCanonical(name, as: "user")
        try await transaction { [logger] connection in
            let rows = try await connection.query("SELECT name, removed IS NOT NULL FROM users", logger: logger).collect()
                .map { try $0.decode((String, Bool).self) }
            try StoreNames.requireNew(name, .user, among: rows.map { $0.0 }, removed: rows.filter { $0.1 }.map { $0.0 })
            try await connection.query("INSERT INTO users (name, created) VALUES (\(name), \(now))", logger: logger)
        }
    }

    func users() async throws -> [UserSummary] {
        let memberships = Dictionary(grouping: try await run("""
            SELECT user_name, workspace FROM members ORDER BY workspace COLLATE "C"
            """).map { try $0.decode((String, String).self) }, by: { $0.0 })
        return try await run("""
            SELECT name, created, removed,
                   (SELECT count(*) FROM tokens WHERE tokens.user_name = users.name AND tokens.revoked IS NULL)
            FROM users ORDER BY name COLLATE "C"
            """).map { row in
            let (name, created, removed, active) = try row.decode((String, Int64, Int64?, Int64).self)
            return UserSummary(name: UserName(stored: name), created: created, removed: removed, activeTokens: Int(active),
                               workspaces: memberships[name, default: []].map { WorkspaceName(stored: $0.1) })
        }
    }

    func removeUser(_ name: UserName, now: Int64) async throws -> UserRemoval {
        let name = name.rawValue
        return try await transaction { [logger] connection in
            let found = try await connection.query("SELECT removed FROM users WHERE name = \(name) FOR UPDATE", logger: logger)
                .collect().first.map { try $0.decode(Int64?.self) }
            try StoreNames.requireActive(name, removed: found)
            let tokens = try await connection.query("""
                UPDATE tokens SET revoked = \(now) WHERE user_name = \(name) AND revoked IS NULL RETURNING id
                """, logger: logger).collect().map { try $0.decode(String.self) }
            let workspaces = try await connection.query("DELETE FROM members WHERE user_name = \(name) RETURNING workspace", logger: logger)
                .collect().map { try $0.decode(String.self) }
            try await connection.query("UPDATE users SET removed = \(now) WHERE name = \(name)", logger: logger)
            return UserRemoval(user: UserName(stored: name), revokedTokens: tokens.sorted(),
                               leftWorkspaces: workspaces.map(WorkspaceName.init(stored:)).sorted())
        }
    }

    func addToken(_ token: StoredToken) async throws {
        try await transaction { [logger] connection in
            let found = try await connection.query("SELECT removed FROM users WHERE name = \(token.user.rawValue) FOR SHARE", logger: logger)
                .collect().first.map { try $0.decode(Int64?.self) }
            try StoreNames.requireActive(token.user.rawValue, removed: found)
            try await connection.query("""
                INSERT INTO tokens (id, user_name, hash, created, revoked)
                VALUES (\(token.id), \(token.user.rawValue), \(Data(token.secretHash)), \(token.created), \(token.revoked))
                """, logger: logger)
        }
    }

    func revokeToken(id: String, now: Int64) async throws -> Bool {
        try await !run("UPDATE tokens SET revoked = COALESCE(revoked, \(now)) WHERE id = \(id) RETURNING 1").isEmpty
    }

    func createWorkspace(_ name: WorkspaceName, now: Int64) async throws {
        let name = name.rawValue
        try StoreNames.requireCanonical(name, as: "workspace")
        try await transaction { [logger] connection in
            let names = try await connection.query("SELECT name FROM workspaces", logger: logger).collect().map { try $0.decode(String.self) }
            try StoreNames.requireNew(name, .workspace, among: names)
            try await connection.query("INSERT INTO workspaces (name, created) VALUES (\(name), \(now))", logger: logger)
            try await connection.query("INSERT INTO heads (workspace, seq) VALUES (\(name), 0)", logger: logger)
        }
    }

    func root(of workspace: WorkspaceName, now: Int64, make: @Sendable () -> RootKey) async throws -> RootKey {
        let name = workspace.rawValue
        let made = make()
        return try await transaction { [logger] connection in
            guard try await !connection.query("SELECT 1 FROM workspaces WHERE name = \(name)", logger: logger).collect().isEmpty else {
                throw StoreNames.noWorkspace(name)
            }
            // Two admins at once: the first root made is the one kept, and both are given it.
            let inserted = try await connection.query("""
                INSERT INTO workspace_roots (workspace, private_key, created) VALUES (\(name), \(made.key.text), \(now))
                ON CONFLICT (workspace) DO NOTHING RETURNING 1
                """, logger: logger).collect()
            if !inserted.isEmpty {
                var highest: [ReplicaID: UInt64] = [:]
                for row in try await connection.query("""
                    SELECT replica, max(counter) FROM operations WHERE workspace = \(name) AND NOT private GROUP BY replica
                    """, logger: logger).collect() {
                    let (replica, counter) = try row.decode((String, Int64).self)
                    if let replica = ReplicaID(hex: replica) { highest[replica] = UInt64(counter) }
                }
                if let cutoff = LegacyCutoff.upgrade(workspace: workspace, highestTeamCounters: highest, issued: now, root: made) {
                    try await connection.query("INSERT INTO legacy_cutoffs (workspace, body) VALUES (\(name), \(JSONWriter.string(cutoff)))",
                                               logger: logger)
                }
            }
            let stored = try await connection.query("SELECT private_key FROM workspace_roots WHERE workspace = \(name)", logger: logger)
                .collect().map { try $0.decode(String.self) }
            return try StoreTrust.root(stored.first ?? "", of: name)
        }
    }

    func addBinding(_ binding: KeyBinding) async throws {
        let inserted = try await run("""
            INSERT INTO key_bindings (workspace, user_name, key, body)
            VALUES (\(binding.workspace.rawValue), \(binding.user.rawValue), \(binding.key.text), \(JSONWriter.string(binding)))
            ON CONFLICT (workspace, key) DO NOTHING RETURNING 1
            """)
        if inserted.isEmpty { throw StoreTrust.keyBound(binding) }
    }

    func bindings(in workspace: WorkspaceName) async throws -> [KeyBinding] {
        try await run("SELECT body FROM key_bindings WHERE workspace = \(workspace.rawValue) ORDER BY seq").map {
            try KeyBinding.read(try $0.decode(String.self))
        }
    }

    func addRevocation(_ revocation: KeyRevocation) async throws {
        try await run("""
            INSERT INTO key_revocations (workspace, key, body)
            VALUES (\(revocation.workspace.rawValue), \(revocation.key.text), \(JSONWriter.string(revocation)))
            """)
    }

    func publicRoot(of workspace: WorkspaceName) async throws -> RootPublicKey? {
        try await run("SELECT private_key FROM workspace_roots WHERE workspace = \(workspace.rawValue)").first.map {
            try StoreTrust.root(try $0.decode(String.self), of: workspace.rawValue).publicKey
        }
    }

    func revocations(in workspace: WorkspaceName) async throws -> [KeyRevocation] {
        try await run("SELECT body FROM key_revocations WHERE workspace = \(workspace.rawValue) ORDER BY seq").map {
            try KeyRevocation.read(try $0.decode(String.self))
        }
    }

    func statementCount(in workspace: WorkspaceName) async throws -> Int64 {
        let name = workspace.rawValue
        return try await run("""
            SELECT (SELECT count(*) FROM key_bindings WHERE workspace = \(name)) + (SELECT count(*) FROM key_revocations WHERE workspace = \(name))
                 + (SELECT count(*) FROM legacy_cutoffs WHERE workspace = \(name))
            """).first?.decode(Int64.self) ?? 0
    }

    func cutoffs(in workspace: WorkspaceName) async throws -> [LegacyCutoff] {
        try await run("SELECT body FROM legacy_cutoffs WHERE workspace = \(workspace.rawValue)").map {
            try LegacyCutoff.read(try $0.decode(String.self))
        }
    }

    func workspaces() async throws -> [WorkspaceSummary] {
        try await run("""
            SELECT w.name, w.created, (SELECT count(*) FROM members m WHERE m.workspace = w.name),
                   coalesce((SELECT seq FROM heads h WHERE h.workspace = w.name), 0)
            FROM workspaces w ORDER BY w.name COLLATE "C"
            """).map { row in
            let (name, created, members, head) = try row.decode((String, Int64, Int64, Int64).self)
            return WorkspaceSummary(name: WorkspaceName(stored: name), created: created, members: Int(members), operations: head)
        }
    }

    func members(of workspace: WorkspaceName) async throws -> [MemberSummary] {
        let workspace = workspace.rawValue
        return try await transaction { [logger] connection in
            guard try await !connection.query("SELECT 1 FROM workspaces WHERE name = \(workspace)", logger: logger).collect().isEmpty else {
                throw StoreNames.noWorkspace(workspace)
            }
            return try await connection.query("""
                SELECT user_name, role FROM members WHERE workspace = \(workspace) ORDER BY user_name COLLATE "C"
                """, logger: logger).collect().compactMap { row in
                let (user, role) = try row.decode((String, String).self)
                return Role(rawValue: role).map { MemberSummary(user: UserName(stored: user), role: $0) }
            }
        }
    }

    func setMember(_ user: UserName, of workspace: WorkspaceName, role: Role) async throws {
        let user = user.rawValue
        let workspace = workspace.rawValue
        try await transaction { [logger] connection in
            guard try await !connection.query("SELECT 1 FROM workspaces WHERE name = \(workspace)", logger: logger).collect().isEmpty else {
                throw StoreNames.noWorkspace(workspace)
            }
            let found = try await connection.query("SELECT removed FROM users WHERE name = \(user) FOR SHARE", logger: logger)
                .collect().first.map { try $0.decode(Int64?.self) }
            try StoreNames.requireActive(user, removed: found)
            try await connection.query("""
                INSERT INTO members (workspace, user_name, role) VALUES (\(workspace), \(user), \(role.rawValue))
                ON CONFLICT (workspace, user_name) DO UPDATE SET role = excluded.role
                """, logger: logger)
        }
    }

    func removeMember(_ user: UserName, from workspace: WorkspaceName) async throws -> Bool {
        let user = user.rawValue
        let workspace = workspace.rawValue
        return try await !run("DELETE FROM members WHERE workspace = \(workspace) AND user_name = \(user) RETURNING 1").isEmpty
    }
}
