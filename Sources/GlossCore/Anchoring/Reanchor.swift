/// What became of a note's place when its report was revised (docs/ANCHORING.md, the rules and the measured corpus).
public enum ReanchorStatus: String, Codable, Hashable, Sendable, CaseIterable {
    /// Every anchored character is in the new text, unchanged (perhaps moved).
    case exact
    /// Most of the anchored characters are there; the quoted text changed (shown marked).
    case changed
    /// A proposal that a person must confirm, or no proposal at all.
    case review
    /// The anchored text is gone.
    case orphan
}

/// A note's place in the new text of a revised report, and how sure Gloss is of it.
public struct Reanchoring: Hashable, Sendable {
    public var status: ReanchorStatus
    /// exact/changed: the note's place in the new text; review: the proposal a person must confirm (nil when none); orphan: nil
    public var target: Target?
    /// For review: why, in a few words an analyst reads (e.g. "a number in the quote changed", "the text moved", "the quote now occurs only in text that was already there").
    public var reason: String?

    public init(status: ReanchorStatus, target: Target?, reason: String? = nil) {
        self.status = status
        self.target = target
        self.reason = reason
    }
}

/// Two versions of a report's text and the character diff between them, computed once; carries
/// each note on the old text over to the new (docs/ANCHORING.md).
///
/// The diff says which anchored scalars survived. All of them, side by side: `exact`. Most of
/// them: `changed`, with the new text of the span as the quote, unless a number under the
/// quote changed, which always asks for `review`. Few or none: the quote is looked for in text
/// the revision *inserted* (a move shows in a diff as a deletion and an insertion) and taken as
/// `exact` only when exactly one such place also carries the note's surroundings. Anything
/// weaker, above all a quote that now stands only in text that was already there (situation
/// reports repeat their sentences), is a `review` proposal, never a silent attachment.
///
/// A "revision" that keeps almost none of the old text (``sharesAlmostNothing``: an unrelated
/// text linked by mistake or by a hostile teammate) is not treated as one: every note goes to
/// `review` with that reason, proposed only where the diff kept its quote whole.
public struct TextRevision: Sendable {
    let old: TextAnchor
    let new: TextAnchor
    let diff: TextDiff

    /// Scalars of matching context on each side that confirm a moved quote (one side: a look-alike worth proposing).
    static let confirmingContext = 10
    /// The shortest deleted stretch whose reappearance, whole, confirms a move.
    static let confirmingMove = 12

    /// The least share of the old text, in percent, a new text keeps to count as its revision.
    static let leastSharedPercent = 10
    /// Why every note on an old text goes to review when the new one ``sharesAlmostNothing``.
    public static let unrelatedReason = "the new version shares almost nothing with the old"

    public init(old: String, new: String, budget: TextDiff.Budget = .standard) {
        self.old = TextAnchor(text: old)
        self.new = TextAnchor(text: new)
        diff = TextDiff(old: self.old.scalars, new: self.new.scalars, budget: budget)
    }

    /// Whether the new text keeps less than a tenth of the old one: it is another text, not a
    /// revision of this one, and no note is carried onto it without a person.
    public var sharesAlmostNothing: Bool {
        !old.scalars.isEmpty && diff.keptCount * 100 < Self.leastSharedPercent * old.scalars.count
    }

