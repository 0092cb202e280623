import Foundation
import GlossCore
import GlossReplica
import Hummingbird
import HummingbirdTesting
import GlossTestSupport
import Testing
@testable import gloss_server

/// What a push accepts, refuses and recognises as already stored.
@Suite struct PushTests {
    @Test(arguments: TestPostgres.Kind.allCases) func readersOperationsAreRefusedReadOnly(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        try await fixture.application().test(.router) { client in
            let answer = try await client.push([Fixture.create("rita", replica: 1, counter: 1)], token: fixture.token(.reader))
                .decode(Sync.PushResponse.self)
            #expect(answer.refused.map(\.code) == [.readOnly])
            #expect(answer.refused.first?.reason.contains("reader") == true)
            #expect(try await client.pull(token: fixture.token(.admin)).decode(Sync.PullResponse.self).operations.isEmpty)
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func mixedPushRefusesForgeriesAndOthersEditsButAcceptsTheRest(store: TestPostgres.Kind) async throws {
        // Given bob's annotation on the server
        let fixture = try await Fixture(kind: store)
        let bobs = Fixture.create("bob", replica: 2, counter: 1)
        try await fixture.sync.importOperations([bobs], workspace: "intel")
        let alices = Fixture.create("alice", replica: 1, counter: 1)
        let forged = Fixture.create("bob", replica: 1, counter: 2)
        let editOfBobs = Fixture.change("alice", replica: 1, counter: 3, on: bobs.annotation, .editBody(text: "mine now", seen: []))
        let deleteOfBobs = Fixture.change("alice", replica: 1, counter: 4, on: bobs.annotation, .delete)
        let tagOfBobs = Fixture.change("alice", replica: 1, counter: 5, on: bobs.annotation, .addTag("urgent"))
        // an edit of an annotation created earlier in the same push
        let editOfOwn = Fixture.change("alice", replica: 1, counter: 6, on: alices.annotation, .editBody(text: "better", seen: [alices.id]))
        let unknown = Fixture.change("alice", replica: 1, counter: 7, on: AnnotationID(rawValue: "0123456789abcdef"), .addTag("x"))
        try await fixture.application().test(.router) { client in
            // When alice pushes them all at once
            let answer = try await client.push([alices, forged, editOfBobs, deleteOfBobs, tagOfBobs, editOfOwn, unknown],
                                               token: fixture.token(.member)).decode(Sync.PushResponse.self)
            // Then
            #expect(answer.accepted == [alices.id, tagOfBobs.id, editOfOwn.id])
            #expect(answer.refused.map(\.op) == [forged.id, editOfBobs.id, deleteOfBobs.id, unknown.id])
            // An operation naming another author is never stored from this token: it can only be a relay.
            #expect(answer.refused.map(\.code) == [.awaitingAuthor, .notAuthor, .notAuthor, .unknownAnnotation])
            #expect(answer.duplicates.isEmpty)
            let stored = try await client.pull(token: fixture.token(.admin)).decode(Sync.PullResponse.self).operations
            #expect(stored.map(\.id) == [bobs.id, alices.id, tagOfBobs.id, editOfOwn.id])
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func aRelayedOperationLearnsItsAuthorsFate(store: TestPostgres.Kind) async throws {
        // Given rita (a reader) made a note that bob received by file, and bob holds alice's stored note too
        let fixture = try await Fixture(kind: store)
        let ritas = Fixture.create("rita", replica: 4, counter: 1)
        let alices = Fixture.create("alice", replica: 1, counter: 1)
        try await fixture.application().test(.router) { client in
            _ = try await client.push([alices], token: fixture.token(.member))
            // When bob relays both before rita has synced
            let early = try await client.push([ritas, alices], token: fixture.tokens["bob"]).decode(Sync.PushResponse.self)
            #expect(early.refused.map(\.code) == [.awaitingAuthor])
            #expect(early.duplicates == [alices.id])
            // Then once rita's own push is refused, the relay gets the same final answer
            let own = try await client.push([ritas], token: fixture.token(.reader)).decode(Sync.PushResponse.self)
            #expect(own.refused.map(\.code) == [.readOnly])
            let late = try await client.push([ritas], token: fixture.tokens["bob"]).decode(Sync.PushResponse.self)
            #expect(late.refused.map(\.code) == [.readOnly])
            #expect(late.refused.first?.code.isTemporary == false)
            let stored = try await client.pull(token: fixture.token(.admin)).decode(Sync.PullResponse.self).operations
            #expect(stored.map(\.id) == [alices.id])
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func duplicatePushStoresNothingTwice(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let ops = (1...3).map { Fixture.create("alice", replica: 1, counter: $0) }
        try await fixture.application().test(.router) { client in
            let first = try await client.push(ops, token: fixture.token(.member)).decode(Sync.PushResponse.self)
            #expect(first.accepted == ops.map(\.id))
            let second = try await client.push(ops + [ops[0]], token: fixture.token(.member)).decode(Sync.PushResponse.self)
            #expect(second.accepted.isEmpty)
            #expect(second.duplicates == ops.map(\.id) + [ops[0].id])
            let page = try await client.pull(token: fixture.token(.member)).decode(Sync.PullResponse.self)
            #expect(page.operations == ops)
            #expect(page.cursor == 3)
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func sameOperationTwiceInOnePushIsStoredOnce(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let op = Fixture.create("alice", replica: 1, counter: 1)
        try await fixture.application().test(.router) { client in
            let answer = try await client.push([op, op], token: fixture.token(.member)).decode(Sync.PushResponse.self)
            #expect(answer.accepted == [op.id])
            #expect(answer.duplicates == [op.id])
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func createOnAReportTheServerLacksIsRefused(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let op = Fixture.create("alice", replica: 1, counter: 1, report: ReportID(sha256Of: "unsent"))
        try await fixture.application().test(.router) { client in
            let answer = try await client.push([op], token: fixture.token(.member)).decode(Sync.PushResponse.self)
            #expect(answer.refused.map(\.code) == [.missingReport])
            #expect(answer.refused.first?.reason.contains("push the report first") == true)
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func operationOfAnotherWorkspaceIsRefused(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let op = Fixture.create("alice", replica: 1, counter: 1, workspace: "other")
        try await fixture.application().test(.router) { client in
            let answer = try await client.push([op], token: fixture.token(.member)).decode(Sync.PushResponse.self)
            #expect(answer.refused.map(\.code) == [.wrongWorkspace])
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func privateOperationsReachOnlyTheirAuthorButTheCursorMovesPastThem(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let team = Fixture.create("alice", replica: 1, counter: 1)
        let secret = Fixture.create("alice", replica: 1, counter: 2, isPrivate: true)
        let secretEdit = Fixture.change("alice", replica: 1, counter: 3, on: secret.annotation, isPrivate: true,
                                        .editBody(text: "still mine", seen: [secret.id]))
        try await fixture.application().test(.router) { client in
            let pushed = try await client.push([team, secret, secretEdit], token: fixture.token(.member)).decode(Sync.PushResponse.self)
            #expect(pushed.accepted.count == 3)

            let bobs = try await client.pull(token: fixture.tokens["bob"]).decode(Sync.PullResponse.self)
            #expect(bobs.operations == [team])
            #expect(bobs.cursor == 3)
            #expect(bobs.more == false)

            // A page that holds only hidden operations still advances.
            let hiddenOnly = try await client.pull(token: fixture.tokens["bob"], after: 1).decode(Sync.PullResponse.self)
            #expect(hiddenOnly.operations.isEmpty)
            #expect(hiddenOnly.cursor == 3)

            let alices = try await client.pull(token: fixture.token(.member)).decode(Sync.PullResponse.self)
            #expect(alices.operations == [team, secret, secretEdit])

            // Bob cannot act on the private annotation either.
            let tag = Fixture.change("bob", replica: 2, counter: 1, on: secret.annotation, isPrivate: true, .addTag("peek"))
            let refused = try await client.push([tag], token: fixture.tokens["bob"]).decode(Sync.PushResponse.self)
            #expect(refused.refused.map(\.code) == [.privacy])
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func clockTenYearsAheadIsRefusedAndOneMinuteAheadAccepted(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let tenYears: Int64 = 10 * 365 * 24 * 60 * 60 * 1000
        let farAhead = Fixture.create("alice", replica: 1, counter: 1, wall: Fixture.now + tenYears)
        let slightlyAhead = Fixture.create("alice", replica: 1, counter: 2, wall: Fixture.now + 60_000)
        try await fixture.application().test(.router) { client in
            let answer = try await client.push([farAhead, slightlyAhead], token: fixture.token(.member)).decode(Sync.PushResponse.self)
            #expect(answer.refused.map(\.op) == [farAhead.id])
            #expect(answer.refused.map(\.code) == [.clockAhead])
            #expect(answer.refused.first?.reason.contains("10 years") == true)
            #expect(answer.accepted == [slightlyAhead.id])
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func reportWhoseIDDoesNotMatchItsTextIsRejected(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(storeReport: false, kind: store)
        let tampered = {
            var report = Fixture.report
            report.text += "a sentence slipped in"
            return report
        }()
        let other = Report(title: "Other", summary: "", sections: [])
        try await fixture.application().test(.router) { client in
            let forged = try await client.call(.put, "/v1/workspaces/intel/reports/\(tampered.id)", token: fixture.token(.member),
                                               body: try JSON.encode(tampered))
            #expect(forged.status == .badRequest)
            #expect(forged.error?.error.contains("SHA-256") == true)
            let wrongPath = try await client.call(.put, "/v1/workspaces/intel/reports/\(other.id)", token: fixture.token(.member),
                                                  body: try JSON.encode(Fixture.report))
            #expect(wrongPath.status == .badRequest)
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func reportOverTheSizeLimitIsTooLarge(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(storeReport: false, kind: store)
        let huge = Report(title: "Huge", summary: "", sections: [.init(heading: "", paragraphs: [String(repeating: "x", count: Sync.Limits.maxReportBytes)])])
        try await fixture.application().test(.router) { client in
            let response = try await client.call(.put, "/v1/workspaces/intel/reports/\(huge.id)", token: fixture.token(.member),
                                                 body: try JSON.encode(huge))
            #expect(response.status == .contentTooLarge)
            #expect(response.error != nil)
        }
    }
}

/// Pushes from many replicas at once, each answered only after its own commit.
@Suite struct ConcurrentPushTests {
    @Test(arguments: TestPostgres.Kind.allCases) func concurrentPushesAreAllStoredOnceAndPulledInOneOrder(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let writers: [(user: String, token: String)] = [("alice", fixture.tokens["alice"]!), ("bob", fixture.tokens["bob"]!), ("ada", fixture.tokens["ada"]!)]
        try await fixture.application().test(.router) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, writer) in writers.enumerated() {
                    for batch in 0..<4 {
                        group.addTask {
                            let ops = (1...50).map { Fixture.create(UserName(stored: writer.user), replica: UInt64(index + 1), counter: UInt64(batch * 50 + $0)) }
                            let answer = try await client.push(ops, token: writer.token).decode(Sync.PushResponse.self)
                            #expect(answer.accepted == ops.map(\.id))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let page = try await client.pull(token: fixture.token(.reader), limit: 10_000).decode(Sync.PullResponse.self)
            #expect(page.operations.count == writers.count * 200)
            #expect(Set(page.operations.map(\.id)).count == page.operations.count)
            #expect(page.cursor == Int64(writers.count * 200))
        }
    }
}
