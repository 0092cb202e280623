import Foundation
import GlossCore
import GlossReplica
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import gloss

/// The reader page's handlers (``ReaderAPI``) over a replica in memory, through its routes in
/// process: each action is the same one the CLI's command makes, and a bad request is one clear
/// error that changes nothing. (`ReaderPageTests` drives the same handlers from Chromium.)
@Suite struct ReaderHandlersTests {
    static let report = Report(title: "Grain corridor 🇺🇦", summary: "", sections: [
        .init(heading: "", paragraphs: ["Exports via 東京 rose; the family 👩‍👩‍👧 café (e\u{301}) reopened."]),
    ])

    func withReader(_ body: @escaping @Sendable (Replica, any TestClientProtocol) async throws -> Void) async throws {
        let replica = try Replica.inMemory(user: "alice")
        _ = try replica.importReport(Self.report, source: "grain.txt")
        let router = Router(context: BasicRequestContext.self)
        ReaderAPI(replica: replica, changes: ReplicaChanges(replica: replica), program: "gloss",
                  home: FileManager.default.temporaryDirectory).addRoutes(to: router)
        try await Application(router: router).test(.router) { client in try await body(replica, client) }
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
    }

    static func post(_ client: any TestClientProtocol, _ path: String, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
    }

    @Test func aNoteMadeThroughTheHandlersIsTheNoteTheCLIMakesAndRepliesJoinIt() async throws {
        try await withReader { replica, client in
            // The family emoji and the café with its combining accent, in code points of the canonical text.
            let text = Self.report.text, wanted = "👩‍👩‍👧 café (e\u{301})"
            let start = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex,
                                                     to: try #require(text.range(of: wanted)).lowerBound.samePosition(in: text.unicodeScalars)!)
            let end = start + wanted.unicodeScalars.count
            let made = try await Self.post(client, "/api/annotations", """
                {"report":"\(Self.report.id.rawValue.prefix(8))","start":\(start),"end":\(end),"comment":"who?","tags":["people"],"confidence":"low"}
                """)
            #expect(made.status == .ok)
            let id = try #require(Self.json(made)["id"] as? String)
            let note = try replica.annotation(AnnotationID(rawValue: id))
            let cli = try Actions.Span.positions(start: start, end: end).target(in: text)
            #expect(note.target == cli && note.target?.quote.exact == wanted)
            #expect(note.tags == ["people"] && note.judgment?.confidence == .low && note.motivation == .assessing)

            let replied = try await Self.post(client, "/api/annotations/\(id.prefix(8))/reply", #"{"comment":"a family-run café"}"#)
            #expect(replied.status == .ok)
            let shown = try Self.json(try await client.execute(uri: "/api/reports/\(Self.report.id.rawValue)", method: .get))
            #expect((shown["annotations"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test func aBadRequestIsOneClearErrorAndChangesNothing() async throws {
        try await withReader { replica, client in
            let cases: [(String, String, HTTPResponse.Status)] = [
                ("/api/annotations", "not json", .badRequest),
                ("/api/annotations", #"{"report":"\#(Self.report.id.rawValue)"}"#, .badRequest),                 // nothing to annotate
                ("/api/annotations", #"{"report":"ffffffff","comment":"x"}"#, .notFound),                         // no such report
                ("/api/annotations", #"{"report":"\#(Self.report.id.rawValue)","start":0,"end":9999,"comment":"x"}"#, .badRequest),
                ("/api/annotations/00000000/reply", #"{"comment":"x"}"#, .notFound),
            ]
            for (path, body, status) in cases {
                let response = try await Self.post(client, path, body)
                #expect(response.status == status, "\(path) \(body)")
                let error = try Self.json(response)["error"] as? String
                #expect(error?.isEmpty == false, "\(path) \(body): says what went wrong")
            }
            #expect(try replica.annotations().isEmpty)
            #expect(try replica.log().isEmpty)
        }
    }
}
