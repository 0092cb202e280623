import Foundation

/// The annotated brief as the `markdown` and `html` renderers see it: a header (title, date,
/// workspace, authors), the key judgments, the contents, and one section per report.
///
/// A brief is for someone outside the team, so the workflow stays out of it:
///
/// - revision links (`linking` notes) are bookkeeping, not notes;
/// - a deleted note is left out, unless replies to it survive: then its thread stays, headed
///   "(note deleted by …)", without the deleted text; a deleted reply likewise;
/// - a bare highlight (no text, tag, judgment or reply) marks its quote but is no numbered note;
/// - reports no shown note is on are left out (unless `includeUnannotated`).
///
/// The date is that of the latest change to a note in the brief, not the clock's: replicas
/// holding the same operations export the same bytes, whenever they export.
struct Brief: Sendable {
    struct Section: Sendable {
        /// 1-based, in the order of the contents.
        var number: Int
        var layout: BriefLayout
        /// Judged passages in reading order; those with a disagreement show it in place.
        var passages: [JudgedPassage]
        /// The earlier versions of this report, whose notes are carried into it.
        var revises: [RevisedVersion] = []
        /// Notes shown (top-level, numbered).
        var noteCount: Int { layout.blocks.reduce(0) { $0 + $1.notes.count } + layout.wholeReportNotes.count }
        var disagreements: [JudgedPassage] { passages.filter { $0.disagreement != nil } }

        /// The note of that annotation, when it is a numbered note of this section.
        func note(_ id: AnnotationID) -> BriefLayout.Note? {
            (layout.blocks.flatMap(\.notes) + layout.wholeReportNotes).first { $0.annotation.id == id }
        }

        /// Where a passage's disagreement shows: the index of the block holding its first
        /// placed note, or nil for the notes on the whole report.
        func block(of passage: JudgedPassage) -> Int? {
            let ids = Set(passage.entries.map(\.annotation))
            return layout.blocks.firstIndex { block in block.notes.contains { ids.contains($0.annotation.id) } }
        }
    }

    var title: String
    var workspace: WorkspaceName
    /// The filters that chose the notes, in words (``BriefFilter/words``); nil for none.
    var filters: String?
    /// The latest change to a note in the brief; nil when it has none.
    var asOf: HLC?
    /// Everyone whose words are in the brief, in byte order.
    var authors: [UserName]
    var sections: [Section]
    /// Earlier versions of the reports in the brief, named as revised where their notes show
    /// (``followingRevisions(_:)``).
    var revised: [RevisedVersion]

    init(_ input: ExportInput, options: BriefOptions = BriefOptions()) {
        let (input, revised) = Self.followingRevisions(input)
        let shown = Self.shownAnnotations(input.sortedAnnotations, filter: options.filter)
        let annotated = Set(shown.map(\.report))
        let reports = input.sortedReports.filter { options.includeUnannotated || annotated.contains($0.id) }
        let layouts = BriefLayout.layouts(for: ExportInput(reports: reports, annotations: shown), quietHighlights: true)
        let byReport = Dictionary(grouping: shown, by: \.report)
        title = options.title
        workspace = options.workspace
        filters = options.filter.words
        asOf = shown.map(\.updated).max()
        authors = Set(shown.filter { !$0.deleted }.map(\.author)).sorted()
        let sections = layouts.enumerated().map { index, layout in
            Section(number: index + 1, layout: layout, passages: JudgedPassage.passages(of: byReport[layout.reportID] ?? []),
                    revises: revised.filter { $0.shownIn == layout.reportID })
        }
        self.sections = sections
        self.revised = revised.filter { version in sections.contains { $0.layout.reportID == version.shownIn } }
    }

    /// The annotations a brief shows: the notes `filter` chooses with their threads, without
    /// revision links, and without deleted annotations that no surviving reply hangs from.
    static func shownAnnotations(_ annotations: [Annotation], filter: BriefFilter) -> [Annotation] {
        let candidates = annotations.filter { $0.motivation != .linking }
        let ids = Set(candidates.map(\.id))
        let children = Dictionary(grouping: candidates.filter { $0.parent.map(ids.contains) ?? false }) { $0.parent! }
        // Reached only from a root, whose descendants form a tree (one parent each): no cycle.
        func survives(_ a: Annotation) -> Bool {
            !a.deleted || (children[a.id] ?? []).contains(where: survives)
        }
        func thread(_ root: Annotation) -> [Annotation] {
            var out = [root], queue = [root.id], seen: Set<AnnotationID> = [root.id]
            while let next = queue.popLast() {
                for child in children[next] ?? [] where seen.insert(child.id).inserted {
                    out.append(child)
                    queue.append(child.id)
                }
            }
            return out
        }
        let roots = candidates.filter { $0.parent.map { !ids.contains($0) } ?? true }
        return roots.flatMap { root -> [Annotation] in
            let all = thread(root)
            guard filter.chooses(all) else { return [] }
            return all.filter(survives)
        }
    }
}

/// The words both renderers use for judgments and dissent; only the markup differs.
extension Brief {
    /// Why the analysts disagree: "likelihoods 3 steps apart" or "low against high confidence".
    static func reason(_ disagreement: Disagreement) -> String {
        switch disagreement.kind {
        case .likelihood: "likelihoods \(disagreement.steps) steps apart on the ICD 203 scale"
        case .confidence: "low against high confidence"
        }
    }

    /// The two sides of a disagreement, lower first.
    static func sides(_ disagreement: Disagreement) -> [JudgedPassage.Entry] { [disagreement.low, disagreement.high] }

    /// A comment on one line (for the dissent line and the key judgments).
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
