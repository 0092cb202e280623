/// What a push carries, decided from facts the replica gathers (issue 25): which unsent
/// operations go now, which reports must be uploaded before them, and whose replica claims
/// travel with them. Pure, as ``PushPolicy`` is on the server's side; the replica reads the
/// rows and builds ``SyncProtocol/Pending`` from the answer.
public enum PushContents {
    /// One unsent operation, oldest first, with what the rules need to know of it.
    public struct Candidate: Sendable {
        public var operation: Operation
        public var payload: String
        /// The report its note is on, when the replica knows the note (a create names it).
        public var report: ReportID?

        public init(operation: Operation, payload: String, report: ReportID?) {
            self.operation = operation
            self.payload = payload
            self.report = report
        }
    }

    /// The batch, and what must go with it.
    public struct Batch: Sendable, Equatable {
        public var operations: [Operation] = []
        public var payloads: [String] = []
        /// The reports the batch's creates need that the server was never sent, in id order.
        public var reports: [ReportID] = []
        /// The replica ids the batch's operations were made under: their claims go with it,
        /// so the server can check each operation's author against its replica's claim.
        public var replicas: Set<ReplicaID> = []

        public init() {}
    }

    /// From `candidates`, the operations that go now: not those on a note whose report is
    /// kept local (`gloss import --local`), which wait until it is shared. Teammates'
    /// operations that arrived by file go too: the server takes them only from their authors,
    /// but its answer tells this replica whether they were refused for good.
    public static func batch(of candidates: [Candidate], localReports: Set<ReportID>, notUploaded: Set<ReportID>) -> Batch {
        var batch = Batch()
        var needed = Set<ReportID>()
        for candidate in candidates {
            if let report = candidate.report, localReports.contains(report) { continue }
            batch.operations.append(candidate.operation)
            batch.payloads.append(candidate.payload)
            batch.replicas.insert(candidate.operation.id.replica)
            if case let .create(creation) = candidate.operation.change, notUploaded.contains(creation.report) {
                needed.insert(creation.report)
            }
        }
        batch.reports = needed.sorted()
        return batch
    }

    /// The report a candidate's note is on, as far as the operation itself says: a create
    /// names it; any other change needs the replica's record of the note.
    public static func report(namedBy operation: Operation) -> ReportID? {
        if case let .create(creation) = operation.change { return creation.report }
        return nil
    }
}
