import Foundation

/// The `csv` export: one row per annotation (tombstones and replies included), for spreadsheets.
///
/// RFC 4180: CRLF between records, a header row, and fields that hold a comma, a double quote,
/// CR or LF wrapped in double quotes with inner quotes doubled.
///
/// **Formula injection.** A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and
/// some run one that starts with a tab or CR) as a formula, so a quote or body such as
/// `=HYPERLINK(…)` could act when the file is opened. Such a field gets a leading apostrophe
/// (`'=HYPERLINK(…)`), which spreadsheets show as text. The apostrophe is part of the value:
/// a script reading the CSV should strip one leading `'` before `= + - @ \t \r`.
///
/// Rows are sorted by report title, report id, start (notes without a position last),
/// created, then annotation id.
public enum CSVExport {
    public static let header = [
        "id", "report", "report_title", "author", "motivation", "quote", "start", "end", "body", "tags",
        "confidence", "likelihood", "status", "visibility", "parent", "deleted", "conflict", "created", "updated",
    ]

    public static func render(_ input: ExportInput) -> String {
        let titles = input.reportsByID.mapValues(\.title)
        let rows = input.sortedAnnotations
            .map { (title: titles[$0.report] ?? "", annotation: $0) }
            .sorted { a, b in
                (a.title, a.annotation.report, a.annotation.target?.position.start ?? Int.max, a.annotation.created, a.annotation.id)
                    < (b.title, b.annotation.report, b.annotation.target?.position.start ?? Int.max, b.annotation.created, b.annotation.id)
            }
            .map { row($0.annotation, reportTitle: $0.title) }
        return ([header] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    static func row(_ a: Annotation, reportTitle: String) -> [String] {
        [
            a.id.rawValue, a.report.rawValue, reportTitle, a.author.rawValue, a.motivation.rawValue,
            a.target?.quote.exact ?? "",
            a.target.map { String($0.position.start) } ?? "",
            a.target.map { String($0.position.end) } ?? "",
            a.body, ExportText.tags(a).joined(separator: ";"),
            a.judgment?.confidence?.rawValue ?? "", a.judgment?.likelihood?.rawValue ?? "",
            a.status.rawValue, a.visibility.rawValue, a.parent?.rawValue ?? "",
            String(a.deleted), String(a.hasConflict),
            ExportText.timestamp(a.created), ExportText.timestamp(a.updated),
        ]
    }

    /// One field, neutralised against formula injection and quoted when RFC 4180 requires it.
    static func field(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
}
