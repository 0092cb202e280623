/// One sync with the team server, as a state machine: ``next()`` says what to do, and
/// ``receive(_:)`` is told what came of it. It decides the order of the work, the batches, the
/// cursor and the summary; it reads no file and sends nothing. `SyncSession` (GlossReplica)
/// carries its steps out against a replica and a transport, and tests drive it by hand.
///
/// A sync pushes first, batch by batch, each batch preceded by the reports its creates need,
/// then pulls pages until the server has no more, then fetches the reports the pulled
/// annotations point at. It is safe to cut anywhere: operations are marked acknowledged only
/// when the server answered, and each page is applied with the cursor that follows it.
public struct SyncProtocol: Sendable {
    /// What to do next.
    public enum Step: Sendable, Equatable {
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
        /// Find the reports pulled annotations need that the replica lacks; answer ``Event/missing(_:)``.
        case findMissingReports
        /// Fetch this report and store it if the server has it; answer ``Event/downloaded(_:found:)``.
        case download(ReportID)
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
        case missing([ReportID])
        case downloaded(ReportID, found: Bool)
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

    /// What applying a page did.
    public struct Applied: Sendable, Equatable {
        public var applied: Int
        public var newConflicts: [AnnotationID]
        public init(applied: Int, newConflicts: [AnnotationID] = []) {
            self.applied = applied
            self.newConflicts = newConflicts
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
        /// The server's store was replaced or restored since the last sync: this sync pulled
        /// from the beginning and sent everything again.
        public var startedOver = false
        public init() {}
    }

    /// Where the sync is.
    enum Phase: Sendable {
        case readPending(after: Int64)
        case uploading(Pending, remaining: [ReportID])
        case pushing(Pending)
        case pulling(after: Int64, wait: Int)
        case applying(Sync.PullResponse)
        case findingReports
        case downloading(remaining: [ReportID])
        case finished
    }

    public private(set) var summary = Summary()
    var phase: Phase
    /// Set while a step is out, until its event arrives.
    var awaiting = false
    let pushBatch: Int
    let pageSize: Int

    /// A sync that pushes (unless `push` is false), then pulls from `cursor` (unless `pull` is
    /// false); the first pull waits up to `wait` seconds at the server for something new
    /// (`gloss sync --watch`).
    public init(cursor: Int64, push: Bool = true, pull: Bool = true, wait: Int = 0,
                pushBatch: Int = Sync.Limits.clientBatchSize, pageSize: Int = Sync.Limits.clientBatchSize) {
        precondition(pushBatch > 0 && pageSize > 0, "batches hold at least one operation")
        self.pushBatch = pushBatch
        self.pageSize = pageSize
        self.pull = pull
        firstWait = wait
        summary.cursor = cursor
        phase = push ? .readPending(after: 0) : pull ? .pulling(after: cursor, wait: wait) : .finished
    }

    private let pull: Bool
    private let firstWait: Int

    /// The next step. Each step but ``Step/finished(_:)`` must be answered with its event first.
    public mutating func next() -> Step {
        precondition(!awaiting, "answer the last step before asking for the next")
        let step: Step
        switch phase {
        case let .readPending(after): step = .readPending(after: after, limit: pushBatch)
        case let .uploading(_, remaining): step = .upload(remaining[0])
        case let .pushing(batch):
            step = .push(Sync.PushRequest(replica: batch.replica, operations: batch.operations, claims: batch.claims,
                                          payloads: batch.payloads))
        case let .pulling(after, wait): step = .pull(after: after, limit: pageSize, wait: wait)
        case let .applying(page): step = .apply(page, next: page.more ? Pull(after: page.cursor, limit: pageSize) : nil)
        case .findingReports: step = .findMissingReports
        case let .downloading(remaining): step = .download(remaining[0])
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
            phase = rest.isEmpty ? .pushing(batch) : .uploading(batch, remaining: rest)
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
            summary.cursor = page.cursor
            phase = page.more ? .pulling(after: page.cursor, wait: 0) : .findingReports
        case let (.findingReports, .missing(ids)):
            phase = ids.isEmpty ? .finished : .downloading(remaining: ids)
        case let (.downloading(remaining), .downloaded(id, found)):
            precondition(remaining.first == id, "downloaded another report than asked")
            if found { summary.reportsReceived += 1 }
            let rest = Array(remaining.dropFirst())
            phase = rest.isEmpty ? .finished : .downloading(remaining: rest)
        default:
            preconditionFailure("\(event) does not answer the step of \(phase)")
        }
    }
}
