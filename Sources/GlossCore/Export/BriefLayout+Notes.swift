/// What a note says, in the words every brief renderer uses; only the markup differs.
extension BriefLayout {
    /// What shows as the text of a note or reply.
    enum Content: Sendable {
        /// A tombstone: its text is gone, its replies stay.
        case deleted(by: String)
        case text(String)
        /// Concurrent edits no one reconciled: every version, newest first.
        case conflict([Annotation.BodyCandidate])
    }

    static func content(of annotation: Annotation) -> Content {
        if annotation.deleted { return .deleted(by: annotation.author.rawValue) }
        if annotation.hasConflict { return .conflict(annotation.bodyVersions) }
        return .text(annotation.body)
    }

    /// The short facts after the author: motivation (not for replies), `#tags`, the judgment,
    /// and "(resolved)", "(private)". Empty for a deleted annotation.
    static func facts(of annotation: Annotation) -> [String] {
        guard !annotation.deleted else { return [] }
        var facts: [String] = []
        if annotation.parent == nil { facts.append(annotation.motivation.rawValue) }
        facts += ExportText.tags(annotation).map { "#" + $0 }
        if let judgment = annotation.judgment, !judgment.isEmpty { facts.append(ExportText.judgmentShort(judgment)) }
        if annotation.status == .resolved { facts.append("(resolved)") }
        if annotation.visibility == .private { facts.append("(private)") }
        return facts
    }

    /// For a note not placed in the text: the quote it was made on, and why it is not placed.
    /// A note carried from an earlier version says what became of its place (the quote it had
    /// is the earlier text's, not this one's).
    static func unplacedQuote(of note: Note, reportKnown: Bool) -> String? {
        guard note.range == nil else { return nil }
        if note.annotation.target == nil, let carried = note.annotation.reanchor {
            switch carried.status {
            case .review: return "made on an earlier version; its place here needs review (\(carried.reason ?? "placed by a guess"))"
            case .orphan: return "made on an earlier version; its passage is gone from this one"
            case .exact, .changed: return nil
            }
        }
        guard let quote = note.annotation.target?.quote.exact else { return nil }
        return reportKnown ? "quote no longer found: “\(quote)”" : "on “\(quote)”"
    }

    /// One line describing a conflict version: "alice, 2025-11-29T08:30:00.000Z".
    static func versionLabel(_ version: Annotation.BodyCandidate) -> String {
        "\(version.author), \(ExportText.timestamp(version.hlc))"
    }
}
