import Foundation
import GlossCore
import Testing
@testable import GlossReplica

/// The actions the CLI and the reader page both call (``Actions``), on a real replica: a span
/// in code points becomes the same W3C selectors `gloss annotate --start/--end` makes, and the
/// rules of settling carried notes hold whichever edge asks.
@Suite struct ActionsTests {
    let home = TestHome()

    static let report = Report(title: "Grain corridor 🇺🇦", summary: "", sections: [
        .init(heading: "", paragraphs: ["Exports via 東京 rose; the family 👩‍👩‍👧 café (e\u{301}) reopened. Exports via 東京 fell."]),
    ])

    @Test func aSpanInCodePointsIsTheQuoteAndPositionTheCLIMakes() throws {
        let alice = try home.replica("alice", user: "alice")
        _ = try alice.importReport(Self.report, source: "grain.txt")
        let actions = Actions(alice)
        let scalars = Array(Self.report.text.unicodeScalars)
        let wanted = "👩‍👩‍👧 café (e\u{301})"
        let start = try #require(Self.report.text.range(of: wanted)).lowerBound.samePosition(in: Self.report.text.unicodeScalars)
            .map { Self.report.text.unicodeScalars.distance(from: Self.report.text.unicodeScalars.startIndex, to: $0) }
        let begin = try #require(start), end = begin + wanted.unicodeScalars.count
        #expect(String(String.UnicodeScalarView(scalars[begin..<end])) == wanted)

        let note = try actions.annotate(report: Self.report.id, span: .positions(start: begin, end: end), comment: "who?",
                                        tags: ["people"], judgment: Judgment(confidence: .low))
        #expect(note.target?.quote.exact == wanted && note.target?.position.start == begin && note.target?.position.end == end)
        #expect(note.motivation == .assessing && note.tags == ["people"])
        // The same passage by quote, as `gloss annotate --quote` gives it, is the same target.
        let byQuote = try actions.annotate(report: Self.report.id, span: .quote(wanted, occurrence: nil), comment: "again")
        #expect(byQuote.target == note.target)
        // A second occurrence needs saying which, as on the command line.
        #expect(throws: AnchorError.self) { try actions.annotate(report: Self.report.id, span: .quote("Exports via 東京", occurrence: nil), comment: "x") }
        // A span that splits no grapheme but runs past the text is refused, and nothing is recorded.
        #expect(throws: AnchorError.self) { try actions.annotate(report: Self.report.id, span: .positions(start: 0, end: scalars.count + 1), comment: "x") }
        #expect(throws: ActionError.nothingToAnnotate) { try actions.annotate(report: Self.report.id, span: nil, comment: "") }
        #expect(try alice.annotations().count == 2)
        // A bare span is a highlight; a comment alone, a note on the whole report.
        #expect(try actions.annotate(report: Self.report.id, span: .positions(start: 0, end: 5), comment: nil).motivation == .highlighting)
        #expect(try actions.annotate(report: Self.report.id, span: nil, comment: "overall").target == nil)
    }

    @Test func settlingACarriedNoteIsItsAuthorsAndNeedsARevision() throws {
        let alice = try home.replica("alice", user: "alice")
        _ = try alice.importReport(Self.report, source: "grain.txt")
        let note = try Actions(alice).annotate(report: Self.report.id, span: .quote("Exports via 東京 rose", occurrence: nil), comment: "n")
        #expect(throws: ActionError.notCarried(note.id)) { try Actions(alice).acceptProposal(note.id) }
        let revised = Report(title: "Grain corridor 🇺🇦 (2)", summary: "", sections: [
            .init(heading: "", paragraphs: ["Exports via 東京 rose 12%; the family 👩‍👩‍👧 café (e\u{301}) reopened. Exports via 東京 fell."]),
        ])
        _ = try alice.importReport(revised, source: "grain-2.txt")
        try alice.linkRevision(of: revised.id, revises: Self.report.id)
        let moved = try Actions(alice).retarget(note.id, to: .quote("rose 12%", occurrence: nil))
        #expect(moved.target?.quote.exact == "rose 12%" && moved.target?.source == revised.id)
    }

