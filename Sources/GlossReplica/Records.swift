import GRDB
import GlossCore

// One record type per table of the replica (Schema/replica), named after it, with its columns
// as the schema has them after the last migration. A row is read through its record, by column
// name, not by `Row` subscripts spread through the code.
//
// What is not read as a whole row:
// - the hot paths read one column as a plain value: an operation's `payload` (``LoggedOperation``,
//   its projection with `seq`), an annotation's `state`, counts;
// - writes that run once per operation (`AnnotationStore`, `Replica+Apply`) bind their columns
//   through `FastStatement`, in the order the record lists them;
// - queries that join or aggregate (search hits, report summaries, the digest's counts) return
//   the public type they answer with.
// The full-text tables (`report_search`, `annotation_search`) are FTS5 indexes, kept by
// `ReportStore` and `AnnotationStore`.

/// A row of `meta` (001): the replica's settings, one key to a value. ``Meta`` is its typed view.
struct MetaRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "meta"
    var key: String
    var value: String

    /// Every row whose key starts with `prefix`, in key order.
    static func prefixed(_ prefix: String, in db: Database) throws -> [MetaRow] {
        try fetchAll(db, sql: "SELECT key, value FROM meta WHERE key >= ? AND key < ? ORDER BY key",
                     arguments: [prefix, prefix + "\u{10FFFF}"])
    }
}

/// A row of `reports` (001, 002, 008, 010).
struct ReportRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "reports"
    /// What `report_search` keys on.
    var row: Int64
    var id: String
    var title: String
    var summary: String
    /// The canonical text selectors point into.
    var body: String
    /// `[Report.Section]` as JSON.
    var sections: String
    var revises: String?
    /// The file name it was imported from ("server" when a sync brought it).
    var source: String
    /// Local wall clock, ms; never exported.
    var importedAt: Int64
    /// The team server has it.
    var uploaded: Bool
    /// Kept off the server (`gloss import --local`).
    var local: Bool

    enum CodingKeys: String, CodingKey {
        case row, id, title, summary, body, sections, revises, source, importedAt = "imported_at", uploaded, local
    }

    func report() throws -> Report {
        var report = Report(title: title, summary: summary, sections: try JSON.decode([Report.Section].self, from: sections))
        report.revises = revises.map(ReportID.init(rawValue:))
        // The stored id and text are authoritative (they were computed when imported).
        report.id = ReportID(rawValue: id)
        report.text = body
        return report
    }
}

/// A row of `operations` (001, 002, 006): the log, one operation to a row, in arrival order.
struct OperationRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "operations"
    var seq: Int64
    /// The 64-bit replica id, stored as its signed bit pattern.
    var replica: Int64
    var counter: Int64
    var hlcWall: Int64
    var hlcLogical: Int64
    var author: String
    var workspace: String
    var annotation: String
    /// ``TrustStatement/kind``.
    var kind: String
    var `private`: Bool
    /// The operation's wire form (`JSONWriter`), what is pushed and exported byte for byte.
    var payload: String
    /// The team server acknowledged it.
    var acked: Bool
    /// `annotations.row` of the note it changes.
    var annotationRow: Int64?

    enum CodingKeys: String, CodingKey {
        case seq, replica, counter, hlcWall = "hlc_wall", hlcLogical = "hlc_logical", author, workspace, annotation, kind,
             `private`, payload, acked, annotationRow = "annotation_row"
    }

    var id: OperationID {
        OperationID(replica: ReplicaID(rawValue: UInt64(bitPattern: replica)), counter: UInt64(bitPattern: counter))
    }
}

/// The projection of `operations` the log is read through a page at a time: where an operation
/// sits, and its wire form.
struct LoggedOperation: Decodable, FetchableRecord {
    var seq: Int64
    var payload: String

    func operation() throws -> GlossCore.Operation { try Operation.stored(payload) }
}

/// A row of `annotations` (008, 011): a note's merged state and the columns queries filter on.
struct AnnotationRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "annotations"
    /// What `annotation_tag_rows`, `search_pending`, `annotation_search` and `operations.annotation_row` key on.
    var row: Int64
    var id: String
    /// The merged `AnnotationState` as JSON.
    var state: String
    var report: String?
    var author: String?
    var parent: String?
    var status: String?
    var deleted: Bool
    var conflict: Bool
    var `private`: Bool
    var start: Int64?
    var createdWall: Int64?
    /// The text `annotation_search` indexes.
    var body: String?
    /// Visible tags, space-separated, as indexed.
    var tags: String?
    /// The report a revision link's note says this one revises.
    var revises: String?

    enum CodingKeys: String, CodingKey {
        case row, id, state, report, author, parent, status, deleted, conflict, `private`, start, createdWall = "created_wall",
             body, tags, revises
    }
}

/// A row of `annotation_tag_rows` (004): one visible tag of one note.
struct AnnotationTagRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "annotation_tag_rows"
    var tag: String
    /// `annotations.row`.
    var annotation: Int64
}

