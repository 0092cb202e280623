import Foundation
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
    static func link(_ n: Int, _ newer: Report, revises earlier: Report, deleted: Bool = false) throws -> Annotation {
        var link = try T.annotation(n, motivation: .linking, body: "Revises", deleted: deleted, report: newer)
        link.revises = earlier.id
        return link
    }

    /// A note made on `report` at `quote`, settled in `settled` at `at` when given.
    static func note(_ n: Int, _ quote: String, on report: Report, author: String = "alice", judgment: Judgment? = nil,
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
}
