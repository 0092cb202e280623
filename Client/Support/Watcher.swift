import Foundation
import GlossCore
import GlossReplica

/// `gloss sync --watch`: a sync that stays. It pushes what other `gloss` commands record
/// within a second, pulls as soon as a teammate pushes, rides out server restarts and network
/// cuts, and stops cleanly on Ctrl-C or SIGTERM.
///
/// Each cycle is a sync (push, then pull until caught up), then a parked pull: a long poll,
/// which the server answers as soon as it has news, raced against a look at the replica every
/// ``localCheck`` for another process's writes (``Replica/externalWrites()``). The first to
/// come wins and the other is cancelled; only the parked pull is ever cut, which a sync allows
/// anywhere, so a push always runs to its answer. While the server cannot be reached it tries
/// again on a ``Backoff`` and says so on one line, and on one more when it is back. A failure
/// that will not clear by itself (a refused token, a lost membership) ends the watch with it.
struct Watcher {
    let session: SyncSession
    let json: Bool
    /// How long one long poll waits at the server.
    var wait = 20
    /// How often the replica is checked for other commands' changes while the long poll waits
    /// (a `PRAGMA`, no table read).
    var localCheck: Duration = .milliseconds(250)

    /// What a watch came to.
    struct Outcome {
        /// The server refused some operation for good (`gloss sync` exits 5).
        var refusedForGood = false
    }

    /// Runs until SIGINT or SIGTERM, then says "stopped"; throws what it cannot ride out.
    /// `progress` shows the first sync's progress (it may be a long one).
    func run(until stop: StopSignal, progress: ProgressLine) async throws -> Outcome {
        let outcome = try await withThrowingTaskGroup(of: Outcome?.self) { group in
            group.addTask { await stop.wait(); return nil }
            group.addTask { try await watch(progress: progress) }
            // The loop returns only once cancelled: the first to end is the signal, or the
            // loop's error (which ends the group and cancels the wait for a signal).
            _ = try await group.next()
            group.cancelAll()
            while let next = try await group.next() {
                if let outcome = next { return outcome }
            }
            return Outcome()
        }
        // At a terminal, over the "^C" it echoed: the line reads "stopped" alone.
        say((Terminal.columns() != nil && ProcessInfo.processInfo.environment["TERM"] != "dumb" ? "\r\u{1B}[K" : "") + "stopped")
        return outcome
    }

    /// The cycles, until cancelled (then returns what was seen) or a lasting failure (thrown).
    private func watch(progress: ProgressLine) async throws -> Outcome {
        var state = State()
        do {
            try await cycles(&state, progress: progress)
        } catch {
            // Cancelled: whatever the cut request threw is not a failure.
            if Task.isCancelled { return state.outcome }
            throw error
        }
        return state.outcome
    }

    /// What the loop remembers from one cycle to the next.
    private struct State {
        var outcome = Outcome()
        var backoff = Backoff()
        /// Since when the server has not answered, during an outage.
        var unreachableSince: ContinuousClock.Instant?
        /// Operations the server holds back for now (relayed ones awaiting their author…),
        /// already told: sent again each cycle, they are news only when they change.
        var held: Set<OperationID> = []
        var first = true
    }

    private func cycles(_ state: inout State, progress: ProgressLine) async throws {
        let replica = session.replica
        while true {
            do {
                // Read before the sync, so that a change made while it runs wakes the next park at once.
                let writes = try replica.externalWrites()
                let summary = try await session.run(progress: state.first ? progress.update : { _, _, _ in })
                if state.first { progress.finish() }
                if let since = state.unreachableSince {
                    say("reconnected after \(Self.seconds(ContinuousClock.now - since))")
                    state.unreachableSince = nil
                }
                state.backoff.reset()
                try tell(summary, &state)
                if state.first {
                    state.first = false
                    say(Output.dim("watching for changes — Ctrl-C to stop"))
                }
                if let news = try await park(since: writes) { try tell(news, &state) }
            } catch let error as TransportError where error.isTransient && !Task.isCancelled {
                let delay = state.backoff.next(random: Double.random(in: 0..<1))
                if state.unreachableSince == nil {
                    state.unreachableSince = .now
                    say("server unreachable — retrying in \(Self.seconds(delay)), then less often (\(error.message))")
                }
                try await Task.sleep(for: delay)
            }
        }
    }

    /// Waits for a teammate's news (a pull that the server holds until it has some, or for
    /// `wait` seconds) or for another process's write to the replica, whichever comes first;
    /// returns the pull's summary, or nil for a local change (the next cycle pushes it).
    private func park(since writes: Int) async throws -> SyncSession.Summary? {
        try await withThrowingTaskGroup(of: SyncSession.Summary?.self) { group in
            group.addTask { [session, wait] in try await session.run(push: false, wait: wait) }
            group.addTask { [localCheck] in
                let replica = session.replica
                while try replica.externalWrites() == writes { try await Task.sleep(for: localCheck) }
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
    }

    /// Prints a sync's summary when it holds news (the first always).
    private func tell(_ summary: SyncSession.Summary, _ state: inout State) throws {
        let forGood = summary.refused.contains { !$0.code.isTemporary }
        if forGood { state.outcome.refusedForGood = true }
        var newlyHeld = false
        if summary.sent > 0 {
            let held = Set(summary.refused.filter(\.code.isTemporary).map(\.op))
            newlyHeld = !held.isSubset(of: state.held)
            state.held = held
        }
        let news = summary.accepted + summary.alreadyOnServer + summary.received + summary.reportsReceived > 0
            || forGood || newlyHeld || summary.startedOver || !summary.newConflicts.isEmpty
        guard state.first || news else { return }
        try SyncPrinter.print(summary, json: json)
        Output.flush()
    }

    /// A line for the person watching, at once (also into a file or a pipe); on stderr with
    /// `--json`, where stdout holds only the summaries.
    private func say(_ text: String) {
        if json { Output.warn(text) } else { Output.line(text); Output.flush() }
    }

    /// "0.4 s", "12 s".
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return value < 10 ? String(format: "%.1f s", value) : "\(Int(value.rounded())) s"
    }
}
