/// One `gloss sync`: push what the server lacks, then pull until caught up.
///
/// Safe to cut anywhere. Operations are marked acknowledged only after the server answered
/// (which it does only after committing), and each pulled page is applied in the same
/// transaction as the cursor that follows it, so a re-run re-sends or re-pulls at most one
/// batch, which the ids make harmless.
public struct SyncSession: Sendable {
    /// What a sync did, for the analyst.
    public struct Summary: Codable, Sendable, Equatable {
        public var sent = 0
        public var accepted = 0
        public var alreadyOnServer = 0
        public var refused: [Sync.Refusal] = []
        public var received = 0
        public var reportsSent = 0
        public var reportsReceived = 0
        public var newConflicts: [AnnotationID] = []
        public var cursor: Int64 = 0
        public init() {}
    }

    /// Progress callbacks: (phase, done, total if known).
    public typealias Progress = @Sendable (_ phase: String, _ done: Int, _ total: Int?) -> Void

    public let replica: Replica
    public let transport: any SyncTransport
    public var pageSize = Sync.Limits.clientBatchSize
    public var pushBatch = Sync.Limits.clientBatchSize

    public init(replica: Replica, transport: any SyncTransport) {
        self.replica = replica
        self.transport = transport
    }

    public func run(progress: Progress = { _, _, _ in }) async throws -> Summary {
        var summary = Summary()
        try await push(into: &summary, progress: progress)
        try await pull(into: &summary, wait: 0, progress: progress)
        try replica.noteSynced()
        return summary
    }

    /// Sends pending operations in batches, each preceded by the reports its creates need.
    public func push(into summary: inout Summary, progress: Progress) async throws {
        let replicaID = try replica.meta().replica
        let total = try replica.unacknowledgedCount()
        var after: Int64 = 0
        while true {
            let pending = try replica.pendingOperations(after: after, limit: pushBatch)
            guard let last = pending.last else { break }
            after = last.seq
            let batch = pending.map(\.op)
            for report in try replica.reportsToUpload(for: batch) {
                do {
                    try await transport.upload(report)
                } catch let error as TransportError where error.status == 403 {
                    // Not allowed to add reports (a reader): the operations that need it are
                    // refused with their own reason below; the rest of the sync goes on.
                    continue
                }
                try replica.markUploaded(report.id)
                summary.reportsSent += 1
            }
            let claims = try replica.claims(for: Set(batch.map(\.id.replica)))
            let response = try await transport.push(Sync.PushRequest(replica: replicaID, operations: batch, claims: claims))
            try replica.record(response)
            summary.sent += batch.count
            summary.accepted += response.accepted.count
            summary.alreadyOnServer += response.duplicates.count
            summary.refused += response.refused
            progress("push", summary.sent, total)
        }
    }

    /// Pulls pages until the server has nothing more, then fetches reports the new annotations need.
    ///
    /// The next page is requested as soon as a page arrives (its cursor is known then) and is
    /// in flight while this one is applied, so the server and the replica work at the same
    /// time. Pages are still applied one by one, in order, each with its cursor; a page
    /// fetched but not applied when a sync is cut is simply fetched again.
    public func pull(into summary: inout Summary, wait: Int, progress: Progress) async throws {
        var cursor = try replica.meta().pullCursor
        var page = try await transport.pull(after: cursor, limit: pageSize, wait: wait)
        while true {
            let (more, after, limit) = (page.more, page.cursor, pageSize)
            async let following: Sync.PullResponse? = more ? transport.pull(after: after, limit: limit, wait: 0) : nil
            let result = try replica.applyPulled(page)
            summary.received += result.applied
            summary.newConflicts += result.newConflicts
            cursor = page.cursor
            progress("pull", summary.received, nil)
            guard let next = try await following else { break }
            page = next
        }
        summary.cursor = cursor
        for id in try replica.missingReports() {
            if let report = try await transport.download(id) {
                try replica.storeReceived(report)
                summary.reportsReceived += 1
            }
        }
        // Pulled pages leave the search index behind; catch it up once, now.
        try replica.indexPendingSearch()
    }
}
