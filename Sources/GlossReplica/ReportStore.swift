import Foundation
import GRDB
import GlossCore

/// Reads and writes report rows and their search index.
enum ReportStore {
    static func exists(_ id: ReportID, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM reports WHERE id = ?", arguments: [id.rawValue]) ?? false
    }

    /// Stores a report unless it is already here; true when it was new.
    static func insert(_ report: Report, source: String, at time: Int64, in db: Database) throws -> Bool {
        try db.execute(sql: """
            INSERT INTO reports(id, title, summary, body, sections, revises, source, imported_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING
            """, arguments: [report.id.rawValue, report.title, report.summary, report.text,
                             try JSON.string(report.sections), report.revises?.rawValue, source, time])
        guard db.changesCount > 0 else { return false }
        try db.execute(sql: "INSERT INTO report_search(rowid, title, body) VALUES (last_insert_rowid(), ?, ?)",
                       arguments: [report.title, report.text])
        return true
    }

    static func fetch(_ id: ReportID, in db: Database) throws -> Report? {
        try ReportRow.fetchOne(db, sql: "SELECT * FROM reports WHERE id = ?", arguments: [id.rawValue])?.report()
    }
}

/// A report as listed: what it is and how much work is on it.
public struct ReportSummary: Codable, Sendable {
    public var id: ReportID
    public var title: String
    public var source: String
    public var sections: Int
    public var annotations: Int
    /// Kept off the server (`gloss import --local`).
    public var local: Bool
}

extension Replica {
    /// The outcome of importing one report.
    public struct Imported: Codable, Sendable {
        public var id: ReportID
        public var title: String
        public var file: String
        /// False when the same report (same canonical text) was already here.
        public var isNew: Bool
        /// Kept off the server (`gloss import --local`), with the notes on it.
        public var local: Bool = false
        /// It was kept local until this import shared it.
        public var shared: Bool = false
    }

    /// Stores a parsed report; importing the same report again changes nothing, except that
    /// importing a local report without `local` shares it with the team from the next sync.
    public func importReport(_ report: Report, source: String, local: Bool = false) throws -> Imported {
        let time = now()
        return try pool.write { db in
            let isNew = try ReportStore.insert(report, source: source, at: time, in: db)
            if isNew, local {
                try db.execute(sql: "UPDATE reports SET local = 1 WHERE id = ?", arguments: [report.id.rawValue])
            }
            var shared = false
            if !isNew, !local {
                try db.execute(sql: "UPDATE reports SET local = 0 WHERE id = ? AND local = 1", arguments: [report.id.rawValue])
                shared = db.changesCount == 1
            }
            let isLocal = try Bool.fetchOne(db, sql: "SELECT local FROM reports WHERE id = ?", arguments: [report.id.rawValue]) ?? false
            return Imported(id: report.id, title: report.title, file: source, isNew: isNew, local: isLocal, shared: shared)
        }
    }

    public func report(_ id: ReportID) throws -> Report {
        guard let report = try pool.read({ try ReportStore.fetch(id, in: $0) }) else {
            throw ReplicaError.reportNotFound(id)
        }
        return report
    }

    /// A report's canonical text, the one selectors point into (without decoding its sections).
    func reportText(_ id: ReportID) throws -> String {
        guard let text = try pool.read({ try String.fetchOne($0, sql: "SELECT body FROM reports WHERE id = ?", arguments: [id.rawValue]) }) else {
            throw ReplicaError.reportNotFound(id)
        }
        return text
    }

    /// The note counts are kept as annotations change (009_tallies), not counted here.
    static let reportsQuery = """
        SELECT r.id, r.title, r.source, r.local, json_array_length(r.sections) AS sections, coalesce(t.notes, 0) AS n
        FROM reports r LEFT JOIN report_tallies t ON t.report = r.id ORDER BY r.title, r.id
        """

    /// The titles of `ids` (those this replica holds).
    public func reportTitles(_ ids: some Sequence<ReportID>) throws -> [ReportID: String] {
        try pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT title FROM reports WHERE id = ?")
            var titles: [ReportID: String] = [:]
            for id in Set(ids) { titles[id] = try String.fetchOne(statement, arguments: [id.rawValue]) }
            return titles
        }
    }

    /// Every report with its note count. A report that revises another counts the notes it
    /// shows: its own and those carried from earlier versions (as `show` and `list --report`).
    public func reports() throws -> [ReportSummary] {
        var list = try pool.read { db in
            try Row.fetchAll(db, sql: Self.reportsQuery).map { row in
                ReportSummary(id: ReportID(rawValue: row["id"]), title: row["title"], source: row["source"],
                              sections: row["sections"], annotations: row["n"], local: row["local"])
            }
        }
        // A version in a chain shows the notes `notes` gives it (carried in, or settled in a later version).
        let chains = try revisionChains()
        for index in list.indices where chains.links[list[index].id] != nil || chains.revision(of: list[index].id) != nil {
            list[index].annotations = try notes(AnnotationFilter(report: list[index].id), carrying: false).count
        }
        return list
    }
}
