import Foundation
import GlossCore
import GlossTestSupport
import Synchronization
import Testing
@testable import gloss_server

/// Parked long polls are re-checked together (``PollGuard``): one read per workspace, and only
/// the polls whose token no longer holds are woken.
@Suite struct PollGuardTests {
    final class Woken: Sendable {
        let names = Mutex<[String]>([])
        func wake(_ name: String) -> @Sendable () -> Void { { self.names.withLock { $0.append(name) } } }
        var sorted: [String] { names.withLock { $0.sorted() } }
    }

    @Test func oneReadPerWorkspaceWakesOnlyThePollsWhoseTokenNoLongerHolds() async throws {
        let asked = Mutex<[String]>([]), woken = Woken()
        let guard_ = PollGuard(interval: .seconds(3600)) { tokens, workspace in
            asked.withLock { $0.append("\(workspace): \(tokens.sorted().joined(separator: " "))") }
            return workspace == "intel" ? ["alice-token"] : []
        }
        // 1,000 polls of alice's (one token, many machines), and bob's and olga's.
        for n in 0..<1_000 { _ = guard_.park(token: "alice-token", workspace: "intel", wake: woken.wake("alice \(n)")) }
        _ = guard_.park(token: "bob-token", workspace: "intel", wake: woken.wake("bob"))
        let olga = guard_.park(token: "olga-token", workspace: "other", wake: woken.wake("olga"))
        await guard_.sweep()
        #expect(asked.withLock { $0.sorted() } == ["intel: alice-token bob-token", "other: olga-token"], "one read per workspace")
        #expect(woken.sorted == ["bob", "olga"])
        // A poll that left is not woken; a read that fails wakes everyone, who re-check alone.
        guard_.leave(olga)
        #expect(guard_.count == 1_001)
        let failing = PollGuard(interval: .seconds(3600)) { _, _ in throw StoreError(.invalid, "the store is down") }
        let all = Woken()
        _ = failing.park(token: "alice-token", workspace: "intel", wake: all.wake("alice"))
        await failing.sweep()
        #expect(all.sorted == ["alice"])
    }

    @Test(arguments: TestPostgres.Kind.allCases) func theStoreSaysWhichTokensStillHold(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let ids = try ["alice", "bob", "rita", "olga", "rex"].map { try #require(BearerToken(fixture.tokens[$0]!)).id }
        let allowed = try await fixture.sync.allowedTokens(ids + ["no-such-token"], in: Fixture.workspace)
        // olga is not a member of intel; rex's token is revoked.
        #expect(allowed == Set(ids.prefix(3)))
        _ = try await fixture.sync.removeMember("bob", from: Fixture.workspace)
        #expect(try await fixture.sync.allowedTokens(ids, in: Fixture.workspace) == Set([ids[0], ids[2]]))
        #expect(try await fixture.sync.allowedTokens([], in: Fixture.workspace).isEmpty)
        #expect(try await fixture.sync.allowedTokens([ids[3]], in: "other") == [ids[3]])
    }
}
