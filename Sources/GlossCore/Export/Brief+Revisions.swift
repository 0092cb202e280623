/// A brief follows revisions: a report that a later version revises is not a section of its
/// own, with quotes the new text lost; its notes are carried into the latest version
/// (``RevisionChains/notes(shownOn:own:earlier:)``, the rule `gloss show` follows too), and the
/// earlier version is named there as revised, by which version and when.
extension Brief {
    /// An earlier version of a report in the brief, named where its notes are shown.
    struct RevisedVersion: Sendable, Hashable {
        var report: ReportID
        var title: String
        /// The version that revises it directly, and when that link was made.
        var revisedBy: ReportID
        var revisedByTitle: String
        var when: HLC
        /// The latest version, whose section shows its notes.
        var shownIn: ReportID
    }

    /// The input with each note on the version it is shown on, and the earlier versions whose
    /// notes moved. The revision links are read from the input's annotations; a version the
    /// input lacks the text of carries its notes as best it can (they read as needing review).
    static func followingRevisions(_ input: ExportInput) -> (input: ExportInput, revised: [RevisedVersion]) {
        let chains = RevisionChains(links: input.annotations)
        guard !chains.links.isEmpty else { return (input, []) }
        let reports = input.reportsByID
        let byReport = Dictionary(grouping: input.sortedAnnotations, by: \.report)
        var annotations: [Annotation] = []
        var revised: [RevisedVersion] = []
        var carried = Set<ReportID>()
        for head in chains.latestVersions {
            guard let report = reports[head] else { continue }
            let versions = chains.earlierVersions(of: head)
            let earlier = versions.map { RevisionChains.Version(id: $0, text: reports[$0]?.text ?? "", notes: byReport[$0] ?? []) }
            annotations += chains.notes(shownOn: report, own: byReport[head] ?? [], earlier: earlier)
            carried.insert(head)
            for version in versions {
                carried.insert(version)
                guard let link = chains.revision(of: version) else { continue }
                revised.append(RevisedVersion(report: version, title: reports[version]?.title ?? "Report \(version.short)",
                                              revisedBy: link.report, revisedByTitle: reports[link.report]?.title ?? "Report \(link.report.short)",
                                              when: link.created, shownIn: head))
            }
        }
        for (report, notes) in byReport where !carried.contains(report) { annotations += notes }
        let shown = input.reports.filter { !revised.map(\.report).contains($0.id) }
        return (ExportInput(reports: shown, annotations: annotations, operations: input.operations), revised)
    }

    /// "“Rare earths” (9f8e7d6c), revised by “Rare earths, revised”, 2025-11-29 08:30 UTC".
    static func revisedLine(_ version: RevisedVersion) -> (earlier: String, by: String, when: String) {
        ("“\(version.title)” (\(version.report.short))", "“\(version.revisedByTitle)”", ExportText.dateTime(version.when))
    }
}
