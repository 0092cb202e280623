import Foundation
import GRDB
import GlossCore

/// A file of operations and the reports they annotate, for hand-over without a network
/// (`gloss ops export` / `gloss ops apply`), e.g. on removable media.
public struct OperationBundle: Codable, Sendable {
    public static let formatName = "gloss-operations"
    public static let currentVersion = 1
    /// Largest bundle `gloss ops apply` reads.
    public static let maxBytes = 256 * 1024 * 1024

    public var format = OperationBundle.formatName
    public var version = OperationBundle.currentVersion
    public var reports: [Report]
    public var operations: [GlossCore.Operation]
    /// The claims of the operations' replicas that the exporter holds (``ReplicaClaim``), so
    /// the author's other machine can push them, and the receiver can check who wrote them.
    public var claims: [ReplicaClaim]

    public init(reports: [Report], operations: [GlossCore.Operation], claims: [ReplicaClaim] = []) {
        self.reports = reports
        self.operations = operations
        self.claims = claims
    }

    enum CodingKeys: String, CodingKey { case format, version, reports, operations, claims }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        version = try c.decode(Int.self, forKey: .version)
        reports = try c.decode([Report].self, forKey: .reports)
        operations = try c.decode([Operation].self, forKey: .operations)
        claims = try c.decodeIfPresent([ReplicaClaim].self, forKey: .claims) ?? []
    }

    /// Reads a bundle, refusing anything that is not one with a clear reason.
    public static func decode(_ data: Data, file: String) throws -> OperationBundle {
        struct Header: Decodable { var format: String?; var version: Int? }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw ReplicaError.notABundle(file: file, detail: "not a JSON object")
        }
        guard header.format == formatName else {
            throw ReplicaError.notABundle(file: file, detail: "format is \(header.format.map { "'\($0)'" } ?? "missing")")
        }
        guard header.version == currentVersion else {
            throw ReplicaError.bundleVersion(file: file, version: header.version ?? 0, supported: currentVersion)
        }
        do {
            return try JSONDecoder().decode(OperationBundle.self, from: data)
        } catch {
            throw ReplicaError.bundleDamaged(file: file, detail: DecodingErrorText.describe(error))
        }
    }
}

extension Replica {
    /// The operations (and the reports they need) that arrived after local sequence `since`;
    /// private notes only when `includePrivate` (to carry them to one's own other machine).
    public func exportBundle(since: Int64 = 0, includePrivate: Bool = false) throws -> (bundle: OperationBundle, lastSeq: Int64) {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT seq, payload FROM operations WHERE seq > ? AND (private = 0 OR ?) ORDER BY seq",
                                        arguments: [since, includePrivate])
            let operations = try rows.map { try Operation.stored($0["payload"] as String) }
            var reportIDs = Set<ReportID>()
            for op in operations { if case let .create(c) = op.change { reportIDs.insert(c.report) } }
            let reports = try reportIDs.sorted().compactMap { try ReportStore.fetch($0, in: db) }
            let claims = try Self.claims(for: Set(operations.map(\.id.replica)), in: db)
            return (OperationBundle(reports: reports, operations: operations, claims: claims), rows.last?["seq"] ?? since)
        }
    }

    /// Takes in a bundle: its reports, then its operations.
    public func apply(_ bundle: OperationBundle, source: String) throws -> (reports: [Imported], result: ApplyResult) {
        var imported: [Imported] = []
        for report in bundle.reports {
            // A report is content-addressed and its title, summary and sections are its text;
            // a link to an earlier version is not the sender's to set (it is an operation).
            if let problem = report.integrityProblem {
                throw ReplicaError.reportAltered(report.id, problem: problem, source: source)
            }
            imported.append(try importReport(report.shared, source: source))
        }
        let result = try apply(bundle.operations, claims: bundle.claims)
        try indexPendingSearch()
        return (imported, result)
    }
}
