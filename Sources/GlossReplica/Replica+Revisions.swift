import GlossCore

/// Annotations following a report into the versions that revise it (docs/ARCHITECTURE.md, "Revision links").
///
/// Which report revises which is a claim by a named analyst: a team `linking` annotation on
/// the newer report whose `revises` names the earlier one (``linkRevision(of:revises:)``),
/// merged like any annotation. When analysts disagree, the latest link that is not deleted
/// counts (by its stamp, so every replica picks the same); deleting a link withdraws it.
extension Replica {
    /// Records that `newer` revises `earlier`, as this analyst's claim.
    @discardableResult
    public func linkRevision(of newer: ReportID, revises earlier: ReportID) throws -> Annotation {
        guard newer != earlier else {
            throw ReplicaError.selfRevision
        }
        let (id, result) = try commit { db, recorder in
            guard try ReportStore.exists(newer, in: db) else {
                throw ReplicaError.reportNotFound(newer)
            }
            guard let old = try ReportStore.fetch(earlier, in: db) else {
                throw ReplicaError.reportNotFound(earlier)
            }
            let creation = Creation(report: newer, target: nil, motivation: .linking, body: "Revises “\(old.title)” (\(earlier.short)).",
                                    visibility: .team, revises: earlier)
            return recorder.record(.create(creation), isPrivate: false).annotation
        }
        return try view(id, in: result)
    }

    /// The report `report` revises, by the latest standing link.
    public func revisedReport(of report: ReportID) throws -> ReportID? {
        try annotations(AnnotationFilter(report: report))
            .filter { $0.motivation == .linking && !$0.deleted && $0.revises != nil && $0.revises != report }
            .max { ($0.created, $0.id) < ($1.created, $1.id) }?.revises
    }

    /// The annotations to show with `report`: its own, and those on the versions it revises
    /// (following links back), carried over to this text by their quotes. A carried-over
    /// annotation whose quote is gone from the new text keeps no target: it reads as a note on
    /// the whole report. Carrying over is a view: nothing is stored or sent.
    public func annotationsFollowingRevisions(of report: Report, includeDeleted: Bool = true) throws -> [Annotation] {
        var result = try annotations(AnnotationFilter(report: report.id, includeDeleted: includeDeleted))
        let anchor = TextAnchor(text: report.text)
        var seen: Set<ReportID> = [report.id]
        var previous = try revisedReport(of: report.id)
        while let id = previous, !seen.contains(id) {
            seen.insert(id)
            for var annotation in try annotations(AnnotationFilter(report: id, includeDeleted: includeDeleted))
            where annotation.motivation != .linking {
                annotation.report = report.id
                annotation.target = annotation.target.flatMap(anchor.reanchor)
                result.append(annotation)
            }
            previous = try revisedReport(of: id)
        }
        return result
    }
}
