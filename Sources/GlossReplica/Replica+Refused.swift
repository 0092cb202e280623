import GRDB
import GlossCore

/// What the server refused for good, as its author sees it: by note (``RefusedNote``), found by
/// id prefix like any note, and dropped only when its author says so.
///
/// Refused operations are few (a reader's notes before the replica knew the role, a clock far
/// ahead), so they are read whole from `refused_operations`, which keeps each one's payload.
extension Replica {
    /// The refused work, by note, in the order each note was first refused.
    public func refusedNotes() throws -> [RefusedNote] {
        try pool.read { try Self.refusedNotes(in: $0) }
    }

    /// The refused work on one note, or nil when nothing on it was refused.
    public func refusedNote(_ id: AnnotationID) throws -> RefusedNote? {
        try pool.read { db in try Self.refusedNotes(in: db) { $0.annotation == id }.first }
    }

    static func refusedNotes(in db: Database, where chosen: (Operation) -> Bool = { _ in true }) throws -> [RefusedNote] {
        let refusals = try RefusedRow.fetchAll(db, sql: "SELECT * FROM refused_operations ORDER BY seq").compactMap { row -> RefusedNote.Refusal? in
            let op = try Operation.stored(row.payload)
            guard chosen(op) else { return nil }
            return RefusedNote.Refusal(operation: op, code: Sync.Refusal.Code(rawValue: row.code), reason: row.reason)
        }
        return try RefusedNote.gather(refusals) { try AnnotationStore.state(of: $0, in: db) }
    }

    /// The refused notes whose id starts with `prefix` (lower-case hex), each once.
    func refusedNotes(matching prefix: String) throws -> [AnnotationID] {
        let ids = try refusedNotes().map(\.id).filter { $0.rawValue.hasPrefix(prefix) }
        return ids.sorted()
    }

    /// Forgets the refused work on a note, for good: its author no longer wants it offered
    /// again (`gloss delete ID`). Returns what was dropped, or nil when nothing was refused on it.
    @discardableResult
    func dropRefused(_ id: AnnotationID) throws -> RefusedNote? {
        try pool.write { db in
            guard let note = try Self.refusedNotes(in: db, where: { $0.annotation == id }).first else { return nil }
            let delete = try db.cachedStatement(sql: "DELETE FROM refused_operations WHERE op = ?")
            for refusal in note.refusals { try delete.execute(arguments: [refusal.operation.id.description]) }
            return note
        }
    }
}
