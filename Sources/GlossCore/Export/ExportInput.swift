/// Everything an exporter reads: reports, the visible annotations and the operations behind them.
///
/// Exporters are pure functions of this value. They sort what they read, so the order of the
/// arrays never shows in the output: the same input in any order gives the same bytes.
public struct ExportInput: Sendable {
    public var reports: [Report]
    /// Visible annotations, including deleted tombstones and replies.
    public var annotations: [Annotation]
    /// The operations the annotations were merged from (only the `json` format uses them).
    public var operations: [Operation]
    /// What a receiver needs to check the operations' signatures (the `json` format carries it).
    public var signing: BundleSigning?

    public init(reports: [Report], annotations: [Annotation], operations: [Operation] = [], signing: BundleSigning? = nil) {
        self.reports = reports
        self.annotations = annotations
        self.operations = operations
        self.signing = signing
    }
}

extension ExportInput {
    /// Reports by id, duplicates dropped.
    var sortedReports: [Report] {
        var seen = Set<ReportID>()
        return reports.sorted(by: Self.reportOrder).filter { seen.insert($0.id).inserted }
    }

    /// Annotations by id, duplicates dropped: of two copies of one id the later `updated`
    /// wins, then the greater body, so the choice never depends on the input order.
    var sortedAnnotations: [Annotation] {
        var seen = Set<AnnotationID>()
        return annotations
            .sorted { ($0.id, $1.updated, $1.body) < ($1.id, $0.updated, $0.body) }
            .filter { seen.insert($0.id).inserted }
    }

    /// Operations in `OperationID` order (replica, then counter), duplicates dropped.
    var sortedOperations: [Operation] {
        var seen = Set<OperationID>()
        return operations.sorted { $0.id < $1.id }.filter { seen.insert($0.id).inserted }
    }

    /// The report each annotation belongs to, when the input has it.
    var reportsByID: [ReportID: Report] {
        Dictionary(sortedReports.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private static func reportOrder(_ a: Report, _ b: Report) -> Bool {
        (a.id, a.revises?.rawValue ?? "") < (b.id, b.revises?.rawValue ?? "")
    }
}
