import GlossCore
import Logging
import ServiceLifecycle

/// Where the server keeps users, tokens, workspaces, reports and operation logs.
///
/// Routes and admin commands speak only to this protocol. ``SQLiteSyncStore`` is the default;
/// ``PostgresSyncStore`` serves several instances on one database. Every rule of a push is in
/// ``PushPolicy`` (GlossCore), which takes the facts a store looks up. Every method is one
/// transaction (for SQLite pushes, one savepoint of a transaction concurrent pushes share),
/// answered only once it has committed. `StoreConformanceTests` runs the same checks on both.
protocol SyncStore: Sendable {
    /// Random, made with the store and kept by `migrate-store`: pull answers carry it, so a
    /// client whose cursor came from another store notices.
    var epoch: String { get }
    /// Throws unless the store answers and its schema is current (`GET /health/ready`).
    func checkReady() async throws

    // MARK: Identity

    /// The token with this public id, whether or not it is revoked.
    func token(id: String) async throws -> StoredToken?
    /// The token with this public id and its user's role in `workspace` (nil when not a member),
    /// read together: a workspace request's identity in one lookup.
    func token(id: String, roleIn workspace: WorkspaceName) async throws -> (token: StoredToken, role: Role?)?
    /// The user's role in `workspace`; nil when not a member (or no such workspace).
    func role(of user: UserName, in workspace: WorkspaceName) async throws -> Role?
    /// Every workspace the user belongs to, by name.
    func memberships(of user: UserName) async throws -> [Sync.WhoAmI.Membership]
    /// Those of the token ids `ids` that are not revoked and whose user is a member of
    /// `workspace`: one read for every parked long poll of a workspace (``PollGuard``).
    func allowedTokens(_ ids: [String], in workspace: WorkspaceName) async throws -> Set<String>

    // MARK: Reports

    /// Stores the report in the workspace; false when it was already there.
    func storeReport(_ report: Report, in workspace: WorkspaceName) async throws -> Bool
    func report(_ id: ReportID, in workspace: WorkspaceName) async throws -> Report?
    /// The reports the workspace received after `after` (in its order of receiving them), as
    /// stored: at most `limit`, and no more than `maxBytes` of JSON unless the first is larger.
    func reports(in workspace: WorkspaceName, after: Int64, limit: Int, maxBytes: Int) async throws -> ReportRows
    /// The last number in the workspace's report feed (0 when it has none).
    func reportHead(of workspace: WorkspaceName) async throws -> Int64

    // MARK: Operations

    /// Looks up the facts `policy` asks for, lets it decide, and persists the decision (stores
    /// what it accepts, registers replicas, records refusals), seeing every push answered before
    /// it. Returns only once the transaction holding it has committed. No rule lives here.
    /// `runs` are the push's signed runs (checked by the route, ``PushedRuns``), kept in the
    /// same transaction as its operations.
    func push(_ operations: [GlossCore.Operation], claims: [ReplicaClaim], runs: [KeptRun], policy: PushPolicy) async throws -> PushOutcome
    /// One page of the operations after `after` that `user` may see (see ``PullPage``).
    func pull(workspace: WorkspaceName, user: UserName, after: Int64, limit: Int, maxBytes: Int) async throws -> PullPage
    /// What a pull page carries for its operations to be checked (``PageSigning``): the kept runs
    /// covering the operations numbered `after` < seq ≤ `through` that `user` may see, each with
    /// the page's first counter of it, and the refusals for good of those operations' replicas,
    /// with the runs covering them.
    func signing(in workspace: WorkspaceName, user: UserName, after: Int64, through: Int64) async throws -> PageSigning
    /// The refusals for good under `replicas`, with the runs covering them (``PageSigning``):
    /// for a replica holding operations after a hole in their chains (`GET …/refusals`).
    func refusals(of replicas: [ReplicaID], in workspace: WorkspaceName, user: UserName) async throws -> PageSigning
    /// Appends operations as they are, with no checks: for restoring a log and for tests.
    func importOperations(_ operations: [GlossCore.Operation], workspace: WorkspaceName) async throws

    // MARK: Administration

