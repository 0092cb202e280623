import AsyncHTTPClient
import Foundation
import GlossCore
import GlossReplica
import NIOCore

/// One of the concurrent row's clients: the same push and pull requests `HTTPTransport` sends
/// (same paths, query, headers, JSON, gzip accepted), over AsyncHTTPClient and its own connection.
///
/// It is a load generator, not a replica: the 100 clients run in the bench process on the
/// same cores as the server, and as replicas (when `HTTPTransport` was on URLSession and
/// libcurl, with `JSONEncoder` for each push and `JSONDecoder` building every pulled
/// `Operation`) they took more CPU than the server itself, so the row measured the clients. Here a push body is
/// written by `JSONWriter` (the text `JSON.encode` gives), every answer is read whole, gunzipped
/// and parsed as JSON, and a pull page is checked for its cursor and operation count without
/// building the operations; a real client does that work on its own machine.
final class LoadClient: Sendable {
    let http: HTTPClient
    let base: String
    let workspace: String
    let authorization: String

    init(base: String, workspace: String, token: String) {
        let configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(10), read: .seconds(60)),
                                                     connectionPool: .init(), decompression: .enabled(limit: .ratio(100)))
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.base = base
        self.workspace = workspace
        authorization = "Bearer \(token)"
    }

    func shutdown() async throws { try await http.shutdown() }

    func push(_ push: Sync.PushRequest) async throws -> Sync.PushResponse {
        var writer = JSONWriter(capacity: 512 * push.operations.count)
        writer.object { w in
            w.field("claims", push.claims)
            w.field("operations", push.operations)
            w.field("replica", push.replica)
        }
        var request = request("/push")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: writer.bytes))
        return try JSONDecoder().decode(Sync.PushResponse.self, from: try await send(request))
    }

    /// A pull page as the load needs it: the next cursor and how many operations came.
    struct Page: Decodable {
        struct Skipped: Decodable {
            init(from decoder: any Decoder) throws { _ = try decoder.container(keyedBy: AnyKey.self) }
        }
        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        var cursor: Int64
        var more: Bool
        var operations: [Skipped]
    }

    func pull(after cursor: Int64, limit: Int, wait: Int) async throws -> Page {
        // The query `HTTPTransport` sends, keys sorted.
        let request = request("/operations?after=\(cursor)&limit=\(limit)&wait=\(wait)")
        return try JSONDecoder().decode(Page.self, from: try await send(request))
    }

    private func request(_ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: "\(base)/v1/workspaces/\(workspace)\(path)")
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        return request
    }

    private func send(_ request: HTTPClientRequest) async throws -> Data {
        let response = try await http.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw BenchError("\(request.url): \(response.status.code) \(String(buffer: body))")
        }
        return Data(body.readableBytesView)
    }
}
