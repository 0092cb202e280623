import GlossCore
import GlossTestSupport
import Testing

/// The push quota's token buckets: what one member may push in any stretch of time.
@Suite struct PushQuotaTests {
    static let quota = PushQuota(memberOperations: .init(perSecond: 100, burst: 1_000),
                                 memberBytes: .init(perSecond: 100_000, burst: 1_000_000),
                                 workspaceOperations: .init(perSecond: 150, burst: 1_500))

    @Test("in any stretch of time, what is admitted is at most the burst plus the rate times its length; a refused push goes through after its wait",
          arguments: Array(UInt64(1)...40))
    func boundedInEveryWindow(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let quota = Self.quota
        var buckets = PushQuota.Buckets(quota, now: 0)
        var admitted: [(time: Int64, operations: Int)] = []
        var now: Int64 = 0
        for _ in 0..<400 {
            now += Int64(rng.int(in: 0..<200))
            let operations = 1 + rng.int(in: 0..<400)
            if let wait = quota.admit(operations: operations, bytes: operations * 100, buckets: &buckets, now: now) {
                #expect(wait > 0, "seed \(seed)")
                var later = buckets
                #expect(quota.admit(operations: operations, bytes: operations * 100, buckets: &later, now: now + wait) == nil,
                        "seed \(seed): the push named a wait after which it is still refused")
            } else {
                admitted.append((now, operations))
            }
        }
        // Every window [a, b] of admitted pushes.
        for start in admitted.indices {
            var total = 0
            for end in start..<admitted.count {
                total += admitted[end].operations
                let seconds = Double(admitted[end].time - admitted[start].time) / 1000
                #expect(Double(total) <= 1_000 + 100 * seconds + 0.001, "seed \(seed): \(total) operations in \(seconds) s")
                if Double(total) > 1_000 + 100 * seconds + 0.001 { return }
            }
        }
        #expect(!admitted.isEmpty, "seed \(seed)")
    }

    @Test("a flood is cut to the burst, then to the rate; the member is told how long to wait")
    func flood() {
        let quota = Self.quota
        var buckets = PushQuota.Buckets(quota, now: 0)
        var admitted = 0, refused = 0
        // 500 pushes of 100 operations in 10 s: 50,000 asked for.
        for push in 0..<500 {
            if quota.admit(operations: 100, bytes: 10_000, buckets: &buckets, now: Int64(push) * 20) == nil { admitted += 100 } else { refused += 1 }
        }
        #expect(admitted <= 1_000 + 100 * 10)
        #expect(admitted >= 1_000)
        #expect(refused > 400)
    }

    @Test("a push larger than the burst is admitted once the bucket is full, never refused forever")
    func largerThanTheBurst() {
        let quota = Self.quota
        var buckets = PushQuota.Buckets(quota, now: 0)
        #expect(quota.admit(operations: 5_000, bytes: 1, buckets: &buckets, now: 0) == nil)
        let wait = quota.admit(operations: 5_000, bytes: 1, buckets: &buckets, now: 0)
        #expect(wait == 10_000)
        #expect(quota.admit(operations: 5_000, bytes: 1, buckets: &buckets, now: 10_000) == nil)
    }

    @Test("no limit admits everything")
    func unlimited() {
        var buckets = PushQuota.Buckets(PushQuota.unlimited, now: 0)
        for _ in 0..<100 { #expect(PushQuota.unlimited.admit(operations: 5_000, bytes: 8 << 20, buckets: &buckets, now: 0) == nil) }
    }
}
