import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// The character diff: a correct script for any pair of texts, a shortest one from Myers, and
/// the clean-ups that make moves and deleted sentences read as people would say them.
@Suite struct TextDiffTests {
    static let cases = 300

    static var seeds: [UInt64] {
        if let fixed = ProcessInfo.processInfo.environment["GLOSS_SEED"].flatMap(UInt64.init) { return [fixed] }
        let base = UInt64(Date().timeIntervalSince1970 * 1000)
        return (0..<UInt64(cases)).map { base &+ $0 &* 7919 }
    }

    /// Few letters, spaces, line breaks and scalars beyond ASCII, so that texts share a lot.
    static let alphabet: [Unicode.Scalar] = ["a", "b", "c", " ", ".", "\n", "é", "稀", "👨", "\u{200D}"]

    static func randomText(_ rng: inout SeededRandom, length: Int) -> [Unicode.Scalar] {
        (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
    }

    /// `text` after a few random insertions, deletions and moves.
    static func revised(_ text: [Unicode.Scalar], _ rng: inout SeededRandom) -> [Unicode.Scalar] {
        var out = text
        for _ in 0..<rng.int(in: 0..<6) {
            let at = rng.int(in: 0..<(out.count + 1))
            switch rng.int(in: 0..<3) {
            case 0: out.insert(contentsOf: randomText(&rng, length: rng.int(in: 1..<12)), at: at)
            case 1: out.removeSubrange(at..<min(out.count, at + rng.int(in: 1..<12)))
            default:
                let block = Array(out[at..<min(out.count, at + rng.int(in: 1..<20))])
                out.removeSubrange(at..<(at + block.count))
                out.insert(contentsOf: block, at: rng.int(in: 0..<(out.count + 1)))
            }
        }
        return out
    }

    @Test func applyingTheDiffRebuildsTheNewTextFromTheOld() {
        print("TextDiffTests: seeds \(Self.seeds.first!)… (replay one: GLOSS_SEED=<seed> swift test --filter TextDiffTests)")
        var failures = 0
        for seed in Self.seeds {
            var rng = SeededRandom(seed: seed)
            let old = Self.randomText(&rng, length: rng.int(in: 0..<300))
            let new = rng.int(in: 0..<4) == 0 ? Self.randomText(&rng, length: rng.int(in: 0..<300)) : Self.revised(old, &rng)
            // The standard budget, and one so small that the line and scalar levels both run out.
            for budget in [TextDiff.Budget.standard, Self.tiny] where !Self.rebuilds(old, new, TextDiff(old: old, new: new, budget: budget)) {
                failures += 1
                Issue.record("diff does not rebuild the new text for seed \(seed) (replay: GLOSS_SEED=\(seed) swift test --filter TextDiffTests)")
                if failures > 3 { return }
            }
        }
    }

    static let tiny = TextDiff.Budget(lines: 20, scalars: 60, perChange: 10, perScalar: 1)

    /// Whether `diff`'s runs are a correct script from `old` to `new`, and its offset maps agree.
    static func rebuilds(_ old: [Unicode.Scalar], _ new: [Unicode.Scalar], _ diff: TextDiff) -> Bool {
        do {
            var rebuilt: [Unicode.Scalar] = [], (o, n) = (0, 0), ok = true
            for run in diff.runs {
                ok = ok && run.old.lowerBound == o && run.new.lowerBound == n
                switch run.kind {
                case .kept:
                    ok = ok && old[run.old].elementsEqual(new[run.new])
                    rebuilt += old[run.old]
                case .inserted: rebuilt += new[run.new]
                case .deleted: break
                }
                (o, n) = (run.old.upperBound, run.new.upperBound)
            }
            ok = ok && rebuilt == new && o == old.count && n == new.count
            // The offset maps agree with the runs and with each other, and keep order.
            var last = -1
            for (i, target) in diff.newOffset.enumerated() {
                guard let target else { continue }
                ok = ok && old[i] == new[target] && diff.oldOffset[target] == i && target > last
                last = target
            }
            ok = ok && diff.oldOffset.compactMap { $0 }.count == diff.newOffset.compactMap { $0 }.count
            return ok && diff.keptCount == diff.newOffset.compactMap { $0 }.count
        }
    }

    @Test func myersFindsAShortestEditScript() {
        for seed in Self.seeds.prefix(200) {
            var rng = SeededRandom(seed: seed)
            let a = Self.randomText(&rng, length: rng.int(in: 0..<40)).map(\.value)
            let b = (rng.int(in: 0..<2) == 0 ? Self.randomText(&rng, length: rng.int(in: 0..<40))
                                             : Self.revised(a.map { Unicode.Scalar($0)! }, &rng)).map(\.value)
            var script = EditScript()
            var myers = Myers(a, b)
            myers.diff(0..<a.count, 0..<b.count, into: &script)
            let edits = script.items.filter { $0.kind != .kept }.reduce(0) { $0 + $1.count }
            #expect(edits == a.count + b.count - 2 * Self.lcs(a, b), "not a shortest script for seed \(seed) (GLOSS_SEED=\(seed))")
        }
    }

    static func lcs(_ a: [UInt32], _ b: [UInt32]) -> Int {
        var row = [Int](repeating: 0, count: b.count + 1)
        for x in a {
            var diagonal = 0
            for j in b.indices {
                let above = row[j + 1]
                row[j + 1] = x == b[j] ? diagonal + 1 : max(row[j + 1], row[j])
                diagonal = above
            }
        }
        return row[b.count]
    }

    @Test func aMovedParagraphIsOneDeletionAndOneInsertion() {
        // Given paragraphs whose sentences are alike, when the first moves to the end,
        let old = "Port Alba fell 12% week on week.\n\nPort Brem fell 13% week on week.\n\nPort Cado fell 14% week on week.\n"
        let new = "Port Brem fell 13% week on week.\n\nPort Cado fell 14% week on week.\n\nPort Alba fell 12% week on week.\n"
        let diff = TextDiff(old: Array(old.unicodeScalars), new: Array(new.unicodeScalars))
        // then the diff deletes it whole and inserts it whole, rather than rewrite each line in place.
        #expect(diff.runs.map(\.kind) == [.deleted, .kept, .inserted])
        #expect(diff.runs[0].old == 0..<34)
    }

    @Test func aDeletedSentenceIsTheWholeSentenceNotAWindowOntoItsLookalike() {
        let old = "Shipments through Port Alba fell 12% week on week. Shipments through Port Alba fell 15% week on week. Rail was flat."
        let new = "Shipments through Port Alba fell 15% week on week. Rail was flat."
        let diff = TextDiff(old: Array(old.unicodeScalars), new: Array(new.unicodeScalars))
        let deleted = diff.runs.filter { $0.kind == .deleted }
        #expect(deleted.count == 1)
        // The first sentence is gone, every scalar of it; the second stands.
        #expect((0..<50).allSatisfy { diff.newOffset[$0] == nil })
        #expect((51..<101).allSatisfy { diff.newOffset[$0] != nil })
    }

    @Test func coincidentalLettersInARewrittenSentenceAreNotKept() {
        let old = "Exports fell. The ministry denied any plan to restrict licences. Imports rose."
        let new = "Exports fell. Officials declined to comment on the timing. Imports rose."
        let diff = TextDiff(old: Array(old.unicodeScalars), new: Array(new.unicodeScalars))
        #expect(diff.runs.map(\.kind) == [.kept, .deleted, .inserted, .kept])
    }

    @Test func aRevisedReportDiffsQuickly() throws {
        let text = try ReportFixtures.report("000_231c2f7b2f17f197.txt").text
        var new = text.replacingOccurrences(of: "China", with: "Beijing")
        new = new.replacingOccurrences(of: "critical", with: "essential")
        new.insert(contentsOf: "A new sentence stands here. ", at: new.index(new.startIndex, offsetBy: 3000))
        let (a, b) = (Array(text.unicodeScalars), Array(new.unicodeScalars))
        let started = ContinuousClock.now
        let diff = TextDiff(old: a, new: b)
        let elapsed = ContinuousClock.now - started
        print("TextDiff on a \(a.count)-scalar report, \(diff.distance) scalars edited: \(elapsed) (debug build)")
        #expect(elapsed < .seconds(2))
    }

    /// Words of no report, as a teammate's unrelated text would be.
    static func unrelatedText(scalars count: Int, seed: UInt64 = 7) -> String {
        var rng = SeededRandom(seed: seed)
        let words = ["the", "of", "supply", "port", "vessel", "freight", "minister", "said", "week", "rose", "fell", "and", "a"]
        var text = "", line = 0, scalars = 0
        while scalars < count {
            let word = words.randomElement(using: &rng)!
            line += 1
            let gap = line % 40 == 0 ? ".\n\n" : " "
            text += word + gap
            scalars += word.unicodeScalars.count + gap.unicodeScalars.count
        }
        return text
    }

    /// Issue 24, item 3: a teammate links a megabyte of unrelated text as a "revision". Myers'
    /// O((N + M) · D) took minutes there (16 KiB: 1.5 s, 64 KiB: 15–30 s in a release build);
    /// within its budget the diff ends at once, coarse, and still a correct script.
    @Test func anUnrelatedMegabyteDiffsWithinTheBudget() throws {
        let old = try ReportFixtures.report("000_231c2f7b2f17f197.txt").text
        for new in [Self.unrelatedText(scalars: 1 << 20), Self.unrelatedText(scalars: old.unicodeScalars.count),
                    String(repeating: "ab", count: 1 << 19), String(repeating: "ab\n", count: 1 << 18)] {
            let (a, b) = (Array(old.unicodeScalars), Array(new.unicodeScalars))
            let started = ContinuousClock.now
            let diff = TextDiff(old: a, new: b)
            let elapsed = ContinuousClock.now - started
            print("TextDiff of \(a.count) scalars against \(b.count) unrelated ones: \(elapsed) (debug build), \(diff.keptCount) kept")
            #expect(elapsed < .seconds(5), "the budget bounds the diff (debug build)")
            #expect(diff.keptCount * 10 < a.count)
            #expect(Self.rebuilds(a, b, diff))
        }
    }

    /// When the line diff's budget runs out, the lines both texts hold once still align (the
    /// paragraphs that did not change stay kept), and the changed ones are diffed as before.
    @Test func pastTheLineBudgetParagraphsThatDidNotChangeAreStillKept() throws {
        let old = try ReportFixtures.report("000_231c2f7b2f17f197.txt").text
        var paragraphs = old.components(separatedBy: "\n\n")
        for index in stride(from: 3, to: paragraphs.count - 1, by: 5) { paragraphs[index] = "Rewritten: " + paragraphs[index].lowercased() }
        paragraphs.insert("A paragraph the new version adds.", at: 2)
        paragraphs.swapAt(6, 9)
        let new = paragraphs.joined(separator: "\n\n")
        let (a, b) = (Array(old.unicodeScalars), Array(new.unicodeScalars))
        var budget = TextDiff.Budget.standard
        budget.lines = 10
        let diff = TextDiff(old: a, new: b, budget: budget)
        #expect(diff.coarse)
        #expect(diff.keptCount * 10 >= a.count * 8, "kept \(diff.keptCount) of \(a.count)")
        #expect(Self.rebuilds(a, b, diff))
    }
}
