import GlossCore

/// What an analyst does to the notes, one function per action, over her replica. The CLI's
/// commands (`gloss annotate`, `review accept`, `retarget`, …) and the reader page's handlers
/// (`gloss open`) both call these, so no rule of what an action means is written twice: the
/// edges only parse what they were given and print or serialize what comes back.
///
/// Each action reads what it needs, asks the pure rules (``ChangeCheck``, ``TextAnchor``) and
/// records through the replica's transactions; its errors are ``ReplicaError``s and
/// ``AnchorError``s, worded by each edge.
public struct Actions: Sendable {
    public let replica: Replica

    public init(_ replica: Replica) {
        self.replica = replica
    }

    /// Where in a report's text a note goes: a quote to find, or code points to take.
    public enum Span: Sendable, Equatable {
        /// The text, and which occurrence when it occurs more than once (1-based).
        case quote(String, occurrence: Int?)
        /// Code points of the report's canonical text, `start..<end`.
        case positions(start: Int, end: Int)

        /// The W3C target of this span in `text` (TextQuote and TextPosition, in code points).
        public func target(in text: String) throws -> Target {
            let anchor = TextAnchor(text: text)
            switch self {
            case let .quote(quote, occurrence): return try anchor.target(quote: quote, occurrence: occurrence)
            case let .positions(start, end): return try anchor.target(start: start, end: end)
            }
        }
    }

    /// A new note on `report`: on `span` when given, else on the whole report. With neither a
    /// span nor a comment there is nothing to annotate. The motivation, unless given, follows
    /// what the note holds: a judgment assesses, a comment comments, a bare span highlights.
    public func annotate(report: ReportID, span: Span?, comment: String?, tags: [String] = [], judgment: Judgment? = nil,
                         motivation: Motivation? = nil, isPrivate: Bool = false) throws -> Annotation {
        let target = try span?.target(in: try replica.reportText(report))
        let comment = comment.flatMap { $0.isEmpty ? nil : $0 }
        if target == nil, comment == nil { throw ActionError.nothingToAnnotate }
        let motivation = motivation ?? (judgment != nil ? .assessing : comment != nil ? .commenting : .highlighting)
        return try replica.annotate(Creation(report: report, target: target, motivation: motivation, body: comment ?? "",
                                             tags: tags, judgment: judgment,
                                             visibility: isPrivate ? .private : .team))
    }

    /// A reply to `note`. One that is only white space is nothing to send.
    public func reply(to note: AnnotationID, comment: String) throws -> Annotation {
        guard !comment.allSatisfy(\.isWhitespace) else { throw ActionError.emptyReply }
        return try replica.reply(to: note, body: comment)
    }

    /// Replaces the note's text (an edit that saw every version settles a conflict), its
    /// judgment (half a judgment keeps the other half), its passage (`span`, on the note's own
    /// report), or several. Given none of them there is nothing to edit.
    public func edit(_ note: AnnotationID, comment: String? = nil, judgment: Judgment? = nil, span: Span? = nil) throws -> Annotation {
        let target = try span.map { try $0.target(in: try replica.reportText(try replica.annotation(note).report)) }
        if comment == nil, judgment == nil, target == nil { throw ActionError.nothingToEdit }
        return try replica.edit(note, body: comment, judgment: judgment, target: target)
    }

    /// Refuses, before an editor opens, to edit a note that is not the user's own: she would
    /// write for nothing.
    public func requireEditable(_ note: AnnotationID) throws -> Annotation {
        let current = try replica.annotation(note)
        try Replica.require(ChangeCheck.authorOnly(current, by: try replica.meta().user, action: "edit"), on: current)
        return current
    }

    /// The note's comment as its author wrote it in an editor: saved as it was changes nothing
    /// (the outcome says so); saved empty is refused, since clearing a comment is said outright
    /// (`--comment ''`), not by an editor closed on a blank file.
    public func edit(_ note: AnnotationID, written: String) throws -> ChangeOutcome {
        let current = try replica.annotation(note)
        guard !written.allSatisfy(\.isWhitespace) else { throw ActionError.editedEmpty(note) }
        guard written != current.body else { return ChangeOutcome(annotation: current, unchanged: "its comment was saved unchanged") }
        return ChangeOutcome(annotation: try replica.edit(note, body: written, judgment: nil), unchanged: nil)
    }

