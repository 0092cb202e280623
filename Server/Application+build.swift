import Foundation
import GlossCore
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// What `serve` needs: where to listen, which store, and how to tell the world it is up.
struct ServerConfiguration: Sendable {
    var host = "127.0.0.1"
    var port = 8080
    var store: StoreLocation
    /// Whether a missing store may be made (`serve --create`); by default it is refused.
    var opening: StoreLocation.Opening = .existing
    var logLevel: Logger.Level = .info
    /// A connection with no request in progress (idle between requests, or still sending its
    /// request's head) is closed after this long, and a request body must arrive within it.
    var idleTimeout: Duration = .seconds(30)
    /// Most connections one client address may hold open at once.
    var maxConnectionsPerAddress = 256
    /// Most connections open at once in all (nil: sized from the file-descriptor limit, ``ConnectionLimiter/defaultTotal()``).
    var maxConnections: Int? = nil
    /// How much each member and workspace may push (``PushQuota``).
    var pushQuota = PushQuota.standard
    /// After SIGTERM, how long to answer "not ready" while still serving, before stopping.
    var drain: Duration = .zero
    /// Called with the bound port once the server listens (port 0 picks a free one).
    var onListening: @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
}

/// What the server is made of besides its configuration and store: shared with the service
/// group that runs it, or set by a test (a fixed clock, a crash between steps).
struct ServerParts: Sendable {
    var notifier = PushNotifier()
    var metrics = ServerMetrics()
    var readiness = Readiness()
    /// Ms since the epoch.
    var now: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
    var crashHook = CrashHook()
    var logger = Logger(label: "gloss-server")
}

/// Opens the store and runs the server on it until SIGTERM or SIGINT: then it stops being
/// ready, waits `drain`, lets the requests in flight finish and long polls end, and closes the store.
func runServer(_ configuration: ServerConfiguration) async throws {
    var parts = ServerParts()
    parts.logger.logLevel = configuration.logLevel
    let logger = parts.logger
    try await configuration.store.withStore(configuration.opening, logger: logger, metrics: parts.metrics, pool: .asService) { store in
        let app = buildApplication(configuration, store: store, parts: parts)
        // The drain service is last, so the group shuts it down first (services stop in reverse).
        var group = ServiceGroupConfiguration(
            services: [app, DrainService(readiness: parts.readiness, period: configuration.drain)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A shutdown never hangs: whatever has not finished 15 s after the drain (a request
        // stuck on a dead database connection) is cancelled, and then left behind after 5 s more.
        group.maximumGracefulShutdownDuration = configuration.drain + .seconds(15)
        group.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: group).run()
    }
}

/// The server over an open store: its routes, its limits on connections, and the services
/// the store needs beside it (``SyncStore/services(notifier:logger:)``). `serve` runs it in a
/// service group; the tests run the same application through HummingbirdTesting.
/// `configuration.store` and `opening` are not read: `store` is already open.
func buildApplication(_ configuration: ServerConfiguration, store: any SyncStore,
                      parts: ServerParts = ServerParts()) -> some ApplicationProtocol {
    let logger = parts.logger
    let pollGuard = PollGuard.over(store)
    let router = buildRouter(store: store, notifier: parts.notifier, now: parts.now, crashHook: parts.crashHook,
                             bodyTimeout: configuration.idleTimeout, metrics: parts.metrics,
                             readiness: parts.readiness, pushQuota: configuration.pushQuota, pollGuard: pollGuard)
    let host = configuration.host
    let limiter = ConnectionLimiter(maxPerAddress: configuration.maxConnectionsPerAddress,
                                    maxTotal: configuration.maxConnections ?? ConnectionLimiter.defaultTotal(), metrics: parts.metrics)
    let (seconds, attoseconds) = configuration.idleTimeout.components
    let idle = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    return Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [limiter.handler()], idleTimeout: idle)),
        configuration: .init(address: .hostname(host, port: configuration.port), serverName: "gloss-server"),
        services: store.services(notifier: parts.notifier, logger: logger) + [pollGuard],
        onServerRunning: { [logger] channel in
            logger.info("holding at most \(limiter.maxTotal) connections at once (\(limiter.maxPerAddress) per client address)")
            await configuration.onListening(host, channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}

/// The routes, over any ``SyncStore``; tests call this with a store on a temporary file.
func buildRouter(
    store: some SyncStore,
    notifier: PushNotifier = PushNotifier(),
    now: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) },
    crashHook: CrashHook = CrashHook(),
    bodyTimeout: Duration = .seconds(30),
    metrics: ServerMetrics = ServerMetrics(),
    readiness: Readiness = Readiness(),
    pushQuota: PushQuota = .standard,
    pollGuard: PollGuard? = nil
) -> Router<GlossRequestContext> {
    let router = Router(context: GlossRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ErrorBodyMiddleware())
    HealthRoutes(store: store, metrics: metrics, readiness: readiness).addRoutes(to: router)
    let v1 = router.group("v1").add(middleware: BearerAuthMiddleware(store: store))
    SyncRoutes(store: store, notifier: notifier, now: now, crashHook: crashHook, metrics: metrics, bodyTimeout: bodyTimeout,
               pushLimiter: PushLimiter(quota: pushQuota), readiness: readiness,
               pollGuard: pollGuard ?? PollGuard.over(store))
        .addRoutes(to: v1)
    return router
}
