import Dispatch
import Foundation
import GlossCore
import GlossReplica
import GlossReplica

/// `gloss sync --watch`: long-polls the server and syncs whenever a teammate pushes,
/// and pushes local changes every few seconds, until Ctrl-C.
struct Watcher {
    let session: SyncSession
    let json: Bool
    /// How long one long poll waits at the server.
    var wait = 20

    func run() async throws {
        if !json { Output.line(Output.dim("watching for changes — Ctrl-C to stop")) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await Self.interrupted() }
            group.addTask { try await loop() }
            try await group.next()
            group.cancelAll()
        }
        if !json { Output.line("stopped") }
    }

    private func loop() async throws {
        while !Task.isCancelled {
            let summary = try await session.run(wait: wait)
            if summary.sent + summary.received > 0 || !summary.refused.isEmpty {
                try SyncPrinter.print(summary, json: json)
            }
        }
    }

    /// Returns when SIGINT or SIGTERM arrives.
    private static func interrupted() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = Once(continuation)
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler { once.fire() }
                source.resume()
                once.retain(source)
            }
        }
    }
}

/// Resumes a continuation at most once.
private final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?
    /// The signal sources, kept alive while waiting.
    private var sources: [any DispatchSourceSignal] = []
    init(_ c: CheckedContinuation<Void, Never>) { continuation = c }
    func retain(_ source: any DispatchSourceSignal) {
        lock.lock(); defer { lock.unlock() }
        sources.append(source)
    }
    func fire() {
        lock.lock(); defer { lock.unlock() }
        continuation?.resume()
        continuation = nil
    }
}

