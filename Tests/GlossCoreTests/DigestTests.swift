import Testing
@testable import GlossCore

/// What a digest says to an analyst about what arrived.
@Suite struct DigestTests {
    typealias E = ExportTests
    static let report = E.report.id

    static func op(_ n: UInt64, _ author: UserName, _ annotation: Annotation, _ change: Change) -> GlossCore.Operation {
        GlossCore.Operation(id: OperationID(replica: ReplicaID(rawValue: 9), counter: n), hlc: HLC(wall: Int64(n)), author: author,
                            workspace: "intel", annotation: annotation.id, isPrivate: false, change: change)
    }

    static func create(_ note: Annotation) -> Change {
        .create(Creation(report: note.report, target: note.target, motivation: note.motivation, body: note.body, parent: note.parent))
    }

    @Test func aDigestNamesNewNotesRepliesResolutionsAndConflictsThatConcernYou() throws {
        let mine = try E.annotation(1, author: "alice", quote: "Talks in Genève", body: "Check the delegation")
        let bobsNote = try E.annotation(2, author: "bob", quote: "Another round", body: "Spring seems late\nsecond line")
        let reply = try E.annotation(3, author: "carol", body: "Agreed", parent: 1)
        let replyToBob = try E.annotation(4, author: "dave", body: "not for alice", parent: 2)
        var resolved = mine
        resolved.status = .resolved
        let conflicted = try E.annotation(5, author: "alice", body: "v2", versions: ["v2", "v1"])
        let facts = Digest.Facts(
            user: "alice",
            arrivals: [Self.op(1, "bob", bobsNote, Self.create(bobsNote)), Self.op(2, "carol", reply, Self.create(reply)),
                       Self.op(3, "dave", replyToBob, Self.create(replyToBob)), Self.op(4, "bob", resolved, .setStatus(.resolved)),
                       Self.op(5, "alice", conflicted, .editBody(text: "v2", seen: []))],
            annotations: [mine.id: resolved, bobsNote.id: bobsNote, reply.id: reply, replyToBob.id: replyToBob, conflicted.id: conflicted],
            annotatedReports: [Self.report], reportTitles: [Self.report: "Geneva talks stall"],
            newReports: [.init(id: ReportID(sha256Of: "x"), title: "New brief")])
        let digest = Digest(facts)
        #expect(digest.items.map(\.kind) == [.note, .reply, .resolved, .edit, .conflict])
        #expect(digest.items[0].author == "bob" && digest.items[0].snippet == "Spring seems late")
        #expect(digest.items[0].reportTitle == "Geneva talks stall")
        #expect(digest.items[2].annotation == mine.id && digest.items[2].author == "bob")
        #expect(digest.reports.map(\.title) == ["New brief"])
    }

    @Test func notesOnReportsYouNeverAnnotatedDeletedNotesAndYourOwnChangesAreLeftOut() throws {
        let bobsNote = try E.annotation(2, author: "bob", quote: "Another round", body: "elsewhere")
        let deleted = try E.annotation(3, author: "bob", body: "gone", deleted: true)
        let facts = Digest.Facts(user: "alice", arrivals: [Self.op(1, "bob", bobsNote, Self.create(bobsNote)),
                                                           Self.op(2, "bob", deleted, Self.create(deleted))],
                                 annotations: [bobsNote.id: bobsNote, deleted.id: deleted], annotatedReports: [],
                                 reportTitles: [:], newReports: [])
        #expect(Digest(facts).isEmpty)
    }

    /// A first sync of a long history: the digest names the first of each kind and counts the
    /// rest, whether it was built at once or a page at a time.
    @Test func aDigestOfThousandsNamesTheFirstAndCountsTheRest() throws {
        let notes = try (1...(Digest.shownPerKind * 3)).map { n in
            try E.annotation(n, author: "bob", quote: "Another round", body: "note \(n)")
        }
        let arrivals = notes.enumerated().map { Self.op(UInt64($0.offset + 1), "bob", $0.element, Self.create($0.element)) }
        let annotations = Dictionary(uniqueKeysWithValues: notes.map { ($0.id, $0) })
        let reports = (0..<120).map { Digest.NewReport(id: ReportID(sha256Of: "\($0)"), title: "brief \($0)") }
        let digest = Digest(.init(user: "alice", arrivals: arrivals + arrivals, annotations: annotations,
                                  annotatedReports: [Self.report], reportTitles: [:], newReports: reports))
        #expect(digest.count(.note) == notes.count, "each note counted once, however often it arrived")
        #expect(digest.shown(.note).map(\.snippet) == notes.prefix(Digest.shownPerKind).map(\.body))
        #expect(digest.reportTotal == 120 && digest.reports.count == Digest.shownPerKind)

        var builder = Digest.Builder(user: "alice")
        for page in stride(from: 0, to: arrivals.count, by: 7) {
            for op in arrivals[page..<min(page + 7, arrivals.count)] {
                builder.add(op, annotations: annotations, annotatedReports: [Self.report], reportTitles: [:])
            }
        }
        #expect(builder.digest(newReports: Array(reports.prefix(Digest.shownPerKind)), reportTotal: 120) == digest)
    }
}
