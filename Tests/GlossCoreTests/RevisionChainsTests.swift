import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// Which version a note is shown on (``RevisionChains``), and a revised report in the brief and
/// in the judged passages, without a replica.
@Suite struct RevisionChainsTests {
    typealias T = ExportTests

    static let old = Report(title: "Talks stall", summary: "", sections: [
        .init(heading: "", paragraphs: ["Talks stalled on licensing. Another round is likely in spring."]),
    ])
    static let new = Report(title: "Talks stall (updated)", summary: "", sections: [
        .init(heading: "", paragraphs: ["On Monday talks stalled on licensing. Another round (60%) is likely in spring."]),
    ])

    /// A link from `newer` to `earlier`, made at minute `n`.
    static func link(_ n: Int, _ newer: Report, revises earlier: Report, deleted: Bool = false, by author: UserName = "alice") throws -> Annotation {
        var link = try T.annotation(n, author: author, motivation: .linking, body: "Revises", deleted: deleted, report: newer)
        link.revises = earlier.id
        return link
    }

    /// A note made on `report` at `quote`, settled in `settled` at `at` when given.
    static func note(_ n: Int, _ quote: String, on report: Report, author: UserName = "alice", judgment: Judgment? = nil,
                     settledIn settled: Report? = nil, at: String? = nil) throws -> Annotation {
        var note = try T.annotation(n, author: author, quote: quote, body: "note \(n)", judgment: judgment, report: report)
        if let settled, let at {
            note.target = try TextAnchor(text: settled.text).target(quote: at, occurrence: nil)
            note.target?.source = settled.id
        }
        return note
    }

    @Test func theLatestStandingLinkCountsAndEachVersionIsShownOnItsLatest() throws {
        let third = Report(title: "Third", summary: "", sections: [.init(heading: "", paragraphs: ["x"])])
        let chains = RevisionChains(links: [try Self.link(1, Self.new, revises: Self.old), try Self.link(2, third, revises: Self.new),
                                            try Self.link(3, third, revises: Self.old, deleted: true)])
        #expect(chains.earlierVersions(of: third.id) == [Self.new.id, Self.old.id])
        #expect(chains.latestVersions == [third.id])
        #expect(chains.latestVersion(of: Self.old.id) == third.id && chains.isRevised(Self.new.id) && !chains.isRevised(third.id))
        #expect(chains.revision(of: Self.old.id)?.report == Self.new.id, "named by the version that revises it directly")
        let note = try Self.note(4, "licensing", on: Self.old)
        #expect(chains.report(showing: note) == third.id)
        let unrelated = ReportID(sha256Of: "unrelated")
        #expect(chains.latestVersion(of: unrelated) == unrelated)
    }

    /// Issue 24, item 3: an analyst declines a link for herself. For her the newer report no
    /// longer revises the one it names, however often it is claimed, and the notes stay on
    /// the version she trusts; another link of the same report still counts.
    @Test func aDeclinedLinkIsPassedOverAndTheNotesStayOnTheOldVersion() throws {
        let other = Report(title: "Other", summary: "", sections: [.init(heading: "", paragraphs: ["Talks stalled on licensing."])])
        let links = [try Self.link(1, Self.new, revises: other), try Self.link(2, Self.new, revises: Self.old),
                     try Self.link(3, Self.new, revises: Self.old)]
        let declined = RevisionChains(links: links, declined: [Self.new.id: Self.old.id])
        #expect(declined.revisedReport(of: Self.new.id) == other.id, "the link she did not decline stands")
        #expect(!declined.isRevised(Self.old.id))
        let note = try Self.note(4, "licensing", on: Self.old)
        #expect(declined.report(showing: note) == Self.old.id)
        let onOld = declined.notes(shownOn: Self.old, own: [note], earlier: [])
        #expect(onOld.map(\.id) == [note.id] && onOld[0].target == note.target && onOld[0].reanchor == nil)
        // Without her decline, the note goes with the latest link.
        #expect(RevisionChains(links: links).report(showing: note) == Self.new.id)
    }

    @Test func aNoteSettledInTheNewVersionShowsThereAndNoLongerOnTheOld() throws {
        let chains = RevisionChains(links: [try Self.link(1, Self.new, revises: Self.old)])
        let settled = try Self.note(2, "Another round is likely", on: Self.old, settledIn: Self.new, at: "Another round (60%) is likely")
        let kept = try Self.note(3, "stalled on licensing", on: Self.old)
        // The old version: the settled note is not listed again as a note on the whole report.
        let onOld = chains.notes(shownOn: Self.old, own: [settled, kept], earlier: [])
        #expect(onOld.map(\.id) == [kept.id])
        // The new version: both, the settled one where it was put, the other carried.
        let onNew = chains.notes(shownOn: Self.new, own: [], earlier: [.init(id: Self.old.id, text: Self.old.text, notes: [settled, kept])])
        let placed = try #require(onNew.first { $0.id == settled.id })
        #expect(placed.report == Self.new.id && placed.target?.quote.exact == "Another round (60%) is likely" && placed.reanchor == nil)
        let carried = try #require(onNew.first { $0.id == kept.id })
        #expect(carried.target?.quote.exact == "stalled on licensing" && carried.reanchor?.status == .exact)
    }

