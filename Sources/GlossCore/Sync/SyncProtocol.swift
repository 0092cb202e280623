/// One sync with the team server, as a state machine: ``next()`` says what to do, and
/// ``receive(_:)`` is told what came of it. It decides the order of the work, the batches, the
/// cursor and the summary; it reads no file and sends nothing. `SyncSession` (GlossReplica)
/// carries its steps out against a replica and a transport, and tests drive it by hand.
///
/// A sync sends the reports the server lacks (every report not kept local, annotated or not),
/// pushes, batch by batch, each batch preceded by reports its creates need that were imported
/// meanwhile, then pulls pages of operations until the server has no more, then pages of the
/// reports teammates sent. It is safe to cut anywhere: operations are marked acknowledged only
/// when the server answered, and each page is applied with the cursor that follows it.
public struct SyncProtocol: Sendable {
    /// What to do next.
    public enum Step: Sendable, Equatable {
        /// List the reports the server has not been sent; answer ``Event/unsent(_:)``.
        case findUnsentReports
        /// Read up to `limit` operations the server has not acknowledged, after local
        /// sequence `after`, with what their push needs; answer ``Event/pending(_:)``.
        case readPending(after: Int64, limit: Int)
        /// Send this report to the server; answer ``Event/uploaded(_:allowed:)``.
        case upload(ReportID)
        /// Send these operations; record the answer in the replica; answer ``Event/pushed(_:)``.
        case push(Sync.PushRequest)
        /// Ask for the operations after `after`; answer ``Event/pulled(_:)``. With `wait` > 0
        /// the server holds the request until something arrives.
        case pull(after: Int64, limit: Int, wait: Int)
        /// Apply this page and its cursor in one transaction; answer ``Event/applied(_:)``.
        /// `next`, when set, is the pull that follows, which may be sent while this applies.
        case apply(Sync.PullResponse, next: Pull?)
        /// Fetch the page of the workspace's reports after `after` and store it with its cursor
        /// in one transaction; answer ``Event/reportsStored(_:)``.
        case pullReports(after: Int64, limit: Int)
        /// Done: catch the search index up and note the time of the sync.
        case finished(Summary)
    }

    /// A pull request's arguments.
    public struct Pull: Sendable, Equatable {
        public var after: Int64
        public var limit: Int
    }

    /// What came of a step.
    public enum Event: Sendable {
        case pending(Pending)
        case uploaded(ReportID, allowed: Bool)
        case pushed(Sync.PushResponse)
        case pulled(Sync.PullResponse)
        case applied(Applied)
        case unsent([ReportID])
        case reportsStored(ReportsStored)
    }

    /// A batch of operations to push, as the replica has it.
    public struct Pending: Sendable, Equatable {
        /// The operations, oldest first.
        public var operations: [Operation]
        /// Their JSON as the replica stored it (sent as is), if at hand.
        public var payloads: [String]?
        /// The local sequence of the last one (where the next batch starts).
        public var lastSeq: Int64
        /// The pushing replica (this process's) id.
        public var replica: ReplicaID
        /// Reports the creates need that the server has not been sent yet.
        public var reports: [ReportID]
        /// The claims of the batch's replica ids that this replica holds.
        public var claims: [ReplicaClaim]
        public init(operations: [Operation], payloads: [String]? = nil, lastSeq: Int64, replica: ReplicaID,
                    reports: [ReportID] = [], claims: [ReplicaClaim] = []) {
            self.operations = operations
            self.payloads = payloads
            self.lastSeq = lastSeq
            self.replica = replica
            self.reports = reports
            self.claims = claims
        }
    }

    /// What storing a page of reports did.
    public struct ReportsStored: Sendable, Equatable {
        /// The reports this replica did not have.
        public var new: Int
        public var cursor: Int64
        public var more: Bool
        /// Reports of the page not taken (unreadable, or altered): named, and passed.
        public var skipped: [Sync.Skipped]
        public init(new: Int, cursor: Int64, more: Bool, skipped: [Sync.Skipped] = []) {
            self.new = new
            self.cursor = cursor
            self.more = more
            self.skipped = skipped
        }
    }