    /// Refuses a name in use, one that reads like one, and a removed user's name.
    func addUser(_ name: UserName, now: Int64) async throws
    /// Every user, removed ones too, by name.
    func users() async throws -> [UserSummary]
    /// Revokes the user's tokens, ends their memberships and marks them removed, in one
    /// transaction; their operations stay. Throws `.notFound` for no such user and `.conflict`
    /// for one already removed.
    func removeUser(_ name: UserName, now: Int64) async throws -> UserRemoval
    /// Refuses a user who does not exist or was removed.
    func addToken(_ token: StoredToken) async throws
    /// Marks the token revoked; false when no such token.
    func revokeToken(id: String, now: Int64) async throws -> Bool
    func createWorkspace(_ name: WorkspaceName, now: Int64) async throws
    /// Every workspace, by name.
    func workspaces() async throws -> [WorkspaceSummary]
    /// Refuses a workspace or user that does not exist, and a removed user.
    func setMember(_ user: UserName, of workspace: WorkspaceName, role: Role) async throws
    /// The workspace's members, by name; throws `.notFound` for no such workspace.
    func members(of workspace: WorkspaceName) async throws -> [MemberSummary]
    /// False when the user was not a member.
    func removeMember(_ user: UserName, from workspace: WorkspaceName) async throws -> Bool

    // MARK: Root of trust (docs/RELIABILITY.md, "Signed operations")

    /// The workspace's root key, made with `make` and kept when it has none yet (a workspace
    /// from before signing: the root then signs the workspace's legacy cutoff in the same
    /// transaction, ``LegacyCutoff/upgrade(workspace:highestTeamCounters:issued:root:)``).
    /// Throws `.notFound` for no such workspace.
    func root(of workspace: WorkspaceName, now: Int64, make: @Sendable () -> RootKey) async throws -> RootKey
    /// The workspace's root public key, nil when it has none (nothing is made).
    func publicRoot(of workspace: WorkspaceName) async throws -> RootPublicKey?
    /// Keeps a binding the root signed; a key bound already in the workspace is refused (`.conflict`).
    func addBinding(_ binding: KeyBinding) async throws
    /// The workspace's bindings, in the order they were made.
    func bindings(in workspace: WorkspaceName) async throws -> [KeyBinding]
    /// Keeps a revocation the root signed.
    func addRevocation(_ revocation: KeyRevocation) async throws
    /// The workspace's revocations, in the order they were made.
    func revocations(in workspace: WorkspaceName) async throws -> [KeyRevocation]
    /// The workspace's legacy cutoff, made with its root if it held operations then.
    func cutoffs(in workspace: WorkspaceName) async throws -> [LegacyCutoff]
    /// How many statements the root signed for the workspace: what ``statements(of:root:)``
    /// holds, counted (a pull page says it, so a replica asks for them only when it lacks some).
    func statementCount(in workspace: WorkspaceName) async throws -> Int64

    // MARK: Quarantine

    /// Takes an operation or a report out of the workspace's feeds for good (`gloss-server
    /// quarantine`): never served again, recorded with `reason` and the time. Returns the record;
    /// throws `.notFound` when the workspace holds no such item, `.conflict` when it is out already.
    func quarantine(_ item: QuarantineItem, in workspace: WorkspaceName, reason: String, now: Int64) async throws -> QuarantineRecord
    /// What was taken out of the workspace, oldest first; throws `.notFound` for no such workspace.
    func quarantined(in workspace: WorkspaceName) async throws -> [QuarantineRecord]

    /// The workspace's log after `after` as stored, the same for every reader: at most `limit`
    /// rows, each with what a page needs to know who may have it, and the head they were read
    /// under (one read). Long polls woken by one push share one such read (``SharedReads``) and
    /// each pages it for its own user (``LogTail/page(for:after:limit:maxBytes:)``).
    func tail(of workspace: WorkspaceName, after: Int64, limit: Int) async throws -> LogTail

    // MARK: Running

    /// What the store needs running beside the server, in the order a service group starts
    /// them (it stops them in reverse): SQLite's checkpointer; PostgreSQL's pool (when the group
    /// runs it, ``PostgresSyncStore/PoolRunning``) and its LISTEN connection, which wakes this
    /// instance's waiting pulls on pushes made through any other.
    func services(notifier: PushNotifier, logger: Logger) -> [any Service]
}

/// What an admin takes out of a workspace: an operation (by id) or a report (by id or a unique prefix).
enum QuarantineItem: Sendable, Equatable {
    case operation(OperationID)
    case report(String)
}

/// An item taken out of a workspace, as `gloss-server quarantine list` shows it.
struct QuarantineRecord: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable { case operation, report }
    var kind: Kind
    /// The operation's id (REPLICA-COUNTER), or the report's.
    var item: String
    var reason: String
    /// Ms since the epoch.
    var at: Int64
}

/// A token as stored: never the secret, only its hash.
struct StoredToken: Sendable, Equatable {
    var id: String
    var user: UserName
    var secretHash: [UInt8]
    var created: Int64
    var revoked: Int64?
}

