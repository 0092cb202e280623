import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// The sync's decisions, driven by hand: no replica, no server. A fake replica and server
/// answer each step; the summary, the cursor and what was sent are what an analyst sees.
@Suite struct SyncProtocolTests {
    static let replica = ReplicaID(rawValue: 0xA11CE)
    static let report = ReportID(sha256Of: "report")

    static func op(_ counter: UInt64, creates: Bool = false) -> GlossCore.Operation {
        let id = OperationID(replica: replica, counter: counter)
        let change: Change = creates
            ? .create(Creation(report: report, target: nil, motivation: .commenting, body: "note \(counter)"))
            : .addTag("t\(counter)")
        return GlossCore.Operation(id: id, hlc: HLC(wall: Int64(counter)), author: "alice", workspace: "intel",
                                   annotation: AnnotationID(createdBy: OperationID(replica: replica, counter: 1)), isPrivate: false, change: change)
    }

    /// A replica's pending log and a server's pages, answering steps as the real ones would.
    struct World {
        var pending: [(seq: Int64, op: GlossCore.Operation)]
        var unuploaded: Set<ReportID>
        var uploadAllowed = true
        /// The server's pages, by the cursor they follow.
        var pages: [Int64: Sync.PullResponse] = [:]
        /// The server's pages of reports, by the cursor they follow.
        var reportPages: [Int64: SyncProtocol.ReportsStored] = [:]
        var pushed: [[OperationID]] = []
        var uploaded: [ReportID] = []
        var steps: [String] = []

        mutating func run(_ sync: inout SyncProtocol) -> SyncProtocol.Summary {
            while true {
                let step = sync.next()
                switch step {
                case .findUnsentReports:
                    steps.append("unsent")
                    sync.receive(.unsent(unuploaded.sorted()))
                case let .readPending(after, limit):
                    steps.append("read")
                    let batch = Array(pending.filter { $0.seq > after }.prefix(limit))
                    var reports = Set<ReportID>()
                    for (_, op) in batch { if case let .create(c) = op.change, unuploaded.contains(c.report) { reports.insert(c.report) } }
                    sync.receive(.pending(.init(operations: batch.map(\.op), lastSeq: batch.last?.seq ?? after,
                                                replica: SyncProtocolTests.replica, reports: reports.sorted())))
                case let .upload(id):
                    steps.append("upload")
                    if uploadAllowed { unuploaded.remove(id); uploaded.append(id) }
                    sync.receive(.uploaded(id, allowed: uploadAllowed))
                case let .push(request):
                    steps.append("push \(request.operations.count)")
                    pushed.append(request.operations.map(\.id))
                    let ids = Set(request.operations.map(\.id))
                    pending.removeAll { ids.contains($0.op.id) }
                    sync.receive(.pushed(.init(accepted: request.operations.map(\.id), serverTime: 0)))
                case let .pull(after, _, wait):
                    steps.append("pull \(after)" + (wait > 0 ? " wait \(wait)" : ""))
                    sync.receive(.pulled(pages[after] ?? .init(operations: [], cursor: after, more: false)))
                case let .apply(page, next):
                    steps.append("apply" + (next.map { " then \($0.after)" } ?? ""))
                    sync.receive(.applied(.init(applied: page.operations.count)))
                case let .pullReports(after, _):
                    steps.append("reports \(after)")
                    sync.receive(.reportsStored(reportPages[after] ?? .init(new: 0, cursor: after, more: false)))
                case let .finished(summary):
                    return summary
                }
            }
        }
    }

