import Foundation
import GRDB
import Synchronization
import Testing
import GlossCore
@testable import GlossReplica
import GlossSchema
import GlossTestSupport

/// The counts `reports`, `status` and `conflicts` print are kept as rows change (009_tallies):
/// whatever arrives, in whatever order, and whatever leaves the log again, they equal what
/// counting the rows gives; and a replica made before them gets them right on its first open.
@Suite struct TallyTests {
    let home = TestHome()
    static let reports = (0..<3).map { ReportID(sha256Of: "tallied report \($0)") }

    @Test func keptCountsEqualCountingTheRowsWhateverArrivesOrLeaves() throws {
        let seed = SeededRandom.seed()
        print("TallyTests seed \(seed) (replay with GLOSS_SEED=\(seed))")
        var rng = SeededRandom(seed: seed)
        var conflicts = 0, deleted = 0
        for round in 0..<4 {
            var simulator = OperationSimulator(seed: rng.next(), users: ["alice", "alice", "bob", "carol"])
            simulator.run(steps: 400)
            // Spread over three reports (the simulator writes on one), replies with their parent.
            let ops = simulator.allOperations.map(Self.spread)
            let replica = try home.replica("r\(round)", user: "dave")
            var remaining = ops.shuffled(using: &rng)
            while !remaining.isEmpty {
                let chunk = remaining.prefix(rng.int(in: 1..<60))
                remaining.removeFirst(chunk.count)
                // As a file brings them (waiting to be relayed), or as a pull does (sent).
                if rng.next() % 4 == 0 {
                    _ = try replica.pool.write { db in
                        var result = ApplyResult()
                        try Replica.ingest(Array(chunk), acknowledged: true, into: db, result: &result)
                    }
                } else {
                    _ = try replica.apply(Array(chunk))
                }
                try expectCountsMatchRows(replica, "seed \(seed) round \(round)")
                // A push's answer acknowledges some of what waits (again, for some).
                if rng.next() % 3 == 0 {
                    let answered = ops.filter { _ in rng.next() % 4 == 0 }.map(\.id)
                    try replica.record(Sync.PushResponse(accepted: answered, duplicates: Array(answered.prefix(3)), serverTime: 0))
                    try expectCountsMatchRows(replica, "seed \(seed) round \(round), after a push's answer")
                }
            }
            // Operations taken out again (as refused ones are): annotations rebuilt or gone.
            let leaving = ops.filter { _ in rng.next() % 3 == 0 }.map(\.id)
            try replica.pool.write { try Replica.unlog(leaving, in: $0) }
            try expectCountsMatchRows(replica, "seed \(seed) round \(round), after unlogging")
            // A new server store: everything waits again.
            if round % 2 == 1 {
                try replica.startOverWithServer()
                try expectCountsMatchRows(replica, "seed \(seed) round \(round), after starting over")
            }
            conflicts += try replica.counts().conflicts
            deleted += try replica.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM annotations WHERE deleted = 1")! }
        }
        // The histories were rich enough to count: conflicts and deleted notes among them.
        #expect(conflicts > 0 && deleted > 0, "seed \(seed): \(conflicts) conflicts, \(deleted) deleted")
    }

    @Test func aReplicaMadeBeforeTheTalliesCountsRightOnItsFirstOpen() throws {
        var simulator = OperationSimulator(seed: 15, users: ["alice", "bob"])
        simulator.run(steps: 300)
        let replica = try home.replica("old", user: "carol")
        _ = try replica.apply(simulator.allOperations.map(Self.spread))
        let expected = try replica.counts()
        // Taken back to the version before (what the bench does to time the migration).
        try replica.pool.writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP TABLE report_tallies; DROP TABLE tallies; DROP INDEX annotations_in_conflict; DROP INDEX annotations_by_author;
                DELETE FROM grdb_migrations WHERE identifier IN ('009_tallies', '013_unsent_tally'); PRAGMA user_version = 8;
                """)
        }
        let heard = Mutex<[Upgrade]>([])
        let reopened = try Replica.open(home: home.url.appendingPathComponent("old"), upgrade: { event in heard.withLock { $0.append(event) } })
        #expect(try reopened.counts() == expected)
        try expectCountsMatchRows(reopened, "after the migration")
        #expect(heard.withLock { $0 }.isEmpty, "a migration of milliseconds says nothing")
    }

    @Test func aMigrationOverASecondSaysSoOnceAndThenSaysItEnded() throws {
        let heard = Mutex<[Upgrade]>([])
        try Upgrade.announcing(["009_tallies"], to: { event in heard.withLock { $0.append(event) } }, after: .milliseconds(50)) {
            Thread.sleep(forTimeInterval: 0.3)
        }
        let events = heard.withLock { $0 }
        #expect(events.first == .started(migrations: ["009_tallies"]))
        #expect(events.count == 2)
        if case let .finished(seconds)? = events.last { #expect(seconds >= 0.3) } else { Issue.record("no .finished: \(events)") }

        heard.withLock { $0 = [] }
        try Upgrade.announcing(["009_tallies"], to: { event in heard.withLock { $0.append(event) } }, after: .seconds(5)) {}
        Thread.sleep(forTimeInterval: 0.1)
        #expect(heard.withLock { $0 }.isEmpty)
    }

    /// The operation with its create moved to one of three reports, by annotation.
    static func spread(_ op: GlossCore.Operation) -> GlossCore.Operation {
        guard case var .create(creation) = op.change else { return op }
        let key = creation.parent ?? op.annotation
        creation.report = reports[Int(key.rawValue.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xffff }) % reports.count]
        var moved = op
        moved.change = .create(creation)
        return moved
    }

    func expectCountsMatchRows(_ replica: Replica, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let unsent = try replica.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM operations WHERE acked = 0")! }
        #expect(try replica.counts().unacknowledged == unsent, "\(context): unsent", sourceLocation: sourceLocation)
        let (byReport, total, operations, conflicts, kept) = try replica.pool.read { db in
            let byReport = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
                SELECT report, count(*) AS n FROM annotations WHERE report IS NOT NULL AND deleted = 0 GROUP BY report
                """).map { ($0["report"] as String, $0["n"] as Int) })
            let kept = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT report, notes FROM report_tallies WHERE notes <> 0")
                .map { ($0["report"] as String, $0["notes"] as Int) })
            return (byReport, byReport.values.reduce(0, +), try Int.fetchOne(db, sql: "SELECT count(*) FROM operations")!,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM annotations WHERE conflict = 1 AND deleted = 0")!, kept)
        }
        #expect(kept == byReport, "\(context)", sourceLocation: sourceLocation)
        let counts = try replica.counts()
        #expect(counts.annotations == total && counts.operations == operations && counts.conflicts == conflicts,
                "\(context): \(counts) against rows \(total), \(operations), \(conflicts)", sourceLocation: sourceLocation)
        let listed = try replica.annotations(AnnotationFilter(onlyConflicts: true)).map(\.id)
        #expect(listed == (try replica.annotations()).filter(\.hasConflict).map(\.id), "\(context)", sourceLocation: sourceLocation)
    }
}
