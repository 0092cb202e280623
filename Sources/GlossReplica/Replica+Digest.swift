import GRDB
import GlossCore

/// What arrived in a sync, kept so that `gloss digest` can say it again (`Digest` decides what
/// is worth saying; this gathers the facts). Each sync notes the last operation and report
/// numbers before it began and after it ended (`syncs`, migration 010).
extension Replica {
    /// Which arrivals a digest covers.
    public enum DigestSpan: Sendable, Equatable {
        /// What the latest sync brought.
        case lastSync
        /// What every sync since this time (ms since the epoch) brought.
        case since(Int64)
    }

    /// The marks a sync takes as it begins.
    public struct SyncMarks: Sendable {
        var started: Int64
        var afterSeq: Int64
        var afterRow: Int64
    }

    public func beginSync() throws -> SyncMarks {
        let time = now()
        return try pool.read { db in
            SyncMarks(started: time,
                      afterSeq: try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM operations") ?? 0,
                      afterRow: try Int64.fetchOne(db, sql: "SELECT coalesce(max(row), 0) FROM reports") ?? 0)
        }
    }

    /// Notes what the sync that began at `marks` brought, when it brought anything (so that
    /// "the last sync" of a running `--watch` is the last one that brought something).
    public func endSync(_ marks: SyncMarks) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO syncs (started, after_seq, after_row, last_seq, last_row)
                SELECT ?, ?, ?, last_seq, last_row FROM (SELECT (SELECT coalesce(max(seq), 0) FROM operations) AS last_seq,
                                                            (SELECT coalesce(max(row), 0) FROM reports) AS last_row)
                WHERE last_seq > ? OR last_row > ?
                """, arguments: [marks.started, marks.afterSeq, marks.afterRow, marks.afterSeq, marks.afterRow])
        }
    }

    /// The digest of what arrived in `span`, for this replica's user. Operations made here are
    /// not arrivals; your own from another machine are.
    public func digest(_ span: DigestSpan = .lastSync) throws -> Digest {
        try pool.read { db in
            let marks: SyncRow?
            switch span {
            case .lastSync:
                marks = try SyncRow.fetchOne(db, sql: "SELECT * FROM syncs ORDER BY started DESC LIMIT 1")
            case let .since(time):
                marks = try SyncRow.fetchOne(db, sql: """
                    SELECT min(started) AS started, min(after_seq) AS after_seq, min(after_row) AS after_row,
                           max(last_seq) AS last_seq, max(last_row) AS last_row
                    FROM syncs WHERE started >= ? HAVING count(*) > 0
                    """, arguments: [time])
            }
            guard let marks else { return Digest() }
            let user = try Meta.load(db).user
            let own = Set(try String.fetchAll(db, sql: "SELECT replica FROM replica_claims WHERE minted = 1"))
            // The arrivals a page at a time: a first sync of a long history brought all of it,
            // and the digest's memory must not grow with that (`gloss-bench --only sync`).
            var builder = Digest.Builder(user: user)
            var checked = Set<ReportID>(), annotated = Set<ReportID>()
            var titles: [ReportID: String] = [:]
            var after = marks.afterSeq
            let last = marks.lastSeq
            while after < last {
                let rows = try LoggedOperation.fetchAll(db, sql: "SELECT seq, payload FROM operations WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT 1000",
                                            arguments: [after, last])
                guard let end = rows.last?.seq else { break }
                after = end
                let arrivals = try rows.map { try $0.operation() }.filter { !own.contains($0.id.replica.hex) }
                var annotations: [AnnotationID: Annotation] = [:]
                func load(_ id: AnnotationID) throws {
                    guard annotations[id] == nil, let view = try AnnotationStore.state(of: id, in: db)?.annotation else { return }
                    annotations[id] = view
                    if let parent = view.parent { try load(parent) }
                }
                for op in arrivals { try load(op.annotation) }
                for report in Set(annotations.values.map(\.report)) where checked.insert(report).inserted {
                    if try Bool.fetchOne(db, sql: "SELECT 1 FROM annotations WHERE report = ? AND +author = ? LIMIT 1",
                                         arguments: [report.rawValue, user.rawValue]) ?? false { annotated.insert(report) }
                    titles[report] = try String.fetchOne(db, sql: "SELECT title FROM reports WHERE id = ?", arguments: [report.rawValue])
                }
                for op in arrivals {
                    builder.add(op, annotations: annotations, annotatedReports: annotated, reportTitles: titles)
                }
            }
            let reportSpan: StatementArguments = [marks.afterRow, marks.lastRow]
            let newReports = try Row.fetchAll(db, sql: """
                SELECT id, title FROM reports WHERE row > ? AND row <= ? AND source = 'server' ORDER BY row LIMIT \(Digest.shownPerKind)
                """, arguments: reportSpan)
                .map { Digest.NewReport(id: ReportID(rawValue: $0["id"]), title: $0["title"]) }
            let reportTotal = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM reports WHERE row > ? AND row <= ? AND source = 'server'
                """, arguments: reportSpan) ?? 0
            return builder.digest(newReports: newReports, reportTotal: reportTotal)
        }
    }

    /// How many notes on each report the last sync brought or changed (made elsewhere, not
    /// deleted): the reader page's "new" beside a report. Reads only that sync's operations.
    public func notesArrivedInLastSync() throws -> [ReportID: Int] {
        try pool.read { db in
            guard let marks = try SyncRow.fetchOne(db, sql: "SELECT * FROM syncs ORDER BY started DESC LIMIT 1") else { return [:] }
            let own = try String.fetchAll(db, sql: "SELECT replica FROM replica_claims WHERE minted = 1")
                .compactMap { ReplicaID(hex: $0) }.map { Int64(bitPattern: $0.rawValue) }
            var counts: [ReportID: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT a.report AS report, count(DISTINCT o.annotation) AS n
                FROM operations o JOIN annotations a ON a.row = o.annotation_row
                WHERE o.seq > ? AND o.seq <= ? AND a.deleted = 0 AND a.report IS NOT NULL
                  AND o.replica NOT IN (SELECT value FROM json_each(?))
                GROUP BY a.report
                """, arguments: [marks.afterSeq, marks.lastSeq, "[" + own.map(String.init).joined(separator: ",") + "]"]) {
                counts[ReportID(rawValue: row["report"])] = row["n"]
            }
            return counts
        }
    }
}
