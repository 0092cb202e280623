import Foundation
import GlossCore
import GlossReplica

extension Import {
    /// Restores a Gloss JSON export or an operations file; nil when the data is neither.
    static func restoreIfExport(_ data: Data, file: String, into replica: Replica) throws -> (reports: [Replica.Imported], result: ApplyResult)? {
        guard data.first == UInt8(ascii: "{"), let format = FileHeader.read(data)?.format else { return nil }
        let name = (file as NSString).lastPathComponent
        if format == GlossJSONExport.format {
            let export = try GlossJSONExport.decode(data)
            return try Actions(replica).applyOperations(OperationBundle(reports: export.reports, operations: export.operations,
                                                                        signing: export.signing), source: name)
        }
        return try Actions(replica).applyOperations(try OperationBundle.read(data), source: name)
    }
}
