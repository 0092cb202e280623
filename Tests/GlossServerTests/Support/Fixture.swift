import Foundation
import GlossCore
import GlossReplica
import GlossTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import gloss_server

/// Who calls: the roles of workspace "intel", an outsider and three kinds of bad credentials.
enum Caller: String, CaseIterable, Sendable, CustomStringConvertible {
    case admin, member, reader, outsider, noToken, badToken, revokedToken
    var description: String { rawValue }
}

/// A server store with users in every role of workspace "intel": ada (admin), alice and bob
/// (members), rita (reader), olga (no membership), rex (revoked token). SQLite in a temporary
/// file by default; a fresh PostgreSQL database with `kind: .postgres` (``TestPostgres``).
final class Fixture: Sendable {
    static let workspace: WorkspaceName = "intel"
    static let report = Report(title: "Rare earths", summary: "Export controls tighten.",
                               sections: [.init(heading: "What Happened", paragraphs: ["China restricted exports of gallium."])])

    let directory: URL
    /// The store, whichever kind.
    let sync: any SyncStore
    let tokens: [String: String]
    let revokedToken: String

    /// Where the store is, for the server's configuration.
    let location: StoreLocation

    /// The SQLite store, for the tests that look inside it.
    var store: SQLiteSyncStore { sync as! SQLiteSyncStore }