extension SyncStore {
    /// The root's key and every statement it signed for `workspace` (bindings, revocations,
    /// the legacy cutoff), as a statements file and `GET …/trust` carry them.
    func statements(of workspace: WorkspaceName, root: RootPublicKey) async throws -> BundleSigning {
        BundleSigning(root: root, bindings: try await bindings(in: workspace), revocations: try await revocations(in: workspace),
                      cutoffs: try await cutoffs(in: workspace))
    }

    /// A push that carries no signed runs.
    func push(_ operations: [GlossCore.Operation], claims: [ReplicaClaim], policy: PushPolicy) async throws -> PushOutcome {
        try await push(operations, claims: claims, runs: [], policy: policy)
    }
}

/// One push as it waits for its store's next transaction (group commit, both stores): its
/// operations, their canonical wire JSON, the replica claims and signed runs that came with
/// them, and the policy.
struct PendingPush: Sendable {
    var operations: [GlossCore.Operation]
    var payloads: [String]
    var claims: [ReplicaClaim]
    var runs: [KeptRun] = []
    var policy: PushPolicy
}

/// A signed run a push carried, as a store keeps it (`signed_runs`): its chain's replica and
/// label, the counters of its first and last entries, and its JSON, passed on as it is.
struct KeptRun: Sendable, Equatable {
    var replica: String
    var isPrivate: Bool
    var first: Int64
    var last: Int64
    var body: String

    /// Nil for a run with no entries (it covers nothing).
    init?(_ run: ChainSegment) {
        guard let first = run.entries.first, let last = run.entries.last else { return nil }
        replica = run.chain.replica.hex
        isPrivate = run.chain.isPrivate
        self.first = Int64(bitPattern: first.counter)
        self.last = Int64(bitPattern: last.counter)
        body = JSONWriter.string(run)
    }
}

/// What a pull page carries to be checked: the runs covering its operations, and the positions
/// of their chains the server refused for good, which will never arrive (a replica counts them
/// as arrived for the chain-hole rule, and names none of them; docs/RELIABILITY.md, "Signed
/// operations"), with the runs covering those positions.
struct PageSigning: Sendable, Equatable {
    var runs: [PageRun] = []
    var refused: [OperationID] = []
    /// ``SyncStore/statementCount(in:)``, set by the pull route.
    var statements: Int64?
}

/// A kept run that covers operations of a pull page: its JSON, the counter of its first entry,
/// and that of the page's first operation it covers (where the route cuts it to begin).
struct PageRun: Sendable, Equatable {
    var body: String
    var first: Int64
    var firstInPage: Int64

    /// The run as the page carries it: cut to begin at the page's first operation of its chain
    /// (``ChainSegment/starting(at:)``), or as kept when it begins there already.
    var wire: String {
        guard firstInPage > first, let run = try? ChainSegment.read(body) else { return body }
        return JSONWriter.string(run.starting(at: UInt64(bitPattern: firstInPage)))
    }
}

/// What a push did, operation by operation (the response without the server's time).
struct PushOutcome: Sendable, Equatable {
    var accepted: [OperationID] = []
    var duplicates: [OperationID] = []
    var refused: [Sync.Refusal] = []
}

/// One page of a pull: the operations' stored wire JSON, in sequence order.
///
/// `cursor` is the last sequence number scanned (visible or not), so filtering never stalls a
/// pull; `more` says rows lie beyond it; `head` is the workspace's last number, read with the
/// page (a client's cursor beyond it came from another store).
struct PullPage: Sendable {
    var payloads: [String]
    var cursor: Int64
    var more: Bool
    var head: Int64
}

/// Rows of a workspace's log as stored, for every reader alike (``SyncStore/tail(of:after:limit:)``).
struct LogTail: Sendable {
    struct Row: Sendable {
        var seq: Int64
        var author: UserName
        var isPrivate: Bool
        /// Taken out of the workspace by an admin (`gloss-server quarantine`).
        var withheld: Bool
        var payload: String
    }
    var rows: [Row]
    var head: Int64
    /// The most rows asked for: a tail that holds that many may stop short of the head.
    var limit: Int

    /// `user`'s page of these rows, as ``SyncStore/pull(workspace:user:after:limit:maxBytes:)``
    /// would read it (``PullPager`` decides); nil when the page wants rows past the last one
    /// read (many of them were others' private notes), and the store must be asked.
    func page(for user: UserName, after: Int64, limit: Int, maxBytes: Int) -> PullPage? {
        var pager = PullPager(user: user, after: after, limit: limit, maxBytes: maxBytes)
        for row in rows where pager.wantsMore {
            pager.offer(seq: row.seq, author: row.author, isPrivate: row.isPrivate, withheld: row.withheld, payload: row.payload)
        }
        if pager.wantsMore, rows.count >= self.limit { return nil }
        return PullPage(payloads: pager.payloads, cursor: pager.cursor, more: pager.cursor < head, head: head)
    }
}

