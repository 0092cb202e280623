import Foundation
import GlossCore
import GlossTestSupport
import Hummingbird
import HummingbirdTesting
import Testing
@testable import gloss_server

/// One member floods the server: the pushes over the member's quota are refused whole (429 with
/// Retry-After) and store nothing; a teammate still pushes; another workspace is untouched.
@Suite struct FloodTests {
    static let quota = PushQuota(memberOperations: .init(perSecond: 10, burst: 300),
                                 memberBytes: .init(perSecond: 1_048_576, burst: 67_108_864),
                                 workspaceOperations: .init(perSecond: 20, burst: 500))

    @Test(arguments: TestPostgres.Kind.allCases) func aFloodingMemberIsToldToWaitAndStoresNothingMore(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        try await fixture.application(pushQuota: Self.quota).test(.router) { client in
            var counter: UInt64 = 0
            func batch(_ author: UserName, replica: UInt64, _ count: Int) -> [GlossCore.Operation] {
                (0..<count).map { _ in counter += 1; return Fixture.create(author, replica: replica, counter: counter) }
            }
            var accepted = 0, limited: TestResponse?
            // alice floods: 20 pushes of 50, with the clock standing still (a burst).
            for _ in 0..<20 {
                let response = try await client.push(batch("alice", replica: 1, 50), token: fixture.token(.member))
                if response.status == .ok { accepted += 50 } else { limited = response; break }
            }
            #expect(accepted == 300, "the member's burst, and no more")
            let refusal = try #require(limited)
            #expect(refusal.status == .tooManyRequests)
            #expect(refusal.headers[.retryAfter].flatMap(Int.init) == 5, "Retry-After: \(String(describing: refusal.headers[.retryAfter]))")
            #expect(refusal.error?.code == Sync.ErrorBody.rateLimited)
            #expect(refusal.error?.hint?.contains("wait") == true)
            #expect(try await fixture.storedOperations().count == 300, "a refused push stores nothing")
            // bob, in the same workspace, still pushes (the workspace's burst is larger).
            #expect(try await client.push(batch("bob", replica: 2, 100), token: fixture.tokens["bob"]).status == .ok)
            // Pulls are not limited.
            #expect(try await client.pull(token: fixture.token(.member)).status == .ok)
        }
    }
}