/// A row of `search_pending` (004): a note whose search entry is stale.
struct SearchPendingRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "search_pending"
    /// `annotations.row`.
    var annotation: Int64
}

/// A row of `refused_operations` (002): an operation the server refused for good.
struct RefusedRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "refused_operations"
    var seq: Int64
    /// The operation id, REPLICA-COUNTER.
    var op: String
    /// A `Sync.Refusal.Code`.
    var code: String
    var reason: String
    /// The operation's wire form.
    var payload: String
    /// Local wall clock, ms.
    var refusedAt: Int64

    enum CodingKeys: String, CodingKey { case seq, op, code, reason, payload, refusedAt = "refused_at" }
}

/// A row of `quarantined_operations` (011): an operation from a file, set aside.
struct QuarantinedRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "quarantined_operations"
    var seq: Int64
    /// The operation id, REPLICA-COUNTER.
    var op: String
    var reason: String
    /// The operation's wire form, as the file had it.
    var payload: String
    /// The file's claim for its replica id, when one proved its author.
    var salt: String?
    /// The file it came in.
    var source: String
    /// Local wall clock, ms.
    var arrivedAt: Int64

    enum CodingKeys: String, CodingKey { case seq, op, reason, payload, salt, source, arrivedAt = "arrived_at" }

    static func all(in db: Database) throws -> [QuarantinedRow] {
        try fetchAll(db, sql: "SELECT * FROM quarantined_operations ORDER BY seq")
    }
}

/// A row of `replica_claims` (007, 011): who may write under a replica id.
struct ReplicaClaimRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "replica_claims"
    /// 16 hex digits.
    var replica: String
    /// 32 hex digits.
    var salt: String
    /// This replica made the id (its own operations carry it).
    var minted: Bool
}

/// A row of `tallies` (009, 013): a count kept as the log grows ("operations", "unsent").
struct TallyRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "tallies"
    var name: String
    var value: Int64
}

/// A row of `report_tallies` (009): how many notes stand on a report.
struct ReportTallyRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "report_tallies"
    var report: String
    var notes: Int64
}

/// A row of `syncs` (010): what one sync brought, as the log and report numbers before and after.
struct SyncRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "syncs"
    /// Local wall clock, ms.
    var started: Int64
    /// The last `operations.seq` before it.
    var afterSeq: Int64
    /// The last `reports.row` before it.
    var afterRow: Int64
    var lastSeq: Int64
    var lastRow: Int64

    enum CodingKeys: String, CodingKey {
        case started, afterSeq = "after_seq", afterRow = "after_row", lastSeq = "last_seq", lastRow = "last_row"
    }
}

/// A row of `signing_replicas` (014): a replica id this replica minted from its device key.
struct SigningReplicaRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "signing_replicas"
    var replica: String
    /// 32 hex digits, carried by every head of the id's chains.
    var nonce: String
}

/// A row of `chains` (014): how far a teammate's chain is verified (this replica's own chains
/// are their `chain_links`).
struct ChainRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "chains"
    var replica: String
    var `private`: Bool
    var workspace: String
    var author: String
    var count: Int64
    var link: String

    var position: ChainPosition? {
        ChainHash(text: link).map { ChainPosition(count: UInt64(count), link: $0) }
    }
}

/// A row of `chain_links` (014): one position of one of this replica's own chains, which its
/// exports cut runs from (a teammate's chain is kept as the runs that checked, `chain_runs`).
struct ChainLinkRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "chain_links"
    var replica: String
    var `private`: Bool
    var position: Int64
    var counter: Int64
    var digest: String
    var link: String

    func entry() throws -> ChainEntry {
        guard let digest = ChainHash(text: digest) else { throw DatabaseError(message: "chain_links holds a damaged digest") }
        return ChainEntry(counter: UInt64(bitPattern: counter), digest: digest)
    }
}

/// A row of `chain_runs` (014): a signed run of a teammate's chain that checked.
struct ChainRunRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "chain_runs"
    var seq: Int64
    var replica: String
    var `private`: Bool
    /// The run's JSON (``ChainSegment``).
    var body: String
}

/// A row of `trust_roots` (014): the root of trust pinned for a workspace.
struct TrustRootRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "trust_roots"
    var workspace: String
    var key: String
}

/// A row of `trust_statements` (014): one statement of a workspace's root, as its JSON.
struct TrustStatementRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "trust_statements"
    var body: String
    /// ``TrustStatement/kind``.
    var kind: String
    var workspace: String
}

/// A row of `held_operations` (014): an operation whose signature or chain did not check.
struct HeldOperationRow: Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "held_operations"
    var op: String
    /// ``SignaturePolicy/Refusal``'s code.
    var reason: String
    var payload: String
    var source: String
    var arrivedAt: Int64

    enum CodingKeys: String, CodingKey { case op, reason, payload, source, arrivedAt = "arrived_at" }
}
