/// What goes into an annotated brief (`gloss export --format markdown|html`) besides the input.
public struct BriefOptions: Sendable, Equatable {
    public static let defaultTitle = "Annotated brief"

    public var title: String
    /// The workspace the notes come from, named in the header ("" leaves it out).
    public var workspace: WorkspaceName
    public var filter: BriefFilter
    /// Also reports no shown note is on. By default a brief holds only annotated reports.
    public var includeUnannotated: Bool

    public init(title: String = BriefOptions.defaultTitle, workspace: WorkspaceName = .unbound, filter: BriefFilter = BriefFilter(),
                includeUnannotated: Bool = false) {
        self.title = title
        self.workspace = workspace
        self.filter = filter
        self.includeUnannotated = includeUnannotated
    }
}

/// Which notes a brief keeps: each condition set must hold. A note is judged with its thread
/// (its replies, at any depth), and a chosen note keeps its whole thread, so a discussion is
/// never cut in half:
///
/// - `tag`: the note or a reply carries the tag;
/// - `author`: the analyst wrote the note or took part in its thread;
/// - `status`: the note's own status (a reply's status means nothing);
/// - `since`: the note or a reply was made or changed at or after that time.
public struct BriefFilter: Sendable, Equatable {
    public var tag: String?
    public var author: UserName?
    public var status: Status?
    /// Wall-clock milliseconds since 1970 (UTC).
    public var since: Int64?

    public init(tag: String? = nil, author: UserName? = nil, status: Status? = nil, since: Int64? = nil) {
        self.tag = tag
        self.author = author
        self.status = status
        self.since = since
    }

    /// The conditions set, as a brief's header names them ("tag china, status open"), so a
    /// reader knows the brief is a selection; nil when none is.
    public var words: String? {
        var parts: [String] = []
        if let tag { parts.append("tag \(tag)") }
        if let author { parts.append("author \(author)") }
        if let status { parts.append("status \(status.rawValue)") }
        if let since { parts.append("made or changed since \(ExportText.dateTime(HLC(wall: since)))") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// Whether the note whose thread is `thread` (the note first) is chosen.
    func chooses(_ thread: [Annotation]) -> Bool {
        guard let note = thread.first else { return false }
        if let status, note.status != status { return false }
        if let tag, !thread.contains(where: { !$0.deleted && $0.tags.contains(tag) }) { return false }
        if let author, !thread.contains(where: { $0.author == author }) { return false }
        if let since, !thread.contains(where: { $0.updated.wall >= since || $0.created.wall >= since }) { return false }
        return true
    }
}
