/// Annotations following a report into the versions that revise it (DESIGN.md, Reports).
extension Replica {
    /// The annotations to show with `report`: its own, and those on the versions it revises
    /// (following `revises` back), carried over to this text by their quotes. A carried-over
    /// annotation whose quote is gone from the new text keeps no target: it reads as a note on
    /// the whole report. Carrying over is a view: nothing is stored or sent.
    public func annotationsFollowingRevisions(of report: Report, includeDeleted: Bool = true) throws -> [Annotation] {
        var result = try annotations(AnnotationFilter(report: report.id, includeDeleted: includeDeleted))
        let anchor = TextAnchor(text: report.text)
        var seen: Set<ReportID> = [report.id]
        var previous = report.revises
        while let id = previous, !seen.contains(id) {
            seen.insert(id)
            for var annotation in try annotations(AnnotationFilter(report: id, includeDeleted: includeDeleted)) {
                annotation.report = report.id
                annotation.target = annotation.target.flatMap(anchor.reanchor)
                result.append(annotation)
            }
            previous = try pool.read { try ReportStore.fetch(id, in: $0) }?.revises
        }
        return result
    }
}
