import GRDB
import GlossCore

/// Changes to the counts kept in `report_tallies` and `tallies` (009_tallies), gathered while a
/// transaction writes rows and saved once at its end, in it: `gloss reports` and `gloss status`
/// read them instead of counting a year of rows.
///
/// Only ``Replica/ingest(_:payloads:acknowledged:into:result:)`` logs operations and
/// materialises annotations, and only ``Replica/unlog(_:in:)`` takes them out; both keep one of
/// these. The unsent count also moves where a push's answer acknowledges operations
/// (``Replica/record(_:)``) and where a replica starts over with a new server store. `TallyTests` checks the counts against counting the rows after random histories.
struct Tallies {
    /// Rows added to the log, less rows taken out.
    var operations = 0
    /// Operations waiting for the server: logged unacknowledged, less those acknowledged or
    /// taken out while waiting (013_unsent_tally).
    var unsent = 0
    /// Change in each report's annotations that show.
    private(set) var notes: [ReportID: Int] = [:]

    /// An annotation's row went from showing `previous` to showing `view` (nil: no row, or no
    /// create yet). It counts on its report while it exists and is not deleted.
    mutating func annotation(from previous: Annotation?, to view: Annotation?) {
        if let previous, !previous.deleted { notes[previous.report, default: 0] -= 1 }
        if let view, !view.deleted { notes[view.report, default: 0] += 1 }
    }

    func save(in db: Database) throws {
        if operations != 0 {
            try db.execute(sql: "UPDATE tallies SET value = value + ? WHERE name = 'operations'", arguments: [operations])
        }
        if unsent != 0 {
            try db.execute(sql: "UPDATE tallies SET value = value + ? WHERE name = 'unsent'", arguments: [unsent])
        }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO report_tallies(report, notes) VALUES (?, ?) ON CONFLICT(report) DO UPDATE SET notes = notes + excluded.notes
            """)
        for (report, change) in notes where change != 0 {
            try upsert.execute(arguments: [report.rawValue, change])
        }
    }
}
