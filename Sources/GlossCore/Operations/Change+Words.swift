/// What an operation did, in words for a person: `gloss log`, the history in `gloss show` and
/// `gloss sync --refused` print these, so each line says what that change was (the tag it
/// added, the text it set), not what the note says now.
extension Change {
    /// A few words: "tagged #china", "set the text: …", "resolved", "reopened", "moved to “…”",
    /// "noted “…”: …". `clip` shortens the analyst's and the report's text (a terminal passes
    /// its own, which counts display columns); the words around it are kept whole.
    public func words(clip: (String) -> String = { $0 }) -> String {
        words(clip: clip, field: { $0 })
    }

    /// The same, with `field` applied to each short field others wrote whole (a tag): a
    /// terminal passes ``TerminalText/safe(_:)``, and a `clip` that makes its text safe too.
    public func words(clip: (String) -> String, field: (String) -> String) -> String {
        switch self {
        case let .create(creation):
            return Self.words(for: creation, clip: clip, field: field)
        case let .editBody(text, _):
            return text.isEmpty ? "cleared the text" : "set the text: \(clip(text))"
        case let .retarget(target):
            let place = target.source.map { " in report \($0.short)" } ?? ""
            return "moved to “\(clip(target.quote.exact))”\(place)"
        case let .judge(judgment):
            return judgment.isEmpty ? "cleared the judgment" : "judged: \(judgment.words)"
        case .setStatus(.resolved):
            return "resolved"
        case .setStatus(.open):
            return "reopened"
        case let .addTag(tag):
            return "tagged #\(field(tag))"
        case let .removeTag(tag, _):
            return "removed tag #\(field(tag))"
        case .delete:
            return "deleted"
        }
    }

    private static func words(for creation: Creation, clip: (String) -> String, field: (String) -> String) -> String {
        if creation.motivation == .linking {
            return creation.revises.map { "marked as revising report \($0.short)" } ?? "linked"
        }
        var parts: [String]
        let quote = creation.target.map { "“\(clip($0.quote.exact))”" }
        if creation.parent != nil {
            parts = [creation.body.isEmpty ? "replied" : "replied: \(clip(creation.body))"]
        } else if creation.body.isEmpty {
            parts = [creation.motivation == .highlighting ? "highlighted \(quote ?? "the report")" : "noted \(quote ?? "the whole report")"]
        } else {
            parts = ["noted \(quote.map { $0 + ": " } ?? "")\(clip(creation.body))"]
        }
        if !creation.tags.isEmpty { parts.append(creation.tags.map { "#\(field($0))" }.joined(separator: " ")) }
        if let judgment = creation.judgment, !judgment.isEmpty { parts.append(judgment.words) }
        if creation.visibility == .private { parts.append("private") }
        return parts.joined(separator: " · ")
    }
}

extension Judgment {
    /// "high confidence, likely": its halves as people say them.
    public var words: String {
        [confidence.map { "\($0.rawValue) confidence" }, likelihood?.phrase].compactMap { $0 }.joined(separator: ", ")
    }
}
