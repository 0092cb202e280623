import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// The operations file (`gloss ops export` / `ops apply`) through the operations' one codec,
/// with `JSONDecoder` as the oracle.
@Suite struct OperationBundleTests {
    static let report = Report(title: "Cobalt \"stockpiles\"", summary: "Thin / falling",
                               sections: [.init(heading: "Supply", paragraphs: ["Stocks fell é 20%.", "Prices rose."])])

    @Test func aBundleReadsBackAsWrittenAndAsJSONDecoderReadsIt() throws {
        for seed in UInt64(1)...10 {
            var sim = OperationSimulator(seed: seed, users: ["alice", "bob"])
            sim.run(steps: 30)
            let claims = [ReplicaClaim.mint(for: "alice", salt: Array(repeating: UInt8(seed), count: 16))]
            let bundle = OperationBundle(reports: [Self.report], operations: sim.allOperations, claims: claims)
            let bytes = Data(try bundle.fileBytes())
            #expect(try OperationBundle.read(bytes) == bundle, "seed \(seed)")
            #expect(try JSON.decode(OperationBundle.self, from: bytes) == bundle, "seed \(seed)")
            // The bytes are what JSONEncoder writes (sorted keys), so older files read the same.
            #expect(bytes == (try JSON.encode(bundle)), "seed \(seed)")
        }
    }

    @Test func anythingElseIsRefusedWithItsReason() {
        #expect(throws: BundleError.notABundle("not a JSON object")) { try OperationBundle.read(Data("garbage".utf8)) }
        #expect(throws: BundleError.notABundle("format is 'gloss-export'")) {
            try OperationBundle.read(Data(#"{"format":"gloss-export","version":1}"#.utf8))
        }
        #expect(throws: BundleError.otherVersion(2)) {
            try OperationBundle.read(Data(#"{"format":"gloss-operations","version":2,"operations":[{"new":"shape"}]}"#.utf8))
        }
        do {
            _ = try OperationBundle.read(Data(#"{"claims":[],"format":"gloss-operations","operations":[{"id":1}],"reports":[],"version":1}"#.utf8))
            Issue.record("a damaged file was read")
        } catch {
            // The place is named: the first operation's id.
            #expect("\(error)".contains(".operations[0].id"), "\(error)")
        }
    }
}
