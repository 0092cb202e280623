import Foundation
import Testing
@testable import GlossCore
import GlossTestSupport

/// The direct writer gives what `JSONEncoder` gives, and `JSONDecoder` reads it back.
@Suite struct JSONWriterTests {
    static func history(seed: UInt64) -> [GlossCore.Operation] {
        var sim = OperationSimulator(seed: seed, users: ["alice", "bob"])
        sim.run(steps: 60)
        return sim.allOperations
    }

    @Test func operationsAreWrittenAsJSONEncoderWritesThem() throws {
        for seed in UInt64(1)...20 {
            for op in Self.history(seed: seed) {
                #expect(JSONWriter.string(op) == (try JSON.string(op)), "seed \(seed), \(op.id)")
            }
        }
    }

    @Test func statesReadBackEqual() throws {
        for seed in UInt64(1)...20 {
            for state in materialise(Self.history(seed: seed)).values {
                let text = JSONWriter.string(state)
                #expect(try JSON.decode(AnnotationState.self, from: text) == state, "seed \(seed), \(state.id)")
                // Gloss's own reader, the one the replica uses.
                #expect(try AnnotationState.stored(text) == state, "seed \(seed), \(state.id)")
            }
        }
    }

    @Test func stringsNeedingEscapesMatch() throws {
        for text in ["plain", "quote \" and \\ back", "lines\nand\ttabs\r", "\u{1}\u{1f}\u{7f}", "slash / é 日本 🙂", ""] {
            #expect(JSONWriter.string(text) == (try JSON.string(text)), "\(text.debugDescription)")
        }
    }
}
