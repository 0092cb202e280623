import Foundation
import GRDB
import GlossCore
import Testing
@testable import GlossReplica

/// Every table of the replica has one record type (``Records.swift``), and each record reads
/// every row its table holds once a replica has done all it does: a migration that adds a
/// table, or renames or retypes a column a record reads, fails here before a command does.
@Suite struct RecordsTests {
    let home = TestHome()

    /// Each table, and how many of its rows its record type reads.
    static let records: [String: @Sendable (Database) throws -> Int] = [
        "meta": { try MetaRow.fetchAll($0).count },
        "reports": { try ReportRow.fetchAll($0).count },
        "operations": { try OperationRow.fetchAll($0).count },
        "annotations": { try AnnotationRow.fetchAll($0).count },
        "annotation_tag_rows": { try AnnotationTagRow.fetchAll($0).count },
        "search_pending": { try SearchPendingRow.fetchAll($0).count },
        "refused_operations": { try RefusedRow.fetchAll($0).count },
        "quarantined_operations": { try QuarantinedRow.fetchAll($0).count },
        "replica_claims": { try ReplicaClaimRow.fetchAll($0).count },
        "tallies": { try TallyRow.fetchAll($0).count },
        "report_tallies": { try ReportTallyRow.fetchAll($0).count },
        "syncs": { try SyncRow.fetchAll($0).count },
        "signing_replicas": { try SigningReplicaRow.fetchAll($0).count },
        "chains": { try ChainRow.fetchAll($0).count },
        "chain_links": { try ChainLinkRow.fetchAll($0).count },
        "chain_runs": { try ChainRunRow.fetchAll($0).count },
        "trust_roots": { try TrustRootRow.fetchAll($0).count },
        "trust_statements": { try TrustStatementRow.fetchAll($0).count },
        "held_operations": { try HeldOperationRow.fetchAll($0).count },
    ]

    @Test func everyTableHasOneRecordThatReadsAllItsRows() throws {
        let alice = try Replica.create(home: home.url.appendingPathComponent("alice"), user: "alice", workspace: "intel")
        let report = Report(title: "Port closures", summary: "", sections: [.init(heading: "", paragraphs: ["Two ports closed on Monday."])])
        let later = Report(title: "Port closures (2)", summary: "", sections: [.init(heading: "", paragraphs: ["Three ports closed on Monday."])])
        let actions = Actions(alice)
        let marks = try alice.beginSync()
        _ = try actions.importReport(report, source: "ports.txt", local: false, revises: nil)
        _ = try actions.importReport(later, source: "ports-2.txt", local: false, revises: report.id)
        // Operations in alice's name from a scratch replica (set aside).
        let scratch = try Replica.create(home: home.url.appendingPathComponent("scratch"), user: "alice", workspace: "intel")
        _ = try scratch.importReport(report, source: "ports.txt")
        _ = try Actions(scratch).annotate(report: report.id, span: nil, comment: "not from alice's machine")
        #expect(try alice.apply(try scratch.exportBundle().bundle, source: "scratch.gloss").result.quarantined == 1)
        // Signing: a pinned root and its binding of bob's key; bob's file, one of whose two
        // notes was altered on the way (kept aside); alice's own chain, signed at her export.
        var generator = SystemRandomNumberGenerator()
        let root = RootKey(DeviceKey.generate(using: &generator))
        try alice.pinRoot(root.publicKey)
        let bob = try Replica.create(home: home.url.appendingPathComponent("bob"), user: "bob", workspace: "intel")
        _ = try bob.importReport(report, source: "ports.txt")
        _ = try Actions(bob).annotate(report: report.id, span: nil, comment: "bob's first")
        _ = try Actions(bob).annotate(report: report.id, span: nil, comment: "bob's second")
        var bobs = try bob.exportBundle().bundle
        bobs.signing?.bindings = [KeyBinding.make(workspace: WorkspaceName(stored: "intel"), user: UserName(stored: "bob"),
                                                  key: try bob.devicePublicKey(), issued: 1, root: root)]
        if case var .create(creation) = bobs.operations[1].change {
            creation.body = "bob's second (altered)"
            bobs.operations[1].change = .create(creation)
        }
        let taken = try alice.apply(bobs, source: "bob.gloss").result
        #expect(taken.verified == 1 && taken.refused.count == 1, "\(taken)")
        _ = try alice.exportBundle()
        // A tagged note, a reply the server refused, and the marks of a sync.
        let note = try actions.annotate(report: report.id, span: .quote("Two ports", occurrence: nil), comment: "which?", tags: ["ports"])
        let reply = try actions.reply(to: note.id, comment: "Gdansk and Rijeka")
        let op = try #require(try alice.pendingBatch(after: 0, limit: 10).operations.first { $0.annotation == reply.id })
        try alice.record(Sync.PushResponse(refused: [.init(op: op.id, code: .readOnly, reason: "a reader")], serverTime: 0))
        try alice.endSync(marks)

        try alice.pool.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT GLOB 'sqlite_*'
                  AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
                  AND name NOT GLOB 'report_search*' AND name NOT GLOB 'annotation_search*' AND name != 'grdb_migrations'
                """)
            #expect(Set(tables) == Set(Self.records.keys), "a table with no record type, or a record with no table")
            for table in tables.sorted() {
                let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
                #expect(rows > 0, "the scenario leaves \(table) empty, so its record is not tried")
                #expect(try Self.records[table]?(db) == rows, "\(table)'s record reads every row")
            }
        }
    }
}
