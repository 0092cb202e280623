import GlossCore
import Testing

/// The schedule `gloss sync --watch` follows while the server is unreachable.
@Suite struct BackoffTests {
    @Test func waitsDoubleFromHalfASecondToTenAndStayThere() {
        var backoff = Backoff()
        // The top of each jitter range (random → 1) is the ceiling itself.
        let ceilings = (0..<8).map { _ in backoff.next(random: 1) }
        #expect(ceilings == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8),
                             .seconds(10), .seconds(10), .seconds(10)])
        #expect(backoff.failures == 8)
    }

    @Test func jitterKeepsEachWaitInTheUpperHalfOfItsCeiling() {
        var low = Backoff(), high = Backoff()
        for _ in 0..<20 {
            let ceiling = low.ceiling
            let (a, b) = (low.next(random: 0), high.next(random: 0.999_999))
            #expect(a == ceiling / 2)
            #expect(b > a && b <= ceiling)
        }
        var clamped = Backoff()
        #expect(clamped.next(random: -3) == .milliseconds(250))
        #expect(clamped.next(random: 7) == .seconds(1))
    }

    @Test func aSuccessStartsTheScheduleOver() {
        var backoff = Backoff()
        for _ in 0..<10 { _ = backoff.next(random: 0.5) }
        #expect(backoff.ceiling == .seconds(10))
        backoff.reset()
        #expect(backoff.ceiling == .milliseconds(500))
        #expect(backoff.next(random: 1) == .milliseconds(500))
    }

    @Test func onlyFailuresThatMayClearUpByThemselvesAreTriedAgain() {
        func transient(_ status: Int?) -> Bool { TransportError(status: status, message: "").isTransient }
        #expect(transient(nil), "unreachable")
        #expect(transient(502) && transient(503) && transient(504) && transient(500) && transient(429) && transient(408))
        #expect(!transient(401) && !transient(403) && !transient(404) && !transient(409) && !transient(400) && !transient(200))
    }
}
