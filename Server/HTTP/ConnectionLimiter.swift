import NIOCore
import NIOConcurrencyHelpers

/// Caps the connections one client address holds open at once, so one host cannot take every
/// socket the server has. A connection over the cap is closed as soon as it is accepted.
///
/// Counting is per IP address (not per port): the many connections of a client behind one
/// address share the cap. Loopback counts like any other address.
final class ConnectionLimiter: Sendable {
    let maxPerAddress: Int
    private let counts = NIOLockedValueBox<[String: Int]>([:])

    init(maxPerAddress: Int) {
        self.maxPerAddress = maxPerAddress
    }

    /// Counts a new connection; false when it would go over the cap (it is then not counted).
    func admit(_ address: String) -> Bool {
        counts.withLockedValue { counts in
            let open = counts[address, default: 0]
            guard open < maxPerAddress else { return false }
            counts[address] = open + 1
            return true
        }
    }

    func release(_ address: String) {
        counts.withLockedValue { counts in
            let open = counts[address, default: 0] - 1
            counts[address] = open > 0 ? open : nil
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
