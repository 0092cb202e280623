/// What a requested change would do to a note as it stands, decided before anything is
/// recorded: a change that would leave the note as it is records no operation and says so;
/// one that cannot apply to this note is refused with the reason.
///
/// Pure: the note (as the command sees it; for `acceptProposal` and `retarget`, as carried to
/// the latest version of its report) and the request in, the verdict out.
public enum ChangeCheck: Equatable, Sendable {
    /// The change does something: record it.
    case proceeds
    /// The note already is as asked; nothing is recorded.
    case unchanged(String)
    /// The change does not apply to this note.
    case refused(String)
    /// Only the note's author may do this (`action`), and `author` is someone else.
    case notAuthor(author: UserName, action: String)

    public enum Request: Equatable, Sendable {
        case setStatus(Status)
        /// Tags to add and to remove (normalised already).
        case tags(add: [String], remove: [String])
        /// `gloss review accept`: take the proposal for a carried note.
        case acceptProposal
        /// `gloss retarget`: place a note at a passage of the latest version.
        case retarget
    }

    public static func check(_ request: Request, on note: Annotation) -> ChangeCheck {
        let id = note.id.short
        switch request {
        case let .setStatus(status):
            guard note.status != status else {
                return .unchanged("note \(id) is already \(status == .resolved ? "resolved" : "open")")
            }
            return .proceeds
        case let .tags(add, remove):
            let adds = Set(add).subtracting(note.tags), removes = Set(remove).intersection(note.tags)
            guard adds.isEmpty, removes.isEmpty else { return .proceeds }
            var why: [String] = []
            let had = Set(add).sorted(), lacks = Set(remove).sorted()
            if !had.isEmpty { why.append("already has " + had.map { "#\($0)" }.joined(separator: " ")) }
            if !lacks.isEmpty { why.append("has no " + lacks.map { "#\($0)" }.joined(separator: " ")) }
            return .unchanged("note \(id) " + why.joined(separator: " and "))
        case .acceptProposal:
            if note.parent != nil { return .refused(replyHasNoPassage(note)) }
            guard let carried = note.reanchor, carried.status == .review || carried.status == .orphan else {
                let place = note.reanchor.map { "its passage was found (\($0.status.rawValue))" } ?? "it is placed in this version"
                return .unchanged("note \(id) is not in review: \(place)")
            }
            return .proceeds
        case .retarget:
            if note.parent != nil { return .refused(replyHasNoPassage(note)) }
            return .proceeds
        }
    }

    /// Edit, delete and settle are the author's alone: the merge ignores them from anyone else
    /// (body, target, judgment and delete count only from the creator), so a command refuses
    /// them before it records one that would never count.
    public static func authorOnly(_ note: Annotation, by user: UserName, action: String) -> ChangeCheck {
        note.author == user ? .proceeds : .notAuthor(author: note.author, action: action)
    }

    private static func replyHasNoPassage(_ note: Annotation) -> String {
        "\(note.id.short) is a reply: it has no passage of its own" + (note.parent.map { " (it follows note \($0.short))" } ?? "")
    }
}