    @Test func aSyncSendsReportsPushesInBatchesThenPullsEveryPageOfOperationsAndReports() {
        // Given five pending operations, the first a create on a report the server lacks,
        // an unannotated report the server lacks too, two pages on the server, and two pages
        // of teammates' reports (three new here)
        let ops = (1...5).map { Self.op(UInt64($0), creates: $0 == 1) }
        let idle = ReportID(sha256Of: "idle")
        var world = World(pending: ops.enumerated().map { (Int64($0.offset + 10), $0.element) }, unuploaded: [Self.report, idle])
        world.pages[7] = .init(operations: [Self.op(20)], cursor: 9, more: true)
        world.pages[9] = .init(operations: [Self.op(21), Self.op(22)], cursor: 12, more: false)
        world.reportPages[4] = .init(new: 2, cursor: 6, more: true)
        world.reportPages[6] = .init(new: 1, cursor: 7, more: false)
        // When a sync runs with batches of two, from cursor 7 and report cursor 4
        var sync = SyncProtocol(cursor: 7, reportCursor: 4, pushBatch: 2, pageSize: 2)
        let summary = world.run(&sync)
        // Then every unsent report goes up first, annotated or not; every operation once, in
        // order; then the operations' pages, then the reports' pages
        #expect(world.steps == ["unsent", "upload", "upload", "read", "push 2", "read", "push 2", "read", "push 1", "read",
                                "pull 7", "apply then 9", "pull 9", "apply", "reports 4", "reports 6"])
        #expect(world.pushed.flatMap { $0 } == ops.map(\.id))
        // And the summary says what happened, ending at the last page's cursor
        #expect(summary.sent == 5 && summary.accepted == 5 && summary.reportsSent == 2)
        #expect(summary.received == 3 && summary.cursor == 12 && summary.reportsReceived == 3)
    }

    @Test func aReaderWhoMayNotUploadStillPushesAndPulls() {
        var world = World(pending: [(1, Self.op(1, creates: true))], unuploaded: [Self.report])
        world.uploadAllowed = false
        var sync = SyncProtocol(cursor: 0)
        let summary = world.run(&sync)
        // The push still goes (the server refuses its operations with their own reason)
        #expect(world.steps == ["unsent", "upload", "read", "upload", "push 1", "read", "pull 0", "apply", "reports 0"])
        #expect(summary.reportsSent == 0 && summary.sent == 1)
    }

    @Test func watchingWaitsOnlyOnTheFirstPullAndPushOnlyOrPullOnlySyncsDoHalf() {
        var world = World(pending: [], unuploaded: [])
        world.pages[0] = .init(operations: [Self.op(1)], cursor: 1, more: true)
        var watching = SyncProtocol(cursor: 0, wait: 20)
        _ = world.run(&watching)
        #expect(world.steps == ["unsent", "read", "pull 0 wait 20", "apply then 1", "pull 1", "apply", "reports 0"])

        var pushOnly = World(pending: [(1, Self.op(1))], unuploaded: [])
        var sync = SyncProtocol(cursor: 0, pull: false)
        #expect(pushOnly.run(&sync).sent == 1)
        #expect(pushOnly.steps == ["unsent", "read", "push 1", "read"])

        var pullOnly = World(pending: [(1, Self.op(1))], unuploaded: [])
        var pulling = SyncProtocol(cursor: 0, push: false)
        _ = pullOnly.run(&pulling)
        #expect(pullOnly.steps == ["pull 0", "apply", "reports 0"] && pullOnly.pushed.isEmpty)
    }

    @Test func anySyncSendsEachPendingOperationOnceAndEndsAtTheLastCursor() {
        let seed = SeededRandom.seed()
        print("SyncProtocolTests seed \(seed) (replay with GLOSS_SEED=\(seed))")
        var rng = SeededRandom(seed: seed)
        for round in 0..<200 {
            let count = rng.int(in: 0..<30)
            let ops = (0..<count).map { Self.op(UInt64($0 + 1), creates: rng.next() % 5 == 0) }
            var world = World(pending: ops.enumerated().map { (Int64($0.offset * 2 + 1), $0.element) },
                              unuploaded: rng.next() % 2 == 0 ? [Self.report] : [])
            var cursor = Int64(rng.int(in: 0..<100))
            let start = cursor
            var received = 0
            for _ in 0..<rng.int(in: 0..<5) {
                let n = rng.int(in: 0..<4)
                let next = cursor + Int64(n) + Int64(rng.int(in: 0..<3))
                world.pages[cursor] = .init(operations: (0..<n).map { Self.op(UInt64(100 + $0)) }, cursor: next, more: true)
                received += n
                cursor = next
            }
            world.pages[cursor] = .init(operations: [], cursor: cursor, more: false)
            var sync = SyncProtocol(cursor: start, pushBatch: 1 + rng.int(in: 0..<6), pageSize: 1 + rng.int(in: 0..<6))
            let summary = world.run(&sync)
            #expect(world.pushed.flatMap { $0 } == ops.map(\.id), "seed \(seed), round \(round)")
            #expect(summary.sent == count && summary.received == received && summary.cursor == cursor, "seed \(seed), round \(round)")
        }
    }
}

