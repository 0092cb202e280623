import Foundation

/// The `json` export: Gloss's own lossless form, which `gloss import` restores.
///
/// ```json
/// {"format":"gloss-export","version":1,"reports":[…],"annotations":[…],"operations":[…],"signing":{…}}
/// ```
/// Reports and annotations (tombstones included) are sorted by id, operations by
/// `OperationID` (replica, then counter). The operations are the truth: a restore applies
/// them, and the annotations are there for readers and tools that do not merge. `signing`,
/// written only when asked (`gloss export --signed`: it is the exporting replica's own, so the
/// bytes then differ between replicas), is what an operations file carries for its receiver to
/// check who wrote what (``BundleSigning``), so a restore on a replica that pinned the root
/// checks the operations as `gloss ops apply` does; a reader from before it skips it.
///
/// One report, annotation or operation to a line, so the file reads in a pager, diffs line by
/// line and greps. Its operations are written and read by their one codec (``JSONWriter``,
/// ``JSONReader``), as the log and a pull carry them, so a hand-edited or hostile file meets the
/// reader a pull or a bundle meets; reports and annotation views, which have no other form,
/// go through `Codable`. `ExportTests` holds each operation's line to `JSONEncoder`'s text of it.
public enum GlossJSONExport {
    public static let format = "gloss-export"
    public static let version = 1

    /// The file as values.
    public static func file(_ input: ExportInput) -> GlossExportFile {
        var file = GlossExportFile(reports: input.sortedReports, annotations: input.sortedAnnotations,
                                   operations: input.sortedOperations)
        file.signing = input.signing
        return file
    }

    /// The file as JSON: its format and version first, then one item to a line, keys sorted.
    public static func data(_ input: ExportInput) throws -> Data {
        let encoder = JSON.encoder()
        var out = Data("{\"format\":\"\(format)\",\"version\":\(version)".utf8)
        func section(_ name: String, _ lines: [Data]) {
            out.append(contentsOf: ",\n\"\(name)\":[".utf8)
            for (n, line) in lines.enumerated() {
                out.append(contentsOf: (n == 0 ? "\n" : ",\n").utf8)
                out.append(line)
            }
            out.append(contentsOf: (lines.isEmpty ? "]" : "\n]").utf8)
        }
        section("reports", try input.sortedReports.map { try encoder.encode($0) })
        section("annotations", try input.sortedAnnotations.map { try encoder.encode($0) })
        section("operations", input.sortedOperations.map { operation in
            var writer = JSONWriter(capacity: 512)
            operation.write(to: &writer)
            return Data(writer.bytes)
        })
        if let signing = input.signing {
            out.append(contentsOf: ",\n\"signing\":".utf8)
            out.append(contentsOf: JSONWriter.string(signing).utf8)
        }
        out.append(contentsOf: "\n}\n".utf8)
        return out
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
        // Operations with their one codec (``JSONReader``), as a pull and a bundle read them;
        // reports and annotation views in their Codable form, read in place.
        var file = GlossExportFile(reports: [], annotations: [], operations: [])
        func decoded<T: Decodable>(_ type: T.Type, _ what: String, _ reader: inout JSONReader) throws -> T {
            let text = try reader.captured { try $0.skip() }
            do { return try JSON.decode(type, from: text) } catch {
                throw reader.fail("\(what) that cannot be read: \(DecodingErrorText.describe(error))")
            }
        }
        do {
            try JSONReader.whole(data) { reader in
                var saw = Set<String>()
                try reader.object { reader, key in
                    switch key {
                    case "reports":
                        saw.insert("reports")
                        try reader.array { file.reports.append(try decoded(Report.self, "a report", &$0)) }
                    case "annotations":
                        saw.insert("annotations")
                        try reader.array { file.annotations.append(try decoded(Annotation.self, "an annotation", &$0)) }
                    case "operations":
                        saw.insert("operations")
                        try reader.array { file.operations.append(try Operation.read(&$0)) }
                    case "signing": file.signing = try BundleSigning.read(&reader)
                    default: try reader.skip()
                    }
                }
                let missing = ["annotations", "operations", "reports"].filter { !saw.contains($0) }
                guard missing.isEmpty else { throw reader.fail("no \(missing.joined(separator: ", "))") }
            }
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
    /// Read and written by ``GlossJSONExport`` with their one codec, not by `Codable`.
    public var signing: BundleSigning?

    enum CodingKeys: String, CodingKey { case format, version, reports, annotations, operations }

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
