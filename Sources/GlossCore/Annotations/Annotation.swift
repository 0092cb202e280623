/// An annotation as people see it: the merged result of its operations.
public struct Annotation: Codable, Hashable, Sendable {
    /// One side of a body conflict: a version no other valid version has seen.
    public struct BodyCandidate: Codable, Hashable, Sendable {
        public var op: OperationID
        public var author: String
        public var hlc: HLC
        public var text: String
    }

    public var id: AnnotationID
    public var report: ReportID
    public var author: String
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

    /// Concurrent body edits that no one has reconciled yet.
    public var hasConflict: Bool { bodyVersions.count > 1 }
}
