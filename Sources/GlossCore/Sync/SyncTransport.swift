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
        guard let status else { return true }
        return status == 408 || status == 429 || (500..<600).contains(status)
    }
}
