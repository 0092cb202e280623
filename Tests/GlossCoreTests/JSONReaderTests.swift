import Foundation
import Testing
@testable import GlossCore

/// Gloss's reader of pull answers agrees with `JSONDecoder`: the same operations from the same
/// text, the same refusals of malformed text, and each operation's text kept exactly.
@Suite struct JSONReaderTests {
    /// A pull answer spliced as the server splices it (SyncRoutes), from the given operation texts.
    static func page(_ payloads: [String], cursor: Int64 = 42, more: Bool = true) -> Data {
        Data("{\"cursor\":\(cursor),\"more\":\(more),\"operations\":[\(payloads.joined(separator: ","))]}".utf8)
    }

    @Test func pagesReadAsJSONDecoderReadsThem() throws {
        for seed in UInt64(1)...20 {
            let ops = JSONWriterTests.history(seed: seed)
            let payloads = ops.map(JSONWriter.string)
            let data = Self.page(payloads)
            let read = try Sync.PullResponse.read(data)
            let decoded = try JSONDecoder().decode(Sync.PullResponse.self, from: data)
            #expect(read.operations == decoded.operations && read.cursor == decoded.cursor && read.more == decoded.more, "seed \(seed)")
            #expect(read.operations == ops, "seed \(seed)")
            #expect(read.payloads == payloads, "each operation's text is kept as sent")
        }
    }

    @Test func pushesReadAsJSONDecoderReadsThem() throws {
        for seed in UInt64(1)...20 {
            let ops = JSONWriterTests.history(seed: seed)
            let claims = [ReplicaClaim.mint(for: "alice", salt: Array(repeating: UInt8(seed), count: 16))]
            let data = try JSON.encode(Sync.PushRequest(replica: ops[0].id.replica, operations: ops, claims: claims))
            let read = try Sync.PushRequest.read(data)
            #expect(read.operations == ops && read.replica == ops[0].id.replica && read.claims == claims, "seed \(seed)")
            // What the bench's load client and JSONWriter send reads the same.
            var writer = JSONWriter(capacity: 1024)
            writer.object { w in
                w.field("claims", claims)
                w.field("operations", ops)
                w.field("replica", ops[0].id.replica)
            }
            #expect(writer.bytes.elementsEqual(data), "seed \(seed): JSONWriter writes what JSONEncoder does")
            #expect(Sync.PushRequest(replica: ops[0].id.replica, operations: ops, claims: claims).wireBytes().elementsEqual(data), "seed \(seed)")
            // Operations sent as the log stored them make the same body.
            let stored = Sync.PushRequest(replica: ops[0].id.replica, operations: ops, claims: claims, payloads: ops.map(JSONWriter.string))
            #expect(stored.wireBytes().elementsEqual(data), "seed \(seed)")
        }
        // Refused, saying what was expected where (the server answers 400 with it).
        for text in ["", "{\"replica\":\"xyz\",\"operations\":[]}", "{\"operations\":[]}", "{\"replica\":\"00000000000a11ce\",\"operations\":[{}]}",
                     "{\"replica\":\"00000000000a11ce\",\"operations\":[],\"claims\":[{\"replica\":\"xyz\",\"salt\":\"00\"}]}",
                     "{\"replica\":\"00000000000a11ce\",\"operations\":[],\"claims\":[{\"salt\":\"00\"}]}"] {
            #expect(throws: MalformedJSON.self, "\(text)") { try Sync.PushRequest.read(Data(text.utf8)) }
        }
    }

