/// What a revision did to each Unicode scalar of a text: kept (and where it now stands),
/// deleted, or, on the new side, inserted.
///
/// The diff is Myers' O(ND) algorithm in its linear-space form (the middle snake, divide and
/// conquer), so memory stays O(N + M) whatever the number of edits D. It runs in two levels,
/// as `diff` and diff-match-patch do for long texts: first over lines (after trimming the common
/// prefix and suffix), then over scalars inside each run of changed lines. The line level keeps
/// a paragraph that moved as one deletion and one insertion, rather than a scatter of
/// character matches against the similar paragraph it jumped over; the scalar level finds the
/// word that changed inside a paragraph. Last, two clean-ups from diff-match-patch
/// (`TextDiff+Cleanup.swift`) dissolve coincidental one- or two-letter matches inside rewritten
/// text and slide each lone insertion or deletion to the nearest sentence or word boundary, so
/// that a deleted sentence is the whole sentence and not a window shifted onto its look-alike.
///
/// Myers' time is O((N + M) · D): quadratic for two texts that share little, minutes for a
/// megabyte "revision" that is really another text. So the diff has a budget (``Budget``, in
/// units of work), and degrades instead of running on: past the line level's share, the lines
/// left are aligned by the lines that occur once in each text (patience diff's anchors, O(L log L));
/// past a run of changed lines' share of the scalar budget, that run stays one deletion and
/// one insertion. Either way the script is still correct, only coarser (``coarse``), and the
/// notes on such text go to review rather than to a guessed place.
public struct TextDiff: Sendable {
    /// One stretch of the edit script, in order: kept scalars, deleted old ones or inserted new ones.
    public struct Run: Hashable, Sendable {
        public enum Kind: Hashable, Sendable { case kept, deleted, inserted }
        public var kind: Kind
        /// The old scalars this run covers (empty for an insertion, at its place).
        public var old: Range<Int>
        /// The new scalars this run covers (empty for a deletion, at its place).
        public var new: Range<Int>
    }

    /// The edit script: runs in text order; within a change, deletions come before insertions.
    public let runs: [Run]
    /// For each old scalar, its offset in the new text; nil when it was deleted.
    public let newOffset: [Int?]
    /// For each new scalar, the old scalar it is; nil when it was inserted.
    public let oldOffset: [Int?]

    /// Whether the budget ran out somewhere, so some changed text was aligned only by lines
    /// (or not at all) rather than scalar by scalar.
    public let coarse: Bool
    /// How many scalars the two texts share (kept runs).
    public let keptCount: Int

    /// How much work a diff may do, in units of a diagonal probed or two scalars compared
    /// (a release build does a few hundred million a second).
    public struct Budget: Sendable, Equatable {
        /// For Myers over the lines.
        public var lines: Int
        /// For Myers over the scalars of the runs of changed lines, all together.
        public var scalars: Int
        /// For one run of changed lines: `perChange` plus `perScalar` for each scalar in it
        /// (within what is left of `scalars`), so that one huge rewritten run cannot use up
        /// what the small edits after it need.
        public var perChange: Int
        public var perScalar: Int

        public init(lines: Int, scalars: Int, perChange: Int, perScalar: Int) {
            self.lines = lines
            self.scalars = scalars
            self.perChange = perChange
            self.perScalar = perScalar
        }

        /// Enough for the revisions measured (a 4 MiB report with a thousand scattered edits
        /// takes under a million units; 200 KB rewritten at every paragraph, about 20 million),
        /// and at most about 0.1 s of a release build for a text that shares nothing with the
        /// old one. A run of changed lines much longer on one side than the other costs
        /// nothing: Myers' D is at least the difference, so the budget is known short at once.
        public static let standard = Budget(lines: 4_000_000, scalars: 32_000_000, perChange: 2_000_000, perScalar: 64)
        public static let unlimited = Budget(lines: .max, scalars: .max, perChange: .max, perScalar: 0)

        /// Sums and products that stop at `Int.max` (the unlimited budget) instead of trapping.
        static func sum(_ x: Int, _ y: Int) -> Int {
            let (value, overflow) = x.addingReportingOverflow(y)
            return overflow ? .max : value
        }
        static func product(_ x: Int, _ y: Int) -> Int {
            let (value, overflow) = x.multipliedReportingOverflow(by: y)
            return overflow ? .max : value
        }
    }

    public init(old: [Unicode.Scalar], new: [Unicode.Scalar], budget: Budget = .standard) {
        let a = Self.values(old), b = Self.values(new)
        var script = EditScript()
        coarse = Self.diffByLines(a, b, budget: budget, into: &script)
        script.dissolveCoincidences(old: a, new: b)
        script.slideToBoundaries(old: a, new: b)
        runs = script.runs()
        var newOffset = [Int?](repeating: nil, count: old.count)
        var oldOffset = [Int?](repeating: nil, count: new.count)
        var kept = 0
        for run in runs where run.kind == .kept {
            kept += run.old.count
            for i in 0..<run.old.count {
                newOffset[run.old.lowerBound + i] = run.new.lowerBound + i
                oldOffset[run.new.lowerBound + i] = run.old.lowerBound + i
            }
        }
        self.newOffset = newOffset
        self.oldOffset = oldOffset
        keptCount = kept
    }

