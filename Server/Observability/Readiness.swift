import NIOConcurrencyHelpers
import ServiceLifecycle

/// Whether this instance takes new work: false from SIGTERM on, so a load balancer that asks
/// `GET /health/ready` stops sending to it while its watches and pushes drain.
final class Readiness: Sendable {
    private let draining = NIOLockedValueBox(false)

    var isDraining: Bool { draining.withLockedValue { $0 } }
    func drain() { draining.withLockedValue { $0 = true } }
}

/// Runs until a graceful shutdown (SIGTERM, SIGINT); then says "not ready" and waits `period`
/// before letting the HTTP server stop, which finishes the requests in flight and ends long polls.
/// It is listed after the application, so the service group shuts it down first.
struct DrainService: Service {
    let readiness: Readiness
    let period: Duration

    func run() async throws {
        try? await gracefulShutdown()
        readiness.drain()
        if period > .zero { try? await Task.sleep(for: period) }
    }
}
