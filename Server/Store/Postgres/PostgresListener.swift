import Foundation
import GlossCore
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import ServiceLifecycle

/// One LISTEN connection per instance, fanning pushes made through any instance out to this
/// one's waiting pulls (``PushNotifier``). A notification is only a hint:
/// - after every (re)connect it wakes every waiting pull, which re-reads its workspace's head;
/// - a lost notification costs at most one re-read interval (a waiting pull reads the log again every 5 s, `SyncRoutes.rereadInterval`);
/// - when the connection drops it reconnects with backoff, and counts it.
struct PostgresListener: Service {
    let store: PostgresSyncStore
    let notifier: PushNotifier
    let logger: Logger

    func run() async throws {
        var backoff: Duration = .milliseconds(100)
        var everListened = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let listening = NIOLockedValueBox(false)
            let reconnecting = everListened
            do {
                try await cancelWhenGracefulShutdown {
                    try await store.client.withConnection { connection in
                        // A LISTEN written to a connection the server already closed would wait forever (``TransactionConnection``).
                        guard !connection.isClosed else { throw ConnectionClosed() }
                        try await connection.listen(on: PostgresSyncStore.channel) { notifications in
                            listening.withLockedValue { $0 = true }
                            if reconnecting {
                                store.metrics.listenerReconnects.increment()
                                logger.notice("listening for pushes again")
                            }
                            await notifier.wakeAll()
                            for try await notification in notifications { await handle(notification.payload) }
                        }
                    }
                }
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                logger.warning("the LISTEN connection failed; waiting pulls poll until it is back",
                               metadata: ["error": .string(describePostgres(error)), "retry_in": "\(backoff)"])
            }
            if listening.withLockedValue({ $0 }) {
                everListened = true
                backoff = .milliseconds(100)
            }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(5))
        }
    }

    /// A payload is "COMMIT_MS HEAD WORKSPACE" (``PostgresSyncStore/announce(_:head:)``).
    private func handle(_ payload: String) async {
        let parts = payload.split(separator: " ", maxSplits: 2)
        guard parts.count == 3, let sent = Int64(parts[0]) else { return }
        store.metrics.notifyLag.record(.milliseconds(max(0, Names.millisNow() - sent)))
        await notifier.pushed(to: WorkspaceName(stored: String(parts[2])))
    }
}
