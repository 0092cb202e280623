import Foundation

/// The `json` export: Gloss's own lossless form, which `gloss import` restores.
///
/// ```json
/// {"format":"gloss-export","version":1,"reports":[…],"annotations":[…],"operations":[…]}
/// ```
/// Reports and annotations (tombstones included) are sorted by id, operations by
/// `OperationID` (replica, then counter). The operations are the truth: a restore applies
/// them, and the annotations are there for readers and tools that do not merge.
public enum GlossJSONExport {
    public static let format = "gloss-export"
    public static let version = 1

    /// The file as values.
    public static func file(_ input: ExportInput) -> GlossExportFile {
        GlossExportFile(reports: input.sortedReports, annotations: input.sortedAnnotations,
                        operations: input.sortedOperations)
    }

    /// The file as pretty, key-sorted JSON.
    public static func data(_ input: ExportInput) throws -> Data {
        try JSON.encoder(pretty: true).encode(file(input))
    }

    /// Reads a file written by ``data(_:)``, checking its format and version first.
    ///
    /// Throws ``ExportFileError`` when the data is not JSON, not a Gloss export, of another
    /// version, or when a report's id does not match its text.
    public static func decode(_ data: Data) throws -> GlossExportFile {
        guard let header = FileHeader.read(data) else { throw ExportFileError.notJSON }
        guard header.format == format else {
            throw ExportFileError.otherFormat(header.format)
        }
        guard header.version == version else {
            throw ExportFileError.otherVersion(header.version)
        }
        let file: GlossExportFile
        do {
            file = try JSONDecoder().decode(GlossExportFile.self, from: data)
        } catch {
            throw ExportFileError.damaged(DecodingErrorText.describe(error))
        }
        for report in file.reports where ReportID(sha256Of: report.text) != report.id {
            throw ExportFileError.reportAltered(report.id)
        }
        return file
    }
}

/// The content of a `json` export.
public struct GlossExportFile: Codable, Hashable, Sendable {
    public var format: String
    public var version: Int
    public var reports: [Report]
    public var annotations: [Annotation]
    public var operations: [Operation]

    public init(reports: [Report], annotations: [Annotation], operations: [Operation]) {
        format = GlossJSONExport.format
        version = GlossJSONExport.version
        self.reports = reports
        self.annotations = annotations
        self.operations = operations
    }
}

/// Why a file is not taken as a Gloss JSON export.
public enum ExportFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case notJSON
    /// Its `format` field, if it has one, names another format.
    case otherFormat(String?)
    case otherVersion(Int?)
    case damaged(String)
    /// A report's text no longer hashes to its id.
    case reportAltered(ReportID)

    public var description: String {
        switch self {
        case .notJSON: "this is not a Gloss export: it is not a JSON object"
        case let .otherFormat(found):
            "this is not a Gloss export: \(found.map { "its format is '\($0)'" } ?? "it has no \"format\" field"), expected '\(GlossJSONExport.format)'"
        case let .otherVersion(found):
            "this Gloss export has version \(found.map(String.init) ?? "none"); this gloss reads version \(GlossJSONExport.version)"
        case let .damaged(detail): "this Gloss export is damaged: \(detail)"
        case let .reportAltered(id): "report \(id.short) in this Gloss export does not match its text"
        }
    }
}
