import GRDB
import GlossCore

/// Hand-over by file: what `gloss ops export` writes and `gloss ops apply` takes in.
extension Replica {
    /// The operations that arrived after local sequence `since`, with the reports they need and
    /// every report not kept local (a teammate gets the reports as `gloss sync` would bring
    /// them, annotated or not); private notes only when `includePrivate` (to carry them to
    /// one's own other machine). In a workspace, the file carries what its receiver needs to
    /// check who wrote each operation (``BundleSigning``): this replica's operations are chained
    /// and their runs signed here, which is why an export writes.
    public func exportBundle(since: Int64 = 0, includePrivate: Bool = false) throws -> (bundle: OperationBundle, lastSeq: Int64) {
        try pool.write { db in
            let rows = try LoggedOperation.fetchAll(db, sql: "SELECT seq, payload FROM operations WHERE seq > ? AND (private = 0 OR ?) ORDER BY seq",
                                                    arguments: [since, includePrivate])
            let operations = try rows.map { try $0.operation() }
            var reportIDs = Set<ReportID>()
            for op in operations { if case let .create(c) = op.change { reportIDs.insert(c.report) } }
            reportIDs.formUnion(try String.fetchAll(db, sql: "SELECT id FROM reports WHERE local = 0").map(ReportID.init(rawValue:)))
            let reports = try reportIDs.sorted().compactMap { try ReportStore.fetch($0, in: db) }
            let claims = try Self.claims(for: Set(operations.map(\.id.replica)), in: db)
            let signing = try Self.signing(for: operations, includePrivate: includePrivate, device: device, in: db)
            return (OperationBundle(reports: reports, operations: operations, claims: claims, signing: signing), rows.last?.seq ?? since)
        }
    }

    /// What a file of `operations` (a `gloss export --format json`) carries for its receiver
    /// to check their signatures, as an operations file does: this replica's operations not
    /// chained yet are chained, and their chains' heads signed. Nil in no workspace.
    public func signing(for operations: [GlossCore.Operation], includePrivate: Bool) throws -> BundleSigning? {
        try pool.write { db in try Self.signing(for: operations, includePrivate: includePrivate, device: device, in: db) }
    }

    /// Takes in a bundle: its reports, then its operations.
    public func apply(_ bundle: OperationBundle, source: String) throws -> (reports: [Imported], result: ApplyResult) {
        var imported: [Imported] = []
        for report in bundle.reports {
            // A report is content-addressed and its title, summary and sections are its text;
            // a link to an earlier version is not the sender's to set (it is an operation).
            if let problem = report.integrityProblem {
                throw ReplicaError.reportAltered(report.id, problem: problem, from: .file(source))
            }
            imported.append(try importReport(report.shared, source: source))
        }
        let result = try apply(bundle.operations, claims: bundle.claims, signing: bundle.signing, source: source)
        try indexPendingSearch()
        return (imported, result)
    }
}
