import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// Re-anchoring measured on a corpus whose truth is known by construction (docs/ANCHORING.md).
/// `GLOSS_ANCHORING_TABLE=docs/ANCHORING.md swift test --filter AnchoringCorpus` writes the
/// table into that page; `GLOSS_ANCHORING_SEED=<n>` draws another corpus.
@Suite struct AnchoringCorpusTests {
    typealias Corpus = AnchoringCorpus
    struct Key: Hashable, Sendable { var kind: Corpus.EditKind; var text: Corpus.TextKind }

    /// The tallies of one part of the corpus, for Gloss and for the fuzzy baseline.
    struct Results: Sendable {
        var gloss: [Key: AnchoringTally] = [:]
        var fuzzy: [Key: AnchoringTally] = [:]
        var silentlyWrong: [String] = []
        var count = 0

        mutating func add(_ other: Results) {
            count += other.count
            for (k, v) in other.gloss { gloss[k, default: .init()].add(v) }
            for (k, v) in other.fuzzy { fuzzy[k, default: .init()].add(v) }
            silentlyWrong += other.silentlyWrong
        }
    }

    static func evaluate(_ cases: ArraySlice<Corpus.Case>) -> Results {
        var results = Results()
        for c in cases {
            let key = Key(kind: c.kind, text: c.textKind)
            let result = TextRevision(old: c.old, new: c.new).carry(c.target)
            let newAnchor = TextAnchor(text: c.new)
            let truth = AnchoringJudge.Truth(c)
            let range = result.target.map { $0.position.start..<$0.position.end }
            let outcome = AnchoringJudge.judge(result.status, range, c, truth, newScalars: newAnchor.scalars)
            results.gloss[key, default: .init()].add(result.status, outcome)
            if outcome == .silentlyWrong {
                results.silentlyWrong.append("\(c.kind.rawValue), \(c.textKind.rawValue), case seed \(c.seed): \(result.status) "
                    + "\"\(c.target.quote.exact)\" → \"\(range.map { newAnchor.text(in: $0) } ?? "-")\"")
            }
            let baseline = FuzzyAnchor.carry(c.target, to: newAnchor)
            results.fuzzy[key, default: .init()]
                .add(baseline.status, AnchoringJudge.judge(baseline.status, baseline.range, c, truth, newScalars: newAnchor.scalars))
        }
        return results
    }

    @Test func glossNeverAttachesSilentlyAndBeatsTheFuzzyBaseline() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["GLOSS_ANCHORING_SEED"].flatMap(UInt64.init) ?? Corpus.defaultSeed
        let prose = try ["000_231c2f7b2f17f197.txt", "001_lithography_servicing_html.txt",
                         "002_rare_earths_revised.txt", "003_unicode_geneva_talks.txt"].map { try ReportFixtures.report($0).text }
        let started = ContinuousClock.now
        // Two halves of the edit kinds side by side: the corpus is a few thousand diffs in a debug build.
        let kinds = Corpus.EditKind.allCases
        let halves = [Array(kinds.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)),
                      Array(kinds.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))]
        let results = await withTaskGroup(of: Results.self) { group in
            for half in halves {
                group.addTask {
                    var results = Self.evaluate(Corpus.cases(seed: seed, prose: prose, kinds: half)[...])
                    results.count = results.gloss.values.reduce(0) { $0 + $1.count }
                    return results
                }
            }
            return await group.reduce(into: Results()) { $0.add($1) }
        }
        let (gloss, fuzzy) = (results.gloss, results.fuzzy)
        let elapsed = ContinuousClock.now - started
        let table = Self.table(seed: seed, count: results.count, gloss: gloss, fuzzy: fuzzy)
        print(table)
        print("anchoring corpus: \(results.count) pairs, seed \(seed), \(elapsed)")
        if let path = environment["GLOSS_ANCHORING_TABLE"] {
            try Self.write(table, to: path)
        }
        let wrong = results.silentlyWrong.prefix(10)

        let total = gloss.values.reduce(into: AnchoringTally()) { $0.add($1) }
        #expect(results.count >= 2_000)
        #expect(total[.silentlyWrong] == 0, "silently wrong (seed \(seed)):\n\(wrong.joined(separator: "\n"))")
        for kind in Corpus.EditKind.allCases {
            let row = Corpus.TextKind.allCases.reduce(into: AnchoringTally()) { $0.add(gloss[Key(kind: kind, text: $1)] ?? .init()) }
            if kind.onlyOtherText {
                #expect(row[.exact] == row.count, "\(kind.rawValue): \(row[.exact]) of \(row.count) exact (seed \(seed))")
            }
            if kind == .moveParagraph {
                #expect(row[.exact] * 10 >= row.count * 9, "moves: \(row[.exact]) of \(row.count) exact (seed \(seed))")
            }
        }
        #expect(total[.review] * 4 <= total.count, "review: \(total[.review]) of \(total.count) (seed \(seed))")
    }

    /// Writes the table to `path`, or, when that file already holds one between the markers
    /// `<!-- table:begin -->` and `<!-- table:end -->` (docs/ANCHORING.md), in their place.
    static func write(_ table: String, to path: String) throws {
        let (begin, end) = ("<!-- table:begin -->\n", "<!-- table:end -->")
        if let existing = try? String(contentsOfFile: path, encoding: .utf8),
           let from = existing.range(of: begin), let to = existing.range(of: end, range: from.upperBound..<existing.endIndex) {
            try existing.replacingCharacters(in: from.upperBound..<to.lowerBound, with: table + "\n")
                .write(toFile: path, atomically: true, encoding: .utf8)
        } else {
            try table.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    static func table(seed: UInt64, count: Int, gloss: [Key: AnchoringTally], fuzzy: [Key: AnchoringTally]) -> String {
        var lines = ["<!-- generated by: GLOSS_ANCHORING_TABLE=docs/ANCHORING.md swift test --filter AnchoringCorpus -->",
                     "Corpus seed \(seed), \(count) (annotation, revision) pairs.", ""]
        for (name, tallies) in [("Gloss (`TextRevision.carry`)", gloss), ("Fuzzy baseline (Hypothesis-style quote + context + position)", fuzzy)] {
            lines += ["### \(name)", "", AnchoringTally.header]
            var total = AnchoringTally()
            for text in Corpus.TextKind.allCases {
                var subtotal = AnchoringTally()
                for kind in Corpus.EditKind.allCases {
                    let tally = tallies[Key(kind: kind, text: text)] ?? .init()
                    lines.append(tally.row(kind.rawValue, text.rawValue))
                    subtotal.add(tally)
                }
                lines.append(subtotal.row("**all**", text.rawValue))
                total.add(subtotal)
            }
            lines += [total.row("**all**", "**all**"), ""]
        }
        return lines.joined(separator: "\n")
    }
}
