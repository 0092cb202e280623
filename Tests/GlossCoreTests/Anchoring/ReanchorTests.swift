import Testing
@testable import GlossCore

/// Each outcome of carrying a note over to a revised report, on small texts written by hand.
@Suite struct ReanchorTests {
    static let old = """
        Weekly logistics situation report

        Shipments through Port Alba fell 12% week on week. Rail freight via Korvo was flat.

        Port Brem reported 9 vessels waiting at anchor. Officials declined to comment on the timing.

        Fuel deliveries to Lisk resumed after 14 hours.

        """

    static func target(_ quote: String, in text: String = old) throws -> Target {
        try TextAnchor(text: text).target(quote: quote, occurrence: nil)
    }

    static func quote(_ result: Reanchoring) -> String? { result.target?.quote.exact }

    @Test func aNoteStaysExactWhenOnlyOtherTextChanged() throws {
        let new = Self.old.replacingOccurrences(of: "Rail freight via Korvo was flat.", with: "Rail freight via Korvo was flat. Roads were clear.")
            .replacingOccurrences(of: "Weekly logistics", with: "Weekly logistics and energy")
        let result = TextRevision(old: Self.old, new: new).carry(try Self.target("Port Brem reported 9 vessels"))
        #expect(result.status == .exact)
        #expect(Self.quote(result) == "Port Brem reported 9 vessels")
        #expect(result.target == (try Self.target("Port Brem reported 9 vessels", in: new)))
    }

    @Test func aMovedParagraphIsExactAtItsNewPlace() throws {
        let paragraph = "Port Brem reported 9 vessels waiting at anchor. Officials declined to comment on the timing.\n\n"
        let new = Self.old.replacingOccurrences(of: paragraph, with: "") + "\n" + paragraph
        let result = TextRevision(old: Self.old, new: new).carry(try Self.target("declined to comment"))
        #expect(result.status == .exact)
        #expect(result.target == (try Self.target("declined to comment", in: new)))
    }

    @Test func aRewordedQuoteIsChangedWithItsNewText() throws {
        let new = Self.old.replacingOccurrences(of: "waiting at anchor", with: "idling at anchor")
        let result = TextRevision(old: Self.old, new: new).carry(try Self.target("reported 9 vessels waiting at anchor"))
        #expect(result.status == .changed)
        #expect(Self.quote(result) == "reported 9 vessels idling at anchor")
    }

    @Test func aChangedNumberUnderTheQuoteAsksForReview() throws {
        let new = Self.old.replacingOccurrences(of: "fell 12%", with: "fell 15%")
        let result = TextRevision(old: Self.old, new: new).carry(try Self.target("Port Alba fell 12% week"))
        #expect(result.status == .review)
        #expect(result.reason == "a number in the quote changed")
        #expect(Self.quote(result) == "Port Alba fell 15% week")
    }

    @Test func aNumberCutByTheQuoteEdgeCountsWhole() throws {
        // The quote ends in the "1" of "14": the text under it is the same, but the number is not.
        let new = Self.old.replacingOccurrences(of: "after 14 hours", with: "after 19 hours")
        let note = TextAnchor(text: Self.old).target(for: Self.range(of: "resumed after 1", in: Self.old))
        let result = TextRevision(old: Self.old, new: new).carry(note)
        #expect(result.status == .review)
    }

    @Test func aDeletedSentenceWithALookalikeElsewhereIsNeverAttachedToIt() throws {
        // Given a near-copy of a sentence further on, and the note on the first,
        let old = Self.old.replacingOccurrences(of: "Fuel deliveries to Lisk resumed after 14 hours.",
                                                with: "Fuel deliveries to Lisk resumed after 14 hours. Shipments through Port Alba fell 12% week on week, officials said.")
        let note = try TextAnchor(text: old).target(quote: "Shipments through Port Alba", occurrence: 1)
        // when the revision deletes the first,
        let new = old.replacingOccurrences(of: "Shipments through Port Alba fell 12% week on week. ", with: "")
        let result = TextRevision(old: old, new: new).carry(note)
        // then the copy is only proposed, for a person to confirm.
        #expect(result.status == .review)
        #expect(result.reason == "the quote now occurs only in text that was already there")
        #expect(Self.quote(result) == "Shipments through Port Alba")
    }