    public func tag(_ note: AnnotationID, add: [String], remove: [String]) throws -> ChangeOutcome {
        try replica.tag(note, add: add, remove: remove)
    }

    public func setStatus(_ note: AnnotationID, _ status: Status) throws -> ChangeOutcome {
        try replica.setStatus(note, status)
    }

    /// What deleting did: the note deleted (and any refused changes to it dropped), or, for a
    /// note the server refused that never reached the team, its refused changes dropped.
    public enum Deleted: Sendable {
        case deleted(Annotation)
        case droppedRefused(RefusedNote)
    }

    /// Deletes a note (its author only). A note the server refused, never shared, is not
    /// deleted by an operation: its refused changes are dropped from this replica.
    public func delete(_ note: AnnotationID) throws -> Deleted {
        if let refused = try replica.refusedNote(note), !refused.shared {
            try replica.dropRefused(note)
            return .droppedRefused(refused)
        }
        let deleted = try replica.delete(note)
        try replica.dropRefused(note)
        return .deleted(deleted)
    }

    /// `gloss review accept`: takes Gloss's proposal for a note carried to a later version of
    /// its report, as its author's operation. Only the author settles a note; one already
    /// where the proposal would put it is left as it is (the outcome says so).
    public func acceptProposal(_ note: AnnotationID) throws -> ChangeOutcome {
        let (report, carried) = try carried(note)
        try Replica.require(ChangeCheck.authorOnly(carried, by: try replica.meta().user, action: "settle"), on: carried)
        switch ChangeCheck.check(.acceptProposal, on: carried) {
        case .proceeds: break
        case let .unchanged(reason): return ChangeOutcome(annotation: carried, unchanged: reason)
        case let verdict: try Replica.require(verdict, on: carried)
        }
        guard let proposal = carried.reanchor?.proposal ?? (carried.reanchor != nil ? carried.target : nil) else {
            throw ActionError.noProposal(note, report: report.id)
        }
        return ChangeOutcome(annotation: try replica.settle(note, on: report.id, target: proposal), unchanged: nil)
    }

    /// `gloss retarget`: puts a note carried to a later version of its report on `span` of
    /// that version.
    public func retarget(_ note: AnnotationID, to span: Span) throws -> Annotation {
        let (report, carried) = try carried(note)
        if case let .refused(reason) = ChangeCheck.check(.retarget, on: carried) { throw ReplicaError.notApplicable(note, reason: reason) }
        return try replica.settle(note, on: report.id, target: try span.target(in: report.text))
    }

    /// How a conflict is settled: keep one of the versions (1-based, as listed: 1 is the one
    /// shown now), or replace them all by new text.
    public enum Settlement: Sendable, Equatable {
        case keep(version: Int)
        case replace(with: String)
    }

    /// `gloss conflicts ID --keep N | --comment TEXT`: an edit that has seen every version of
    /// the note's comment, so it settles the conflict on every replica after the next exchange.
    public func settleConflict(_ note: AnnotationID, _ settlement: Settlement) throws -> Annotation {
        let current = try replica.annotation(note)
        guard current.hasConflict else { throw ActionError.noConflict(note) }
        let text: String
        switch settlement {
        case let .keep(version):
            guard current.bodyVersions.indices.contains(version - 1) else {
                throw ActionError.noSuchVersion(note, version: version, versions: current.bodyVersions.count)
            }
            text = current.bodyVersions[version - 1].text
        case let .replace(with): text = with
        }
        return try replica.edit(note, body: text)
    }

    /// Every note whose comment has versions in conflict.
    public func conflicts() throws -> [Annotation] {
        try replica.annotations(AnnotationFilter(onlyConflicts: true))
    }

    // MARK: Reports and their versions

    /// A report imported, and whether this import linked it as a revision.
    public struct ImportedReport: Sendable {
        public var report: Replica.Imported
        /// It now revises the report asked for (false when it already did, or is that report).
        public var linked: Bool
    }

