/// Which report revises which, and so which version a note is shown on (docs/ARCHITECTURE.md,
/// "Revision links").
///
/// A link is a `linking` annotation on the newer report naming the earlier one (`gloss import
/// NEW --revises OLD`), one analyst's claim merged like any annotation. When analysts disagree,
/// the latest standing link counts (by its stamp, so every replica picks the same); a deleted
/// link is withdrawn. Following the links back from a report gives its earlier versions; a
/// report that revises another and that no link revises is a latest version, and every note on
/// a version of its chain is shown there (``notes(shownOn:own:earlier:)``), never again on
/// the earlier version it was made on.
///
/// Any analyst may decline a link for herself (`gloss revisions decline NEW`): for her, the
/// newer report does not revise the one it names (the notes stay on the version she trusts),
/// whoever claimed it and however often; another link of the same report still counts.
///
/// Each analyst decides for herself which link of a report counts (a link war has no winner
/// but her): her own latest link counts for her, whatever a teammate claims after it; else the
/// link she accepted (`gloss revisions accept NEW`), while it stands; else the latest. Only
/// the first two are *confirmed*: notes carried across an unconfirmed link, a teammate's claim
/// she has not accepted, are marked with that claim (``Reanchored/claim``) until she accepts
/// or declines it, and a version reached by confirmed links is preferred as the one her notes
/// show on.
public struct RevisionChains: Sendable, Equatable {
    /// The standing link of each report that revises another.
    public private(set) var links: [ReportID: Annotation] = [:]
    /// The newer reports whose standing link the viewer made or accepted.
    public private(set) var confirmed: Set<ReportID> = []

    /// From the revision links among `annotations` (others, and deleted links, are passed over),
    /// but for those `declined` (newer report → the earlier one whose link she declined), as
    /// `viewer` sees them: her own links, then those she `accepted` (newer report → the link's
    /// id), count first. Without a viewer (a brief made from an export), every link is confirmed.
    public init(links annotations: [Annotation], declined: [ReportID: ReportID] = [:],
                viewer: UserName? = nil, accepted: [ReportID: AnnotationID] = [:]) {
        /// Her own link ranks first, then the one she accepted, then any; the latest within a rank.
        func rank(_ link: Annotation) -> Int {
            if let viewer, link.author == viewer { return 2 }
            return accepted[link.report] == link.id ? 1 : 0
        }
        for link in annotations where link.motivation == .linking && !link.deleted {
            guard let earlier = link.revises, earlier != link.report, declined[link.report] != earlier else { continue }
            if let standing = links[link.report],
               (rank(standing), standing.created, standing.id) > (rank(link), link.created, link.id) { continue }
            links[link.report] = link
        }
        confirmed = Set(links.filter { viewer == nil || rank($0.value) > 0 }.keys)
    }

    /// The teammate's claim `report` revises another by, when the viewer has not accepted it.
    public func unconfirmedClaim(of report: ReportID) -> Annotation? {
        confirmed.contains(report) ? nil : links[report]
    }

    /// The first unconfirmed claim on the way back from `report` to its earlier `version`.
    func unconfirmedClaim(between report: ReportID, and version: ReportID) -> Annotation? {
        var current = report
        var seen: Set<ReportID> = []
        while current != version, seen.insert(current).inserted, let link = links[current], let earlier = link.revises {
            if !confirmed.contains(current) { return link }
            current = earlier
        }
        return nil
    }

    /// The report `report` revises, by its standing link.
    public func revisedReport(of report: ReportID) -> ReportID? { links[report]?.revises }

    /// The versions `report` revises, newest first (following the links back, each once).
    public func earlierVersions(of report: ReportID) -> [ReportID] {
        var versions: [ReportID] = []
        var seen: Set<ReportID> = [report]
        var previous = revisedReport(of: report)
        while let id = previous, seen.insert(id).inserted {
            versions.append(id)
            previous = revisedReport(of: id)
        }
        return versions
    }

    /// The latest versions: reports that revise another and that no standing link revises, by id.
    public var latestVersions: [ReportID] {
        let revised = Set(links.values.compactMap(\.revises))
        return links.keys.filter { !revised.contains($0) }.sorted()
    }

    /// The version a note made on `report` is shown on: the first latest version (by id) whose
    /// chain holds `report`, or `report` itself when it is in no chain.
    /// A latest version reached from `report` by confirmed links alone comes before one that
    /// needs a teammate's unconfirmed claim, so a doctored copy cannot take her notes from the
    /// version she linked or accepted.
    public func latestVersion(of report: ReportID) -> ReportID {
        let heads = latestVersions.filter { $0 == report || earlierVersions(of: $0).contains(report) }
        return heads.first { unconfirmedClaim(between: $0, and: report) == nil } ?? heads.first ?? report
    }

    /// The report `note` is shown on: the latest version of its report (a revision link itself
    /// stays on the report it belongs to). `gloss show` and `gloss log` name this one.
    public func report(showing note: Annotation) -> ReportID {
        note.motivation == .linking ? note.report : latestVersion(of: note.report)
    }

