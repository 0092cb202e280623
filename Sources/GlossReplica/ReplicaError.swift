import GlossCore

/// Why the replica did not do what was asked, in terms of the replica: what is missing, who
/// may do what, which file is wrong. The command line words them for the analyst and says
/// what to do (`Client/Support/CLIFailure.swift`).
public enum ReplicaError: Error, Equatable, Sendable, CustomStringConvertible {
    case notInitialized(home: String)
    case alreadyInitialized(home: String)
    /// SQLite could not open the file (not a replica, damaged, or unreadable).
    case cannotOpen(path: String, reason: String)
    case reportNotFound(ReportID)
    case annotationNotFound(AnnotationID)
    case annotationDeleted(AnnotationID, by: UserName)
    /// No report or annotation has an id starting with `prefix`.
    case noMatch(IDKind, prefix: String)
    case ambiguous(IDKind, prefix: String, matches: [String])
    case malformedID(IDKind, text: String)
    /// Only the author may `action` (edit, delete…) an annotation.
    case notAuthor(AnnotationID, author: UserName, action: String)
    case invalidTag(String)
    case tooManyTags(limit: Int)
    case bodyTooLarge(bytes: Int, limit: Int)
    case invalidName(NameKind, text: String, reason: String)
    /// The replica is bound to one workspace; another was named.
    case otherWorkspace(bound: WorkspaceName, named: WorkspaceName)
    case selfRevision
    /// The report revises no other (for this analyst): there is no link to decline.
    case notARevision(ReportID)
    /// A report whose text does not match its id or fields, from the server or a file.
    case reportAltered(ReportID, problem: String, from: Origin)
    case backupExists(path: String)
    /// The change does not apply to this note (``ChangeCheck``): nothing was recorded.
    case notApplicable(AnnotationID, reason: String)
    /// This replica knows its user may only read the workspace (``Meta/role``): a change
    /// would be refused by the server, so it is not made.
    case readOnly(user: UserName, workspace: WorkspaceName, role: Role)
    /// The annotation exists only as work the server refused (``RefusedNote``).
    case refusedAnnotation(AnnotationID, reason: String)
    /// The device key file cannot be used (``DeviceKeyFile``).
    case deviceKey(path: String, problem: String)
    /// A workspace root is pinned already, and this is another.
    case otherRoot(workspace: WorkspaceName, pinned: String, given: String)
    /// Signing needs a workspace: the root of trust is a workspace's.
    case noWorkspace

    public enum IDKind: String, Sendable { case report, annotation, operation }
    /// Where something came from: the team server, or a file (named).
    public enum Origin: Equatable, Sendable, CustomStringConvertible {
        case server
        case file(String)

        public var description: String {
            switch self {
            case .server: "the server"
            case let .file(name): name
            }
        }
    }
    public enum NameKind: String, Sendable { case user, workspace }

    public var description: String {
        switch self {
        case let .notInitialized(home): "no Gloss replica in \(home)"
        case let .alreadyInitialized(home): "\(home) already holds a Gloss replica"
        case let .cannotOpen(path, reason): "cannot open the replica at \(path): \(reason)"
        case let .reportNotFound(id): "report \(id.short) is not in this replica"
        case let .annotationNotFound(id): "annotation \(id.short) is not in this replica"
        case let .annotationDeleted(id, by): "annotation \(id.short) was deleted by \(by)"
        case let .noMatch(kind, prefix): "no \(kind.rawValue) has an id starting with '\(prefix)'"
        case let .ambiguous(kind, prefix, matches):
            "'\(prefix)' matches several \(kind.rawValue)s: \(matches.prefix(5).joined(separator: ", "))\(matches.count > 5 ? ", …" : "")"
        case let .malformedID(kind, text): "'\(text)' is not \(kind == .report ? "a" : "an") \(kind.rawValue) id"
        case let .notAuthor(id, author, action): "only \(author), its author, can \(action) annotation \(id.short)"
        case let .invalidTag(tag): "'\(tag)' is not a valid tag (1–64 bytes, no spaces or commas)"
        case let .tooManyTags(limit): "a note takes at most \(limit) tags at once"
        case let .bodyTooLarge(bytes, limit): "the comment is \(bytes) bytes; the limit is \(limit)"
        case let .invalidName(kind, text, reason): "'\(text)' is not a valid \(kind.rawValue) name: \(reason)"
        case let .otherWorkspace(bound, named): "this replica belongs to workspace '\(bound)', not '\(named)'"
        case .selfRevision: "a report cannot revise itself"
        case let .notARevision(id): "report \(id.short) is not linked as a revision of another report"
        case let .reportAltered(id, problem, origin): "\(origin): report \(id.short) is not taken: \(problem)"
        case let .backupExists(path): "\(path) already exists"
        case let .notApplicable(_, reason): reason
        case let .readOnly(user, workspace, role):
            "not allowed: \(user) is a \(role.rawValue) in workspace '\(workspace)', and a \(role.rawValue) cannot annotate or change notes"
        case let .refusedAnnotation(id, reason): "annotation \(id.short) was refused by the team server (\(reason)); only this replica holds it"
        case let .deviceKey(path, problem): "the device key \(path) cannot be used: \(problem)"
        case let .otherRoot(workspace, pinned, given): "workspace '\(workspace)' has root key \(pinned) pinned here, not \(given)"
        case .noWorkspace: "this replica belongs to no workspace"
        }
    }
}
