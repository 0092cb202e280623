import Foundation

/// Why a file was refused as a report. Each case names the reason a person can act on.
public enum ReportImportError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLarge(bytes: Int, limit: Int)
    case binary
    case invalidUTF8(byteOffset: Int)
    case missingBody(detail: String)
    case malformedJSON(detail: String)
    case noText
    /// A title (and perhaps a summary or headings) but not one paragraph of body text.
    case titleOnly(title: String)

    public var description: String {
        switch self {
        case .empty: "the file is empty"
        case let .tooLarge(bytes, limit): "the file is \(bytes) bytes; the limit is \(limit) bytes"
        case .binary: "the file is binary, not text"
        case let .invalidUTF8(offset): "the file is not valid UTF-8 (first bad byte at offset \(offset))"
        case let .missingBody(detail): "no report body: \(detail)"
        case let .malformedJSON(detail): "the report's JSON is malformed: \(detail)"
        case .noText: "the report has no text once markup is removed"
        case let .titleOnly(title): "the report has a title (“\(title)”) but no body text"
        }
    }
}