    /// Where `target`, a place in the old text, stands in the new one, and how sure that is.
    public func carry(_ target: Target) -> Reanchoring {
        if sharesAlmostNothing {
            // Only the diff's own word is taken, and only as a proposal: looking further (for
            // moved copies, look-alikes) in a text that is not a revision finds coincidences.
            let kept = place(of: target).flatMap { span -> Range<Int>? in
                guard let first = diff.newOffset[span.lowerBound], let last = diff.newOffset[span.upperBound - 1],
                      last - first + 1 == span.count, span.allSatisfy({ diff.newOffset[$0] != nil }) else { return nil }
                return first..<(last + 1)
            }
            return Reanchoring(status: .review, target: kept.map { new.target(for: $0) }, reason: Self.unrelatedReason)
        }
        guard let span = place(of: target) else {
            // The selectors name no place in the old text: only the quote is left to go by.
            let found = new.occurrences(of: target.quote.exact)
            guard let best = best(found, around: nil, quote: target.quote) else { return Reanchoring(status: .orphan, target: nil) }
            return review(best, "the quote is not where the note says in the earlier text")
        }
        let kept = span.filter { diff.newOffset[$0] != nil }.count
        if kept == span.count, let first = diff.newOffset[span.lowerBound], let last = diff.newOffset[span.upperBound - 1],
           last - first + 1 == span.count {
            let moved = first..<(last + 1)
            return sameNumbers(span, moved) ? Reanchoring(status: .exact, target: new.target(for: moved))
                : review(moved, "a number next to the quote changed")
        }
        if 2 * kept >= span.count, let range = projected(span) {
            return sameNumbers(span, range) ? Reanchoring(status: .changed, target: new.target(for: range))
                : review(range, "a number in the quote changed")
        }
        if let moved = movedCopy(of: span) { return moved }
        if kept > 0, let range = projected(span) {
            return review(range, "most of the quote was rewritten")
        }
        let lookalikes = new.occurrences(of: old.text(in: span)).filter { sharesContext(of: span, at: $0) }
        if let best = best(lookalikes, around: span, quote: target.quote) {
            return review(best, "the quote now occurs only in text that was already there")
        }
        return Reanchoring(status: .orphan, target: nil)
    }

    /// The old scalars the target covers: its positions when they hold its quote, else the
    /// occurrence of the quote its context fits best.
    func place(of target: Target) -> Range<Int>? {
        let position = target.position
        if position.start >= 0, position.start < position.end, position.end <= old.scalars.count {
            let range = position.start..<position.end
            if old.scalars[range].elementsEqual(target.quote.exact.unicodeScalars) { return range }
        }
        return best(old.occurrences(of: target.quote.exact), in: old, around: nil, context: target.quote)
    }

