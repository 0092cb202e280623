import AsyncHTTPClient
import Foundation
import GlossCore
import NIOCore
import NIOHTTP1

/// The sync transport over HTTP/JSON, as `Schema/openapi.yaml` describes it, on AsyncHTTPClient.
///
/// Open one with ``with(base:workspace:token:_:)``, which closes its connections when the work
/// is done. Answers are read with Gloss's codec (`Sync.PullResponse.read` and friends): one
/// reader per wire form, which says what it could not read.
public final class HTTPTransport: SyncTransport {
    public let base: URL
    let workspace: WorkspaceName
    let authorization: String
    let client: HTTPClient

    /// Largest answer read, once decompressed. A page (of operations or of reports) stops
    /// growing past ``Sync/Limits/maxPageBytes`` (4 MiB), and its last item came in one request
    /// of at most ``Sync/Limits/maxRequestBytes`` (8 MiB): every answer the server sends is under
    /// 16 MiB. This is four times that.
    ///
    /// Answers are bounded by this size, not by how well they compress: a ratio limit (200:1)
    /// refused a 600 KB report of `abab…`, within every limit, and so stopped every member's
    /// sync for good (issue 24).
    static let maxAnswerBytes = 64 * 1024 * 1024

    init(base: URL, workspace: WorkspaceName, token: String, retryingConnections: Bool = true) {
        self.base = base
        self.workspace = workspace
        authorization = "Bearer \(token)"
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .seconds(10), read: .seconds(60)),
            decompression: .enabled(limit: .size(Self.maxAnswerBytes)))
        configuration.connectionPool.retryConnectionEstablishment = retryingConnections
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Runs `body` with a transport to `base`, then closes its connections (also on failure).
    ///
    /// `retryingConnections`: whether a connection that cannot be made is tried again within
    /// the 10 s connect timeout before a request fails (AsyncHTTPClient's default, right for a
    /// one-off sync). A caller with its own retry schedule (`gloss sync --watch`) turns it off,
    /// so that a refused connection fails at once and the caller's schedule is the only one.
    public static func with<T: Sendable>(base: URL, workspace: WorkspaceName, token: String, retryingConnections: Bool = true,
                                         _ body: (HTTPTransport) async throws -> T) async throws -> T {
        let transport = HTTPTransport(base: base, workspace: workspace, token: token, retryingConnections: retryingConnections)
        do {
            let value = try await body(transport)
            try await transport.client.shutdown()
            return value
        } catch {
            try? await transport.client.shutdown()
            throw error
        }
    }

    public func whoAmI() async throws -> Sync.WhoAmI {
        try await send(.GET, ["v1", "me"], workspaceScoped: false, read: { try JSON.decode(Sync.WhoAmI.self, from: $0) })
    }

    public func upload(_ report: Report) async throws {
        _ = try await send(.PUT, ["reports", report.id.rawValue], body: try JSON.bytes(report)) { _ in () }
    }

    public func reports(after cursor: Int64, limit: Int) async throws -> Sync.ReportPage {
        try await send(.GET, ["reports"], query: "after=\(cursor)&limit=\(limit)", read: Sync.ReportPage.read)
    }

    public func push(_ request: Sync.PushRequest) async throws -> Sync.PushResponse {
        try await send(.POST, ["push"], body: request.wireBytes(), read: { try JSON.decode(Sync.PushResponse.self, from: $0) })
    }

    public func pull(after cursor: Int64, epoch: String?, limit: Int, wait: Int) async throws -> Sync.PullResponse {
        try await pull(after: cursor, epoch: epoch, limit: limit, wait: wait, signed: false)
    }

    public func pull(after cursor: Int64, epoch: String?, limit: Int, wait: Int, signed: Bool) async throws -> Sync.PullResponse {
        let epoch = epoch.flatMap { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) }.map { "&epoch=\($0)" } ?? ""
        return try await send(.GET, ["operations"], query: "after=\(cursor)\(epoch)&limit=\(limit)\(signed ? "&signed=1" : "")\(wait > 0 ? "&wait=\(wait)" : "")",
                       timeout: .seconds(Int64(wait) + 30), read: Sync.PullResponse.readSkippingUnreadable)
    }

    public func trust(have: Int) async throws -> BundleSigning? {
        try await send(.GET, ["trust"], query: "have=\(have)", read: BundleSigning.read)
    }

    public func refusals(of replicas: [ReplicaID]) async throws -> Sync.ChainRefusals? {
        try await send(.GET, ["refusals"], query: "replicas=" + replicas.map(\.hex).joined(separator: ","), read: Sync.ChainRefusals.read)
    }

    /// Registers this device's public key with the server, which binds it to the token's user
    /// with the workspace's root (`POST …/keys`); answers the root's key and every statement.
    public func register(_ key: DevicePublicKey) async throws -> BundleSigning {
        try await send(.POST, ["keys"], body: Array(JSONWriter.string(RegisteredKey(key: key)).utf8), read: BundleSigning.read)
    }

    private func send<T>(_ method: HTTPMethod, _ path: [String], workspaceScoped: Bool = true, query: String? = nil,
                         body: [UInt8]? = nil, timeout: TimeAmount = .seconds(60),
                         read: (Data) throws -> T) async throws -> T {
        let segments = workspaceScoped ? ["v1", "workspaces", workspace.rawValue] + path : path
        var url = base
        for segment in segments { url.appendPathComponent(segment) }
        var request = HTTPClientRequest(url: url.absoluteString + (query.map { "?" + $0 } ?? ""))
        request.method = method
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        var status = 0, data = Data()
        do {
            // A push over the server's quota (429) is refused whole and goes through after the
            // wait its Retry-After names: wait and send it again, a few times, briefly each.
            for attempt in 1...Self.rateLimitedAttempts {
                let response = try await client.execute(request, timeout: timeout)
                status = Int(response.status.code)
                data = Data(try await response.body.collect(upTo: Self.maxAnswerBytes).readableBytesView)
                guard status == 429, attempt < Self.rateLimitedAttempts,
                      let wait = response.headers.first(name: "Retry-After").flatMap(Int.init), (0...60).contains(wait) else { break }
                try await Task.sleep(for: .seconds(wait))
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch where Self.isOversized(error) {
            // The server was reached and answered: the answer is what is wrong, not the network.
            throw TransportError(status: status == 0 ? nil : status,
                                 message: "the server's answer to \(method) \(path.last ?? "") is over the \(Self.maxAnswerBytes >> 20) MiB a client reads (decompressed); nothing of it was taken",
                                 hint: "a server of another version may be sending pages larger than its limits; tell its admin, who can take a bad item out of the workspace")
        } catch {
            throw TransportError(status: nil, message: RemoteAddress.shown("cannot reach the server at \(base.absoluteString): \(Self.describe(error))"),
                                 hint: "check the server is running and the URL; your work is safe locally and will sync later")
        }
        guard (200..<300).contains(status) else {
            let answer = try? JSON.decode(Sync.ErrorBody.self, from: data)
            throw TransportError(status: status, message: answer?.error ?? "the server answered \(status)", hint: answer?.hint ?? Self.hint(for: status),
                                 code: answer?.code)
        }
        do {
            return try read(data)
        } catch {
            throw TransportError(status: status, message: "the server's answer could not be read: \(error)",
                                 hint: "check that the URL points at a gloss-server of the same version")
        }
    }

    /// Whether `error` says the answer was over ``maxAnswerBytes``: decompressed past the limit
    /// (NIOHTTPDecompression's `DecompressionError.limit`, matched by name: that module is not
    /// one this target names), or longer than that once collected.
    static func isOversized(_ error: any Error) -> Bool {
        if error is NIOTooManyBytesError { return true }
        return String(reflecting: type(of: error)).hasSuffix("DecompressionError") && "\(error)" == "limit"
    }

    /// Why the server could not be reached, in a few words (NIO's own texts name its internals).
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError where error == .connectTimeout || error == .deadlineExceeded || error == .readTimeout:
            "it did not answer in time"
        case let error as HTTPClientError where error == .remoteConnectionClosed:
            "it closed the connection"
        case let error as IOError:
            String(cString: strerror(error.errnoCode)).lowercased()
        case let error as HTTPClientError where "\(error)".hasPrefix("HTTPClientError.invalidHeaderField"):
            // Its text quotes the header whole: the token. Callers check the token first (`TokenText`).
            "a request header holds a character HTTP cannot carry (the token?); nothing was sent"
        case ChannelError.connectTimeout:
            "it did not answer in time"
        default: "\(error)"
        }
    }

    /// How many times a push refused for the server's quota (429) is sent in all.
    static let rateLimitedAttempts = 8

    static func hint(for status: Int) -> String? {
        switch status {
        case 401: "the token was refused; ask an admin for a new one"
        case 403: "you are not a member of this workspace (or may not write there); ask a workspace admin"
        case 404: "check the URL: it is the server's address alone, e.g. http://127.0.0.1:8080, and the workspace's name"
        case 413: "the request was over the server's limits"
        case 429: "the server's push quota is used up for now; try again in a minute (your work is safe locally)"
        default: nil
        }
    }
}
