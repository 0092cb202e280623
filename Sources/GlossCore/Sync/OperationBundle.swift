import Foundation

/// A file of operations and the reports they annotate, for hand-over without a network
/// (`gloss ops export` / `gloss ops apply`), e.g. on removable media.
///
/// Read and written with the operations' one codec (``JSONReader``/``JSONWriter``); the reports
/// in it are in their `Codable` form. `Codable` stays for tests, as the oracle.
public struct OperationBundle: Codable, Sendable, Equatable {
    public static let formatName = "gloss-operations"
    public static let currentVersion = 1
    /// Largest bundle `gloss ops apply` reads.
    public static let maxBytes = 256 * 1024 * 1024

    public var format = OperationBundle.formatName
    public var version = OperationBundle.currentVersion
    public var reports: [Report]
    public var operations: [Operation]
    /// The claims of the operations' replicas that the exporter holds (``ReplicaClaim``), so
    /// the author's other machine can push them, and the receiver can check who wrote them.
    public var claims: [ReplicaClaim]
    /// What the receiver needs to check the operations' signatures (``BundleSigning``): absent
    /// in files from before signing, and from a replica that has no workspace. Read and written
    /// by the one codec only; the `Codable` oracle leaves it out.
    public var signing: BundleSigning?

    public init(reports: [Report], operations: [Operation], claims: [ReplicaClaim] = [], signing: BundleSigning? = nil) {
        self.reports = reports
        self.operations = operations
        self.claims = claims
        self.signing = signing
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

    /// Reads a bundle, refusing anything that is not one with the reason: its format and
    /// version are checked first, so another file or a newer gloss's says so, not "damaged".
    public static func read(_ data: Data) throws(BundleError) -> OperationBundle {
        guard let header = FileHeader.read(data) else { throw .notABundle("not a JSON object") }
        guard header.format == formatName else { throw .notABundle("format is \(header.format.map { "'\($0)'" } ?? "missing")") }
        guard header.version == currentVersion else { throw .otherVersion(header.version ?? 0) }
        var bundle = OperationBundle(reports: [], operations: [])
        do {
            try JSONReader.whole(data) { reader in
                try reader.object { reader, key in
                    switch key {
                    case "reports":
                        // A report's one form is its Codable one, read in place.
                        try reader.array { reader in
                            let text = try reader.captured { try $0.skip() }
                            do {
                                bundle.reports.append(try JSON.decode(Report.self, from: text))
                            } catch {
                                throw reader.fail("a report that cannot be read: \(DecodingErrorText.describe(error))")
                            }
                        }
                    case "operations": try reader.array { bundle.operations.append(try Operation.read(&$0)) }
                    case "claims": try reader.array { bundle.claims.append(try ReplicaClaim.read(&$0)) }
                    case "signing": bundle.signing = try BundleSigning.read(&reader)
                    default: try reader.skip()
                    }
                }
            }
        } catch {
            throw .damaged(DecodingErrorText.describe(error))
        }
        return bundle
    }

    /// The file's bytes, as ``read(_:)`` reads them (keys sorted, as `JSON.encode` gives).
    public func fileBytes() throws -> [UInt8] {
        var writer = JSONWriter(capacity: 512 * operations.count + 4096)
        let reportTexts = try reports.map { try JSON.string($0) }
        writer.object { w in
            w.field("claims", claims)
            w.field("format", format)
            w.field("operations", operations)
            w.rawArray("reports", reportTexts)
            w.field("signing", signing)
            w.field("version", Int64(version))
        }
        return writer.bytes
    }
}

/// Why a file is not taken as an operations bundle.
public enum BundleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not a bundle at all (what it is instead, in words).
    case notABundle(String)
    /// A bundle of another version of the format.
    case otherVersion(Int)
    case damaged(String)

    public var description: String {
        switch self {
        case let .notABundle(detail): "not a Gloss operations file (\(detail))"
        case let .otherVersion(version):
            "version \(version) of the operations format; this gloss reads version \(OperationBundle.currentVersion)"
        case let .damaged(detail): "a damaged operations file: \(detail)"
        }
    }
}
