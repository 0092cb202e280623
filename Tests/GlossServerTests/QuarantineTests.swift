import Foundation
import GlossCore
import GlossTestSupport
import Testing
@testable import gloss_server

/// Issue 24, item 2: an admin takes a poisoned operation or report out of a workspace
/// (`gloss-server quarantine`), on both stores: it is never served again, pulls move past it,
/// and what was taken out is recorded.
@Suite struct QuarantineTests {
    @Test(arguments: TestPostgres.Kind.allCases) func aQuarantinedOperationIsPassedOverByEveryPull(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let ops = (1...3).map { Fixture.create("alice", replica: 1, counter: UInt64($0)) }
        try await fixture.sync.importOperations(ops, workspace: "intel")
        let record = try await fixture.sync.quarantine(.operation(ops[2].id), in: "intel", reason: "7.9 MB quote prefix", now: 5)
        #expect(record == QuarantineRecord(kind: .operation, item: ops[2].id.description, reason: "7.9 MB quote prefix", at: 5))
        _ = try await fixture.sync.quarantine(.operation(ops[1].id), in: "intel", reason: "r", now: 6)
        // A first pull gets the one left, and its cursor moves past the last (so no pull loops on it).
        let page = try await fixture.sync.pull(workspace: "intel", user: "bob", after: 0, limit: 100, maxBytes: 1 << 20)
        #expect(page.payloads.count == 1 && page.payloads[0] == JSONWriter.string(ops[0]))
        #expect(page.cursor == page.head && !page.more)
        // Recorded, and once only.
        #expect(try await fixture.sync.quarantined(in: "intel").map(\.item) == [ops[2].id.description, ops[1].id.description])
        await #expect(throws: StoreError.self) { try await fixture.sync.quarantine(.operation(ops[2].id), in: "intel", reason: "r", now: 7) }
        let missing = OperationID(replica: ops[0].id.replica, counter: 99)
        await #expect(throws: StoreError.self) { try await fixture.sync.quarantine(.operation(missing), in: "intel", reason: "r", now: 7) }
        await #expect(throws: StoreError.self) { try await fixture.sync.quarantine(.operation(ops[0].id), in: "other", reason: "r", now: 7) }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func aQuarantinedReportIsLeftOutOfPagesAndAnswers(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let other = Report(title: "Pattern", summary: "", sections: [.init(heading: "", paragraphs: [String(repeating: "ab", count: 1000)])])
        _ = try await fixture.sync.storeReport(other, in: "intel")
        let ids = try await fixture.sync.reports(in: "intel", after: 0, limit: 10, maxBytes: 1 << 20).json.count
        let record = try await fixture.sync.quarantine(.report(String(other.id.rawValue.prefix(8))), in: "intel", reason: "r", now: 1)
        #expect(record.item == other.id.rawValue && record.kind == .report)
        let page = try await fixture.sync.reports(in: "intel", after: 0, limit: 10, maxBytes: 1 << 20)
        #expect(page.json.count == ids - 1 && !page.json.contains { $0.contains("Pattern") } && !page.more)
        #expect(try await fixture.sync.report(other.id, in: "intel") == nil)
        // Uploading it again does not bring it back.
        #expect(try await fixture.sync.storeReport(other, in: "intel") == false)
        #expect(try await fixture.sync.report(other.id, in: "intel") == nil)
    }
}
