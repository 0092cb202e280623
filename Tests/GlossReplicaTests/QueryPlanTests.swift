import Foundation
import GRDB
import Testing
import GlossCore
@testable import GlossReplica

/// The everyday reads cost what they print: SQLite's plan for each reads the annotations and
/// the log through an index narrowed to what is asked, never by scanning either table. (The
/// times, on replicas of a thousand and a million notes, are `gloss-bench --only replica`'s.)
@Suite struct QueryPlanTests {
    let home = TestHome()

    /// SQLite's plan for `sql`, one line per step.
    func plan(_ replica: Replica, _ sql: String, _ arguments: StatementArguments = []) throws -> [String] {
        try replica.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }

    /// Whether a step reads a whole table of the history (all of a partial index, which holds
    /// only open conflicts or unsent operations, is not).
    func scansHistory(_ step: String) -> Bool {
        guard ["SCAN annotations", "SCAN operations", "SCAN annotation_tag_rows"].contains(where: step.hasPrefix) else { return false }
        return !["annotations_in_conflict", "operations_unacked"].contains(where: step.contains)
    }

    @Test(arguments: [
        ("list --report", AnnotationFilter(report: Sample.report.id)),
        ("list --tag", AnnotationFilter(tag: "cobalt")),
        ("list --author", AnnotationFilter(author: "alice")),
        ("list --report --author", AnnotationFilter(report: Sample.report.id, author: "bob")),
        ("list --tag --author", AnnotationFilter(tag: "cobalt", author: "bob")),
        ("list --report --tag --author --open", AnnotationFilter(report: Sample.report.id, tag: "cobalt", author: "bob", status: .open)),
        ("conflicts", AnnotationFilter(onlyConflicts: true)),
    ])
    func listsReadOnlyWhatTheyPrint(_ name: String, _ filter: AnnotationFilter) throws {
        let replica = try home.replica("plans", user: "alice")
        let (sql, arguments) = Replica.query(filter)
        let steps = try plan(replica, sql, arguments)
        #expect(!steps.contains(where: scansHistory), "\(name): \(steps)")
        // With a report or a tag, the author's index (which may hold most of the replica) is not the way in.
        if filter.author != nil, filter.report != nil || filter.tag != nil {
            #expect(!steps.contains { $0.contains("annotations_by_author") }, "\(name): \(steps)")
        }
    }

    @Test func statusAndReportsCountNothingOfTheHistory() throws {
        let replica = try home.replica("counts", user: "alice")
        for sql in [Replica.countsQuery, Replica.reportsQuery] {
            let steps = try plan(replica, sql)
            #expect(!steps.contains(where: scansHistory), "\(steps)")
            #expect(!steps.contains { $0.contains("annotations_by_report") }, "counted per report instead of read from the tallies: \(steps)")
        }
    }
}
