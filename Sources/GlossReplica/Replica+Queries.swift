import Foundation
import GRDB
import GlossCore

/// Filters for `gloss list`.
public struct AnnotationFilter: Sendable {
    public var report: ReportID?
    public var tag: String?
    public var author: UserName?
    public var status: Status?
    public var includeDeleted = false
    public var onlyConflicts = false
    /// At most this many, in the list's order.
    public var limit: Int?

    public init(report: ReportID? = nil, tag: String? = nil, author: UserName? = nil, status: Status? = nil,
                includeDeleted: Bool = false, onlyConflicts: Bool = false, limit: Int? = nil) {
        self.report = report
        self.tag = tag
        self.author = author
        self.status = status
        self.includeDeleted = includeDeleted
        self.onlyConflicts = onlyConflicts
        self.limit = limit
    }
}

/// One hit of `gloss search`.
public struct SearchHit: Codable, Sendable {
    public enum Kind: String, Codable, Sendable { case report, annotation }
    public var kind: Kind
    /// The report id or the annotation id.
    public var id: String
    public var report: ReportID
    public var title: String
    /// Matching text with the match in [brackets].
    public var snippet: String
}

/// Read-only questions asked of the replica.
extension Replica {
    public func annotation(_ id: AnnotationID) throws -> Annotation {
        guard let view = try pool.read({ try AnnotationStore.state(of: id, in: $0)?.annotation }) else {
            throw ReplicaError.annotationNotFound(id)
        }
        return view
    }

    /// Annotations matching the filter, ordered by report, position and creation.
    public func annotations(_ filter: AnnotationFilter = .init()) throws -> [Annotation] {
        let (sql, arguments) = Self.query(filter)
        return try pool.read { db in
            try String.fetchAll(db, sql: sql, arguments: arguments).compactMap(AnnotationStore.view(fromState:))
        }
    }

    /// The statement behind ``annotations(_:)``; `QueryPlanTests` checks that each kind reads
    /// through an index what it prints, not the whole table.
    static func query(_ filter: AnnotationFilter) -> (sql: String, arguments: StatementArguments) {
        var clauses = ["report IS NOT NULL"]
        var arguments: StatementArguments = []
        if let report = filter.report { clauses.append("report = ?"); arguments += [report.rawValue] }
        // An author may hold most of the replica, a report or a tag only what was written on it:
        // with either given, `+` keeps SQLite (which has no statistics) off the author index.
        if let author = filter.author {
            clauses.append(filter.report == nil && filter.tag == nil ? "author = ?" : "+author = ?"); arguments += [author.rawValue]
        }
        if let status = filter.status { clauses.append("status = ?"); arguments += [status.rawValue] }
        if let tag = filter.tag {
            clauses.append("row IN (SELECT annotation FROM annotation_tag_rows WHERE tag = ?)"); arguments += [tag]
        }
        if !filter.includeDeleted { clauses.append("deleted = 0") }
        if filter.onlyConflicts { clauses.append("conflict = 1") }
        // The open conflicts have an index of their own, as small as the list (009_tallies).
        let table = filter.onlyConflicts && !filter.includeDeleted ? "annotations INDEXED BY annotations_in_conflict" : "annotations"
        var sql = "SELECT state FROM \(table) WHERE \(clauses.joined(separator: " AND ")) ORDER BY report, coalesce(start, -1), created_wall, id"
        if let limit = filter.limit { sql += " LIMIT ?"; arguments += [limit] }
        return (sql, arguments)
    }

    /// Resolves a unique id prefix of an annotation, git style.
    ///
    /// A prefix that names no annotation here but a note the server refused
    /// (``refusedNotes()``) gives that note with `orRefused` (`gloss show`, `gloss delete`);
    /// otherwise it is ``ReplicaError/refusedAnnotation(_:reason:)``, so that the analyst
    /// learns where their note went rather than that it does not exist.
    public func resolveAnnotation(_ prefix: String, orRefused: Bool = false) throws -> AnnotationID {
        do {
            return AnnotationID(rawValue: try resolve(prefix, table: "annotations", kind: .annotation, extra: "AND report IS NOT NULL"))
        } catch ReplicaError.noMatch(.annotation, let text) {
            let refused = try refusedNotes(matching: prefix.lowercased())
            switch refused.count {
            case 0: throw ReplicaError.noMatch(.annotation, prefix: text)
            case 1:
                if orRefused { return refused[0] }
                throw ReplicaError.refusedAnnotation(refused[0], reason: try refusedNote(refused[0])?.reason ?? "")
            default: throw ReplicaError.ambiguous(.annotation, prefix: text, matches: refused.map(\.short))
            }
        }
    }

    /// Resolves a unique id prefix of a report, git style.
    public func resolveReport(_ prefix: String) throws -> ReportID {
        ReportID(rawValue: try resolve(prefix, table: "reports", kind: .report, extra: ""))
    }

