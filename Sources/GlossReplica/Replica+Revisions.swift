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
    func linkRevision(of newer: ReportID, revises earlier: ReportID) throws -> Annotation {
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
            // Her own claim takes back a decline of hers (``declineRevision(of:)``).
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [Self.declinedKey + newer.rawValue])
            // Her link is ordered after every link on `newer` she has seen, however far ahead
            // it was stamped (a received stamp moves her clock only a minute past hers).
            for state in try String.fetchAll(db, sql: "SELECT state FROM annotations WHERE report = ? AND revises IS NOT NULL",
                                             arguments: [newer.rawValue]) {
                if let link = try AnnotationStore.view(fromState: state) { recorder.follow(link.updated) }
            }
            let creation = Creation(report: newer, target: nil, motivation: .linking, body: "Revises “\(old.title)” (\(earlier.short)).",
                                    visibility: .team, revises: earlier)
            return recorder.record(.create(creation), isPrivate: false).annotation
        }
        return try view(id, in: result)
    }

    /// The revision links standing now (``RevisionChains``: which version a note is shown on).
    public func revisionChains() throws -> RevisionChains {
        try pool.read { try Self.revisionChains(in: $0) }
    }

    static func revisionChains(in db: Database) throws -> RevisionChains {
        try revisionChains(of: String.fetchAll(db, sql: "SELECT state FROM annotations WHERE revises IS NOT NULL AND deleted = 0")
            .compactMap { try AnnotationStore.view(fromState: $0) }, in: db)
    }

    /// `links` as this analyst sees them: her declines, her own links and those she accepted first.
    static func revisionChains(of links: [Annotation], in db: Database) throws -> RevisionChains {
        let viewer = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'user'")
        return RevisionChains(links: links, declined: try declinedRevisions(in: db), viewer: viewer.map(UserName.init(stored:)),
                              accepted: try keyed(acceptedKey, in: db).mapValues { AnnotationID(rawValue: $0.rawValue) })
    }

    /// Declines, for this analyst only, the link by which `newer` revises another report: from
    /// now on `newer` shows only its own notes and the notes on the earlier version stay
    /// there, whoever claimed the link and however often it is claimed again. Her own
    /// `gloss import NEW --revises OLD` (or ``acceptRevision(of:)``) takes it back. Kept in
    /// this replica (`meta`), sent to nobody; returns the link declined.
    @discardableResult
    public func declineRevision(of newer: ReportID) throws -> Annotation {
        try pool.write { db in
            guard let link = try Self.revisionChains(in: db).links[newer], let earlier = link.revises else {
                throw ReplicaError.notARevision(newer)
            }
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [Self.declinedKey + newer.rawValue, earlier.rawValue])
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [Self.acceptedKey + newer.rawValue])
            return link
        }
    }

    /// Accepts, for this analyst only, the link by which `newer` revises another report now: it
    /// takes back her decline, and a teammate's claim becomes hers to trust. The notes carried
    /// across it lose their mark, and a later claim by anyone else does not change what she
    /// sees (her own `gloss import NEW --revises OTHER` does). Kept in this replica (`meta`),
    /// sent to nobody; returns the link accepted, or nil when `newer` revises nothing.
    @discardableResult
    public func acceptRevision(of newer: ReportID) throws -> Annotation? {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [Self.declinedKey + newer.rawValue])
            guard let link = try Self.revisionChains(in: db).links[newer] else { return nil }
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [Self.acceptedKey + newer.rawValue, link.id.rawValue])
            return link
        }
    }

    static let declinedKey = "declined_revision:"
    static let acceptedKey = "accepted_revision:"

    static func declinedRevisions(in db: Database) throws -> [ReportID: ReportID] {
        try keyed(declinedKey, in: db)
    }

    /// The `meta` rows under `prefix` + a report id, by that report.
    static func keyed(_ prefix: String, in db: Database) throws -> [ReportID: ReportID] {
        var values: [ReportID: ReportID] = [:]
        for row in try MetaRow.prefixed(prefix, in: db) {
            values[ReportID(rawValue: String(row.key.dropFirst(prefix.count)))] = ReportID(rawValue: row.value)
        }
        return values
    }

    /// Every revision link standing in the workspace (this analyst's declines aside: those are
    /// listed with `declined`), by the newer report's id.
    /// `confirmed`: she made the link or accepted it (a teammate's claim she has not is not).
    public func revisionLinks() throws -> [(link: Annotation, declined: Bool, confirmed: Bool)] {
        try pool.read { db in
            let declined = try Self.declinedRevisions(in: db)
            let all = RevisionChains(links: try String.fetchAll(db, sql: "SELECT state FROM annotations WHERE revises IS NOT NULL AND deleted = 0")
                .compactMap { try AnnotationStore.view(fromState: $0) })
            let kept = try Self.revisionChains(in: db)
            var out = kept.links.map { (link: $0.value, declined: false, confirmed: kept.confirmed.contains($0.key)) }
            for (report, link) in all.links where kept.links[report] == nil && declined[report] == link.revises {
                out.append((link, true, false))
            }
            return out.sorted { $0.link.report < $1.link.report }
        }
    }

    /// The report `report` revises, by the latest standing link.
    public func revisedReport(of report: ReportID) throws -> ReportID? {
        try pool.read { try Self.revisedReport(of: report, in: $0) }
    }

    static func revisedReport(of report: ReportID, in db: Database) throws -> ReportID? {
        let links = try String.fetchAll(db, sql: "SELECT state FROM annotations WHERE report = ? AND revises IS NOT NULL AND deleted = 0",
                                        arguments: [report.rawValue])
            .compactMap { try AnnotationStore.view(fromState: $0) }
        return try revisionChains(of: links, in: db).revisedReport(of: report)
    }

    /// The versions `report` revises, newest first (following the links back, each once).
    public func earlierVersions(of report: ReportID) throws -> [ReportID] {
        try revisionChains().earlierVersions(of: report)
    }

    /// The latest versions: reports that revise another and that no standing link revises.
    func latestVersions() throws -> [ReportID] {
        try revisionChains().latestVersions
    }

    /// The annotations to show with `report`: its own, and those on the versions it revises,
    /// carried over to this text (``RevisionChains/notes(shownOn:own:earlier:)``, the rule).
    public func annotationsFollowingRevisions(of report: Report, includeDeleted: Bool = true) throws -> [Annotation] {
        try annotationsFollowingRevisions(of: report, includeDeleted: includeDeleted, chains: revisionChains())
    }

    func annotationsFollowingRevisions(of report: Report, includeDeleted: Bool, chains: RevisionChains,
                                       carrying: Bool = true) throws -> [Annotation] {
        let own = try annotations(AnnotationFilter(report: report.id, includeDeleted: includeDeleted))
        let earlier = try chains.earlierVersions(of: report.id).map { version in
            RevisionChains.Version(id: version, text: try reportText(version),
                                   notes: try annotations(AnnotationFilter(report: version, includeDeleted: includeDeleted)))
        }
        return chains.notes(shownOn: report, own: own, earlier: earlier, carrying: carrying) { version, text in
            self.revisions.revision(from: version, text: text, to: report)
        }
    }

    /// The notes matching `filter`: for a report in a chain of versions, the notes it shows (its
    /// own and the carried ones, as `gloss show`), so that `list --report`, `show` and
    /// `reports` agree; otherwise ``annotations(_:)``.
    public func notes(_ filter: AnnotationFilter) throws -> [Annotation] {
        try notes(filter, carrying: true)
    }

    /// ``notes(_:)``; without `carrying`, carried notes come as made, with no diff computed
    /// (which notes a version shows does not depend on where they land): for counting them.
    func notes(_ filter: AnnotationFilter, carrying: Bool) throws -> [Annotation] {
        guard let id = filter.report else { return try annotations(filter) }
        let chains = try revisionChains()
        guard chains.links[id] != nil || chains.revision(of: id) != nil else { return try annotations(filter) }
        let notes = try annotationsFollowingRevisions(of: report(id), includeDeleted: filter.includeDeleted, chains: chains,
                                                      carrying: carrying).filter { note in
            (filter.tag.map { note.tags.contains($0) } ?? true)
                && (filter.author.map { note.author == $0 } ?? true)
                && (filter.status.map { note.status == $0 } ?? true)
                && (!filter.onlyConflicts || note.hasConflict)
        }
        return filter.limit.map { Array(notes.prefix($0)) } ?? notes
    }

    /// Notes carried to a latest version that need a person (`review` and `orphan`, and any
    /// carried across a teammate's revision claim she has not accepted), by report.
    public func reviewQueue(report: ReportID? = nil) throws -> [(report: Report, notes: [Annotation])] {
        let heads = try report.map { [$0] } ?? latestVersions()
        return try heads.compactMap { id in
            let report = try self.report(id)
            let notes = try annotationsFollowingRevisions(of: report, includeDeleted: false).filter {
                $0.reanchor?.status == .review || $0.reanchor?.status == .orphan || $0.reanchor?.claim != nil
            }
            return notes.isEmpty ? nil : (report, notes)
        }
    }

    /// The latest version that carries `note` (made on an earlier one), with the note as carried
    /// there (``RevisionChains/report(showing:)``, the rule `gloss show` and `gloss log` share).
    public func carried(_ note: AnnotationID) throws -> (report: Report, note: Annotation)? {
        let made = try annotation(note)
        let chains = try revisionChains()
        let head = chains.report(showing: made)
        guard chains.links[head] != nil else { return nil }
        let report = try self.report(head)
        return try annotationsFollowingRevisions(of: report, includeDeleted: true, chains: chains).first { $0.id == note }.map { (report, $0) }
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
