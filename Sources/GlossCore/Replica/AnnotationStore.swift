import Foundation
import GRDB

/// Reads and writes the materialised annotation rows (state, view, tags, search index).
enum AnnotationStore {
    static func state(of id: AnnotationID, in db: Database) throws -> AnnotationState? {
        let statement = try db.cachedStatement(sql: "SELECT state FROM annotations WHERE id = ?")
        guard let text = try String.fetchOne(statement, arguments: [id.rawValue]) else { return nil }
        return try JSON.decode(AnnotationState.self, from: text)
    }

    /// What the stored row held before a save, which decides whether its tag and search rows need rewriting.
    enum Previous {
        /// No row: no tag or search rows either.
        case none
        /// The row was made from this view (nil before the create arrived); its tag and search rows are this view's.
        case view(Annotation?)
        /// Unknown: rewrite the tag and search rows.
        case unknown
    }

    /// Writes the state and its view; the tag and search rows only when what they index changed.
    static func save(_ state: AnnotationState, view: Annotation?, previous: Previous, in db: Database) throws {
        let stateJSON = JSONWriter.string(state)
        let viewJSON = view.map(JSONWriter.string)
        let rowid = try Int64.fetchOne(db.cachedStatement(sql: """
            INSERT INTO annotations(id, state, view, report, author, parent, status, deleted, conflict, private, start, created_wall, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET state = excluded.state, view = excluded.view, report = excluded.report,
                author = excluded.author, parent = excluded.parent, status = excluded.status,
                deleted = excluded.deleted, conflict = excluded.conflict, private = excluded.private,
                start = excluded.start, created_wall = excluded.created_wall, body = excluded.body
            RETURNING rowid
            """), arguments: [
                state.id.rawValue, stateJSON, viewJSON, view?.report.rawValue, view?.author, view?.parent?.rawValue,
                view?.status.rawValue, view?.deleted ?? false, view?.hasConflict ?? false,
                view?.visibility == .private, view?.target?.position.start, view?.created.wall, view?.body,
            ])!
        let indexed = view.flatMap { $0.deleted ? nil : $0 }
        let hasRows: Bool
        switch previous {
        case .none: hasRows = false
        case .unknown: hasRows = true
        case let .view(old):
            let wasIndexed = old.flatMap { $0.deleted ? nil : $0 }
            if let indexed, let wasIndexed, indexed.body == wasIndexed.body, indexed.tags == wasIndexed.tags { return }
            hasRows = wasIndexed != nil
        }
        if hasRows {
            try db.cachedStatement(sql: "DELETE FROM annotation_tags WHERE annotation = ?").execute(arguments: [state.id.rawValue])
            try db.cachedStatement(sql: "DELETE FROM annotation_search WHERE rowid = ?").execute(arguments: [rowid])
        }
        guard let indexed else { return }
        let insertTag = try db.cachedStatement(sql: "INSERT INTO annotation_tags(tag, annotation) VALUES (?, ?)")
        for tag in indexed.tags { try insertTag.execute(arguments: [tag, state.id.rawValue]) }
        try db.cachedStatement(sql: "INSERT INTO annotation_search(rowid, body, tags) VALUES (?, ?, ?)")
            .execute(arguments: [rowid, indexed.body, indexed.tags.joined(separator: " ")])
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
        // The rows on disk may index any earlier view: rewrite them all.
        try save(state, view: state.annotation, previous: .unknown, in: db)
    }
}
