import Dispatch
import GlossCore

/// Carries out a sync (``SyncProtocol``, which decides) against this replica and a transport,
/// which only fetch, persist and carry.
///
/// Safe to cut anywhere: operations are marked acknowledged only after the server answered
/// (which it does only after committing), and each pulled page is applied in the same
/// transaction as the cursor that follows it, so a re-run re-sends or re-pulls at most one
/// batch, which the ids make harmless.
public struct SyncSession: Sendable {
    public typealias Summary = SyncProtocol.Summary

    /// Progress callbacks: (phase, done, total if known).
    public typealias Progress = @Sendable (_ phase: String, _ done: Int, _ total: Int?) -> Void

    /// The replica's transactions a sync runs (``SyncingReplica``): a ``Replica`` on a file, or
    /// in memory in tests.
    public let replica: any SyncingReplica
    public let transport: any SyncTransport
    public var pageSize = Sync.Limits.clientBatchSize
    public var pushBatch = Sync.Limits.clientBatchSize

    public init(replica: any SyncingReplica, transport: any SyncTransport) {
        self.replica = replica
        self.transport = transport
    }

    /// Pushes what the server lacks (unless `push` is false), then pulls until caught up
    /// (unless `pull` is false); the first pull waits up to `wait` seconds for news.
    public func run(push: Bool = true, pull: Bool = true, wait: Int = 0,
                    progress: Progress = { _, _, _ in }) async throws -> Summary {
        do {
            return try await once(push: push, pull: pull, wait: wait, progress: progress)
        } catch let error as TransportError where error.reply == .storeReplaced {
            // The server's store is not the one our cursor came from: start over, once.
            try replica.startOverWithServer()
            var summary = try await once(push: true, pull: pull, wait: 0, progress: progress)
            summary.startedOver = true
            return summary
        }
    }

    private func once(push: Bool, pull: Bool, wait: Int, progress: Progress) async throws -> Summary {
        let meta = try replica.meta()
        var epoch: String? = meta.pullEpoch.isEmpty ? nil : meta.pullEpoch
        var sync = SyncProtocol(cursor: meta.pullCursor, reportCursor: meta.reportCursor, push: push, pull: pull, wait: wait,
                                pushBatch: pushBatch, pageSize: pageSize)
        let total = push ? try replica.unacknowledgedCount() : nil
        let marks = try replica.beginSync()
        // Only a replica that pinned the root checks signatures, and asks for them; it asks for
        // the root's statements before it checks a page that says it lacks some.
        var statementsHeld = pull ? try replica.statementsHeld() : nil
        let signed = statementsHeld != nil
        // The next page, requested as soon as its cursor is known, so the server and the
        // replica work at the same time; pages are still applied one by one, in order.
        var following: Task<Sync.PullResponse, any Error>?
        defer { following?.cancel() }
        while true {
            switch sync.next() {
            case .findUnsentReports:
                sync.receive(.unsent(try replica.unsentReports()))
            case let .readPending(after, limit):
                sync.receive(.pending(try await Self.offPool { try replica.pendingBatch(after: after, limit: limit) }))
            case let .upload(id):
                do {
                    try await transport.upload(try replica.report(id))
                    try replica.markUploaded(id)
                    sync.receive(.uploaded(id, allowed: true))
                } catch let error as TransportError where error.reply == .forbidden {
                    sync.receive(.uploaded(id, allowed: false))
                }
            case let .push(request):
                let operations = request.operations
                let request = request.carry(try await Self.offPool { try replica.signedRuns(for: operations) })
                let response = try await transport.push(request)
                try await Self.offPool { try replica.record(response) }
                sync.receive(.pushed(response))
                progress("push", sync.summary.sent, total)
            case let .pull(after, limit, wait):
                let page: Sync.PullResponse
                if let prefetched = following {
                    following = nil
                    page = try await prefetched.value
                } else {
                    page = try await transport.pull(after: after, epoch: epoch, limit: limit, wait: wait, signed: signed)
                }
                epoch = page.epoch ?? epoch
                sync.receive(.pulled(page))
            case let .apply(page, next):
                if let next {
                    let transport = self.transport, epoch = epoch
                    following = Task { try await transport.pull(after: next.after, epoch: epoch, limit: next.limit, wait: 0, signed: signed) }
                }
                if let held = statementsHeld, page.needsStatements(holding: held) {
                    try await takeTrust(have: held)
                    // Asked for what this page said: a later page of this sync asks again only if
                    // it says more (a binding made meanwhile). A server that does not say is asked once.
                    statementsHeld = page.statements.map { max(held, Int($0)) }
                }
                // What the page held that this replica did not take is named, and recorded; the
                // cursor has moved past it (one bad item must not stop the feed).
                let (result, skipped) = try await Self.offPool {
                    let result = try replica.applyPulled(page)
                    let skipped = page.unreadable + result.refused.map { Sync.Skipped(kind: .operation, id: $0.op.description, reason: $0.reason) }
                    try replica.recordSkipped(skipped)
                    return (result, skipped)
                }
                // Those kept aside for their signature are named too; `held_operations` keeps them.
                let keptAside = result.held.map { Sync.Skipped(kind: .operation, id: $0.op.description, reason: $0.reason) }
                sync.receive(.applied(.init(applied: result.applied, newConflicts: result.newConflicts, skipped: skipped, keptAside: keptAside)))
                progress("pull", sync.summary.received, nil)
            case let .pullReports(after, limit):
                let page = try await transport.reports(after: after, limit: limit)
                let (stored, skipped) = try await Self.offPool {
                    let stored = try replica.storeReceived(page)
                    let skipped = page.unreadable + stored.skipped
                    try replica.recordSkipped(skipped)
                    return (stored, skipped)
                }
                sync.receive(.reportsStored(.init(new: stored.new, cursor: page.cursor, more: page.more, skipped: skipped)))
            case let .finished(summary):
                var settled = summary
                if pull { settled.received += try await settleHoles() }
                let finished = settled
                return try await Self.offPool {
                    var summary = finished
                    // Pulled pages leave the search index behind; catch it up once, now.
                    if pull { try replica.indexPendingSearch() }
                    // A conflict one page brought and a later page resolved is not news.
                    summary.newConflicts = try replica.inConflict(summary.newConflicts)
                    try replica.noteSynced()
                    if pull {
                        try replica.endSync(marks)
                        if summary.received + summary.reportsReceived > 0 { summary.digest = try replica.digest(.lastSync) }
                    }
                    return summary
                }
            }
        }
    }