    /// `gloss edit` and the page's edit both go through ``Actions/edit``: a passage moves on the
    /// note's own report, nothing to change is refused, an editor's unchanged or empty save
    /// changes nothing, and a teammate's note is refused before an editor would open.
    @Test func anEditIsTheAuthorsAndSaysWhenItChangesNothing() throws {
        let alice = try home.replica("alice", user: "alice"), bob = try home.replica("bob", user: "bob")
        _ = try alice.importReport(Self.report, source: "grain.txt")
        let actions = Actions(alice)
        let note = try actions.annotate(report: Self.report.id, span: .quote("Exports via 東京 rose", occurrence: nil), comment: "first")
        let moved = try actions.edit(note.id, span: .quote("café (e\u{301})", occurrence: nil))
        #expect(moved.target?.quote.exact == "café (e\u{301})" && moved.body == "first")
        #expect(throws: ActionError.nothingToEdit) { try actions.edit(note.id) }
        #expect(try actions.edit(note.id, written: "first").unchanged != nil)
        #expect(throws: ActionError.editedEmpty(note.id)) { try actions.edit(note.id, written: " \n") }
        #expect(try actions.edit(note.id, written: "second").annotation.body == "second")
        #expect(try alice.log(limit: 100).count == 3, "the create, the move and one edit: the unchanged and empty saves made none")

        let (file, _) = try alice.exportBundle()
        _ = try bob.apply(file, source: "from-alice.gloss")
        #expect(throws: ReplicaError.notAuthor(note.id, author: "alice", action: "edit")) { try Actions(bob).requireEditable(note.id) }
        #expect(try Actions(alice).requireEditable(note.id).id == note.id)
    }

    /// Issue 25, item 6: a refusal code this version does not know (a newer server's) is kept
    /// as it came, through the replica's store and back, not turned into `invalid`.
    @Test func anUnknownRefusalCodeIsKeptAsItCame() throws {
        let alice = try home.replica("alice", user: "alice")
        _ = try alice.importReport(Self.report, source: "grain.txt")
        let note = try Actions(alice).annotate(report: Self.report.id, span: nil, comment: "n")
        let op = try #require(try alice.pendingBatch(after: 0, limit: 10).operations.first { $0.annotation == note.id })
        let code = Sync.Refusal.Code(rawValue: "from-a-newer-server")
        try alice.record(Sync.PushResponse(refused: [.init(op: op.id, code: code, reason: "a reason of the future")], serverTime: 0))
        let refused = try alice.refusedOperations()
        #expect(refused.map(\.code) == [code] && refused.map(\.code.rawValue) == ["from-a-newer-server"])
        #expect(try alice.refusedNote(note.id)?.refusals.map(\.code) == [code])
        #expect(!code.isTemporary)
    }

    /// The rules the CLI's reply and delete kept to themselves hold for every edge: a reply of
    /// white space sends nothing, and deleting a note the server refused (never shared) drops
    /// its refused changes instead of recording a delete.
    @Test func anEmptyReplySendsNothingAndDeletingARefusedNoteDropsIt() throws {
        let alice = try home.replica("alice", user: "alice")
        _ = try alice.importReport(Self.report, source: "grain.txt")
        let actions = Actions(alice)
        let note = try actions.annotate(report: Self.report.id, span: nil, comment: "n")
        let operations = try alice.counts().operations
        #expect(throws: ActionError.emptyReply) { try actions.reply(to: note.id, comment: " \n\t") }
        #expect(try alice.counts().operations == operations, "nothing recorded")

        let refused = try actions.annotate(report: Self.report.id, span: nil, comment: "refused")
        let op = try #require(try alice.pendingBatch(after: 0, limit: 10).operations.first { $0.annotation == refused.id })
        try alice.record(Sync.PushResponse(refused: [.init(op: op.id, code: .forgedAuthor, reason: "no")], serverTime: 0))
        guard case .droppedRefused = try actions.delete(refused.id) else { Issue.record("a delete was recorded"); return }
        #expect(try alice.refusedOperations().isEmpty)
        guard case let .deleted(deleted) = try actions.delete(note.id) else { Issue.record("not deleted"); return }
        #expect(deleted.deleted)
    }

