import Foundation
import GlossCore
import GlossReplica
import Hummingbird
import HummingbirdTesting
import GlossTestSupport
import Testing
@testable import gloss_server

/// Requests the server refuses as too large or malformed, after which it keeps answering.
@Suite struct LimitTests {
    static let pushURI = "/v1/workspaces/intel/push"

    @Test(arguments: TestPostgres.Kind.allCases) func tooManyOperationsIsTooLarge(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let ops = (1...UInt64(Sync.Limits.maxPushOperations + 1)).map { Fixture.create("alice", replica: 1, counter: $0) }
        try await fixture.application().test(.router) { client in
            let response = try await client.push(ops, token: fixture.token(.member))
            #expect(response.status == .contentTooLarge)
            #expect(response.error?.error.contains("\(Sync.Limits.maxPushOperations)") == true)
            #expect(try await client.call(.get, "/health", token: nil).status == .ok)
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func oversizedBodyIsTooLarge(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let body = Data("{\"replica\":\"\(String(repeating: "a", count: Sync.Limits.maxRequestBytes))\"}".utf8)
        try await fixture.application().test(.router) { client in
            let response = try await client.call(.post, Self.pushURI, token: fixture.token(.member), body: body)
            #expect(response.status == .contentTooLarge)
            #expect(response.error != nil)
            #expect(try await client.call(.get, "/health", token: nil).status == .ok)
        }
    }

    @Test(arguments: [
        ("malformed JSON", Data("{\"replica\": ".utf8), "not a valid"),
        ("wrong types", Data("{\"replica\": 12, \"operations\": []}".utf8), "replica"),
        ("missing field", Data("{\"replica\": \"1000000000000001\"}".utf8), "operations"),
        ("invalid UTF-8", Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D]), "UTF-8"),
        ("deep nesting", Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8), "not a valid"),
    ])
    func badBodyIsABadRequest(_ name: String, _ body: Data, _ mention: String) async throws {
        let fixture = try await Fixture()
        try await fixture.application().test(.router) { client in
            let response = try await client.call(.post, Self.pushURI, token: fixture.token(.member), body: body)
            #expect(response.status == .badRequest, "\(name)")
            let error = try #require(response.error)
            #expect(error.error.contains(mention), "\(name): \(error.error)")
            #expect(try await client.call(.get, "/health", token: nil).status == .ok)
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func unknownRouteAnswersWithAnErrorBody(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        try await fixture.application().test(.router) { client in
            let response = try await client.call(.get, "/v1/workspaces/intel/nothing", token: fixture.token(.member))
            #expect(response.status == .notFound)
            #expect(response.error?.error == "Not Found")
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func badPullParametersAreABadRequest(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        try await fixture.application().test(.router) { client in
            for query in ["after=-1", "after=x", "limit=0", "limit=many", "wait=-1"] {
                let response = try await client.call(.get, "/v1/workspaces/intel/operations?\(query)", token: fixture.token(.member))
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.error?.error.contains(query.prefix(while: { $0 != "=" })) == true, "\(query)")
            }
        }
    }
}
