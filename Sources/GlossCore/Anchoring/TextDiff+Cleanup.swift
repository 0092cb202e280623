/// The two clean-ups diff-match-patch applies to a character diff before people read it
/// (Neil Fraser, "Diff Strategies", section 3.2): neither changes what the new text is, only
/// which scalars count as kept.
extension EditScript {
    /// Turns a kept run into a deletion and an insertion when it is no longer than the changes
    /// on either side of it (diff-match-patch's `diff_cleanupSemantic`): the "e" and "s" a
    /// rewritten sentence happens to share with the old one are coincidences, not survivors.
    mutating func dissolveCoincidences(old a: [UInt32], new b: [UInt32]) {
        normalise()
        // Pass after pass, each dissolving every kept run that qualifies against its neighbours
        // as they were at the start of the pass; a dissolved run makes its neighbours' changes
        // larger, so the next pass may dissolve more. Stops when a pass changes nothing, or
        // after passes over `maxWork` items in all (a script of a million items dissolving
        // one run a pass would otherwise take a million passes).
        var changed = true, work = 0
        while changed, work < Self.maxDissolveWork {
            changed = false
            work += items.count
            var out: [Item] = []
            out.reserveCapacity(items.count)
            for i in items.indices {
                let item = items[i]
                if item.kind == .kept, i > 0, i + 1 < items.count,
                   item.count <= changeSize(before: i), item.count <= changeSize(after: i) {
                    out.append(Item(kind: .deleted, count: item.count))
                    out.append(Item(kind: .inserted, count: item.count))
                    changed = true
                } else {
                    out.append(item)
                }
            }
            items = out
            normalise()
        }
    }

    /// The most items ``dissolveCoincidences(old:new:)`` looks at, over all its passes.
    static let maxDissolveWork = 8_000_000

    /// The larger of the deletion and the insertion between kept run `i` and the previous one.
    private func changeSize(before i: Int) -> Int {
        var deleted = 0, inserted = 0, j = i - 1
        while j >= 0, items[j].kind != .kept {
            if items[j].kind == .deleted { deleted += items[j].count } else { inserted += items[j].count }
            j -= 1
        }
        return max(deleted, inserted)
    }

    /// The larger of the deletion and the insertion between kept run `i` and the next one.
    private func changeSize(after i: Int) -> Int {
        var deleted = 0, inserted = 0, j = i + 1
        while j < items.count, items[j].kind != .kept {
            if items[j].kind == .deleted { deleted += items[j].count } else { inserted += items[j].count }
            j += 1
        }
        return max(deleted, inserted)
    }

    /// Slides each lone deletion or insertion between two kept runs to the best boundary it
    /// can take without changing the result (diff-match-patch's `diff_cleanupSemanticLossless`):
    /// a blank line, then a line break, then a sentence end, then a space. Deleting one of two
    /// sentences that begin alike then deletes a whole sentence, not the end of one and the start
    /// of the next.
    mutating func slideToBoundaries(old a: [UInt32], new b: [UInt32]) {
        normalise()
        var (o, n) = (0, 0)  // where item i - 1 starts
        for i in items.indices {
            defer {
                if i > 0 {
                    o += items[i - 1].kind == .inserted ? 0 : items[i - 1].count
                    n += items[i - 1].kind == .deleted ? 0 : items[i - 1].count
                }
            }
            guard i > 0, i + 1 < items.count, items[i].kind != .kept,
                  items[i - 1].kind == .kept, items[i + 1].kind == .kept else { continue }
            let deletion = items[i].kind == .deleted
            let text = deletion ? a : b
            let lo = deletion ? o : n
            let length = items[i].count
            let hi = lo + items[i - 1].count + length + items[i + 1].count
            var p = lo + items[i - 1].count
            while p > lo, text[p - 1] == text[p + length - 1] { p -= 1 }
            var best = p, bestScore = Self.boundaryScore(text, lo, p, p + length) + Self.boundaryScore(text, p, p + length, hi)
            while p + length < hi, text[p] == text[p + length] {
                p += 1
                let score = Self.boundaryScore(text, lo, p, p + length) + Self.boundaryScore(text, p, p + length, hi)
                if score >= bestScore { (best, bestScore) = (p, score) }
            }
            items[i + 1].count = hi - best - length
            items[i - 1].count = best - lo
        }
        items.removeAll { $0.count == 0 }
        normalise()
    }

    /// How good a place the boundary at `at` is, between `text[start..<at]` and `text[at..<end]`
    /// (diff-match-patch's `diff_cleanupSemanticScore`): 6 at an end of either, 5 a blank line,
    /// 4 a line break, 3 a sentence end, 2 a space, 1 punctuation, 0 inside a word.
    static func boundaryScore(_ text: [UInt32], _ start: Int, _ at: Int, _ end: Int) -> Int {
        guard at > start, at < end else { return 6 }
        let one = text[at - 1], two = text[at]
        let nonWord1 = !isWordScalar(one), nonWord2 = !isWordScalar(two)
        let space1 = nonWord1 && isSpace(one), space2 = nonWord2 && isSpace(two)
        let break1 = one == 0x0A || one == 0x0D, break2 = two == 0x0A || two == 0x0D
        let blank1 = break1 && at - 2 >= start && text[at - 2] == 0x0A
        let blank2 = break2 && at + 1 < end && text[at + 1] == 0x0A
        if blank1 || blank2 { return 5 }
        if break1 || break2 { return 4 }
        if nonWord1, !space1, space2 { return 3 }
        if space1 || space2 { return 2 }
        if nonWord1 || nonWord2 { return 1 }
        return 0
    }

    private static func isWordScalar(_ value: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(value) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    private static func isSpace(_ value: UInt32) -> Bool {
        Unicode.Scalar(value)?.properties.isWhitespace ?? false
    }
}
