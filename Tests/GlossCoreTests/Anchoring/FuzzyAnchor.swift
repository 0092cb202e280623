import GlossCore

/// The baseline Gloss is measured against: Hypothesis-style fuzzy anchoring, which has only
/// the new text and the selectors (no diff). Candidates are the quote's exact occurrences or,
/// when there are none, its approximate ones within quote length / 2 edits (Myers' 1999
/// bit-vector search over the quote's first 64 scalars, as diff-match-patch's `match_main`
/// searches up to 32); each is scored as Hypothesis's `match-quote` does (quote 50, prefix 20,
/// suffix 20, position 2) and the best wins. It attaches or orphans; it never asks for review.
enum FuzzyAnchor {
    static func carry(_ target: Target, to new: TextAnchor) -> (status: ReanchorStatus, range: Range<Int>?) {
        let quote = Array(target.quote.exact.unicodeScalars)
        let text = new.scalars
        var candidates = new.occurrences(of: target.quote.exact).map { (range: $0, errors: 0) }
        if candidates.isEmpty { candidates = approximate(quote, in: text) }
        let prefix = Array(target.quote.prefix.unicodeScalars), suffix = Array(target.quote.suffix.unicodeScalars)
        func score(_ candidate: (range: Range<Int>, errors: Int)) -> Double {
            let r = candidate.range
            var before = 0
            while before < prefix.count, r.lowerBound - before > 0, text[r.lowerBound - before - 1] == prefix[prefix.count - 1 - before] { before += 1 }
            var after = 0
            while after < suffix.count, r.upperBound + after < text.count, text[r.upperBound + after] == suffix[after] { after += 1 }
            let quoteScore = 1 - Double(candidate.errors) / Double(max(1, quote.count))
            let prefixScore = prefix.isEmpty ? 1 : Double(before) / Double(prefix.count)
            let suffixScore = suffix.isEmpty ? 1 : Double(after) / Double(suffix.count)
            let positionScore = 1 - Double(abs(r.lowerBound - target.position.start)) / Double(max(1, text.count))
            return 50 * quoteScore + 20 * prefixScore + 20 * suffixScore + 2 * positionScore
        }
        guard var best = candidates.max(by: { score($0) < score($1) }) else { return (.orphan, nil) }
        if best.errors > 0 { best.range = refinedStart(quote, in: text, endingAt: best.range.upperBound, errors: best.errors) }
        return (text[best.range].elementsEqual(quote) ? .exact : .changed, best.range)
    }

    /// Approximate occurrences of the quote's first 64 scalars: each end where the edit
    /// distance is within the tolerance and locally least, with the start put one quote length before.
    static func approximate(_ quote: [Unicode.Scalar], in text: [Unicode.Scalar]) -> [(range: Range<Int>, errors: Int)] {
        let pattern = Array(quote.prefix(64))
        let m = pattern.count, maxErrors = quote.count / 2
        guard m > 0 else { return [] }
        var peq: [Unicode.Scalar: UInt64] = [:]
        for (i, s) in pattern.enumerated() { peq[s, default: 0] |= 1 << UInt64(i) }
        let high: UInt64 = 1 << UInt64(m - 1)
        var pv = UInt64.max, mv: UInt64 = 0, score = m
        var scores = [Int](repeating: m, count: text.count)
        for (j, s) in text.enumerated() {
            let eq = peq[s] ?? 0
            let xv = eq | mv
            let xh = (((eq & pv) &+ pv) ^ pv) | eq
            var ph = mv | ~(xh | pv)
            var mh = pv & xh
            if ph & high != 0 { score += 1 } else if mh & high != 0 { score -= 1 }
            ph <<= 1
            mh <<= 1
            pv = mh | ~(xv | ph)
            mv = ph & xv
            scores[j] = score
        }
        var found: [(range: Range<Int>, errors: Int)] = []
        for j in scores.indices where scores[j] <= maxErrors
            && (j == 0 || scores[j] <= scores[j - 1]) && (j + 1 == scores.count || scores[j] < scores[j + 1]) {
            let end = j + 1 - m + quote.count
            let start = max(0, j + 1 - m)
            found.append((start..<min(text.count, max(end, start + 1)), scores[j]))
        }
        return found
    }

    /// The start that gives the least edit distance for a match of the quote's first 64
    /// scalars ending where the search found it; the end stays (for a quote longer than 64
    /// scalars it is an estimate, the rest of the quote's length after the match).
    static func refinedStart(_ quote: [Unicode.Scalar], in text: [Unicode.Scalar], endingAt end: Int, errors: Int) -> Range<Int> {
        let pattern = Array(quote.prefix(64).reversed())
        let patternEnd = min(text.count, end - (quote.count - pattern.count))
        let window = Array(text[max(0, patternEnd - pattern.count - errors)..<patternEnd].reversed())
        var previous = Array(0...window.count)
        for i in 1...pattern.count {
            var row = [i] + [Int](repeating: 0, count: window.count)
            for l in 1...max(1, window.count) where l <= window.count {
                row[l] = min(previous[l] + 1, row[l - 1] + 1, previous[l - 1] + (pattern[i - 1] == window[l - 1] ? 0 : 1))
            }
            previous = row
        }
        let length = previous.indices.min { previous[$0] < previous[$1] } ?? pattern.count
        let start = patternEnd - length
        return start..<min(text.count, end)
    }
}
