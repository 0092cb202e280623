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
    /// Throws a `GlossError` with code `badFile` when the data is not JSON, not a Gloss export,
    /// of a newer version, or when a report's id does not match its text.
    public static func decode(_ data: Data) throws -> GlossExportFile {
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw GlossError(.badFile, "this is not a Gloss export: it is not a JSON object (\(error.localizedDescription))",
                             hint: "export one with `gloss export --format json`")
        }
        guard header.format == format else {
            let found = header.format.map { "its format is '\($0)'" } ?? "it has no \"format\" field"
            throw GlossError(.badFile, "this is not a Gloss export: \(found), expected '\(format)'",
                             hint: "export one with `gloss export --format json`; W3C, CSV and other exports cannot be imported")
        }
        guard header.version == version else {
            throw GlossError(.badFile, "this Gloss export has version \(header.version.map(String.init) ?? "none"); this gloss reads version \(version)",
                             hint: "update gloss, or export again with the version that reads it")
        }
        let file: GlossExportFile
        do {
            file = try JSONDecoder().decode(GlossExportFile.self, from: data)
        } catch {
            throw GlossError(.badFile, "this Gloss export is damaged: \(describe(error))",
                             hint: "export it again with `gloss export --format json`")
        }
        for report in file.reports where ReportID(sha256Of: report.text) != report.id {
            throw GlossError(.badFile, "report \(report.id.short) in this Gloss export does not match its text",
                             hint: "the file was edited or damaged; export it again")
        }
        return file
    }

    private struct Header: Decodable {
        var format: String?
        var version: Int?
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, context):
            "missing \"\(key.stringValue)\" at \(path(context))"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
             let DecodingError.dataCorrupted(context):
            "\(context.debugDescription) at \(path(context))"
        default:
            "\(error)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "the top level" : path
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
