import Foundation
import GRDB

/// Reads and writes the materialised annotation rows (state, view, tags, search index).
enum AnnotationStore {
    static func state(of id: AnnotationID, in db: Database) throws -> AnnotationState? {
        guard let text = try String.fetchOne(db, sql: "SELECT state FROM annotations WHERE id = ?", arguments: [id.rawValue])
        else { return nil }
        return try JSON.decode(AnnotationState.self, from: text)
    }

    static func save(_ state: AnnotationState, view: Annotation?, in db: Database) throws {
        let stateJSON = try JSON.string(state)
        let viewJSON = try view.map { try JSON.string($0) }
        let rowid = try Int64.fetchOne(db, sql: """
            INSERT INTO annotations(id, state, view, report, author, parent, status, deleted, conflict, private, start, created_wall, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET state = excluded.state, view = excluded.view, report = excluded.report,
                author = excluded.author, parent = excluded.parent, status = excluded.status,
                deleted = excluded.deleted, conflict = excluded.conflict, private = excluded.private,
                start = excluded.start, created_wall = excluded.created_wall, body = excluded.body
            RETURNING rowid
            """, arguments: [
                state.id.rawValue, stateJSON, viewJSON, view?.report.rawValue, view?.author, view?.parent?.rawValue,
                view?.status.rawValue, view?.deleted ?? false, view?.hasConflict ?? false,
                view?.visibility == .private, view?.target?.position.start, view?.created.wall, view?.body,
            ])!
        try db.execute(sql: "DELETE FROM annotation_tags WHERE annotation = ?", arguments: [state.id.rawValue])
        try db.execute(sql: "DELETE FROM annotation_search WHERE rowid = ?", arguments: [rowid])
        guard let view, !view.deleted else { return }
        for tag in view.tags {
            try db.execute(sql: "INSERT INTO annotation_tags(tag, annotation) VALUES (?, ?)", arguments: [tag, state.id.rawValue])
        }
        try db.execute(sql: "INSERT INTO annotation_search(rowid, body, tags) VALUES (?, ?, ?)",
                       arguments: [rowid, view.body, view.tags.joined(separator: " ")])
    }

    /// Recomputes an annotation from the operations left in the log (after some were taken
    /// out), or removes it when none are left.
    static func rebuild(_ id: AnnotationID, in db: Database) throws {
        let ops = try String.fetchAll(db, sql: "SELECT payload FROM operations WHERE annotation = ?", arguments: [id.rawValue])
            .map { try JSON.decode(Operation.self, from: $0) }
        if ops.isEmpty {
            if let rowid = try Int64.fetchOne(db, sql: "SELECT rowid FROM annotations WHERE id = ?", arguments: [id.rawValue]) {
                try db.execute(sql: "DELETE FROM annotation_search WHERE rowid = ?", arguments: [rowid])
            }
            try db.execute(sql: "DELETE FROM annotation_tags WHERE annotation = ?", arguments: [id.rawValue])
            try db.execute(sql: "DELETE FROM annotations WHERE id = ?", arguments: [id.rawValue])
            return
        }
        var state = AnnotationState(id: id)
        for op in ops { state.merge(op) }
        try save(state, view: state.annotation, in: db)
    }
}
