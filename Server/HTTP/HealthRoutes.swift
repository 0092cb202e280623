import Foundation
import Hummingbird

/// Unauthenticated routes for load balancers and monitoring:
/// - `GET /health` and `GET /health/live`: the process answers;
/// - `GET /health/ready`: the store answers and its schema is current, and no SIGTERM came (503 otherwise);
/// - `GET /metrics`: Prometheus text (``ServerMetrics``). Nothing here names a user or a note.
struct HealthRoutes<Store: SyncStore>: Sendable {
    let store: Store
    let metrics: ServerMetrics
    let readiness: Readiness

    func addRoutes(to router: Router<GlossRequestContext>) {
        router.get("health") { _, _ in try Response.json(["status": "ok"]) }
        router.get("health/live") { _, _ in try Response.json(["status": "ok"]) }
        router.get("health/ready") { _, _ in try await ready() }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }

    private func ready() async throws -> Response {
        guard !readiness.isDraining else {
            return try Response.json(["status": "draining", "reason": "shutting down"], status: .serviceUnavailable)
        }
        do {
            try await store.checkReady()
            return try Response.json(["status": "ready"])
        } catch {
            let reason = (error as? StoreError)?.message ?? describePostgres(error)
            return try Response.json(["status": "unavailable", "reason": reason], status: .serviceUnavailable)
        }
    }
}