    init(storeReport: Bool = true, kind: TestPostgres.Kind = .sqlite) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-server-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        switch kind {
        case .sqlite:
            let path = directory.appendingPathComponent("server.sqlite").path
            sync = try SQLiteSyncStore(path: path)
            location = .sqlite(path)
        case .postgres:
            let url = try PostgresURL(try TestPostgres.freshDatabase())
            sync = try await PostgresSyncStore.open(url, .existingOrNew, logger: Fixture.quietLogger)
            location = .postgres(url)
        }
        let store = sync
        try await store.createWorkspace(Self.workspace, now: 0)
        try await store.createWorkspace("other", now: 0)
        var tokens: [String: String] = [:]
        let people: [(UserName, Role?)] = [("ada", .admin), ("alice", .member), ("bob", .member), ("rita", .reader), ("olga", nil), ("rex", .member)]
        for (user, role) in people {
            try await store.addUser(user, now: 0)
            tokens[user.rawValue] = try await TokenCommand.issue(for: user, in: store).text
            if let role { try await store.setMember(user, of: Self.workspace, role: role) }
        }
        let revoked = try #require(BearerToken(tokens["rex"]!))
        _ = try await store.revokeToken(id: revoked.id, now: 0)
        revokedToken = revoked.text
        try await store.setMember("olga", of: "other", role: .member)
        self.tokens = tokens
        if storeReport { _ = try await store.storeReport(Self.report, in: Self.workspace) }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
        if let postgres = sync as? PostgresSyncStore { Task { await postgres.shutdown() } }
    }

    /// Every operation the store holds in `workspace`, in sequence order, private ones included.
    func storedOperations(in workspace: WorkspaceName = Fixture.workspace) async throws -> [GlossCore.Operation] {
        var ops: [GlossCore.Operation] = []
        // Pulled as each member in turn would see them, merged by id: together, all of them.
        var seen = Set<OperationID>()
        for user: UserName in ["ada", "alice", "bob", "rita", "olga", "rex", "mallory"] {
            var cursor: Int64 = 0
            while true {
                let page = try await sync.pull(workspace: workspace, user: user, after: cursor, limit: 1000, maxBytes: 1 << 24)
                for payload in page.payloads {
                    let op = try GlossCore.Operation.stored(payload)
                    if seen.insert(op.id).inserted { ops.append(op) }
                }
                cursor = page.cursor
                if !page.more { break }
            }
        }
        return ops
    }

    /// The user a caller stands for, when it has one.
    static func user(_ caller: Caller) -> String? {
        switch caller {
        case .admin: "ada"
        case .member: "alice"
        case .reader: "rita"
        case .outsider: "olga"
        case .noToken, .badToken: nil
        case .revokedToken: "rex"
        }
    }

    func token(_ caller: Caller) -> String? {
        switch caller {
        case .noToken: nil
        case .badToken: "gls_0000000000000000_" + String(repeating: "0", count: 64)
        case .revokedToken: revokedToken
        default: tokens[Self.user(caller)!]
        }
    }

    func application(now: @escaping @Sendable () -> Int64 = { Fixture.now }, notifier: PushNotifier = PushNotifier(),
                     pushQuota: PushQuota = .standard) -> some ApplicationProtocol {
        var parts = ServerParts(notifier: notifier, now: now)
        parts.logger = Logger(label: "gloss-server-tests")
        parts.logger.logLevel = .warning
        return buildApplication(ServerConfiguration(store: location, pushQuota: pushQuota), store: sync, parts: parts)
    }

    /// A logger that speaks only of errors.
    static let quietLogger: Logger = {
        var logger = Logger(label: "gloss-server-tests")
        logger.logLevel = .error
        return logger
    }()

    /// The fixed server clock of most tests.
    static let now: Int64 = 1_764_384_000_000

    // MARK: Operations

    /// Replica `n` of `user`: its id derived from the user's name (``ReplicaClaim``), with a
    /// salt made of `n`, so every test names the same replicas.
    static func claim(_ n: UInt64, of user: UserName) -> ReplicaClaim {
        ReplicaClaim.mint(for: user, salt: withUnsafeBytes(of: n.bigEndian) { Array($0) } + Array(repeating: 0x5A, count: 8))
    }

    static func replica(_ n: UInt64, of user: UserName) -> ReplicaID { claim(n, of: user).replica }

    /// The claims a pusher sends with `operations`: those of its own replicas among them.
    static func claims(for operations: [GlossCore.Operation]) -> [ReplicaClaim] {
        var seen = Set<ReplicaID>()
        var claims: [ReplicaClaim] = []
        for op in operations where seen.insert(op.id.replica).inserted {
            if let n = (1...64).first(where: { replica($0, of: op.author) == op.id.replica }) { claims.append(claim(n, of: op.author)) }
        }
        return claims
    }

    static func create(_ author: UserName, replica: UInt64, counter: UInt64, wall: Int64 = now, isPrivate: Bool = false,
                       report: ReportID = Fixture.report.id, workspace: WorkspaceName = Fixture.workspace) -> GlossCore.Operation {
        let id = OperationID(replica: Self.replica(replica, of: author), counter: counter)
        return GlossCore.Operation(id: id, hlc: HLC(wall: wall), author: author, workspace: workspace,
                                   annotation: AnnotationID(createdBy: id), isPrivate: isPrivate,
                                   change: .create(Creation(report: report, target: nil, motivation: .commenting,
                                                            body: "note \(counter)", visibility: isPrivate ? .private : .team)))
    }

    static func change(_ author: UserName, replica: UInt64, counter: UInt64, on annotation: AnnotationID, isPrivate: Bool = false,
                       wall: Int64 = now, _ change: Change) -> GlossCore.Operation {
        GlossCore.Operation(id: OperationID(replica: Self.replica(replica, of: author), counter: counter), hlc: HLC(wall: wall + 1),
                            author: author, workspace: Self.workspace, annotation: annotation, isPrivate: isPrivate, change: change)
    }
}

// MARK: Requests

extension TestClientProtocol {
    /// Sends a request with an optional bearer token and body.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String?, body: Data? = nil,
              headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
    }

    /// Pushes `operations` with the claims of their replicas (as an honest client would for its
    /// own), or with `claims` when given.
    func push(_ operations: [GlossCore.Operation], token: String?, workspace: String = Fixture.workspace.rawValue,
              claims: [ReplicaClaim]? = nil) async throws -> TestResponse {
        let body = try JSON.encode(Sync.PushRequest(replica: operations.first?.id.replica ?? ReplicaID(rawValue: 1), operations: operations,
                                                    claims: claims ?? Fixture.claims(for: operations)))
        return try await call(.post, "/v1/workspaces/\(workspace)/push", token: token, body: body)
    }

    func pull(token: String?, after: Int64 = 0, limit: Int? = nil, workspace: String = Fixture.workspace.rawValue) async throws -> TestResponse {
        var uri = "/v1/workspaces/\(workspace)/operations?after=\(after)"
        if let limit { uri += "&limit=\(limit)" }
        return try await call(.get, uri, token: token)
    }
}

extension TestResponse {
    var data: Data { Data(body.readableBytesView) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: data) }
    var error: Sync.ErrorBody? { try? decode(Sync.ErrorBody.self) }
}
