import GRDB
import GlossCore

/// Annotations following a report into the versions that revise it (docs/ARCHITECTURE.md, "Revision links").
///
/// Which report revises which is a claim by a named analyst: a team `linking` annotation on
/// the newer report whose `revises` names the earlier one (``linkRevision(of:revises:)``),
/// merged like any annotation. When analysts disagree, the latest link that is not deleted
/// counts (by its stamp, so every replica picks the same); deleting a link withdraws it.
///
/// Notes made on an earlier version show with the later one, carried by a character diff of
/// the two texts (`TextRevision`, docs/ANCHORING.md): each comes out `exact`, `changed`,
/// `review` (a proposal a person confirms) or `orphan`. Carrying is a view: nothing is stored
/// or sent until a person settles a note (``settle(_:on:target:)``), which retargets it into the
/// later version as an operation of its author's.
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
        try pool.read { try Self.revisedReport(of: report, in: $0) }
    }

    static func revisedReport(of report: ReportID, in db: Database) throws -> ReportID? {
        try String.fetchAll(db, sql: "SELECT state FROM annotations WHERE report = ? AND revises IS NOT NULL AND deleted = 0",
                            arguments: [report.rawValue])
            .compactMap { try AnnotationStore.view(fromState: $0) }
            .filter { $0.motivation == .linking && !$0.deleted && $0.revises != nil && $0.revises != report }
            .max { ($0.created, $0.id) < ($1.created, $1.id) }?.revises
    }

    /// The versions `report` revises, newest first (following the links back, each once).
    public func earlierVersions(of report: ReportID) throws -> [ReportID] {
        try pool.read { db in
            var versions: [ReportID] = []
            var seen: Set<ReportID> = [report]
            var previous = try Self.revisedReport(of: report, in: db)
            while let id = previous, seen.insert(id).inserted {
                versions.append(id)
                previous = try Self.revisedReport(of: id, in: db)
            }
            return versions
        }
    }

    /// The latest versions: reports that revise another and that no standing link revises.
    public func latestVersions() throws -> [ReportID] {
        let linked = try pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT report FROM annotations WHERE revises IS NOT NULL AND deleted = 0")
                .map(ReportID.init(rawValue:))
        }
        var revised = Set<ReportID>()
        for report in linked { if let earlier = try revisedReport(of: report) { revised.insert(earlier) } }
        return linked.filter { !revised.contains($0) }.sorted()
    }

    /// The annotations to show with `report`: its own, and those on the versions it revises,
    /// carried over to this text (each with its ``Annotation/reanchor``). A carried note that
    /// needs review, or whose text is gone, keeps no target here: it reads as a note on the
    /// whole report, with its mark and proposal. A note of this report that a person moved on
    /// to a later version keeps no target here either.
    public func annotationsFollowingRevisions(of report: Report, includeDeleted: Bool = true) throws -> [Annotation] {
        var result = try annotations(AnnotationFilter(report: report.id, includeDeleted: includeDeleted)).map { note in
            var note = note
            if let source = note.target?.source, source != report.id { note.target = nil }
            return note
        }
        let versions = try earlierVersions(of: report.id)
        guard !versions.isEmpty else { return result }
        let chain = Set(versions)
        var revisions: [ReportID: TextRevision] = [:]
        func revision(from version: ReportID) throws -> TextRevision {
            if let known = revisions[version] { return known }
            let made = TextRevision(old: try reportText(version), new: report.text)
            revisions[version] = made
            return made
        }
        for version in versions {
            for var note in try annotations(AnnotationFilter(report: version, includeDeleted: includeDeleted)) where note.motivation != .linking {
                note.report = report.id
                if var target = note.target {
                    // Where the note stands: where a person last settled it, or where it was made.
                    let anchoredIn = target.source.flatMap { $0 == report.id || chain.contains($0) ? $0 : nil } ?? version
                    target.source = nil
                    if anchoredIn == report.id {
                        note.target = target
                    } else {
                        let carried = try revision(from: anchoredIn).carry(target)
                        let placed = carried.status == .exact || carried.status == .changed
                        note.target = placed ? carried.target : nil
                        note.reanchor = Reanchored(status: carried.status, from: anchoredIn, reason: carried.reason,
                                                   proposal: carried.status == .review ? carried.target : nil)
                    }
                }
                result.append(note)
            }
        }
        return result
    }

    /// The notes matching `filter`: for a report that revises others, the notes it shows (its
    /// own and the carried ones, as `gloss show`), so that `list --report`, `show` and
    /// `reports` agree; otherwise ``annotations(_:)``.
    public func notes(_ filter: AnnotationFilter) throws -> [Annotation] {
        guard let id = filter.report, try !earlierVersions(of: id).isEmpty else { return try annotations(filter) }
        let notes = try annotationsFollowingRevisions(of: report(id), includeDeleted: filter.includeDeleted).filter { note in
            (filter.tag.map { note.tags.contains($0) } ?? true)
                && (filter.author.map { IdentityName.same(note.author, $0) } ?? true)
                && (filter.status.map { note.status == $0 } ?? true)
                && (!filter.onlyConflicts || note.hasConflict)
        }
        return filter.limit.map { Array(notes.prefix($0)) } ?? notes
    }

    /// Notes carried to a latest version that need a person (`review` and `orphan`), by report.
    public func reviewQueue(report: ReportID? = nil) throws -> [(report: Report, notes: [Annotation])] {
        let heads = try report.map { [$0] } ?? latestVersions()
        return try heads.compactMap { id in
            let report = try self.report(id)
            let notes = try annotationsFollowingRevisions(of: report, includeDeleted: false).filter {
                $0.reanchor?.status == .review || $0.reanchor?.status == .orphan
            }
            return notes.isEmpty ? nil : (report, notes)
        }
    }

    /// The latest version that carries `note` (made on an earlier one), with the note as carried there.
    public func carried(_ note: AnnotationID) throws -> (report: Report, note: Annotation)? {
        let made = try annotation(note)
        for head in try latestVersions() where try head == made.report || earlierVersions(of: head).contains(made.report) {
            let report = try self.report(head)
            if let carried = try annotationsFollowingRevisions(of: report).first(where: { $0.id == note }) {
                return (report, carried)
            }
        }
        return nil
    }

    /// Settles a carried note in `report` (a later version) at `target`: a retarget by its
    /// author, so every teammate sees it there, exact, from then on.
    @discardableResult
    public func settle(_ note: AnnotationID, on report: ReportID, target: Target) throws -> Annotation {
        var target = target
        target.source = report
        return try edit(note, target: target)
    }
}
