import Foundation
import GlossCore

extension Import {
    /// Restores a Gloss JSON export or an operations file; nil when the data is neither.
    static func restoreIfExport(_ data: Data, file: String, into replica: Replica) throws -> (reports: [Replica.Imported], result: ApplyResult)? {
        guard data.first == UInt8(ascii: "{") else { return nil }
        guard data.count > 0, let text = String(data: data.prefix(200), encoding: .utf8),
              text.contains("\"format\"") else { return nil }
        let bundle = try OperationBundle.decode(data, file: file)
        return try replica.apply(bundle, source: (file as NSString).lastPathComponent)
    }
}
