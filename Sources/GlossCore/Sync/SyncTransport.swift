/// Moves sync messages to and from a team server. The session decides; the transport only carries.
public protocol SyncTransport: Sendable {
    func whoAmI() async throws -> Sync.WhoAmI
    func upload(_ report: Report) async throws
    /// The workspace's reports after `cursor`, a page at a time, in the order it received them.
    func reports(after cursor: Int64, limit: Int) async throws -> Sync.ReportPage
    func push(_ request: Sync.PushRequest) async throws -> Sync.PushResponse
    /// Operations after `cursor`; with `wait` > 0 the server holds the request until something arrives.
    /// `epoch` is the store epoch the cursor came from (nil before the first pull): a server
    /// whose store has another answers 409 ``Sync/ErrorBody/storeReplaced``.
    func pull(after cursor: Int64, epoch: String?, limit: Int, wait: Int) async throws -> Sync.PullResponse
    /// A pull whose page carries its signed runs and the refusals of their chains when `signed`
    /// (a replica that pinned the workspace's root checks them; one that did not is spared their bytes).
    func pull(after cursor: Int64, epoch: String?, limit: Int, wait: Int, signed: Bool) async throws -> Sync.PullResponse
    /// The workspace root's public key and statements (`GET …/trust?have=N`): all of them, or
    /// the key alone when the replica holds `have` and the server has no more. Nil from a
    /// transport that carries none.
    func trust(have: Int) async throws -> BundleSigning?
    /// The refusals for good under `replicas`, with the runs covering them (`GET …/refusals`).
    /// Nil from a transport that carries none.
    func refusals(of replicas: [ReplicaID]) async throws -> Sync.ChainRefusals?
}

extension SyncTransport {
    public func pull(after cursor: Int64, epoch: String?, limit: Int, wait: Int, signed: Bool) async throws -> Sync.PullResponse {
        try await pull(after: cursor, epoch: epoch, limit: limit, wait: wait)
    }
    public func trust(have: Int) async throws -> BundleSigning? { nil }
    public func refusals(of replicas: [ReplicaID]) async throws -> Sync.ChainRefusals? { nil }
}

/// Why a transport failed, in words an analyst can act on.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public var status: Int?
    public var message: String
    public var hint: String?
    /// The server's machine-readable reason, when it gave one (``Sync/ErrorBody/code``).
    public var code: String?
    public init(status: Int?, message: String, hint: String? = nil, code: String? = nil) {
        self.status = status
        self.message = message
        self.hint = hint
        self.code = code
    }
    public var description: String { message }

    /// Whether trying again later may succeed: the server could not be reached (restarting,
    /// a network cut, no answer in time), or answered that it is overloaded, failing or going
    /// away (408, 429, 5xx). A refused token (401), a membership (403), a wrong URL (404) or an
    /// answer that could not be read stay as they are until someone acts.
    public var isTransient: Bool {
        switch reply {
        case .unreachable, .rateLimited, .unavailable: true
        case .tokenRefused, .forbidden, .notFound, .tooLarge, .storeReplaced, .other: false
        }
    }

    /// What the server answered, for a client to switch on (not a status and a code string).
    public var reply: ServerReply {
        guard let status else { return .unreachable }
        if code == Sync.ErrorBody.storeReplaced { return .storeReplaced }
        return switch status {
        case 401: .tokenRefused
        case 403: .forbidden
        case 404: .notFound
        case 413: .tooLarge
        case 429: .rateLimited
        case 408, 500..<600: .unavailable
        default: .other(status)
        }
    }
}

/// The kinds of answer a client acts on differently (``TransportError/reply``).
public enum ServerReply: Equatable, Sendable {
    /// No answer: not running, a network cut, no answer in time.
    case unreachable
    /// 401: the token is not (or no longer) good.
    case tokenRefused
    /// 403: not a member of the workspace, or may not do this there.
    case forbidden
    /// 404: no such route or workspace (a wrong URL).
    case notFound
    /// 413: a request over the server's limits.
    case tooLarge
    /// 429: the push quota; try again after the wait it gave.
    case rateLimited
    /// The pull's cursor came from another store, or from this one before a restore: start over.
    case storeReplaced
    /// 408 or 5xx: overloaded, failing or going away for now.
    case unavailable
    /// Any other status.
    case other(Int)
}
