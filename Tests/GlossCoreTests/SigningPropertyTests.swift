import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// ``SignaturePolicy`` over random histories: several replicas of several authors, team and
/// private chains, pushes of random sizes, delivered interleaved in random pages whose runs
/// may come after their operations (a page that ends mid-push), with legacy operations mixed
/// in. Honest, everything is taken; with one tampering, exactly the tampered operation (and,
/// for a withheld one, the later operations of its chain) is refused, and the rest is taken.
/// The seed is printed; `GLOSS_SEED=N` replays it.
@Suite struct SigningPropertyTests {
    typealias S = SigningTests

    enum Tampering: CaseIterable { case none, alter, swapAuthor, withhold, replay }

    /// One delivered item: an operation (nil once withheld) and the runs that arrive with it.
    struct Item {
        var op: GlossCore.Operation?
        var segments: [ChainSegment] = []
    }

    @Test func propertyHonestChainsVerifyInAnyPagingAndATamperingIsRefusedAlone() throws {
        let seed = SeededRandom.seed()
        print("SigningPropertyTests.propertyHonestChainsVerifyInAnyPagingAndATamperingIsRefusedAlone seed \(seed) (GLOSS_SEED=\(seed) replays it)")
        var rng = SeededRandom(seed: seed)
        var keys = S.keyRing()
        let legacyClaim = S.claim(77, of: "bob")
        try keys.add(LegacyCutoff.make(workspace: S.workspace, replicas: [legacyClaim.replica: 1_000], issued: S.now, root: S.root))

        for round in 0..<60 {
            let tampering = Tampering.allCases[round % Tampering.allCases.count]
            let context = "seed \(seed) round \(round) \(tampering)"

            // Writers: alice on two machines, bob, carol; each records and pushes at random.
            var writers = [S.Writer("alice", replica: 1, key: S.alice), S.Writer("alice", replica: 2, key: S.alice),
                           S.Writer("bob", replica: 3, key: S.bob), S.Writer("carol", replica: 4, key: S.carol)]
            var streams: [[Item]] = Array(repeating: [], count: writers.count)
            for w in writers.indices {
                var made: [GlossCore.Operation] = []
                for _ in 0..<rng.int(in: 1..<6) {
                    var push: [GlossCore.Operation] = []
                    for _ in 0..<rng.int(in: 1..<7) {
                        if let target = made.randomElement(using: &rng), rng.int(in: 0..<2) == 0 {
                            push.append(writers[w].tag("t\(rng.int(in: 0..<9))", on: target))
                        } else {
                            push.append(writers[w].note("note \(rng.next())", isPrivate: rng.int(in: 0..<4) == 0))
                        }
                        made.append(push.last!)
                    }
                    let segments = writers[w].send(push)
                    var items = push.map { Item(op: $0) }
                    // Each run arrives with the last operation it covers.
                    for segment in segments {
                        let last = items.lastIndex { $0.op!.isPrivate == segment.chain.isPrivate }!
                        items[last].segments.append(segment)
                    }
                    streams[w] += items
                }
            }
            // Legacy operations from before signing, under a replica the cutoff names.
            let legacy = (1...UInt64(rng.int(in: 1..<4))).map { n in
                GlossCore.Operation(id: OperationID(replica: legacyClaim.replica, counter: n), hlc: HLC(wall: S.now - 10_000), author: "bob",
                                    workspace: S.workspace, annotation: AnnotationID(createdBy: OperationID(replica: legacyClaim.replica, counter: 1)),
                                    isPrivate: false, change: .addTag("old\(n)"))
            }
            streams.append(legacy.map { Item(op: $0) })

            // Delivery: the streams interleaved at random, each in its own order.
            var delivery: [Item] = []
            var cursors = Array(repeating: 0, count: streams.count)
            while let s = streams.indices.filter({ cursors[$0] < streams[$0].count }).randomElement(using: &rng) {
                delivery.append(streams[s][cursors[s]])
                cursors[s] += 1
            }

            // One tampering, and what it must give.
            var expected: [OperationID: SignaturePolicy.Verdict] = [:]
            var replayID: OperationID?
            var holeAfter: (chain: ChainID, counter: UInt64)?
            let signedItems = delivery.indices.filter { delivery[$0].op!.id.replica != legacyClaim.replica }
            let victim = signedItems.randomElement(using: &rng)!
            switch tampering {
            case .none: break
            case .alter:
                if rng.int(in: 0..<2) == 0 { delivery[victim].op!.hlc.wall += 1 } else { delivery[victim].op!.isPrivate.toggle() }
                expected[delivery[victim].op!.id] = .refused(.bodyChanged)
            case .swapAuthor:
                let author = delivery[victim].op!.author
                delivery[victim].op!.author = (["alice", "bob", "carol"] as [UserName]).filter { $0 != author }.randomElement(using: &rng)!
                expected[delivery[victim].op!.id] = .refused(.forgedAuthor)
            case .withhold:
                let op = delivery[victim].op!
                holeAfter = (ChainID(of: op), op.id.counter)
                delivery[victim].op = nil
            case .replay:
                var copy = delivery[victim].op!
                copy.id.counter += 1_000_000
                replayID = copy.id
                delivery.insert(Item(op: copy), at: victim + 1)
            }

            // Pages of 1–12 items; the receiver keeps aside what is pending or after a hole and
            // offers it again with the next page, with every run it has seen.
            var verified: [ChainID: ChainPosition] = [:]
            var held: [GlossCore.Operation] = []
            var runs: [ChainSegment] = []
            var outcome: [OperationID: SignaturePolicy.Verdict] = [:]
            var start = 0
            while start < delivery.count {
                let end = min(delivery.count, start + rng.int(in: 1..<13))
                let page = delivery[start..<end]
                runs += page.flatMap(\.segments)
                let batch = held + page.compactMap(\.op)
                let decision = SignaturePolicy(complete: end == delivery.count)
                    .decide(batch, segments: runs, facts: .init(keys: keys, verified: verified))
                #expect(decision.verdicts.count == batch.count, "\(context)")
                verified.merge(decision.verified) { $1 }
                held = []
                for (op, verdict) in zip(batch, decision.verdicts) {
                    outcome[op.id] = verdict
                    if verdict == .pending || verdict == .refused(.chainHole) { held.append(op) }
                }
                start = end
            }

            for item in delivery {
                guard let op = item.op else { continue }
                let got = outcome[op.id]
                if op.id.replica == legacyClaim.replica {
                    #expect(got == .legacy, "\(context): legacy \(op.id)")
                } else if op.id == replayID {
                    #expect(got == .refused(.replayed) || got == .refused(.unsigned), "\(context): replay \(op.id) got \(String(describing: got))")
                } else if let hole = holeAfter, ChainID(of: op) == hole.chain, op.id.counter > hole.counter {
                    #expect(got == .refused(.chainHole), "\(context): after the hole \(op.id) got \(String(describing: got))")
                } else {
                    #expect(got == (expected[op.id] ?? .accepted), "\(context): \(op.id) got \(String(describing: got))")
                }
            }
            // Every chain is verified to its end, but one with a hole, which stops before it.
            for writer in writers {
                for chain in [writer.team, writer.own] where chain.position.count > 0 {
                    if let hole = holeAfter, hole.chain == chain.chain {
                        let before = chain.entries.firstIndex { $0.counter == hole.counter }!
                        #expect((verified[chain.chain]?.count ?? 0) == UInt64(before), "\(context): \(chain.chain)")
                    } else {
                        #expect(verified[chain.chain] == chain.position, "\(context): \(chain.chain)")
                    }
                }
            }
        }
    }
}
