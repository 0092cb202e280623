import Foundation

/// The `format` and `version` fields a Gloss file (a JSON export, an operations file) is
/// checked by first, read in one pass that skips everything else: which file it is, and whether
/// this gloss reads its version, before its content is read into values.
public struct FileHeader: Equatable, Sendable {
    public var format: String?
    public var version: Int?

    /// Nil when `data` is not one JSON object.
    public static func read(_ data: Data) -> FileHeader? {
        var header = FileHeader()
        do {
            try JSONReader.whole(data) { reader in
                try reader.object { reader, key in
                    switch key {
                    case "format": header.format = try reader.optionalString()
                    case "version": header.version = try reader.null() ? nil : reader.int()
                    default: try reader.skip()
                    }
                }
            }
        } catch {
            return nil
        }
        return header
    }
}
