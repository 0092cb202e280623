import Foundation
import GlossCore
import Hummingbird
import Logging
import NIOCore

/// What `serve` needs: where to listen, which database, and how to tell the world it is up.
struct ServerConfiguration: Sendable {
    var host = "127.0.0.1"
    var port = 8080
    var databasePath = "gloss-server.sqlite"
    var logLevel: Logger.Level = .info
    /// A connection with no request in progress (idle between requests, or still sending its
    /// request's head) is closed after this long, and a request body must arrive within it.
    var idleTimeout: Duration = .seconds(30)
    /// Most connections one client address may hold open at once.
    var maxConnectionsPerAddress = 256
    /// Called with the bound port once the server listens (port 0 picks a free one).
    var onListening: @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
}

/// Builds the server application, as Hummingbird's template does; `serve` runs it with
/// graceful shutdown on SIGTERM/SIGINT (`runService()`).
func buildApplication(_ configuration: ServerConfiguration) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "gloss-server")
    logger.logLevel = configuration.logLevel
    let store = try SQLiteSyncStore(path: configuration.databasePath)
    let router = buildRouter(store: store, bodyTimeout: configuration.idleTimeout)
    let host = configuration.host
    let limiter = ConnectionLimiter(maxPerAddress: configuration.maxConnectionsPerAddress)
    let (seconds, attoseconds) = configuration.idleTimeout.components
    let idle = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    return Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [limiter.handler()], idleTimeout: idle)),
        configuration: .init(address: .hostname(host, port: configuration.port), serverName: "gloss-server"),
        services: [CheckpointService(path: configuration.databasePath, logger: logger)],
        onServerRunning: { channel in
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
    bodyTimeout: Duration = .seconds(30)
) -> Router<GlossRequestContext> {
    let router = Router(context: GlossRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ErrorBodyMiddleware())
    router.get("health") { _, _ in try Response.json(["status": "ok"]) }
    let v1 = router.group("v1").add(middleware: BearerAuthMiddleware(store: store))
    SyncRoutes(store: store, notifier: notifier, now: now, crashHook: crashHook, bodyTimeout: bodyTimeout).addRoutes(to: v1)
    return router
}