    @Test func aConflictIsSettledByKeepingAVersionOrWritingANewOneAndNothingElseIsAConflict() throws {
        let laptop = try home.replica("laptop", user: "alice"), desktop = try home.replica("desktop", user: "alice")
        for r in [laptop, desktop] { _ = try r.importReport(Self.report, source: "grain.txt") }
        let note = try Actions(laptop).annotate(report: Self.report.id, span: .quote("café", occurrence: nil), comment: "first")
        try laptop.send(to: desktop)
        _ = try laptop.edit(note.id, body: "laptop's")
        _ = try desktop.edit(note.id, body: "desktop's")
        try laptop.send(to: desktop)
        try desktop.send(to: laptop)
        let actions = Actions(laptop)
        let conflicted = try laptop.annotation(note.id)
        #expect(try actions.conflicts().map(\.id) == [note.id])
        // A version the note does not have, and a note with no conflict, are refused; nothing is recorded.
        let log = try laptop.log().count
        #expect(throws: ActionError.noSuchVersion(note.id, version: 3, versions: 2)) { try actions.settleConflict(note.id, .keep(version: 3)) }
        #expect(throws: ActionError.noSuchVersion(note.id, version: 0, versions: 2)) { try actions.settleConflict(note.id, .keep(version: 0)) }
        let other = try actions.annotate(report: Self.report.id, span: nil, comment: "calm")
        #expect(throws: ActionError.noConflict(other.id)) { try actions.settleConflict(other.id, .replace(with: "x")) }
        #expect(try laptop.log().count == log + 1)
        // Keeping version 2, as listed, keeps its text; and the settlement reaches the other machine.
        let kept = try actions.settleConflict(note.id, .keep(version: 2))
        #expect(!kept.hasConflict && kept.body == conflicted.bodyVersions[1].text)
        try laptop.send(to: desktop)
        #expect(try desktop.annotation(note.id).body == kept.body && !(try desktop.annotation(note.id).hasConflict))
        #expect(try actions.conflicts().isEmpty)
    }

    /// `gloss import NEW --revises OLD` goes through ``Actions/importReport``: the link is written
    /// once (importing again links nothing more), never from a report to itself, and accepting
    /// a report no link stands on is refused with nothing recorded.
    @Test func importingARevisionLinksItOnceAndAcceptingNeedsALink() throws {
        let alice = try home.replica("alice", user: "alice")
        let actions = Actions(alice)
        let first = try actions.importReport(Self.report, source: "grain.txt", local: false, revises: nil)
        #expect(first.report.isNew && !first.linked)
        let revised = Report(title: "Grain corridor 🇺🇦 (2)", summary: "", sections: [
            .init(heading: "", paragraphs: ["Exports via 東京 rose 12%; the family café reopened."]),
        ])
        let linked = try actions.importReport(revised, source: "grain-2.txt", local: false, revises: Self.report.id)
        #expect(linked.report.isNew && linked.linked)
        #expect(try alice.revisedReport(of: revised.id) == Self.report.id)
        let log = try alice.log().count
        let again = try actions.importReport(revised, source: "grain-2.txt", local: false, revises: Self.report.id)
        #expect(!again.report.isNew && !again.linked)
        #expect(try !actions.importReport(Self.report, source: "grain.txt", local: false, revises: Self.report.id).linked)
        #expect(try alice.log().count == log)

        #expect(throws: ReplicaError.notARevision(Self.report.id)) { try actions.acceptRevision(of: Self.report.id) }
        #expect(try alice.log().count == log)
        let declined = try actions.declineRevision(of: revised.id)
        #expect(declined.revises == Self.report.id)
        #expect(try alice.revisedReport(of: revised.id) == nil)
        #expect(try actions.acceptRevision(of: revised.id).revises == Self.report.id)
        #expect(try alice.revisedReport(of: revised.id) == Self.report.id)
    }
}