/// A store failure a person can act on, mapped to HTTP status by the routes and to stderr by commands.
struct StoreError: Error, Equatable, CustomStringConvertible {
    enum Code: Sendable { case notFound, conflict, invalid }
    var code: Code
    var message: String
    var hint: String?

    init(_ code: Code, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    var description: String { hint.map { "\(message)\nhint: \($0)" } ?? message }
}

/// The rules both stores keep for the root's statements.
enum StoreTrust {
    /// A new root key from the system's random number generator.
    @Sendable static func makeRoot() -> RootKey {
        var generator = SystemRandomNumberGenerator()
        return RootKey(DeviceKey.generate(using: &generator))
    }

    /// The refusal for a key bound already in the workspace.
    static func keyBound(_ binding: KeyBinding) -> StoreError {
        StoreError(.conflict, "key \(binding.key.keyID) is bound already in '\(binding.workspace)'",
                   hint: "see `gloss-server user keys USER --workspace \(binding.workspace)`; a device has one key, bound once")
    }

    /// A stored root key; a damaged one is said, not used.
    static func root(_ text: String, of workspace: String) throws -> RootKey {
        guard let key = DeviceKey(text: text) else {
            throw StoreError(.invalid, "the root key stored for '\(workspace)' is damaged")
        }
        return RootKey(key)
    }
}

/// Names as stores create them.
enum StoreNames {
    /// Refuses a user who does not exist (nil) or was removed (`removed` set), for a new token
    /// or membership.
    static func requireActive(_ user: String, removed: Int64??) throws {
        guard let removed else {
            throw StoreError(.notFound, "no user named \(user)", hint: "create it with `gloss-server user add \(user)`")
        }
        if removed != nil {
            throw StoreError(.conflict, "user \(user) was removed", hint: "a removed user gets no tokens or memberships; add the person under a new name")
        }
    }

    /// The refusal for a workspace that does not exist.
    static func noWorkspace(_ name: String) -> StoreError {
        StoreError(.notFound, "no workspace named '\(name)'", hint: "see `gloss-server workspace list`; create it with `gloss-server workspace create \(name)`")
    }

    /// Names are created in canonical form only (``IdentityName``); the commands map to it.
    static func requireCanonical(_ name: String, as what: String) throws {
        guard IdentityName.isCanonical(name) else {
            throw StoreError(.invalid, "not a valid \(what) name in canonical form",
                             hint: "names are a–z, digits, '-', '_', '.', '@', starting with a letter or digit")
        }
    }

    /// What a new name is for: the wording of its refusals.
    enum Kind {
        case user, workspace

        func called(_ name: String) -> String { self == .user ? "user \(name)" : "workspace '\(name)'" }
        func nextStep(_ name: String) -> String {
            self == .user ? "issue another token with `gloss-server token issue \(name)`" : "add members with `gloss-server member add \(name) USER`"
        }
    }

    /// Refuses `name` for a new user or workspace when one of `existing` has it, or reads like it
    /// (``IdentityName/confusable(_:among:)``). Both stores ask this with the names they hold.
    /// A removed user's name (in `removed`, also in `existing`) is never given again: their
    /// operations carry it, so whoever had it next could edit and delete their notes.
    static func requireNew(_ name: String, _ kind: Kind, among existing: [String], removed: [String] = []) throws {
        guard !removed.contains(name) else {
            throw StoreError(.conflict, "\(kind.called(name)) was removed, and a removed user's name is not given again",
                             hint: "their past operations carry the name; choose another one")
        }
        guard !existing.contains(name) else {
            throw StoreError(.conflict, "\(kind.called(name)) already exists", hint: kind.nextStep(name))
        }
        if let other = IdentityName.confusable(name, among: existing) {
            throw StoreError(.conflict, "\(kind.called(name)) would read like the existing \(kind.called(other))",
                             hint: "choose a name that differs in more than look-alike letters or separators")
        }
    }
}

/// A page of a workspace's reports, each as the JSON the store keeps (sent on as is).
struct ReportRows: Sendable {
    var json: [String]
    /// The number of the last report in the page (`after` when it is empty).
    var cursor: Int64
    var more: Bool

    /// Cuts rows of (seq, json), read one past `limit`, into a page.
    init(rows: [(seq: Int64, json: String)], after: Int64, limit: Int, maxBytes: Int) {
        var json: [String] = [], cursor = after, bytes = 0
        for row in rows.prefix(limit) {
            if !json.isEmpty, bytes + row.json.utf8.count > maxBytes { break }
            json.append(row.json)
            bytes += row.json.utf8.count
            cursor = row.seq
        }
        self.json = json
        self.cursor = cursor
        more = json.count < rows.count
    }
}