/// The pull cursor's rule, without a server: hidden operations move the cursor but not into
/// the page, and a page stops at its limit, its bytes or its bound on rows looked at.
@Suite struct PullPagerTests {
    @Test func aRunOfSomeoneElsesPrivateNotesMovesTheCursorWithoutStallingThePull() {
        var page = PullPager(user: "bob", after: 10, limit: 3)
        let rows: [(Int64, UserName, Bool)] = [(11, "alice", true), (12, "alice", true), (13, "alice", false), (14, "bob", true),
                                             (15, "carol", false), (16, "dave", false)]
        for (seq, author, isPrivate) in rows where page.wantsMore {
            page.offer(seq: seq, author: author, isPrivate: isPrivate, payload: "op\(seq)")
        }
        // bob gets alice's shared note, his own private one and carol's; the page ends at 15
        #expect(page.payloads == ["op13", "op14", "op15"] && page.cursor == 15)
        // and a page of nothing but hidden rows still moves on, bounded
        var hidden = PullPager(user: "bob", after: 0, limit: 1)
        var seq: Int64 = 0
        while hidden.wantsMore, seq < 1_000_000 {
            seq += 1
            hidden.offer(seq: seq, author: "alice", isPrivate: true, payload: "x")
        }
        #expect(hidden.payloads.isEmpty && hidden.cursor == Int64(hidden.maxScanned))
    }

    @Test func aPageStopsAtItsBytes() {
        var page = PullPager(user: "bob", after: 0, limit: 100, maxBytes: 10)
        var seq: Int64 = 0
        while page.wantsMore {
            seq += 1
            page.offer(seq: seq, author: "alice", isPrivate: false, payload: "1234")
        }
        #expect(page.payloads.count == 3 && page.cursor == 3)
    }

    /// One request fewer per sync (issue 27): when the last pull page says the report feed's
    /// head and this replica's report cursor is there, the feed is not asked; when it is past
    /// it, or a server does not say, it is.
    @Test func theReportFeedIsAskedOnlyWhenThePullSaysItHasMore() {
        for (head, cursor, asks) in [(Int64?.some(7), Int64(7), false), (7, 9, false), (8, 7, true), (nil, 7, true)] {
            var sync = SyncProtocol(cursor: 0, reportCursor: cursor, push: false, pull: true)
            guard case .pull = sync.next() else { Issue.record("no pull first"); return }
            var page = Sync.PullResponse(operations: [], cursor: 0, more: false)
            page.reports = head
            sync.receive(.pulled(page))
            guard case .apply = sync.next() else { Issue.record("no apply"); return }
            sync.receive(.applied(.init(applied: 0)))
            let next = sync.next()
            if case .pullReports = next { #expect(asks, "head \(String(describing: head)), cursor \(cursor)") } else {
                #expect(!asks, "head \(String(describing: head)), cursor \(cursor): \(next)")
            }
        }
    }
}
