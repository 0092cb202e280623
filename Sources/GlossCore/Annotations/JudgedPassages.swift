/// Analysts' judgments on the same passage, side by side, with their disagreement flagged.
///
/// Analytic standards (ICD 203) ask that dissent be shown, not averaged away. Two judgments
/// disagree when their likelihoods are two or more steps apart on the ICD 203 scale ("likely"
/// against "unlikely"), or when one analyst has low confidence and another high. A passage is
/// a stretch of the report that judged notes cover: notes whose quotes overlap judge the same
/// passage; notes on the whole report judge the report.
public struct JudgedPassage: Hashable, Sendable {
    /// One analyst's judgment on the passage (their latest, when they judged it twice).
    public struct Entry: Hashable, Sendable {
        public var author: UserName
        public var annotation: AnnotationID
        public var judgment: Judgment
        public var comment: String
    }

    /// Code points of the report's text the passage spans; nil for the whole report.
    public var range: Range<Int>?
    /// The longest quote among the passage's notes (what a reader recognises).
    public var quote: String?
    public var entries: [Entry]
    public var disagreement: Disagreement?
}

/// Why two analysts' judgments of one passage disagree.
public struct Disagreement: Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable { case likelihood, confidence }
    public var kind: Kind
    /// The two analysts furthest apart, lower first (by likelihood step, or low then high).
    public var low: JudgedPassage.Entry
    public var high: JudgedPassage.Entry
    /// ICD 203 steps between the likelihoods (for `confidence`: between low and high, 2).
    public var steps: Int

    /// "alice: likely · bob: unlikely".
    public var summary: String {
        switch kind {
        case .likelihood:
            "\(low.author): \(low.judgment.likelihood?.phrase ?? "?") · \(high.author): \(high.judgment.likelihood?.phrase ?? "?")"
        case .confidence:
            "\(low.author): \(low.judgment.confidence?.rawValue ?? "?") confidence · \(high.author): \(high.judgment.confidence?.rawValue ?? "?") confidence"
        }
    }
}

extension Likelihood {
    /// Its step on the ICD 203 scale, 0 (almost no chance) to 6 (almost certain).
    public var step: Int { Self.allCases.firstIndex(of: self)! }
}

extension JudgedPassage {
    /// Likelihoods this many steps apart disagree.
    public static let disagreeingSteps = 2

    /// The judged passages of one report's notes, in reading order (whole-report last).
    /// Deleted notes, replies and notes without a judgment take no part. A note carried from an
    /// earlier version that awaits review judges the passage Gloss proposes for it, so that a
    /// teammate settling their own note there (`gloss review accept`) keeps the two side by side.
    public static func passages(of annotations: [Annotation]) -> [JudgedPassage] {
        let judged = annotations.filter { note in
            !note.deleted && note.parent == nil && !(note.judgment?.isEmpty ?? true)
        }
        .sorted { (place(of: $0)?.position.start ?? .max, $0.created, $0.id.rawValue) < (place(of: $1)?.position.start ?? .max, $1.created, $1.id.rawValue) }

        var groups: [(range: Range<Int>?, notes: [Annotation])] = []
        for note in judged {
            let range = place(of: note).map { $0.position.start..<max($0.position.end, $0.position.start + 1) }
            if let last = groups.last, let lastRange = last.range, let range, range.lowerBound < lastRange.upperBound {
                groups[groups.count - 1] = (lastRange.lowerBound..<max(lastRange.upperBound, range.upperBound), last.notes + [note])
            } else if range == nil, let last = groups.last, last.range == nil {
                groups[groups.count - 1].notes.append(note)
            } else {
                groups.append((range, [note]))
            }
        }
        return groups.map { group in
            // One entry per analyst: their latest judgment on the passage.
            var latest: [UserName: Annotation] = [:]
            for note in group.notes where latest[note.author].map({ ($0.updated, $0.id.rawValue) < (note.updated, note.id.rawValue) }) ?? true {
                latest[note.author] = note
            }
            let entries = latest.values.sorted { $0.author < $1.author }.map { note in
                Entry(author: note.author, annotation: note.id, judgment: note.judgment!, comment: note.body)
            }
            let quote = group.notes.compactMap { place(of: $0)?.quote.exact }.max { $0.unicodeScalars.count < $1.unicodeScalars.count }
            return JudgedPassage(range: group.range, quote: quote, entries: entries, disagreement: disagreement(among: entries))
        }
    }

    /// Where a note judges: its target, or for a carried note awaiting review, the proposal.
    static func place(of note: Annotation) -> Target? {
        note.target ?? (note.reanchor?.status == .review ? note.reanchor?.proposal : nil)
    }

    /// The widest disagreement among `entries`, likelihood before confidence; nil when they agree.
    public static func disagreement(among entries: [Entry]) -> Disagreement? {
        let rated = entries.filter { $0.judgment.likelihood != nil }
        if let low = rated.min(by: { $0.judgment.likelihood!.step < $1.judgment.likelihood!.step }),
           let high = rated.max(by: { $0.judgment.likelihood!.step < $1.judgment.likelihood!.step }) {
            let steps = high.judgment.likelihood!.step - low.judgment.likelihood!.step
            if steps >= disagreeingSteps {
                return Disagreement(kind: .likelihood, low: low, high: high, steps: steps)
            }
        }
        if let low = entries.first(where: { $0.judgment.confidence == .low }),
           let high = entries.first(where: { $0.judgment.confidence == .high }) {
            return Disagreement(kind: .confidence, low: low, high: high, steps: 2)
        }
        return nil
    }
}
