import Foundation
import GlossCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The sync transport over HTTP/JSON, as `Schema/openapi.yaml` describes it.
public struct HTTPTransport: SyncTransport {
    public let base: URL
    let workspace: String
    let token: String
    let session: URLSession

    public init(base: URL, workspace: String, token: String) {
        self.base = base
        self.workspace = workspace
        self.token = token
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 60
        config.httpAdditionalHeaders = ["Accept-Encoding": "gzip"]
        session = URLSession(configuration: config)
    }

    public func whoAmI() async throws -> Sync.WhoAmI {
        try await send("GET", ["v1", "me"], workspaceScoped: false)
    }

    public func upload(_ report: Report) async throws {
        let _: Empty = try await send("PUT", ["reports", report.id.rawValue], body: try JSON.encode(report))
    }

    public func download(_ report: ReportID) async throws -> Report? {
        do {
            return try await send("GET", ["reports", report.rawValue])
        } catch let error as TransportError where error.status == 404 {
            return nil
        }
    }

    public func push(_ request: Sync.PushRequest) async throws -> Sync.PushResponse {
        try await send("POST", ["push"], body: try JSON.encode(request))
    }

    public func pull(after cursor: Int64, limit: Int, wait: Int) async throws -> Sync.PullResponse {
        // Read with Gloss's own reader, which keeps each operation's JSON (JSONDecoder was a
        // third of a fresh pull).
        try await send("GET", ["operations"], query: ["after": String(cursor), "limit": String(limit), "wait": String(wait)],
                       timeout: TimeInterval(wait + 30)) { data in
            // A form the reader does not take (another server's, say) is decoded the usual way.
            try (try? Sync.PullResponse.read(data)) ?? JSONDecoder().decode(Sync.PullResponse.self, from: data)
        }
    }

    private struct Empty: Decodable {}

    private func send<T: Decodable>(_ method: String, _ path: [String], workspaceScoped: Bool = true,
                                    query: [String: String] = [:], body: Data? = nil, timeout: TimeInterval = 60,
                                    decode: (Data) throws -> T = { try JSONDecoder().decode(T.self, from: $0) }) async throws -> T {
        var url = base
        let segments = workspaceScoped ? ["v1", "workspaces", workspace] + path : path
        for segment in segments { url.appendPathComponent(segment) }
        if !query.isEmpty, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            url = components.url ?? url
        }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw TransportError(status: nil, message: "cannot reach the server at \(base.absoluteString): \(error.localizedDescription)",
                                 hint: "check the server is running and the URL (`gloss status`); your work is safe locally and will sync later")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let body = try? JSONDecoder().decode(Sync.ErrorBody.self, from: data)
            throw TransportError(status: status, message: body?.error ?? "the server answered \(status)", hint: body?.hint ?? Self.hint(for: status))
        }
        if T.self == Empty.self { return Empty() as! T }
        do {
            return try decode(data)
        } catch {
            throw TransportError(status: status, message: "the server's answer could not be read: \(DecodingErrorText.describe(error))",
                                 hint: "check that the URL points at a gloss-server of the same version")
        }
    }

    static func hint(for status: Int) -> String? {
        switch status {
        case 401: "the token was refused; ask an admin for a new one and run `gloss remote add URL --workspace W --token T` again"
        case 403: "you are not a member of this workspace (or may not write there); ask a workspace admin"
        case 413: "the request was over the server's limits"
        default: nil
        }
    }
}
