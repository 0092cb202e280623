/// One immutable change to one annotation, as it travels between replicas.
///
/// The state of an annotation is a pure function of the *set* of its operations
/// (see `AnnotationState+Merge.swift`).
public struct Operation: Hashable, Sendable {
    public var id: OperationID
    public var hlc: HLC
    /// The user who made the change. The server checks it against the pushing token.
    public var author: UserName
    /// The team workspace; empty until the replica is bound to one.
    public var workspace: WorkspaceName
    public var annotation: AnnotationID
    /// True for every operation on a private annotation: only its author ever receives it.
    public var isPrivate: Bool
    public var change: Change

    public init(id: OperationID, hlc: HLC, author: UserName, workspace: WorkspaceName,
                annotation: AnnotationID, isPrivate: Bool, change: Change) {
        self.id = id
        self.hlc = hlc
        self.author = author
        self.workspace = workspace
        self.annotation = annotation
        self.isPrivate = isPrivate
        self.change = change
    }

    /// The order of this operation among writers of the same field.
    public var stamp: Stamp { Stamp(hlc: hlc, op: id) }

    /// True for the operation that makes its annotation.
    public var isCreate: Bool { if case .create = change { true } else { false } }
}

/// What an operation does.
public enum Change: Hashable, Sendable {
    /// Makes the annotation (or a reply, when `parent` is set).
    case create(Creation)
    /// Replaces the body. `seen` names the body versions its author had on screen, so an edit
    /// that saw another supersedes it and two that did not see each other are a conflict.
    case editBody(text: String, seen: [OperationID])
    case retarget(Target)
    case judge(Judgment)
    case setStatus(Status)
    case addTag(String)
    /// Removes a tag: only the additions it names (those its author had seen).
    case removeTag(String, observed: [OperationID])
    case delete

    /// The name used in the wire format and in `gloss log`.
    public var kind: String {
        switch self {
        case .create: "create"
        case .editBody: "edit"
        case .retarget: "retarget"
        case .judge: "judge"
        case .setStatus: "status"
        case .addTag: "tag"
        case .removeTag: "untag"
        case .delete: "delete"
        }
    }
}

/// The content of a new annotation.
public struct Creation: Codable, Hashable, Sendable {
    public var report: ReportID
    /// Where in the report; nil for a reply or a note on the whole report.
    public var target: Target?
    public var motivation: Motivation
    public var body: String
    public var tags: [String]
    public var judgment: Judgment?
    public var visibility: Visibility
    public var parent: AnnotationID?
    /// For a `linking` annotation on a report: the earlier report it revises. A link between
    /// versions is one analyst's claim, made and merged like any annotation (docs/ARCHITECTURE.md, "Revision links").
    public var revises: ReportID?

    public init(report: ReportID, target: Target?, motivation: Motivation, body: String,
                tags: [String] = [], judgment: Judgment? = nil, visibility: Visibility = .team,
                parent: AnnotationID? = nil, revises: ReportID? = nil) {
        self.report = report
        self.target = target
        self.motivation = motivation
        self.body = body
        self.tags = tags
        self.judgment = judgment
        self.visibility = visibility
        self.parent = parent
        self.revises = revises
    }
}

extension Operation {
    /// An operation made before its replica joined a workspace (`workspace` empty) joins
    /// `workspace` when the replica does; any other stays where it was made.
    public func joining(_ workspace: WorkspaceName) -> Operation {
        guard self.workspace.isEmpty else { return self }
        var joined = self
        joined.workspace = workspace
        return joined
    }
}
