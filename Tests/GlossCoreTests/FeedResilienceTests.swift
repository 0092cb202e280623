import Foundation
import Testing
@testable import GlossCore

/// Issue 24, item 2: one push stopped the whole team's sync. Every string of an operation has
/// a bound where operations enter, and one bad item in the server's feed is skipped and named
/// instead of failing every page after it.
@Suite struct FeedResilienceTests {
    static let id = OperationID(replica: ReplicaID(rawValue: 0xB0B), counter: 1)

    /// bob's note on a quote whose context is `prefix`.
    static func note(prefix: String, suffix: String = "") -> GlossCore.Operation {
        let target = Target(quote: TextQuoteSelector(exact: "Most Dangerous", prefix: prefix, suffix: suffix),
                            position: TextPositionSelector(start: 10, end: 24))
        return GlossCore.Operation(id: id, hlc: HLC(wall: 1_764_000_000_000, logical: 0), author: "bob", workspace: "intel",
                                   annotation: AnnotationID(createdBy: id), isPrivate: false,
                                   change: .create(Creation(report: ReportID(sha256Of: "r"), target: target, motivation: .commenting, body: "x")))
    }

    @Test func aQuoteContextOverItsLimitIsRefusedWhereverOperationsEnter() throws {
        // The attack: a 7.9 MB prefix, under the 8 MiB request limit; only `exact` was bounded.
        let huge = String(repeating: "a", count: 7_900_000)
        #expect(throws: Operation.Invalid.fieldTooLarge("quote prefix")) { try Self.note(prefix: huge).validate() }
        #expect(throws: Operation.Invalid.fieldTooLarge("quote suffix")) { try Self.note(prefix: "", suffix: huge).validate() }
        // What Gloss writes (32 scalars of context) and a little more pass.
        try Self.note(prefix: String(repeating: "é", count: 32), suffix: String(repeating: "a", count: 1024)).validate()
        // The server's rules refuse it at the push.
        let policy = PushPolicy(workspace: "intel", user: "bob", role: .member, now: 1_764_000_000_000)
        let op = Self.note(prefix: huge)
        let verdicts = policy.decide([op], payloads: [JSONWriter.string(op)], claims: [], facts: .init()).verdicts
        guard case let .refused(refusal) = verdicts.first else { Issue.record("accepted: \(verdicts)"); return }
        #expect(refusal.reason.contains("quote prefix"), "\(refusal)")
        // And every other id an operation names is bounded too.
        var edit = Self.note(prefix: "")
        edit.annotation = AnnotationID(rawValue: String(repeating: "f", count: 100_000))
        edit.change = .setStatus(.resolved)
        #expect(throws: Operation.Invalid.fieldTooLarge("annotation id")) { try edit.validate() }
    }

    @Test func aPulledPageSkipsTheOperationItCannotReadAndKeepsTheRest() throws {
        let good = JSONWriter.string(Self.note(prefix: "ok"))
        let newer = good.replacingOccurrences(of: "\"kind\":\"create\"", with: "\"kind\":\"teleport\"")
            .replacingOccurrences(of: "-1\"", with: "-2\"")
        let page = JSONReaderTests.page([newer, good], cursor: 77, more: false)
        // Read whole, as before, the page is refused; read as `gloss sync` reads it, one item is skipped.
        #expect(throws: (any Error).self) { try Sync.PullResponse.read(page) }
        let read = try Sync.PullResponse.readSkippingUnreadable(page)
        #expect(read.operations == [Self.note(prefix: "ok")] && read.payloads == [good] && read.cursor == 77 && !read.more)
        #expect(read.unreadable.map(\.id) == ["0000000000000b0b-2"] && read.unreadable[0].kind == .operation)
        // A page that is not a page at all is still refused.
        #expect(throws: (any Error).self) { try Sync.PullResponse.readSkippingUnreadable(Data("{\"cursor\":1}".utf8)) }
    }

    @Test func aReportPageSkipsTheReportItCannotReadAndMovesItsCursorPastIt() throws {
        let report = Report(title: "Talks stall", summary: "", sections: [.init(heading: "", paragraphs: ["Talks stalled."])])
        let json = String(decoding: try JSON.encode(report), as: UTF8.self)
        let broken = "{\"id\":\"\(String(repeating: "c", count: 64))\",\"title\":7}"
        let page = Data("{\"reports\":[\(broken),\(json)],\"cursor\":12,\"more\":true}".utf8)
        let read = try Sync.ReportPage.read(page)
        #expect(read.reports == [report] && read.cursor == 12 && read.more)
        #expect(read.unreadable.count == 1 && read.unreadable[0].id == String(repeating: "c", count: 64) && read.unreadable[0].kind == .report)
    }

    @Test func skippedItemsAreCountedInTheSyncSummary() {
        var sync = SyncProtocol(cursor: 0, reportCursor: 0, push: false, pull: true, wait: 0, pushBatch: 10, pageSize: 10)
        let skipped = Sync.Skipped(kind: .operation, id: "0000000000000b0b-1", reason: "the quote prefix is over its size limit")
        guard case .pull = sync.next() else { Issue.record("a pull first"); return }
        sync.receive(.pulled(Sync.PullResponse(operations: [], cursor: 5, more: false)))
        guard case .apply = sync.next() else { Issue.record("then apply"); return }
        sync.receive(.applied(.init(applied: 0, skipped: [skipped])))
        guard case .pullReports = sync.next() else { Issue.record("then the reports"); return }
        sync.receive(.reportsStored(.init(new: 0, cursor: 0, more: false, skipped: [])))
        #expect(sync.summary.skipped == [skipped] && sync.summary.cursor == 5)
    }

    /// The server writes its feeds with the codec from the stored wire JSON: the very text
    /// `JSON.encoder()` gives the same answer, and what a client reads back.
    @Test func theFeedsAreWrittenByTheCodecAsTheEncoderWouldWriteThem() throws {
        let ops = [Self.note(prefix: "A “quoted” \\ context/"), Self.note(prefix: "é", suffix: "🇺🇦")]
        for (epoch, reports) in [("e-1", Int64(4)), (nil, nil)] as [(String?, Int64?)] {
            var answer = Sync.PullResponse(operations: ops, cursor: 42, more: true, epoch: epoch)
            answer.reports = reports
            let wire = Sync.PullResponse.wire(payloads: ops.map(JSONWriter.string), cursor: 42, more: true, epoch: epoch, reports: reports)
            #expect(String(decoding: wire, as: UTF8.self) == String(decoding: try JSON.encoder().encode(answer), as: UTF8.self))
            let read = try Sync.PullResponse.read(Data(wire))
            #expect(read.operations == ops && read.cursor == 42 && read.more && read.epoch == epoch && read.reports == reports)
        }
        let report = Report(title: "Rare earths", summary: "Export controls tighten.",
                                sections: [.init(heading: "What Happened", paragraphs: ["China restricted exports of gallium."])])
        let page = Sync.ReportPage(reports: [report], cursor: 7, more: false)
        let wire = Sync.ReportPage.wire(reports: [try JSON.string(report)], cursor: 7, more: false)
        #expect(String(decoding: wire, as: UTF8.self) == String(decoding: try JSON.encoder().encode(page), as: UTF8.self))
        #expect(try Sync.ReportPage.read(Data(wire)) == page)
    }
}