    /// The number of edited scalars (deleted plus inserted): the D of Myers' paper.
    public var distance: Int {
        runs.reduce(0) { $0 + ($1.kind == .kept ? 0 : max($1.old.count, $1.new.count)) }
    }

    /// Common prefix and suffix (whole lines) as kept runs, the lines between diffed line by
    /// line, and each run of changed lines diffed scalar by scalar, within `budget`; returns
    /// whether the budget ran out anywhere.
    private static func diffByLines(_ a: [UInt32], _ b: [UInt32], budget: Budget, into script: inout EditScript) -> Bool {
        // Trim only whole lines, so that the line diff sees whole paragraphs: a common prefix
        // that ran into the next line would glue the start of one paragraph to another's.
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        while prefix > 0, !isLineStart(a, prefix) || !isLineStart(b, prefix) { prefix -= 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix,
              a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        while suffix > 0, !isLineStart(a, a.count - suffix) || !isLineStart(b, b.count - suffix) { suffix -= 1 }
        script.append(.kept, prefix)
        let oldLines = lineStarts(a, prefix..<(a.count - suffix))
        let newLines = lineStarts(b, prefix..<(b.count - suffix))
        var lineIDs = LineIDs()
        let oldIDs = (0..<(oldLines.count - 1)).map { lineIDs.id(a, oldLines[$0]..<oldLines[$0 + 1]) }
        let newIDs = (0..<(newLines.count - 1)).map { lineIDs.id(b, newLines[$0]..<newLines[$0 + 1]) }
        var lineScript = EditScript()
        var lines = Myers(oldIDs, newIDs, limit: budget.lines)
        lines.diff(0..<oldIDs.count, 0..<newIDs.count, into: &lineScript) { old, new, script in
            Self.alignByUniqueLines(oldIDs, newIDs, old, new, into: &script)
        }
        // Walk the line script: kept lines stay kept; each change between kept lines is
        // diffed again over its scalars, within its share of the budget.
        var (oldLine, newLine, deletedLines, insertedLines) = (0, 0, 0, 0)
        var scalars = Myers(a, b, limit: 0)
        func flushChange() {
            let changedOld = oldLines[oldLine]..<oldLines[oldLine + deletedLines]
            let changedNew = newLines[newLine]..<newLines[newLine + insertedLines]
            if !changedOld.isEmpty, !changedNew.isEmpty {
                let size = changedOld.count + changedNew.count
                let share = Budget.sum(budget.perChange, Budget.product(budget.perScalar, size))
                scalars.limit = min(budget.scalars, Budget.sum(scalars.work, share))
                scalars.diff(changedOld, changedNew, into: &script)
            } else {
                script.append(.deleted, changedOld.count)
                script.append(.inserted, changedNew.count)
            }
            oldLine += deletedLines
            newLine += insertedLines
            (deletedLines, insertedLines) = (0, 0)
        }
        for item in lineScript.items {
            switch item.kind {
            case .deleted: deletedLines += item.count
            case .inserted: insertedLines += item.count
            case .kept:
                flushChange()
                script.append(.kept, oldLines[oldLine + item.count] - oldLines[oldLine])
                oldLine += item.count
                newLine += item.count
            }
        }
        flushChange()
        script.append(.kept, suffix)
        return lines.exhausted || scalars.exhausted
    }

    /// Aligns `a[old]` with `b[new]` (line numbers) by the lines that occur exactly once in
    /// each, in the longest order they agree on (patience diff's anchors, O(L log L)); between
    /// two anchors, equal lines at either end are kept too, and the rest is one change. The
    /// line diff's fallback when its budget runs out: a text that shares little with the other
    /// still keeps the paragraphs it copied whole.
    static func alignByUniqueLines(_ a: [UInt32], _ b: [UInt32], _ old: Range<Int>, _ new: Range<Int>,
                                   into script: inout EditScript) {
        var seen: [UInt32: (inOld: Int, oldAt: Int, inNew: Int, newAt: Int)] = [:]
        for i in old { seen[a[i], default: (0, i, 0, 0)].inOld += 1 }
        for j in new where seen[b[j]] != nil { seen[b[j]]!.inNew += 1; seen[b[j]]!.newAt = j }
        let pairs = seen.values.filter { $0.inOld == 1 && $0.inNew == 1 }.map { ($0.oldAt, $0.newAt) }.sorted { $0.0 < $1.0 }
        // The longest run of pairs increasing in the new text too (patience sorting).
        var tails: [Int] = [], previous = [Int](repeating: -1, count: pairs.count)
        for (index, pair) in pairs.enumerated() {
            var (lo, hi) = (0, tails.count)
            while lo < hi {
                let mid = (lo + hi) / 2
                if pairs[tails[mid]].1 < pair.1 { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0 { previous[index] = tails[lo - 1] }
            if lo == tails.count { tails.append(index) } else { tails[lo] = index }
        }
        var anchors: [(Int, Int)] = []
        var at = tails.last ?? -1
        while at >= 0 { anchors.append(pairs[at]); at = previous[at] }
        anchors.reverse()
        var (i, j) = (old.lowerBound, new.lowerBound)
        for (x, y) in anchors + [(old.upperBound, new.upperBound)] {
            var (lo, hi) = (0, 0)
            while i + lo < x, j + lo < y, a[i + lo] == b[j + lo] { lo += 1 }
            while x - hi > i + lo, y - hi > j + lo, a[x - hi - 1] == b[y - hi - 1] { hi += 1 }
            script.append(.kept, lo)
            script.append(.deleted, x - hi - i - lo)
            script.append(.inserted, y - hi - j - lo)
            script.append(.kept, hi)
            if x < old.upperBound { script.append(.kept, 1) }
            (i, j) = (x + 1, y + 1)
        }
    }

    /// The scalars' code points, for the diff to compare as plain integers.
    private static func values(_ scalars: [Unicode.Scalar]) -> [UInt32] {
        [UInt32](unsafeUninitializedCapacity: scalars.count) { buffer, count in
            for i in scalars.indices { buffer[i] = scalars[i].value }
            count = scalars.count
        }
    }

    /// Whether a line (a paragraph with the line breaks after it) starts at `i`.
    private static func isLineStart(_ text: [UInt32], _ i: Int) -> Bool {
        i == 0 || i == text.count || (text[i - 1] == 0x0A && text[i] != 0x0A)
    }

    /// The offsets where each line of `range` starts, and `range.upperBound` last. A line keeps
    /// the line breaks after it, so blank lines are not lines of their own: were they, the line
    /// diff would match blank lines as readily as paragraphs and could pair a moved paragraph's
    /// neighbours in odd ways.
    private static func lineStarts(_ text: [UInt32], _ range: Range<Int>) -> [Int] {
        guard !range.isEmpty else { return [range.lowerBound] }
        var starts = [range.lowerBound]
        for i in (range.lowerBound + 1)..<range.upperBound where text[i - 1] == 0x0A && text[i] != 0x0A { starts.append(i) }
        starts.append(range.upperBound)
        return starts
    }
}

/// Numbers the distinct lines of two texts, so the line diff compares numbers. Lines are
/// found by an FNV-1a hash and confirmed scalar by scalar.
struct LineIDs {
    private var byHash: [UInt64: [(id: UInt32, text: ArraySlice<UInt32>)]] = [:]
    private var count: UInt32 = 0

    mutating func id(_ text: [UInt32], _ range: Range<Int>) -> UInt32 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for i in range { hash = (hash ^ UInt64(text[i])) &* 0x0000_0100_0000_01B3 }
        let line = text[range]
        if let known = byHash[hash]?.first(where: { $0.text == line }) { return known.id }
        count += 1
        byHash[hash, default: []].append((count, line))
        return count
    }
}

/// An edit script under construction: (kind, count) items, neighbours of one kind merged.
struct EditScript {
    struct Item {
        var kind: TextDiff.Run.Kind
        var count: Int
    }
    var items: [Item] = []

    mutating func append(_ kind: TextDiff.Run.Kind, _ count: Int) {
        guard count > 0 else { return }
        if let last = items.last, last.kind == kind {
            items[items.count - 1].count += count
        } else {
            items.append(Item(kind: kind, count: count))
        }
    }

    /// Merges neighbours and puts each change's deletion before its insertion.
    mutating func normalise() {
        var out = EditScript()
        var deleted = 0, inserted = 0
        for item in items {
            switch item.kind {
            case .deleted: deleted += item.count
            case .inserted: inserted += item.count
            case .kept:
                out.append(.deleted, deleted)
                out.append(.inserted, inserted)
                (deleted, inserted) = (0, 0)
                out.append(.kept, item.count)
            }
        }
        out.append(.deleted, deleted)
        out.append(.inserted, inserted)
        items = out.items
    }

    /// The items as runs with their old and new ranges.
    func runs() -> [TextDiff.Run] {
        var (o, n) = (0, 0)
        return items.map { item in
            let old = o..<(o + (item.kind == .inserted ? 0 : item.count))
            let new = n..<(n + (item.kind == .deleted ? 0 : item.count))
            (o, n) = (old.upperBound, new.upperBound)
            return TextDiff.Run(kind: item.kind, old: old, new: new)
        }
    }
}