    @Test func aNoteAwaitingReviewJudgesItsProposedPassage() throws {
        // alice settled hers; bob's, on the same passage, still awaits review: they stay side by side.
        var bobs = try Self.note(1, "Another round (60%) is likely", on: Self.new, author: "bob", judgment: Judgment(likelihood: .unlikely))
        let proposal = bobs.target
        bobs.target = nil
        bobs.reanchor = Reanchored(status: .review, from: Self.old.id, reason: "a number in the quote changed", proposal: proposal)
        let alices = try Self.note(2, "Another round (60%) is likely", on: Self.new, judgment: Judgment(likelihood: .likely))
        let passages = JudgedPassage.passages(of: [bobs, alices])
        #expect(passages.count == 1 && passages[0].range != nil && passages[0].disagreement?.kind == .likelihood)
    }

    @Test func theBriefShowsTheLatestVersionAndNamesTheOldOneAsRevised() throws {
        let link = try Self.link(1, Self.new, revises: Self.old)
        let settled = try Self.note(2, "Another round is likely", on: Self.old, settledIn: Self.new, at: "Another round (60%) is likely")
        let kept = try Self.note(3, "stalled on licensing", on: Self.old)
        let input = ExportInput(reports: [Self.old, Self.new], annotations: [link, settled, kept])
        let md = MarkdownExport.render(input)
        #expect(!md.contains("quote no longer found") && !md.contains("## 2."), "\(md)")
        #expect(md.contains("## 1. Talks stall (updated)"), "\(md)")
        #expect(md.contains("**Another round (60%) is likely**") && md.contains("**stalled on licensing**"), "\(md)")
        #expect(md.contains("_Earlier version “Talks stall” (\(Self.old.id.short)), revised by “Talks stall (updated)”, 2025-11-29 02:41 UTC: its notes are carried into this version._"), "\(md)")
        #expect(md.contains("1. [Talks stall (updated)](#1-talks-stall-updated) — 2 notes\n    - Earlier version"), "\(md)")
        let html = HTMLExport.render(input)
        #expect(html.contains("<p class=\"revised\">Earlier version “Talks stall” (\(Self.old.id.short)), revised by “Talks stall (updated)”"), "\(html)")
        #expect(!html.contains("quote no longer found"))
    }

    // MARK: Issue 24, item 5: a teammate's revision claim

    static let doctored = Report(title: "Talks stall (updated)", summary: "", sections: [
        .init(heading: "", paragraphs: ["On Monday talks stalled on licensing. Another round is not likely in spring."]),
    ])

    /// bob claims his doctored copy revises the report alice annotated. For her his claim is
    /// marked wherever it shows: on the version, and on every note carried across it (exact
    /// ones too), until she accepts it; accepting takes the mark away.
    @Test func notesCarriedAcrossATeammatesClaimAreMarkedUntilSheAcceptsIt() throws {
        let claim = try Self.link(1, Self.doctored, revises: Self.old, by: "bob")
        let note = try Self.note(2, "stalled on licensing", on: Self.old)
        let whole = try T.annotation(3, body: "whole-report note", report: Self.old)
        let earlier = [RevisionChains.Version(id: Self.old.id, text: Self.old.text, notes: [note, whole])]

        let alice = RevisionChains(links: [claim], viewer: "alice")
        #expect(alice.unconfirmedClaim(of: Self.doctored.id)?.id == claim.id)
        let shown = alice.notes(shownOn: Self.doctored, own: [], earlier: earlier)
        #expect(shown.count == 2)
        for carried in shown {
            #expect(carried.reanchor?.claim == RevisionClaim(claim), "\(carried.body) is marked with bob's claim")
        }
        #expect(shown.first { $0.id == note.id }?.reanchor?.status == .exact, "the mark does not hide where it landed")
        #expect(ReportRenderer.reanchorMark(shown[0])?.contains("bob’s claim") == true)

        // bob's own view: his link, no mark.
        let bob = RevisionChains(links: [claim], viewer: "bob")
        #expect(bob.unconfirmedClaim(of: Self.doctored.id) == nil)
        #expect(bob.notes(shownOn: Self.doctored, own: [], earlier: earlier).allSatisfy { $0.reanchor?.claim == nil })

        // Once she accepts it, nothing is marked for her.
        let accepted = RevisionChains(links: [claim], viewer: "alice", accepted: [Self.doctored.id: claim.id])
        #expect(accepted.unconfirmedClaim(of: Self.doctored.id) == nil)
        #expect(accepted.notes(shownOn: Self.doctored, own: [], earlier: earlier).allSatisfy { $0.reanchor?.claim == nil })

        // A brief made from an export has no viewer: nothing to mark.
        #expect(RevisionChains(links: [claim]).unconfirmedClaim(of: Self.doctored.id) == nil)
    }