    /// What applying a page did.
    public struct Applied: Sendable, Equatable {
        public var applied: Int
        public var newConflicts: [AnnotationID]
        /// Operations of the page not taken (unreadable, or breaking a rule): named, and passed.
        public var skipped: [Sync.Skipped]
        /// Operations of the page whose signature or chain did not check: kept aside, not merged.
        public var keptAside: [Sync.Skipped]
        public init(applied: Int, newConflicts: [AnnotationID] = [], skipped: [Sync.Skipped] = [], keptAside: [Sync.Skipped] = []) {
            self.applied = applied
            self.newConflicts = newConflicts
            self.skipped = skipped
            self.keptAside = keptAside
        }
    }

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
        /// Items of the server's feed this replica did not take, each named; the sync went on past them.
        public var skipped: [Sync.Skipped] = []
        /// Operations the server sent whose signature or chain did not check against their
        /// author's (docs/RELIABILITY.md, "Signed operations"): kept aside, not merged, each
        /// named; `gloss sync --refused` lists them until they check or are dropped.
        public var keptAside: [Sync.Skipped] = []
        /// The server's store was replaced or restored since the last sync: this sync pulled
        /// from the beginning and sent everything again.
        public var startedOver = false
        /// What arrived that concerns the analyst (set by the session once the sync is done).
        public var digest: Digest?
        public init() {}
    }

    /// Where the sync is.
    enum Phase: Sendable {
        case findingUnsent
        /// Sending reports; then `batch`'s push when set, else the first batch.
        case uploading(Pending?, remaining: [ReportID])
        case readPending(after: Int64)
        case pushing(Pending)
        case pulling(after: Int64, wait: Int)
        case applying(Sync.PullResponse)
        case pullingReports(after: Int64)
        case finished
    }

    public private(set) var summary = Summary()
    var phase: Phase
    /// Set while a step is out, until its event arrives.
    var awaiting = false
    let pushBatch: Int
    let pageSize: Int

    /// A sync that pushes (unless `push` is false), then pulls from `cursor` and the reports
    /// from `reportCursor` (unless `pull` is false); the first pull waits up to `wait` seconds
    /// at the server for something new (`gloss sync --watch`).
    public init(cursor: Int64, reportCursor: Int64 = 0, push: Bool = true, pull: Bool = true, wait: Int = 0,
                pushBatch: Int = Sync.Limits.clientBatchSize, pageSize: Int = Sync.Limits.clientBatchSize) {
        precondition(pushBatch > 0 && pageSize > 0, "batches hold at least one operation")
        self.pushBatch = pushBatch
        self.pageSize = pageSize
        self.pull = pull
        firstWait = wait
        summary.cursor = cursor
        self.reportCursor = reportCursor
        phase = push ? .findingUnsent : pull ? .pulling(after: cursor, wait: wait) : .finished
    }

    private let pull: Bool
    private let firstWait: Int
    private let reportCursor: Int64

    /// The next step. Each step but ``Step/finished(_:)`` must be answered with its event first.
    public mutating func next() -> Step {
        precondition(!awaiting, "answer the last step before asking for the next")
        let step: Step
        switch phase {
        case .findingUnsent: step = .findUnsentReports
        case let .readPending(after): step = .readPending(after: after, limit: pushBatch)
        case let .uploading(_, remaining): step = .upload(remaining[0])
        case let .pushing(batch):
            step = .push(Sync.PushRequest(replica: batch.replica, operations: batch.operations, claims: batch.claims,
                                          payloads: batch.payloads))
        case let .pulling(after, wait): step = .pull(after: after, limit: pageSize, wait: wait)
        case let .applying(page): step = .apply(page, next: page.more ? Pull(after: page.cursor, limit: pageSize) : nil)
        case let .pullingReports(after): step = .pullReports(after: after, limit: Sync.Limits.maxReportPage)
        case .finished: return .finished(summary)
        }
        awaiting = true
        return step
    }

    /// What came of the last step.
    public mutating func receive(_ event: Event) {
        precondition(awaiting, "no step is waiting for an answer")
        awaiting = false
        switch (phase, event) {
        case let (.findingUnsent, .unsent(ids)):
            phase = ids.isEmpty ? .readPending(after: 0) : .uploading(nil, remaining: ids)
        case let (.readPending, .pending(batch)):
            if batch.operations.isEmpty {
                phase = pull ? .pulling(after: summary.cursor, wait: firstWait) : .finished
            } else if batch.reports.isEmpty {
                phase = .pushing(batch)
            } else {
                phase = .uploading(batch, remaining: batch.reports)
            }
        case let (.uploading(batch, remaining), .uploaded(id, allowed)):
            precondition(remaining.first == id, "uploaded another report than asked")
            // A reader may not add reports: the operations that need one are refused with their
            // own reason in the push's answer; the rest of the sync goes on.
            if allowed { summary.reportsSent += 1 }
            let rest = Array(remaining.dropFirst())
            phase = !rest.isEmpty ? .uploading(batch, remaining: rest) : batch.map { .pushing($0) } ?? .readPending(after: 0)
        case let (.pushing(batch), .pushed(response)):
            summary.sent += batch.operations.count
            summary.accepted += response.accepted.count
            summary.alreadyOnServer += response.duplicates.count
            summary.refused += response.refused
            phase = .readPending(after: batch.lastSeq)
        case let (.pulling, .pulled(page)):
            phase = .applying(page)
        case let (.applying(page), .applied(result)):
            summary.received += result.applied
            summary.newConflicts += result.newConflicts
            summary.skipped += result.skipped
            summary.keptAside += result.keptAside
            summary.cursor = page.cursor
            // The report feed is asked only when the answer does not say this replica is at its head.
            phase = page.more ? .pulling(after: page.cursor, wait: 0)
                : page.reports.map { $0 <= reportCursor } == true ? .finished : .pullingReports(after: reportCursor)
        case let (.pullingReports, .reportsStored(page)):
            summary.reportsReceived += page.new
            summary.skipped += page.skipped
            phase = page.more ? .pullingReports(after: page.cursor) : .finished
        default:
            preconditionFailure("\(event) does not answer the step of \(phase)")
        }
    }
}
