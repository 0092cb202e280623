import Foundation

/// Turns a file's bytes into a ``Report``. (Placeholder: the full parser lands with the import work.)
public enum ReportParser {
    /// Largest file accepted as a report.
    public static let maxBytes = 4 * 1024 * 1024

    public static func parse(_ data: Data, fileName: String) throws(ReportImportError) -> Report {
        throw .unsupportedFormat(fileName)
    }
}