    /// Where the new text of `span` is: the new scalars of its kept ones, with the text that
    /// replaced a deletion lying mostly inside the span; nil when nothing of it is kept or replaced.
    func projected(_ span: Range<Int>) -> Range<Int>? {
        var lower = Int.max, upper = Int.min
        func include(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            lower = min(lower, range.lowerBound)
            upper = max(upper, range.upperBound)
        }
        let runs = diff.runs
        // Runs are in text order: start at the first that ends after the span's start (a
        // binary search, so a note costs O(log runs + its span), not a walk over every run).
        var (lo, hi) = (0, runs.count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if runs[mid].old.upperBound <= span.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        for i in lo..<runs.count {
            let run = runs[i]
            if run.old.lowerBound >= span.upperBound { break }
            switch run.kind {
            case .kept:
                let overlap = run.old.clamped(to: span)
                guard !overlap.isEmpty else { continue }
                let shift = run.new.lowerBound - run.old.lowerBound
                include((overlap.lowerBound + shift)..<(overlap.upperBound + shift))
            case .deleted:
                let overlap = run.old.clamped(to: span)
                if 2 * overlap.count >= run.old.count, i + 1 < runs.count, runs[i + 1].kind == .inserted {
                    include(runs[i + 1].new)
                }
            case .inserted:
                let replacing = i > 0 && runs[i - 1].kind == .deleted
                if !replacing, span.lowerBound < run.old.lowerBound, run.old.lowerBound < span.upperBound {
                    include(run.new)
                }
            }
        }
        return lower < upper ? lower..<upper : nil
    }

    /// The quote found in text the revision inserted: `exact` when exactly one such place has
    /// the note's surroundings, a `review` proposal when the place is unsure, nil when none is plausible.
    func movedCopy(of span: Range<Int>) -> Reanchoring? {
        let candidates = new.occurrences(of: old.text(in: span)).filter { range in
            4 * range.filter { diff.oldOffset[$0] == nil }.count >= 3 * range.count
        }
        let confirmed = candidates.filter { confirmsMove(of: span, to: $0) }
        if confirmed.count == 1 { return Reanchoring(status: .exact, target: new.target(for: confirmed[0])) }
        if confirmed.count > 1 { return review(closest(confirmed, to: span), "the text moved, to more than one place") }
        let plausible = candidates.filter { sharesContext(of: span, at: $0) }
        guard !plausible.isEmpty else { return nil }
        return review(closest(plausible, to: span), "the text moved, but not all of its surroundings came with it")
    }

    /// Whether `range` in the new text is where `span` moved: the whole deleted stretch the span
    /// lies in (at least `confirmingMove` scalars, the quote included) stands around it, as when
    /// a paragraph moved whole; or the surroundings match on both sides for `confirmingContext`
    /// scalars (or up to the edge of the text). One side of context is not enough: situation
    /// reports begin and end their sentences alike.
    func confirmsMove(of span: Range<Int>, to range: Range<Int>) -> Bool {
        var lower = span.lowerBound, upper = span.upperBound
        while lower > 0, diff.newOffset[lower - 1] == nil { lower -= 1 }
        while upper < old.scalars.count, diff.newOffset[upper] == nil { upper += 1 }
        let (blockBefore, blockAfter) = (span.lowerBound - lower, upper - span.upperBound)
        let block = contextMatch(of: span, at: range, limit: max(blockBefore, blockAfter))
        if upper - lower >= Self.confirmingMove, block.before >= blockBefore, block.after >= blockAfter { return true }
        let context = contextMatch(of: span, at: range)
        return context.before >= min(Self.confirmingContext, span.lowerBound)
            && context.after >= min(Self.confirmingContext, old.scalars.count - span.upperBound)
    }

    /// Whether the surroundings of `range` in the new text match those of `span` in the old on
    /// at least one side for `confirmingContext` scalars: enough to propose, never to attach.
    func sharesContext(of span: Range<Int>, at range: Range<Int>) -> Bool {
        let context = contextMatch(of: span, at: range)
        return context.before >= min(Self.confirmingContext, span.lowerBound)
            || context.after >= min(Self.confirmingContext, old.scalars.count - span.upperBound)
    }

    /// How many scalars (up to `limit`) before and after `range` in the new text equal those around `span` in the old.
    func contextMatch(of span: Range<Int>, at range: Range<Int>, limit: Int = TextAnchor.contextLength) -> (before: Int, after: Int) {
        var before = 0
        while before < limit, span.lowerBound - before > 0, range.lowerBound - before > 0,
              old.scalars[span.lowerBound - before - 1] == new.scalars[range.lowerBound - before - 1] { before += 1 }
        var after = 0
        while after < limit, span.upperBound + after < old.scalars.count, range.upperBound + after < new.scalars.count,
              old.scalars[span.upperBound + after] == new.scalars[range.upperBound + after] { after += 1 }
        return (before, after)
    }

    /// Of several places, the one whose surroundings match `span`'s best.
    func closest(_ places: [Range<Int>], to span: Range<Int>) -> Range<Int> {
        places.max { a, b in
            let (ca, cb) = (contextMatch(of: span, at: a), contextMatch(of: span, at: b))
            return ca.before + ca.after < cb.before + cb.after
        } ?? places[0]
    }

    /// Of `found` in the new text, the place whose surroundings best match the quote's
    /// context, the nearest to `span`'s old place on a tie.
    func best(_ found: [Range<Int>], around span: Range<Int>?, quote: TextQuoteSelector) -> Range<Int>? {
        best(found, in: new, around: span, context: quote)
    }

    func best(_ found: [Range<Int>], in text: TextAnchor, around span: Range<Int>?, context quote: TextQuoteSelector) -> Range<Int>? {
        let prefix = Array(quote.prefix.unicodeScalars), suffix = Array(quote.suffix.unicodeScalars)
        func score(_ range: Range<Int>) -> Int {
            var same = 0
            while same < prefix.count, range.lowerBound - same > 0,
                  text.scalars[range.lowerBound - same - 1] == prefix[prefix.count - same - 1] { same += 1 }
            var after = 0
            while after < suffix.count, range.upperBound + after < text.scalars.count,
                  text.scalars[range.upperBound + after] == suffix[after] { after += 1 }
            return same + after
        }
        let anchor = span?.lowerBound ?? 0
        return found.max { a, b in
            let (sa, sb) = (score(a), score(b))
            if sa != sb { return sa < sb }
            return abs(a.lowerBound - anchor) > abs(b.lowerBound - anchor)
        }
    }

    func review(_ range: Range<Int>, _ reason: String) -> Reanchoring {
        Reanchoring(status: .review, target: new.target(for: range), reason: reason)
    }
}
