import Dispatch
import Foundation

/// SIGINT (Ctrl-C) and SIGTERM as an event, for `gloss sync --watch`: from its creation on,
/// either signal no longer ends the process where it stands but ends ``wait()``, so the watch
/// lets the write in hand finish, says "stopped" and exits 0. Create it before the work starts:
/// a signal that arrives before anyone waits is kept, not lost. A second signal takes the
/// default action again (ends the process at once), for a stop that does not come; the replica
/// is safe either way, each of its writes being one SQLite transaction.
final class StopSignal: @unchecked Sendable {
    // Unchecked: both are set once in `init`; the stream and the sources are thread-safe.
    private let signals: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init() {
        let (signals, continuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .bufferingNewest(1))
        self.signals = signals
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                continuation.yield(number)
                for number in [SIGINT, SIGTERM] { signal(number, SIG_DFL) }
            }
            source.resume()
            return source
        }
    }

    /// Returns once SIGINT or SIGTERM has arrived, or when the task is cancelled.
    func wait() async {
        for await _ in signals { return }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