    /// Whether a later version is shown in `report`'s place.
    public func isRevised(_ report: ReportID) -> Bool { latestVersion(of: report) != report }

    /// The link by which a later version revises `report` directly (the first by the newer
    /// report's id, should two versions claim to revise it), for naming it: "revised by …".
    public func revision(of report: ReportID) -> Annotation? {
        links.values.filter { $0.revises == report }.min { $0.report < $1.report }
    }
}

extension RevisionChains {
    /// An earlier version of a report, with the notes made on it (or settled there).
    public struct Version: Sendable {
        public var id: ReportID
        public var text: String
        public var notes: [Annotation]
        public init(id: ReportID, text: String, notes: [Annotation]) {
            self.id = id
            self.text = text
            self.notes = notes
        }
    }

    /// The annotations to show with `report`: its `own`, and the notes of the `earlier`
    /// versions it revises (``earlierVersions(of:)``, each with its text and notes), carried
    /// over to its text (each with its ``Annotation/reanchor``). A carried note that needs
    /// review, or whose text is gone, keeps no target here: it reads as a note on the whole
    /// report, with its mark and proposal.
    ///
    /// A note a person settled in a version (its target's `source`, set by `gloss review
    /// accept` and `gloss retarget`) stands there: it is carried from that version, and a
    /// version before it no longer shows it at all (the later one does), rather than as a
    /// note on the whole report whose quote is gone.
    ///
    /// `revision` gives the ``TextRevision`` from an earlier version's text to `report`'s (by
    /// default computed here, once per version); a caller that shows several reports, or the
    /// same one again, passes its own store so that each diff is computed once. Which notes a
    /// version shows does not depend on where they land: without `carrying`, they come as made
    /// (for counting them), and no diff is computed at all.
    public func notes(shownOn report: Report, own: [Annotation], earlier: [Version], carrying: Bool = true,
                      revision: ((_ from: ReportID, _ text: String) -> TextRevision)? = nil) -> [Annotation] {
        let chain = Set(earlier.map(\.id))
        var texts = Dictionary(earlier.map { ($0.id, $0.text) }, uniquingKeysWith: { a, _ in a })
        texts[report.id] = report.text
        var revisions: [ReportID: TextRevision] = [:]
        func carried(_ note: Annotation, from version: ReportID) -> Annotation {
            guard carrying else {
                var shown = note
                shown.report = report.id
                return shown
            }
            let made = revisions[version] ?? revision?(version, texts[version] ?? "")
                ?? TextRevision(old: texts[version] ?? "", new: report.text)
            revisions[version] = made
            return marked(Self.carry(note, from: version, to: report.id, with: made), from: version)
        }
        /// A note carried across a teammate's claim the viewer has not accepted says whose.
        func marked(_ note: Annotation, from version: ReportID) -> Annotation {
            guard carrying, let claim = unconfirmedClaim(between: report.id, and: version) else { return note }
            var shown = note
            var carried = shown.reanchor ?? Reanchored(status: .exact, from: version)
            carried.claim = RevisionClaim(claim)
            shown.reanchor = carried
            return shown
        }
        /// Whether `source`, where a person settled a note, is a later version than `report`.
        func isLater(_ source: ReportID) -> Bool { earlierVersions(of: source).contains(report.id) }

        var result: [Annotation] = []
        for note in own {
            guard let source = note.target?.source, source != report.id else { result.append(note); continue }
            if isLater(source) { continue }
            if chain.contains(source) { result.append(carried(note, from: source)); continue }
            // Settled in a report no longer linked to this one: its selectors point elsewhere.
            var shown = note
            shown.target = nil
            result.append(shown)
        }
        for version in earlier {
            for note in version.notes where note.motivation != .linking {
                guard let target = note.target else {
                    var shown = note
                    shown.report = report.id
                    result.append(marked(shown, from: version.id))
                    continue
                }
                if let source = target.source, source != report.id, isLater(source) { continue }
                // Where the note stands: where a person last settled it, or where it was made.
                let anchoredIn = target.source.flatMap { $0 == report.id || chain.contains($0) ? $0 : nil } ?? version.id
                if anchoredIn == report.id {
                    var shown = note
                    shown.report = report.id
                    shown.target?.source = nil
                    result.append(shown)
                } else {
                    result.append(carried(note, from: anchoredIn))
                }
            }
        }
        return result
    }

    static func carry(_ note: Annotation, from version: ReportID, to report: ReportID, with revision: TextRevision) -> Annotation {
        var shown = note
        shown.report = report
        guard var target = note.target else { return shown }
        target.source = nil
        let carried = revision.carry(target)
        let placed = carried.status == .exact || carried.status == .changed
        shown.target = placed ? carried.target : nil
        shown.reanchor = Reanchored(status: carried.status, from: version, reason: carried.reason,
                                    proposal: carried.status == .review ? carried.target : nil)
        return shown
    }
}
