import Foundation
import GRDB
import Testing
import GlossCore
@testable import GlossReplica
import GlossSchema
import GlossTestSupport

/// The tag and search indexes stay right while remote operations arrive in pages, the search
/// index catching up in batches, and across the migration that re-keyed them.
@Suite struct ReplicaIndexTests {
    let home = TestHome()

    func found(_ replica: Replica, _ query: String) throws -> [String] {
        try replica.search(query).filter { $0.kind == .annotation }.map(\.id)
    }

    func note(_ replica: Replica, _ body: String, tags: [String]) throws -> Annotation {
        try replica.annotate(Creation(report: Sample.report.id, target: nil, motivation: .commenting, body: body, tags: tags))
    }

    /// A replica file in a home of its own, migrated up to `migration` as an older gloss left
    /// it, filled by `fill` (outside a transaction); returns the home.
    func olderReplica(_ name: String, upTo migration: String, fill: (Database) throws -> Void) throws -> URL {
        let old = home.url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: old.appendingPathComponent(Replica.fileName).path)
        try Replica.migrator().migrate(queue, upTo: migration)
        try queue.writeWithoutTransaction(fill)
        return old
    }

    @Test func remoteChangesReachSearchAndTagFiltersEvenBeforeTheIndexCatchesUp() throws {
        let alice = try home.replica("alice", user: "alice")
        let bob = try home.replica("bob", user: "bob")
        for r in [alice, bob] { _ = try r.importReport(Sample.report, source: "sample.txt") }
        let first = try note(alice, "Cobalt stockpiles are thin", tags: ["cobalt", "supply-chain"])
        let second = try note(alice, "Shipping insurance rose", tags: ["shipping"])
        // Local notes wait in the queue; the search indexes them first
        #expect(try found(alice, "shipping") == [second.id.rawValue])
        // Operations applied straight from the wire, as a pulled page is: no catch-up call.
        let ops = try alice.log(limit: 100).reversed()
        _ = try bob.apply(Array(ops))
        #expect(try found(bob, "cobalt") == [first.id.rawValue])
        #expect(try bob.annotations(AnnotationFilter(tag: "shipping")).map(\.id) == [second.id])

        // When alice retags and rewrites her note and deletes the other
        _ = try alice.tag(first.id, add: ["critical-minerals"], remove: ["cobalt", "supply-chain"])
        _ = try alice.edit(first.id, body: "Lithium stockpiles are thin")
        _ = try alice.delete(second.id)
        let later = try alice.log(limit: 100).reversed().filter { op in !ops.contains { $0.id == op.id } }
        _ = try bob.apply(Array(later))

        // Then bob's search and tag filters follow, old words and tags gone
        #expect(try found(bob, "cobalt").isEmpty)
        #expect(try found(bob, "lithium") == [first.id.rawValue])
        #expect(try found(bob, "shipping").isEmpty, "a deleted note leaves the search")
        #expect(try bob.annotations(AnnotationFilter(tag: "supply-chain")).isEmpty && bob.annotations(AnnotationFilter(tag: "cobalt")).isEmpty)
        #expect(try bob.annotations(AnnotationFilter(tag: "critical-minerals")).map(\.id) == [first.id])
        #expect(try bob.annotations(AnnotationFilter(tag: "shipping")).isEmpty)
        #expect(try bob.snapshot() == alice.snapshot())
    }

    @Test func aReplicaMadeBeforeTheRekeyedIndexesKeepsItsTagsAndSearch() throws {
        // Given a replica at migration 003, with a tagged note, as an older gloss left it
        let old = try olderReplica("old", upTo: "003_tag_lookup") { db in
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('user', 'alice')")
            try db.execute(sql: """
                INSERT INTO annotations(id, state, view, report, deleted) VALUES ('00aa', '{}', '{}', 'r1', 0);
                INSERT INTO annotation_tags(tag, annotation) VALUES ('cobalt', '00aa'), ('shipping', '00aa');
                INSERT INTO annotation_search(rowid, body, tags) SELECT rowid, 'Cobalt stockpiles', 'cobalt shipping' FROM annotations;
                """)
        }
        // When the current gloss opens it
        let replica = try Replica.open(home: old)
        // Then its tags are in the new index, keyed by the annotation's row, and search still finds it
        let tags = try replica.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.tag, a.id FROM annotation_tag_rows t JOIN annotations a ON a.rowid = t.annotation ORDER BY t.tag
                """).map { "\($0["tag"] as String)@\($0["id"] as String)" }
        }
        #expect(tags == ["cobalt@00aa", "shipping@00aa"])
        #expect(try found(replica, "cobalt") == ["00aa"])
    }

    @Test func aReplicaThatStoredViewsShowsTheSameAnnotationsAfterTheLeanRowsMigration() throws {
        // Given a replica at migration 004, which stored each annotation's view beside its state,
        // holding a note of alice's that has not reached the server yet
        let source = try home.replica("source", user: "alice")
        _ = try source.importReport(Sample.report, source: "sample.txt")
        let made = try note(source, "Cobalt stockpiles are thin", tags: ["cobalt"])
        let (state, payload) = try source.pool.read { db in
            (try String.fetchOne(db, sql: "SELECT state FROM annotations")!, try String.fetchOne(db, sql: "SELECT payload FROM operations")!)
        }
        let op = try JSON.decode(GlossCore.Operation.self, from: payload)
        let old = try olderReplica("old4", upTo: "004_append_indexes") { db in
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('user', 'alice')")
            try db.execute(sql: """
                INSERT INTO operations(replica, counter, hlc_wall, hlc_logical, author, workspace, annotation, kind, private, payload)
                VALUES (?, ?, ?, ?, 'alice', '', ?, 'create', 0, ?)
                """, arguments: [Int64(bitPattern: op.id.replica.rawValue), Int64(bitPattern: op.id.counter), op.hlc.wall,
                                 Int64(op.hlc.logical), made.id.rawValue, payload])
            try db.execute(sql: """
                INSERT INTO annotations(id, state, view, report, author, deleted, conflict, private, body, tags)
                VALUES (?, ?, ?, ?, 'alice', 0, 0, 0, ?, 'cobalt')
                """, arguments: [made.id.rawValue, state, try JSON.string(made), made.report.rawValue, made.body])
            try db.execute(sql: "INSERT INTO annotation_tag_rows(tag, annotation) SELECT 'cobalt', rowid FROM annotations")
        }
        // When the current gloss opens it
        let replica = try Replica.open(home: old)
        // Then the note reads as it did, by id and in lists, and is still waiting to be pushed
        #expect(try replica.annotation(made.id) == made)
        #expect(try replica.annotations() == [made])
        #expect(try replica.annotations(AnnotationFilter(tag: "cobalt")) == [made])
        #expect(try replica.pendingBatch(after: 0, limit: 10).operations.map(\.id) == [op.id])
        #expect(try replica.counts().annotations == 1)
    }

    @Test func anOlderReplicasHistoryIsFoundByAnnotationAfterTheLogIsRekeyed() throws {
        // Given a replica at migration 005, whose log was indexed by annotation id, holding two
        // notes, one of them tagged since
        let source = try home.replica("source", user: "alice")
        _ = try source.importReport(Sample.report, source: "sample.txt")
        let first = try note(source, "Cobalt stockpiles are thin", tags: [])
        let second = try note(source, "Lithium prices fell", tags: [])
        _ = try source.tag(first.id, add: ["cobalt"], remove: [])
        let history = try source.log(annotation: first.id).map(\.id)
        let old = try olderReplica("old5", upTo: "005_lean_rows") { db in
            try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source.path])
            try db.execute(sql: """
                INSERT INTO meta SELECT * FROM source.meta;
                INSERT INTO reports(id, title, summary, body, sections, revises, source, imported_at, uploaded)
                    SELECT id, title, summary, body, sections, revises, source, imported_at, uploaded FROM source.reports;
                INSERT INTO operations(seq, replica, counter, hlc_wall, hlc_logical, author, workspace, annotation, kind, private, payload, acked)
                    SELECT seq, replica, counter, hlc_wall, hlc_logical, author, workspace, annotation, kind, private, payload, acked
                    FROM source.operations;
                -- Rowids in another order than the source's, as an older replica may hold them.
                INSERT INTO annotations(rowid, id, state, report, author, parent, status, deleted, conflict, private, start, created_wall, body, tags)
                    SELECT 10 - rowid, id, state, report, author, parent, status, deleted, conflict, private, start, created_wall, body, tags
                    FROM source.annotations;
                INSERT INTO annotation_tag_rows(tag, annotation) SELECT 'cobalt', rowid FROM annotations WHERE id = '\(first.id.rawValue)';
                DETACH DATABASE source;
                """)
        }
        // When the current gloss opens it
        let replica = try Replica.open(home: old)
        // Then each note's history is found by its id, and new operations join it
        #expect(try replica.log(annotation: first.id).map(\.id) == history)
        #expect(try replica.log(annotation: second.id).count == 1)
        _ = try replica.tag(second.id, add: ["lithium"], remove: [])
        #expect(try replica.log(annotation: second.id).count == 2)
        #expect(try replica.log(annotation: first.id).map(\.id) == history)
        #expect(try replica.annotations(AnnotationFilter(tag: "cobalt")).map(\.id) == [first.id])
        #expect(try replica.annotations(AnnotationFilter(tag: "lithium")).map(\.id) == [second.id])
    }

    @Test func rowsKeepTheirNumbersThroughABackup() throws {
        // Given a replica with notes (one deleted), their tags and search keyed on row numbers
        let replica = try home.replica("numbered", user: "alice")
        _ = try replica.importReport(Sample.report, source: "sample.txt")
        let notes = try (0..<5).map { try note(replica, "Note \($0) on cobalt", tags: ["t\($0)"]) }
        _ = try replica.delete(notes[1].id)
        let rows = try replica.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, type, pk FROM pragma_table_info('annotations') WHERE pk = 1")
        }
        // Then the number other tables key on is declared, so no rebuild can change it
        #expect(rows.map { $0["name"] as String } == ["row"] && rows.map { $0["type"] as String } == ["INTEGER"])
        // And a backup (VACUUM INTO) finds the same notes by tag and by text
        let copy = home.url.appendingPathComponent("numbered-backup")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        try replica.backup(to: copy.appendingPathComponent(Replica.fileName))
        let restored = try Replica.open(home: copy)
        for index in [0, 2, 3, 4] {
            #expect(try restored.annotations(AnnotationFilter(tag: "t\(index)")).map(\.id) == [notes[index].id])
            #expect(try found(restored, "Note \(index)") == [notes[index].id.rawValue])
        }
        #expect(try restored.annotations(AnnotationFilter(tag: "t1")).isEmpty)
    }

    @Test func theRowNumbersMigrationKeepsEveryRowsNumber() throws {
        // Given a replica as migration 007 left it, with row numbers 3 and 7
        let old = try olderReplica("renumbered", upTo: "007_replica_claims") { db in
            try db.execute(sql: """
                INSERT INTO reports(rowid, id, title, summary, body, sections, source, imported_at)
                    VALUES (5, 'r', 'T', '', 'text', '[]', 'f', 0);
                INSERT INTO report_search(rowid, title, body) VALUES (5, 'T', 'text');
                INSERT INTO annotations(rowid, id, state) VALUES (3, 'a3', '{}'), (7, 'a7', '{}');
                INSERT INTO annotation_tag_rows(tag, annotation) VALUES ('x', 7);
                """)
        }
        // When the current gloss opens it
        let replica = try Replica.open(home: old)
        // Then each row has the number it had
        let (annotations, reports) = try replica.pool.read { db in
            (try Row.fetchAll(db, sql: "SELECT row, id FROM annotations ORDER BY row").map { "\($0["row"] as Int64)=\($0["id"] as String)" },
             try Row.fetchAll(db, sql: "SELECT row, id FROM reports").map { "\($0["row"] as Int64)=\($0["id"] as String)" })
        }
        #expect(annotations == ["3=a3", "7=a7"])
        #expect(reports == ["5=r"])
    }
}