    /// With a root pinned, the root's statements the replica lacks (new bindings, revocations,
    /// the legacy cutoff), asked before a page that needs them is judged. A server without them
    /// (no root made, or one from before signing) is not an error: the pages are judged with
    /// what the replica holds.
    private func takeTrust(have held: Int) async throws {
        do {
            guard let trust = try await transport.trust(have: held) else { return }
            _ = try await Self.offPool { try replica.takeStatements(trust) }
        } catch let error as TransportError where error.reply == .notFound {
            return
        }
    }

    /// Operations kept aside after a hole in their chain may be waiting for nothing: the server
    /// refused the missing one for good, so it never comes. Asks the server which of their
    /// replicas' operations it refused, and judges the held ones again; returns how many that
    /// let through. Nothing to ask when nothing waits (one read of the replica).
    private func settleHoles() async throws -> Int {
        let replicas = try replica.replicasAfterHoles(limit: Sync.ChainRefusals.maxReplicas)
        guard !replicas.isEmpty else { return 0 }
        let answer: Sync.ChainRefusals?
        do {
            answer = try await transport.refusals(of: replicas)
        } catch let error as TransportError where error.reply == .notFound {
            return 0
        }
        guard let answer, !answer.refused.isEmpty else { return 0 }
        return try await Self.offPool { try replica.recheckHeld(with: answer).applied }
    }

    /// The replica's writes (a page of thousands of operations, the search index's catch-up)
    /// block the thread they run on: they run on a thread of their own, not on one of the few
    /// the cooperative pool has (two on two cores), which the transport's next request and
    /// `gloss open`'s handlers need meanwhile.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            writes.async { continuation.resume(with: Result(catching: work)) }
        }
    }

    /// One at a time, in order, as the session issues them.
    private static let writes = DispatchQueue(label: "gloss.sync.replica-writes")
}
