import GlossCore
import Testing

/// What each operation did, in words (`gloss log`, `gloss show`'s history, `gloss sync --refused`),
/// and refused work gathered by note as its author wrote it.
@Suite struct ChangeWordsTests {
    static let report = ReportID(sha256Of: "report")
    static let revised = ReportID(sha256Of: "revised")

    func recorder(_ user: UserName, replica: UInt64) -> OperationRecorder {
        OperationRecorder(replica: ReplicaID(rawValue: replica), author: user, workspace: "intel", clock: HybridClock(), now: 1_000)
    }

    func target(_ quote: String, in source: ReportID? = nil) -> Target {
        Target(quote: TextQuoteSelector(exact: quote, prefix: "", suffix: ""), position: TextPositionSelector(start: 0, end: quote.count),
               source: source)
    }

    @Test func eachChangeSaysWhatItDidNotWhatTheNoteSaysNow() {
        let note = Creation(report: Self.report, target: target("Most Dangerous"), motivation: .commenting, body: "Escalation path",
                            tags: ["china"], judgment: Judgment(confidence: .high, likelihood: .likely))
        #expect(Change.create(note).words() == "noted “Most Dangerous”: Escalation path · #china · high confidence, likely")
        let reply = Creation(report: Self.report, target: nil, motivation: .replying, body: "Agreed", parent: AnnotationID(rawValue: "ab"))
        #expect(Change.create(reply).words() == "replied: Agreed")
        let highlight = Creation(report: Self.report, target: target("Big Picture"), motivation: .highlighting, body: "", visibility: .private)
        #expect(Change.create(highlight).words() == "highlighted “Big Picture” · private")
        #expect(Change.editBody(text: "Escalation path if retaliation follows", seen: []).words()
                == "set the text: Escalation path if retaliation follows")
        #expect(Change.addTag("supply-chain").words() == "tagged #supply-chain")
        #expect(Change.removeTag("supply-chain", observed: []).words() == "removed tag #supply-chain")
        #expect(Change.setStatus(.resolved).words() == "resolved")
        #expect(Change.setStatus(.open).words() == "reopened")
        #expect(Change.judge(Judgment(likelihood: .veryUnlikely)).words() == "judged: very unlikely")
        #expect(Change.retarget(target("Most Likely", in: Self.revised)).words() == "moved to “Most Likely” in report \(Self.revised.short)")
        #expect(Change.delete.words() == "deleted")
    }

    @Test func onlyTheAnalystsAndTheReportsTextIsClipped() {
        let clip = { (text: String) in String(text.prefix(5)) + "…" }
        #expect(Change.editBody(text: "a long comment", seen: []).words(clip: clip) == "set the text: a lon…")
        #expect(Change.addTag("supply-chain").words(clip: clip) == "tagged #supply-chain")
    }

    @Test func refusedWorkIsGatheredByNoteAsItsAuthorWroteIt() {
        var carol = recorder("carol", replica: 3), alice = recorder("alice", replica: 1)
        // A note the team never had: refused whole, shown as written.
        let create = carol.record(.create(Creation(report: Self.report, target: target("Big Picture"), motivation: .commenting,
                                                   body: "carol was here")), isPrivate: false)
        let tag = carol.record(.addTag("watch"), on: create.annotation, isPrivate: false)
        // A note the team has: only carol's tag on it was refused.
        let shared = alice.record(.create(Creation(report: Self.report, target: nil, motivation: .commenting, body: "alice's")), isPrivate: false)
        var team = AnnotationState(id: shared.annotation)
        team.merge(shared)
        let refusedTag = carol.record(.addTag("doubt"), on: shared.annotation, isPrivate: false)
        let refusals = [tag, refusedTag, create].map { RefusedNote.Refusal(operation: $0, code: .readOnly, reason: "carol is a reader") }
        let notes = RefusedNote.gather(refusals) { $0 == shared.annotation ? team : nil }
        #expect(notes.map(\.id) == [create.annotation, shared.annotation])
        #expect(notes[0].shared == false && notes[0].annotation?.body == "carol was here" && notes[0].annotation?.tags == ["watch"])
        #expect(notes[0].refusals.map(\.operation.id) == [create.id, tag.id], "oldest first")
        #expect(notes[0].refusals.map(\.change) == ["noted “Big Picture”: carol was here", "tagged #watch"])
        #expect(notes[0].reason == "read-only: carol is a reader")
        #expect(notes[1].shared && notes[1].annotation?.body == "alice's" && notes[1].annotation?.tags == ["doubt"])
    }
}