    @Test func encoderFormattingAndEscapesReadTheSame() throws {
        // JSONEncoder's output (other key order, escaped slashes, pretty printing) reads the same.
        let ops = JSONWriterTests.history(seed: 7)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        let data = try encoder.encode(Sync.PullResponse(operations: ops, cursor: 9, more: false))
        #expect(try Sync.PullResponse.read(data).operations == ops)
        var tagged = ops.first { if case .create = $0.change { true } else { false } }!
        for text in ["quote \" back \\ slash /", "lines\nand\ttabs\r", "é 日本 🙂 \u{1}\u{1f}", ""] {
            tagged.change = .editBody(text: text, seen: [])
            let escaped = String(decoding: try JSONEncoder().encode(tagged), as: UTF8.self)
                .replacingOccurrences(of: "🙂", with: "\\ud83d\\ude42").replacingOccurrences(of: "é", with: "\\u00e9")
            #expect(try Sync.PullResponse.read(Self.page([escaped])).operations == [tagged], "\(text.debugDescription)")
        }
    }

    @Test func malformedAnswersAreRefusedLikeJSONDecoderRefusesThem() throws {
        let id = OperationID(replica: ReplicaID(rawValue: 0xA11CE), counter: 1)
        let good = JSONWriter.string(GlossCore.Operation(
            id: id, hlc: HLC(wall: 1_764_000_000_000, logical: 0), author: "alice", workspace: "intel",
            annotation: AnnotationID(createdBy: id), isPrivate: false,
            change: .create(Creation(report: ReportID(sha256Of: "r"), target: nil, motivation: .commenting, body: "a note", tags: ["eu"]))))
        #expect(try Sync.PullResponse.read(Self.page([good])).operations.count == 1)
        let bad: [String] = [
            "", "{", "[]", "{\"cursor\":1,\"more\":true}", "{\"operations\":[],\"cursor\":\"1\",\"more\":true}",
            "{\"operations\":[],\"cursor\":1.5,\"more\":true}", "{\"operations\":[],\"cursor\":01,\"more\":true}",
            "{\"operations\":[],\"cursor\":99999999999999999999,\"more\":true}",
            "{\"operations\":[],\"cursor\":1,\"more\":true} trailing", "{\"operations\":[],\"cursor\":1,\"more\":tru}",
            String(decoding: Self.page([good]), as: UTF8.self).replacingOccurrences(of: "\"kind\":\"create\"", with: "\"kind\":\"explode\""),
            String(decoding: Self.page([good]), as: UTF8.self).replacingOccurrences(of: "\"private\":false", with: "\"private\":0"),
            String(decoding: Self.page([good]), as: UTF8.self).replacingOccurrences(of: "-1\"", with: "-x\""),
            String(decoding: Self.page([good]), as: UTF8.self).replacingOccurrences(of: "\"author\"", with: "\"writer\""),
            String(decoding: Self.page([good]), as: UTF8.self).replacingOccurrences(of: "\"motivation\":\"", with: "\"motivation\":\"x"),
            String(decoding: Self.page([good]), as: UTF8.self).replacingOccurrences(of: "\"logical\":0", with: "\"logical\":-1"),
            "{\"operations\":[\"a\u{1}b\"],\"cursor\":1,\"more\":true}",
            "{\"operations\":[\"\\ud800\"],\"cursor\":1,\"more\":true}",
            "{\"operations\":[" + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "],\"cursor\":1,\"more\":true}",
        ]
        for text in bad {
            let data = Data(text.utf8)
            #expect(throws: (any Error).self, "\(text.prefix(120))") { try Sync.PullResponse.read(data) }
            #expect(throws: (any Error).self, "JSONDecoder agrees: \(text.prefix(80))") { try JSONDecoder().decode(Sync.PullResponse.self, from: data) }
        }
        // Stricter than JSONDecoder where it would read differently: repeated and escaped keys.
        for text in ["{\"operations\":[],\"cursor\":1,\"cursor\":2,\"more\":true}", "{\"operations\":[],\"\\u0063ursor\":1,\"more\":true}"] {
            #expect(throws: (any Error).self, "\(text)") { try Sync.PullResponse.read(Data(text.utf8)) }
        }
        // Invalid UTF-8 inside a string.
        var bytes = Array(Self.page([good]))
        bytes[bytes.firstIndex(of: UInt8(ascii: "a"))!] = 0xFF
        #expect(throws: (any Error).self) { try Sync.PullResponse.read(Data(bytes)) }
    }
}