    @Test func aLookalikeThatSharesOnlyTheQuoteIsNotProposed() throws {
        // "week on week" stands in another sentence, but nothing around it is the note's.
        let old = Self.old.replacingOccurrences(of: "was flat.", with: "rose 3% week on week.")
        let new = old.replacingOccurrences(of: "Shipments through Port Alba fell 12% week on week. ", with: "")
        let result = TextRevision(old: old, new: new).carry(try TextAnchor(text: old).target(quote: "week on week", occurrence: 1))
        #expect(result.status == .orphan)
    }

    @Test func aDeletedSentenceIsAnOrphan() throws {
        let new = Self.old.replacingOccurrences(of: " Rail freight via Korvo was flat.", with: "")
        let result = TextRevision(old: Self.old, new: new).carry(try Self.target("Rail freight via Korvo"))
        #expect(result.status == .orphan)
        #expect(result.target == nil)
    }

    @Test func aQuoteMovedToTwoPlacesAsksForReview() throws {
        // Given a paragraph among several, when the revision puts it first and last instead,
        let moved = "Port Cado reported 4 vessels waiting at anchor.\n\n"
        let others = ["Rail freight via Korvo was flat.\n\n", "Port Brem was closed.\n\n", "Fuel deliveries to Lisk resumed.\n\n",
                      "Roads were clear.\n\n", "Insurers raised premiums.\n\n"]
        let old = others[0..<2].joined() + moved + others[2...].joined()
        let new = moved + others.joined() + moved
        let result = TextRevision(old: old, new: new).carry(try Self.target("Port Cado reported", in: old))
        // then neither place is taken for granted.
        #expect(result.status == .review)
        #expect(result.reason == "the text moved, to more than one place")
    }

    @Test func aTargetWhosePositionsDriftedIsFoundByItsQuote() throws {
        var note = try Self.target("Port Brem reported")
        note.position = TextPositionSelector(start: note.position.start + 3, end: note.position.end + 3)
        let result = TextRevision(old: Self.old, new: Self.old).carry(note)
        #expect(result.status == .exact)
        #expect(Self.quote(result) == "Port Brem reported")
    }

    static func range(of quote: String, in text: String) -> Range<Int> {
        TextAnchor(text: text).occurrences(of: quote)[0]
    }

    /// Issue 24, item 3: another text linked as a revision is not treated as one. Every note
    /// goes to review, with the reason, instead of to a coincidence found in that text.
    @Test func aNoteOnATextReplacedByAnotherGoesToReviewWithTheReason() throws {
        let other = TextDiffTests.unrelatedText(scalars: 64 * 1024) + "Officials declined to comment on the timing."
        let result = TextRevision(old: Self.old, new: other).carry(try Self.target("declined to comment"))
        #expect(result.status == .review)
        #expect(result.reason == "the new version shares almost nothing with the old")
        #expect(result.target == nil, "the quote stands in the other text, but that is no sign the note belongs there")
    }

    /// A revision that keeps the note's paragraph and little else: the note is proposed where
    /// the diff kept it, for a person to confirm, not attached.
    @Test func aRevisionKeepingOnlyTheQuotedParagraphProposesItForReview() throws {
        let paragraph = "Port Dara reported 3 vessels waiting at anchor.\n\n"
        let old = paragraph + Self.old + String(repeating: "Unrelated filler that the revision dropped.\n\n", count: 40)
        let revision = TextRevision(old: old, new: paragraph + TextDiffTests.unrelatedText(scalars: 4000))
        #expect(revision.sharesAlmostNothing)
        let result = revision.carry(try Self.target("Port Dara reported 3 vessels", in: old))
        #expect(result.status == .review && result.reason == TextRevision.unrelatedReason)
        #expect(Self.quote(result) == "Port Dara reported 3 vessels")
    }

    /// `occurrences` finds every place, overlapping ones too, in time linear in the text even
    /// when the text is made of near-copies of the quote.
    @Test func occurrencesAreFoundInLinearTime() {
        #expect(TextAnchor(text: "aaaaaa").occurrences(of: "aaaa") == [0..<4, 1..<5, 2..<6])
        #expect(TextAnchor(text: "abcabdabcabc").occurrences(of: "abcabc") == [6..<12])
        let quote = String(repeating: "a", count: 4096) + "b"
        let text = TextAnchor(text: String(repeating: "a", count: 1 << 20))
        let started = ContinuousClock.now
        #expect(text.occurrences(of: quote).isEmpty)
        #expect(ContinuousClock.now - started < .seconds(3), "a plain scan compares 4 billion scalars here")
    }
}
