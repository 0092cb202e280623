import Testing
@testable import GlossCore

/// Judgments compared: which notes judge the same passage, and when analysts disagree.
@Suite struct JudgedPassageTests {
    typealias E = ExportTests

    static func judged(_ n: Int, _ author: UserName, quote: String?, _ likelihood: Likelihood?, _ confidence: Confidence? = nil,
                       deleted: Bool = false) throws -> Annotation {
        try E.annotation(n, author: author, quote: quote, motivation: .assessing, body: "view \(n)",
                         judgment: Judgment(confidence: confidence, likelihood: likelihood), deleted: deleted)
    }

    @Test func likelihoodsTwoStepsApartDisagreeAndOneStepDoesNot() throws {
        let passages = JudgedPassage.passages(of: [
            try Self.judged(1, "alice", quote: "Another round is likely", .likely),
            try Self.judged(2, "bob", quote: "round is likely in spring", .unlikely),
            try Self.judged(3, "carol", quote: "Talks in Genève", .likely),
            try Self.judged(4, "dave", quote: "Talks in Genève between", .veryLikely),
        ])
        #expect(passages.count == 2)
        let talks = try #require(passages.first)
        #expect(talks.entries.map(\.author) == ["carol", "dave"])
        #expect(talks.disagreement == nil)
        let round = passages[1]
        #expect(round.entries.map(\.author) == ["alice", "bob"])
        let dissent = try #require(round.disagreement)
        #expect(dissent.kind == .likelihood && dissent.steps == 2)
        #expect(dissent.low.author == "bob" && dissent.high.author == "alice")
        #expect(dissent.summary == "bob: unlikely · alice: likely")
        #expect(round.quote == "round is likely in spring")
    }

    @Test func lowAgainstHighConfidenceDisagrees() throws {
        let passages = JudgedPassage.passages(of: [
            try Self.judged(1, "alice", quote: "Talks in Genève", nil, .low),
            try Self.judged(2, "bob", quote: "Talks in Genève", nil, .moderate),
            try Self.judged(3, "carol", quote: "Genève between", nil, .high),
        ])
        let dissent = try #require(passages.first?.disagreement)
        #expect(dissent.kind == .confidence)
        #expect(dissent.low.author == "alice" && dissent.high.author == "carol")
    }

    @Test func deletedNotesRepliesAndUnjudgedNotesTakeNoPart() throws {
        let passages = JudgedPassage.passages(of: [
            try Self.judged(1, "alice", quote: "Talks in Genève", .almostCertain),
            try Self.judged(2, "bob", quote: "Talks in Genève", .almostNoChance, deleted: true),
            try E.annotation(3, author: "carol", quote: "Talks in Genève", body: "no judgment"),
            try Self.judged(4, "dave", quote: nil, .unlikely),
        ])
        #expect(passages.count == 2)
        #expect(passages[0].entries.map(\.author) == ["alice"])
        #expect(passages[0].disagreement == nil)
        #expect(passages[1].range == nil && passages[1].entries.map(\.author) == ["dave"])
    }

    @Test func anAnalystsLatestJudgmentOfAPassageCounts() throws {
        var early = try Self.judged(1, "alice", quote: "Talks in Genève", .unlikely)
        early.updated = HLC(wall: 1)
        let passages = JudgedPassage.passages(of: [early, try Self.judged(2, "alice", quote: "in Genève", .likely),
                                                  try Self.judged(3, "bob", quote: "Talks", .likely)])
        #expect(passages.count == 1)
        #expect(passages[0].entries.map { $0.judgment.likelihood } == [.likely, .likely])
        #expect(passages[0].disagreement == nil)
    }
}
