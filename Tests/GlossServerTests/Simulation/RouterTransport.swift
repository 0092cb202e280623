import Foundation
import GlossCore
import GlossReplica
import Hummingbird
import HummingbirdTesting
@testable import gloss_server

/// The sync transport over the real server's router, in process: the same routes, store and
/// rules as over a socket, without the socket. It only moves bytes, as every transport does.
struct RouterTransport: SyncTransport {
    let client: any TestClientProtocol
    let workspace: WorkspaceName
    let token: String

    func whoAmI() async throws -> Sync.WhoAmI {
        try await send(.get, "/v1/me")
    }

    func upload(_ report: Report) async throws {
        _ = try await raw(.put, "/v1/workspaces/\(workspace)/reports/\(report.id)", body: try JSON.encode(report))
    }

    func reports(after cursor: Int64, limit: Int) async throws -> Sync.ReportPage {
        try check(try await client.call(.get, "/v1/workspaces/\(workspace)/reports?after=\(cursor)&limit=\(limit)", token: token))
            .decode(Sync.ReportPage.self)
    }

    /// Sent as `gloss sync` sends it (the codec's form, with the signed runs).
    func push(_ request: Sync.PushRequest) async throws -> Sync.PushResponse {
        try await send(.post, "/v1/workspaces/\(workspace)/push", body: Data(request.wireBytes()))
    }

    func trust(have: Int) async throws -> BundleSigning? {
        try BundleSigning.read(try await raw(.get, "/v1/workspaces/\(workspace)/trust?have=\(have)").data)
    }

    func refusals(of replicas: [ReplicaID]) async throws -> Sync.ChainRefusals? {
        try Sync.ChainRefusals.read(try await raw(.get, "/v1/workspaces/\(workspace)/refusals?replicas=" + replicas.map(\.hex).joined(separator: ",")).data)
    }

    /// Registers a device key, as `gloss remote add` does.
    func register(_ key: DevicePublicKey) async throws -> BundleSigning {
        try BundleSigning.read(try await raw(.post, "/v1/workspaces/\(workspace)/keys", body: Data(JSONWriter.string(RegisteredKey(key: key)).utf8)).data)
    }

    /// Read as `gloss sync` reads it (Gloss's reader, keeping each operation's text).
    func pull(after cursor: Int64, epoch: String?, limit: Int, wait: Int) async throws -> Sync.PullResponse {
        try await pull(after: cursor, epoch: epoch, limit: limit, wait: wait, signed: false)
    }

    func pull(after cursor: Int64, epoch: String?, limit: Int, wait: Int, signed: Bool) async throws -> Sync.PullResponse {
        let epoch = epoch.map { "&epoch=\($0)" } ?? ""
        return try Sync.PullResponse.read(try await raw(.get, "/v1/workspaces/\(workspace)/operations?after=\(cursor)\(epoch)&limit=\(limit)\(signed ? "&signed=1" : "")&wait=\(wait)").data)
    }

    private func send<T: Decodable>(_ method: HTTPRequest.Method, _ uri: String, body: Data? = nil) async throws -> T {
        try await raw(method, uri, body: body).decode(T.self)
    }

    private func raw(_ method: HTTPRequest.Method, _ uri: String, body: Data? = nil) async throws -> TestResponse {
        try check(try await client.call(method, uri, token: token, body: body))
    }

    private func check(_ response: TestResponse) throws -> TestResponse {
        guard (200..<300).contains(response.status.code) else {
            throw TransportError(status: response.status.code, message: response.error?.error ?? "status \(response.status.code)")
        }
        return response
    }
}