    /// `gloss import`: stores `report` (once: the same text is the same report), shared with the
    /// team unless `local`. With `revises`, this analyst's claim that it is a later version of
    /// that report is recorded as an operation the team merges, unless it already stands.
    public func importReport(_ report: Report, source: String, local: Bool, revises earlier: ReportID?) throws -> ImportedReport {
        let imported = try replica.importReport(report, source: source, local: local)
        guard let earlier, earlier != report.id, try replica.revisedReport(of: report.id) != earlier else {
            return ImportedReport(report: imported, linked: false)
        }
        _ = try replica.linkRevision(of: report.id, revises: earlier)
        return ImportedReport(report: imported, linked: true)
    }

    /// `gloss revisions accept`: for this analyst, `newer` revises what its standing link says
    /// (a teammate's claim, or one she declined); returns that link.
    public func acceptRevision(of newer: ReportID) throws -> Annotation {
        guard let link = try replica.acceptRevision(of: newer), link.revises != nil else { throw ReplicaError.notARevision(newer) }
        return link
    }

    /// `gloss revisions decline`: for this analyst, `newer` no longer revises anything; returns the link declined.
    public func declineRevision(of newer: ReportID) throws -> Annotation {
        try replica.declineRevision(of: newer)
    }

    // MARK: What the server refused

    /// `gloss sync --retry-refused`: every refused operation goes back in the log, to be
    /// offered again (after a role change, say). Returns how many.
    public func retryRefused() throws -> Int {
        try replica.retryRefused()
    }

    /// `gloss sync --restamp`: the operations refused for a clock far ahead, and this user's own
    /// that no claim proves, written again as new operations stamped now. Returns them.
    public func reissueRefused() throws -> [GlossCore.Operation] {
        try replica.restampRefused()
    }

    // MARK: Operations by file

    /// `gloss ops apply`: a teammate's operations file, taken by ``ApplyPolicy``'s rules
    /// (operations that name this user but were not made here are set aside, not merged).
    public func applyOperations(_ bundle: OperationBundle, source: String) throws -> (reports: [Replica.Imported], result: ApplyResult) {
        try replica.apply(bundle, source: source)
    }

    /// `gloss ops export`: this replica's operations after `since` (its own private ones only
    /// when asked), and the last sequence number written, for the next `--since`.
    public func exportOperations(since: Int64, includePrivate: Bool) throws -> (bundle: OperationBundle, lastSeq: Int64) {
        try replica.exportBundle(since: since, includePrivate: includePrivate)
    }

    /// `gloss ops quarantine`: the operations set aside, oldest first.
    public func quarantinedOperations() throws -> [QuarantinedOperation] {
        try replica.quarantinedOperations()
    }

    /// `gloss ops adopt`: the user's own operations from another machine, taken as hers
    /// (`nil`: every one set aside).
    public func adoptQuarantined(_ ids: [OperationID]?) throws -> ApplyResult {
        try replica.adoptQuarantined(ids)
    }

    /// `gloss ops discard`: operations set aside, dropped for good (`nil`: every one). Returns how many.
    public func discardQuarantined(_ ids: [OperationID]?) throws -> Int {
        try replica.discardQuarantined(ids)
    }

    /// The latest version `note` is carried to, and the note as carried there.
    func carried(_ note: AnnotationID) throws -> (report: Report, note: Annotation) {
        guard let carried = try replica.carried(note) else { throw ActionError.notCarried(note) }
        return carried
    }
}

/// An action that cannot be done as asked (the edges word it: the CLI with a hint naming its
/// options, the page beside the control).
public enum ActionError: Error, Equatable, Sendable {
    /// Neither a passage nor a comment was given.
    case nothingToAnnotate
    /// A reply of nothing but white space.
    case emptyReply
    /// An edit that names nothing to change.
    case nothingToEdit
    /// A comment written in an editor and saved empty.
    case editedEmpty(AnnotationID)
    /// The note is not carried to a later version of its report (no revision link reaches it).
    case notCarried(AnnotationID)
    /// A carried note whose text is gone: Gloss has no place to propose.
    case noProposal(AnnotationID, report: ReportID)
    /// A conflict to settle on a note whose comment has one version.
    case noConflict(AnnotationID)
    /// A version to keep that the note does not have (`versions` it has).
    case noSuchVersion(AnnotationID, version: Int, versions: Int)
}