    private func resolve(_ prefix: String, table: String, kind: ReplicaError.IDKind, extra: String) throws -> String {
        let key = prefix.lowercased()
        guard !key.isEmpty, key.allSatisfy(\.isHexDigit) else { throw ReplicaError.malformedID(kind, text: prefix) }
        let matches = try pool.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM \(table) WHERE id >= ? AND id < ? \(extra) ORDER BY id LIMIT 6",
                                arguments: [key, key + "g"])
        }
        switch matches.count {
        case 0: throw ReplicaError.noMatch(kind, prefix: prefix)
        case 1: return matches[0]
        default: throw ReplicaError.ambiguous(kind, prefix: prefix, matches: matches.map { String($0.prefix(12)) })
        }
    }

    /// Brings the annotation search index up to date (see ``AnnotationStore/indexPendingSearch(in:)``);
    /// `search` does it first anyway, this does it ahead of time (after a pull, say).
    public func indexPendingSearch() throws {
        try pool.write { try AnnotationStore.indexPendingSearch(in: $0) }
    }

    /// Full-text search (FTS5) over report text and annotation bodies and tags; prefix matching
    /// on every word: reports first, then notes, each by rank, `limit` hits in all.
    public func search(_ query: String, limit: Int = 50) throws -> [SearchHit] {
        try searchPage(query, limit: limit).hits
    }

    /// ``search(_:limit:)``, and whether more hits were left out.
    public func searchPage(_ query: String, limit: Int) throws -> (hits: [SearchHit], more: Bool) {
        let all = try searchHits(query, limit: limit + 1)
        return (Array(all.prefix(limit)), all.count > limit)
    }

    private func searchHits(_ query: String, limit: Int) throws -> [SearchHit] {
        guard let pattern = FTS5Pattern(matchingAllPrefixesIn: query) else { return [] }
        return try pool.write { db in
            try AnnotationStore.indexPendingSearch(in: db)
            var hits: [SearchHit] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT r.id, r.title, snippet(report_search, 1, '[', ']', '…', 12) AS snip
                FROM report_search JOIN reports r ON r.row = report_search.rowid
                WHERE report_search MATCH ? ORDER BY rank LIMIT ?
                """, arguments: [pattern, limit]) {
                hits.append(SearchHit(kind: .report, id: row["id"], report: ReportID(rawValue: row["id"]),
                                      title: row["title"], snippet: row["snip"]))
            }
            if hits.count >= limit { return hits }
            for row in try Row.fetchAll(db, sql: """
                SELECT a.id, a.report, coalesce(r.title, '') AS title, snippet(annotation_search, 0, '[', ']', '…', 12) AS snip
                FROM annotation_search JOIN annotations a ON a.row = annotation_search.rowid
                LEFT JOIN reports r ON r.id = a.report
                WHERE annotation_search MATCH ? ORDER BY rank LIMIT ?
                """, arguments: [pattern, limit - hits.count]) {
                hits.append(SearchHit(kind: .annotation, id: row["id"], report: ReportID(rawValue: row["report"]),
                                      title: row["title"], snippet: row["snip"]))
            }
            return hits
        }
    }

    /// The operation log in arrival order, optionally for one annotation.
    public func log(annotation: AnnotationID? = nil, limit: Int = 100) throws -> [GlossCore.Operation] {
        try pool.read { db in
            let rows: [String]
            if let annotation {
                rows = try String.fetchAll(db, sql: """
                    SELECT payload FROM operations WHERE annotation_row = (SELECT row FROM annotations WHERE id = ?)
                    ORDER BY seq DESC LIMIT ?
                    """, arguments: [annotation.rawValue, limit])
            } else {
                rows = try String.fetchAll(db, sql: "SELECT payload FROM operations ORDER BY seq DESC LIMIT ?", arguments: [limit])
            }
            return try rows.map { try Operation.stored($0) }
        }
    }

    /// An annotation's operations in stamp order (HLC, then operation id), oldest first: the
    /// order every replica agrees on, whatever order the operations arrived in.
    public func history(of annotation: AnnotationID) throws -> [GlossCore.Operation] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM operations WHERE annotation_row = (SELECT row FROM annotations WHERE id = ?)",
                                arguments: [annotation.rawValue])
                .map { try Operation.stored($0) }
                .sorted { $0.stamp < $1.stamp }
        }
    }

    /// Every operation in the log, in global id order (for the lossless export).
    public func allOperations() throws -> [GlossCore.Operation] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM operations ORDER BY replica, counter")
                .map { try Operation.stored($0) }
        }
    }

    /// Those of `ids` whose annotation shows a body conflict now, each once, in their order.
    /// A sync announces only these: a conflict that a later page (or a local edit meanwhile)
    /// resolved is not news.
    public func inConflict(_ ids: [AnnotationID]) throws -> [AnnotationID] {
        guard !ids.isEmpty else { return [] }
        return try pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT 1 FROM annotations WHERE id = ? AND conflict = 1 AND deleted = 0")
            var seen = Set<AnnotationID>()
            return try ids.filter { id in
                try seen.insert(id).inserted && Bool.fetchOne(statement, arguments: [id.rawValue]) == true
            }
        }
    }

    /// Counts for `gloss status`, from the tallies kept as rows change (reports' notes, the log,
    /// the unsent operations) and from indexes as small as what they count (open conflicts):
    /// none reads the history.
    public func counts() throws -> (reports: Int, annotations: Int, operations: Int, unacknowledged: Int, conflicts: Int, refused: Int) {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: Self.countsQuery)!
            return (row["r"], row["a"], row["o"], row["u"], row["c"], row["x"])
        }
    }

    static let countsQuery = """
        SELECT (SELECT count(*) FROM reports) AS r,
               (SELECT coalesce(sum(notes), 0) FROM report_tallies) AS a,
               (SELECT value FROM tallies WHERE name = 'operations') AS o,
               (SELECT value FROM tallies WHERE name = 'unsent') AS u,
               (SELECT count(*) FROM refused_operations) AS x,
               (SELECT count(*) FROM annotations INDEXED BY annotations_in_conflict WHERE conflict = 1 AND deleted = 0) AS c
        """
}
