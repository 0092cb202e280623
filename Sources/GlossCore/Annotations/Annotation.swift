/// An annotation as people see it: the merged result of its operations.
public struct Annotation: Codable, Hashable, Sendable {
    /// One side of a body conflict: a version no other valid version has seen.
    public struct BodyCandidate: Codable, Hashable, Sendable {
        public var op: OperationID
        public var author: UserName
        public var hlc: HLC
        public var text: String
    }

    public var id: AnnotationID
    public var report: ReportID
    public var author: UserName
    public var created: HLC
    /// The latest change anyone made to it.
    public var updated: HLC
    public var target: Target?
    public var motivation: Motivation
    /// The body shown: the latest of the current versions.
    public var body: String
    /// The current body versions, newest first; more than one means a conflict.
    public var bodyVersions: [BodyCandidate]
    public var tags: [String]
    public var judgment: Judgment?
    public var status: Status
    public var visibility: Visibility
    public var parent: AnnotationID?
    public var deleted: Bool
    /// For a revision link (`linking`): the earlier report that `report` revises.
    public var revises: ReportID? = nil
    /// Set on a note shown with a later version of its report: what became of its anchor.
    public var reanchor: Reanchored? = nil

    /// Concurrent body edits that no one has reconciled yet.
    public var hasConflict: Bool { bodyVersions.count > 1 }
}

/// What became of a note's anchor when it was carried to a later version of its report.
public struct Reanchored: Codable, Hashable, Sendable {
    /// exact, changed, review or orphan (``ReanchorStatus``).
    public var status: ReanchorStatus
    /// The version the note was anchored in.
    public var from: ReportID
    /// For review: why a person must look.
    public var reason: String?
    /// For review: where Gloss proposes to put the note (`gloss review accept` takes it).
    public var proposal: Target?
    /// The teammate's revision claim the note was carried across, when the viewer has not
    /// accepted it (``RevisionChains``): shown until she accepts or declines it.
    public var claim: RevisionClaim?

    public init(status: ReanchorStatus, from: ReportID, reason: String? = nil, proposal: Target? = nil,
                claim: RevisionClaim? = nil) {
        self.status = status
        self.from = from
        self.reason = reason
        self.proposal = proposal
        self.claim = claim
    }
}

/// A teammate's claim that one report revises another: who made it, when, and by which link.
public struct RevisionClaim: Codable, Hashable, Sendable {
    public var by: UserName
    public var at: HLC
    public var link: AnnotationID
    /// The newer report, and the one it claims to revise.
    public var report: ReportID
    public var revises: ReportID

    public init(by: UserName, at: HLC, link: AnnotationID, report: ReportID, revises: ReportID) {
        self.by = by
        self.at = at
        self.link = link
        self.report = report
        self.revises = revises
    }

    /// The claim a `linking` annotation makes.
    public init(_ link: Annotation) {
        self.init(by: link.author, at: link.created, link: link.id, report: link.report, revises: link.revises ?? link.report)
    }
}
