import Foundation
import GRDB
import GlossCore

/// Reads and writes the materialised annotation rows (state, the columns queries filter on,
/// tags, search index). The visible annotation is not stored: `view(fromState:)` computes it from
/// the state when read.
enum AnnotationStore {
    static func state(of id: AnnotationID, in db: Database) throws -> AnnotationState? {
        try stored(id, in: db)?.state
    }

    /// The annotation's row: its rowid (what the log, tags and search refer to it by) and state.
    static func stored(_ id: AnnotationID, in db: Database) throws -> (rowid: Int64, state: AnnotationState)? {
        let select = try FastStatement(db, "SELECT row, state FROM annotations WHERE id = ?")
        guard let (rowid, text) = try select.first({ $0.add(id.rawValue) }, { ($0.int64(0), $0.text(1)) }) else { return nil }
        var state = try AnnotationState.stored(text)
        state.dropSupersededVersions()  // a state stored before superseded versions were dropped
        return (rowid, state)
    }

    /// The rowid the next new annotation row takes (SQLite's own choice, made ahead so that the
    /// operations logged before the row is written can name it).
    static func nextRowid(in db: Database) throws -> Int64 {
        try FastStatement(db, "SELECT coalesce(max(row), 0) + 1 FROM annotations").run { _ in }!
    }

    /// The visible annotation of a stored state, or nil while its create has not arrived.
    static func view(fromState text: String) throws -> Annotation? {
        try AnnotationState.stored(text).annotation
    }

    /// Writes the state and the columns of its view; the tag and search rows only when what they index
    /// changed. `rowid` is the row's (for a new row, from `nextRowid`). `previous` is the view
    /// the stored row was made from (nil: no row, or no create yet), whose tag and search rows are
    /// the ones to replace.
    static func save(_ state: AnnotationState, rowid: Int64, view: Annotation?, previous: Annotation?, in db: Database) throws {
        let stateJSON = JSONWriter.string(state)
        let upsert = try FastStatement(db, """
            INSERT INTO annotations(row, id, state, report, author, parent, status, deleted, conflict, private, start, created_wall, body, tags, revises)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET state = excluded.state, report = excluded.report,
                author = excluded.author, parent = excluded.parent, status = excluded.status,
                deleted = excluded.deleted, conflict = excluded.conflict, private = excluded.private,
                start = excluded.start, created_wall = excluded.created_wall, body = excluded.body, tags = excluded.tags,
                revises = excluded.revises
            """)
        try upsert.run { row in
            row.add(rowid); row.add(state.id.rawValue); row.add(stateJSON); row.add(view?.report.rawValue)
            row.add(view?.author.rawValue); row.add(view?.parent?.rawValue); row.add(view?.status.rawValue)
            row.add(view?.deleted ?? false); row.add(view?.hasConflict ?? false); row.add(view?.visibility == .private)
            row.add(view?.target?.position.start); row.add(view?.created.wall); row.add(view?.body)
            row.add(view?.tags.joined(separator: " "))
            row.add(view?.motivation == .linking ? view?.revises?.rawValue : nil)
        }
        let indexed = view.flatMap { $0.deleted ? nil : $0 }
        let wasIndexed = previous.flatMap { $0.deleted ? nil : $0 }
        if let indexed, let wasIndexed, indexed.body == wasIndexed.body, indexed.tags == wasIndexed.tags { return }
        // The search index catches up later, in batches (`indexPendingSearch`).
        try FastStatement(db, "INSERT OR IGNORE INTO search_pending(annotation) VALUES (?)").run { $0.add(rowid) }
        if (wasIndexed?.tags ?? []) == (indexed?.tags ?? []) { return }
        if let wasIndexed { try deleteTags(wasIndexed.tags, of: rowid, in: db) }
        guard let indexed else { return }
        let insertTag = try FastStatement(db, "INSERT INTO annotation_tag_rows(tag, annotation) VALUES (?, ?)")
        for tag in indexed.tags { try insertTag.run { $0.add(tag); $0.add(rowid) } }
    }

    private static func deleteTags(_ tags: [String], of rowid: Int64, in db: Database) throws {
        let deleteTag = try FastStatement(db, "DELETE FROM annotation_tag_rows WHERE tag = ? AND annotation = ?")
        for tag in tags { try deleteTag.run { $0.add(tag); $0.add(rowid) } }
    }

    /// Brings the annotation search index up to date with the annotations queued in
    /// `search_pending`, in one pass; FTS5 builds far fewer, larger segments that way than
    /// when fed an annotation at a time.
    static func indexPendingSearch(in db: Database) throws {
        // One rowid at a time: FTS5 looks up `rowid = ?` directly, but scans the whole table
        // for `rowid IN (SELECT …)`, which made every small sync cost as much as the history.
        let delete = try FastStatement(db, "DELETE FROM annotation_search WHERE rowid = ?")
        for rowid in try Int64.fetchAll(db, sql: "SELECT annotation FROM search_pending") {
            try delete.run { $0.add(rowid) }
        }
        // CROSS JOIN keeps the queue as the outer loop (without statistics, SQLite may scan
        // every annotation instead).
        try db.execute(sql: """
            INSERT INTO annotation_search(rowid, body, tags)
                SELECT a.row, a.body, coalesce(a.tags, '') FROM search_pending p CROSS JOIN annotations a ON a.row = p.annotation
                WHERE a.report IS NOT NULL AND a.deleted = 0;
            DELETE FROM search_pending;
            """)
    }

    /// Recomputes an annotation from the operations left in the log (after some were taken
    /// out), or removes it when none are left.
    static func rebuild(_ id: AnnotationID, in db: Database, tallies: inout Tallies) throws {
        guard let (rowid, stored) = try stored(id, in: db) else { return }
        let previous = stored.annotation
        let ops = try String.fetchAll(db, sql: "SELECT payload FROM operations WHERE annotation_row = ?", arguments: [rowid])
            .map { try Operation.stored($0) }
        if ops.isEmpty {
            // Now, not in a batch: a later annotation may be given this rowid again.
            try db.execute(sql: "DELETE FROM annotation_search WHERE rowid = ?", arguments: [rowid])
            try db.execute(sql: "DELETE FROM search_pending WHERE annotation = ?", arguments: [rowid])
            if let previous, !previous.deleted { try deleteTags(previous.tags, of: rowid, in: db) }
            try db.execute(sql: "DELETE FROM annotations WHERE row = ?", arguments: [rowid])
            tallies.annotation(from: previous, to: nil)
            return
        }
        var state = AnnotationState(id: id)
        for op in ops { state.merge(op) }
        try save(state, rowid: rowid, view: state.annotation, previous: previous, in: db)
        tallies.annotation(from: previous, to: state.annotation)
    }
}