    /// A link war: alice links her revision; bob re-points the same report at another one, and
    /// claims his doctored copy revises alice's report. For alice nothing changes; carol, who
    /// accepted alice's link, keeps it too; dave, who decided nothing, sees the latest claim,
    /// marked. Nobody's choice rewrites another's view.
    @Test func aLinkWarEndsWithEachAnalystsOwnChoice() throws {
        let other = Report(title: "Other", summary: "", sections: [.init(heading: "", paragraphs: ["Unrelated text."])])
        let alices = try Self.link(1, Self.new, revises: Self.old, by: "alice")
        let repointed = try Self.link(2, Self.new, revises: other, by: "bob")
        let hijack = try Self.link(3, Self.doctored, revises: Self.old, by: "bob")
        let links = [alices, repointed, hijack]
        let note = try Self.note(4, "licensing", on: Self.old)

        let alice = RevisionChains(links: links, viewer: "alice")
        #expect(alice.revisedReport(of: Self.new.id) == Self.old.id, "her own link counts for her")
        #expect(alice.report(showing: note) == Self.new.id, "her notes stay on the version she linked, not bob's copy")
        let carol = RevisionChains(links: links, viewer: "carol", accepted: [Self.new.id: alices.id])
        #expect(carol.revisedReport(of: Self.new.id) == Self.old.id && carol.unconfirmedClaim(of: Self.new.id) == nil)
        let dave = RevisionChains(links: links, viewer: "dave")
        #expect(dave.revisedReport(of: Self.new.id) == other.id && dave.unconfirmedClaim(of: Self.new.id)?.id == repointed.id)
        // bob's view is his own latest links.
        let bob = RevisionChains(links: links, viewer: "bob")
        #expect(bob.revisedReport(of: Self.new.id) == other.id && bob.unconfirmedClaim(of: Self.new.id) == nil)
    }

    /// For any set of links by several analysts, in any order: the viewer's own latest link of
    /// a report counts for her and is confirmed; a link she accepted counts while it stands
    /// unless she made one; a link nobody made or accepted is never confirmed; and the order
    /// the links arrive in changes nothing.
    @Test func propertyEachAnalystDecidesForHerself() throws {
        let seed = SeededRandom.seed()
        print("RevisionChainsTests.propertyEachAnalystDecidesForHerself seed \(seed) (GLOSS_SEED=\(seed) replays it)")
        var rng = SeededRandom(seed: seed)
        let reports = (0..<4).map { i in Report(title: "R\(i)", summary: "", sections: [.init(heading: "", paragraphs: ["text \(i)"])]) }
        let people: [UserName] = ["alice", "bob", "carol"]
        for round in 0..<300 {
            var links: [Annotation] = []
            for n in 0..<rng.int(in: 1..<9) {
                let newer = rng.int(in: 0..<4), earlier = rng.int(in: 0..<4)
                links.append(try Self.link(round * 10 + n, reports[newer], revises: reports[earlier],
                                           deleted: rng.int(in: 0..<6) == 0, by: people[rng.int(in: 0..<3)]))
            }
            let viewer = people[rng.int(in: 0..<3)]
            var accepted: [ReportID: AnnotationID] = [:]
            if let pick = links.randomElement(using: &rng) { accepted[pick.report] = pick.id }
            let chains = RevisionChains(links: links, viewer: viewer, accepted: accepted)
            let context = "seed \(seed) round \(round) viewer \(viewer)"
            var shuffled = links
            shuffled.shuffle(using: &rng)
            #expect(RevisionChains(links: shuffled, viewer: viewer, accepted: accepted) == chains, "\(context): order changed the view")
            let standing = links.filter { !$0.deleted && $0.revises != $0.report }
            for report in Set(standing.map(\.report)) {
                let candidates = standing.filter { $0.report == report }
                let counted = try #require(chains.links[report], "\(context)")
                if let own = candidates.filter({ $0.author == viewer }).max(by: { ($0.created, $0.id) < ($1.created, $1.id) }) {
                    #expect(counted.id == own.id && chains.unconfirmedClaim(of: report) == nil, "\(context): her own link counts")
                } else if let pick = accepted[report], candidates.contains(where: { $0.id == pick }) {
                    #expect(counted.id == pick && chains.unconfirmedClaim(of: report) == nil, "\(context): her accepted link counts")
                } else {
                    #expect(chains.unconfirmedClaim(of: report)?.id == counted.id, "\(context): a claim she did not decide on is marked")
                }
            }
        }
    }
}
