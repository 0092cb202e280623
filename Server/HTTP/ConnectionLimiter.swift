import Foundation
import NIOCore
import NIOConcurrencyHelpers

/// Caps the connections one client address holds open at once, so one host cannot take every
/// socket the server has, and the connections open in all, so that many hosts together cannot
/// either (the server would then fail to accept, or to open its own database files). A
/// connection over either cap is closed as soon as it is accepted.
///
/// Counting is per IP address (not per port): the many connections of a client behind one
/// address share the cap. Loopback counts like any other address.
final class ConnectionLimiter: Sendable {
    let maxPerAddress: Int
    let maxTotal: Int
    private let metrics: ServerMetrics?
    private struct Counts {
        var byAddress: [String: Int] = [:]
        var total = 0
    }
    private let counts = NIOLockedValueBox(Counts())

    init(maxPerAddress: Int, maxTotal: Int = .max, metrics: ServerMetrics? = nil) {
        self.maxPerAddress = maxPerAddress
        self.maxTotal = maxTotal
        self.metrics = metrics
    }

    /// Raises this process's open-file limit to its hard limit, and returns how many
    /// connections that leaves room for: the limit less a reserve for the store's files, the
    /// listening socket and the PostgreSQL pool.
    static func defaultTotal() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 - reserve }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return max(16, Int(min(limit.rlim_cur, 1 << 20)) - reserve)
    }

    static let reserve = 128

    /// Counts a new connection; false when it would go over a cap (it is then not counted).
    func admit(_ address: String) -> Bool {
        let admitted = counts.withLockedValue { counts in
            let open = counts.byAddress[address, default: 0]
            guard open < maxPerAddress, counts.total < maxTotal else { return false }
            counts.byAddress[address] = open + 1
            counts.total += 1
            return true
        }
        if !admitted { metrics?.connectionsRefused.increment() }
        return admitted
    }

    func release(_ address: String) {
        counts.withLockedValue { counts in
            let open = counts.byAddress[address, default: 0] - 1
            counts.byAddress[address] = open > 0 ? open : nil
            counts.total -= 1
        }
    }

    /// A handler for one connection's pipeline.
    func handler() -> Handler { Handler(limiter: self) }

    final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        let limiter: ConnectionLimiter
        private var counted: String?

        init(limiter: ConnectionLimiter) {
            self.limiter = limiter
        }

        func handlerAdded(context: ChannelHandlerContext) {
            let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
            if limiter.admit(address) {
                counted = address
            } else {
                context.close(promise: nil)
            }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            if let counted { limiter.release(counted) }
            counted = nil
        }
    }
}
