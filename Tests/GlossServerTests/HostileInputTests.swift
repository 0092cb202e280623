import Foundation
import GRDB
import GlossCore
import GlossReplica
import Hummingbird
import HummingbirdTesting
import Testing
@testable import gloss_server

/// Requests from a hostile or broken client: each gets a clear error (or a refusal with its
/// code) and leaves every table as it was. `LimitTests` and `PushTests` cover the push route's
/// size limits and per-operation refusals; these add the other routes and the "nothing changed".
@Suite struct HostileInputTests {
    /// Rows of every table a request could change.
    struct Counts: Equatable, CustomStringConvertible {
        var operations = 0, annotations = 0, reports = 0, users = 0, tokens = 0, workspaces = 0, members = 0
        var description: String { "ops \(operations) anns \(annotations) reports \(reports) users \(users) tokens \(tokens) ws \(workspaces) members \(members)" }
    }

    static func counts(_ store: SQLiteSyncStore) async throws -> Counts {
        try await store.pool.read { db in
            func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
            return Counts(operations: try count("operations"), annotations: try count("annotations"), reports: try count("reports"),
                          users: try count("users"), tokens: try count("tokens"), workspaces: try count("workspaces"),
                          members: try count("members"))
        }
    }

    static let hostile = "Robert'); DROP TABLE operations; -- 100% _under_ \"dq\" 'sq' `bt` \\ Zoë 名前 𝔘𝔫𝔦 👩‍👩‍👧 e\u{301} \u{202E}rtl\u{202C} zero\u{200B}width"

    static let reportURI = "/v1/workspaces/intel/reports/\(Fixture.report.id)"

    @Test(arguments: [
        ("malformed JSON", Data("{\"id\": ".utf8), "not a valid"),
        ("wrong types", Data("{\"id\": 1, \"title\": [], \"summary\": {}, \"sections\": 2, \"text\": false}".utf8), "not a valid"),
        ("invalid UTF-8", Data([0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]), "UTF-8"),
        ("deep nesting", Data((String(repeating: "{\"a\":", count: 50_000) + "1" + String(repeating: "}", count: 50_000)).utf8), "not a valid"),
        ("empty body", Data(), "not a valid"),
        ("JSON null", Data("null".utf8), "not a valid"),
    ])
    func badReportBodyIsABadRequestAndStoresNothing(_ name: String, _ body: Data, _ mention: String) async throws {
        let fixture = try await Fixture(storeReport: false)
        let before = try await Self.counts(fixture.store)
        try await fixture.application().test(.router) { client in
            let response = try await client.call(.put, Self.reportURI, token: fixture.token(.member), body: body)
            #expect(response.status == .badRequest, "\(name)")
            #expect(response.error?.error.contains(mention) == true, "\(name): \(String(describing: response.error))")
        }
        #expect(try await Self.counts(fixture.store) == before)
    }

    @Test func oversizedReportBodyIsTooLargeAndStoresNothing() async throws {
        let fixture = try await Fixture(storeReport: false)
        let before = try await Self.counts(fixture.store)
        let body = Data("{\"text\":\"\(String(repeating: "x", count: Sync.Limits.maxRequestBytes))\"}".utf8)
        try await fixture.application().test(.router) { client in
            let response = try await client.call(.put, Self.reportURI, token: fixture.token(.member), body: body)
            #expect(response.status == .contentTooLarge)
            #expect(response.error != nil)
        }
        #expect(try await Self.counts(fixture.store) == before)
    }

    @Test func badPushBodiesChangeNothing() async throws {
        let fixture = try await Fixture()
        let before = try await Self.counts(fixture.store)
        let valid = try JSON.encode(Sync.PushRequest(replica: Fixture.replica(1, of: "alice"), operations: [Fixture.create("alice", replica: 1, counter: 1)]))
        var truncated = valid
        truncated.removeLast(5)
        var invalidUTF8 = valid
        invalidUTF8.insert(contentsOf: [0xED, 0xA0, 0x80], at: valid.firstIndex(of: UInt8(ascii: "n"))!)   // an encoded surrogate
        let wrongKind = String(decoding: valid, as: UTF8.self).replacingOccurrences(of: "\"create\",", with: "\"conquer\",", options: [], range: nil)
        for (name, body) in [("truncated", truncated), ("invalid UTF-8", invalidUTF8), ("unknown kind", Data(wrongKind.utf8))] {
            try await fixture.application().test(.router) { client in
                let response = try await client.call(.post, "/v1/workspaces/intel/push", token: fixture.token(.member), body: body)
                #expect(response.status == .badRequest, "\(name)")
                #expect(response.error != nil, "\(name)")
            }
        }
        #expect(try await Self.counts(fixture.store) == before)
    }

    @Test(arguments: [
        "/v1/workspaces/%FF%FE/operations", "/v1/workspaces/intel%00/operations", "/v1/workspaces/%27%3B%20DROP%20TABLE%20operations%3B%20--/operations",
        "/v1/workspaces/intel/operations?after=%FF", "/v1/workspaces/intel/operations?limit=%00", "/v1/workspaces/intel/operations?wait=1e3",
        "/v1/workspaces/intel/operations?after=99999999999999999999", "/v1/workspaces/intel/reports/%FF%FE", "/v1/workspaces/intel/reports/..%2F..%2Fetc",
        "/v1/workspaces/intel/reports/%27%20OR%201%3D1%20--",
    ])
    func oddParametersAreRefusedCleanly(_ uri: String) async throws {
        let fixture = try await Fixture()
        let before = try await Self.counts(fixture.store)
        try await fixture.application().test(.router) { client in
            let response = try await client.call(.get, uri, token: fixture.token(.member))
            #expect([.badRequest, .forbidden, .notFound].contains(response.status), "\(uri): \(response.status)")
            #expect(response.error != nil, "\(uri) answers with an ErrorBody")
        }
        #expect(try await Self.counts(fixture.store) == before)
    }

    @Test func memberOfOneWorkspaceCannotPushIntoAnother() async throws {
        // olga is a member of "other" only; alice of "intel" only.
        let fixture = try await Fixture()
        let before = try await Self.counts(fixture.store)
        let olgas = Fixture.create("olga", replica: 3, counter: 1, workspace: "intel")
        let alicesForOther = Fixture.create("alice", replica: 1, counter: 1, workspace: "other")
        try await fixture.application().test(.router) { client in
            let intoIntel = try await client.push([olgas], token: fixture.token(.outsider))
            #expect(intoIntel.status == .forbidden)
            #expect(intoIntel.error?.error.contains("not a member") == true)
            let intoOther = try await client.push([alicesForOther], token: fixture.token(.member), workspace: "other")
            #expect(intoOther.status == .forbidden)
            // An operation naming "other" pushed to alice's own workspace is refused, not moved.
            let misfiled = try await client.push([alicesForOther], token: fixture.token(.member)).decode(Sync.PushResponse.self)
            #expect(misfiled.refused.map(\.code) == [.wrongWorkspace])
        }
        #expect(try await Self.counts(fixture.store) == before)
    }

    @Test func retargetAndJudgeOfAnothersAnnotationAreRefusedButReplyAndResolveAccepted() async throws {
        let fixture = try await Fixture()
        let bobs = Fixture.create("bob", replica: 2, counter: 1)
        try await fixture.store.importOperations([bobs], workspace: "intel")
        let target = Target(quote: .init(exact: "China", prefix: "", suffix: ""), position: .init(start: 0, end: 5))
        let retarget = Fixture.change("alice", replica: 1, counter: 1, on: bobs.annotation, .retarget(target))
        let judge = Fixture.change("alice", replica: 1, counter: 2, on: bobs.annotation, .judge(Judgment(confidence: .low)))
        let resolve = Fixture.change("alice", replica: 1, counter: 3, on: bobs.annotation, .setStatus(.resolved))
        let before = try await Self.counts(fixture.store)
        try await fixture.application().test(.router) { client in
            let answer = try await client.push([retarget, judge, resolve], token: fixture.token(.member)).decode(Sync.PushResponse.self)
            #expect(answer.refused.map(\.code) == [.notAuthor, .notAuthor])
            #expect(answer.accepted == [resolve.id])
        }
        var after = before
        after.operations += 1
        #expect(try await Self.counts(fixture.store) == after)
    }

    @Test func tokenReusedAfterRevocationIsRefusedEverywhere() async throws {
        let fixture = try await Fixture()
        let token = try await TokenCommand.issue(for: "bob", in: fixture.store)
        try await fixture.application().test(.router) { client in
            #expect(try await client.call(.get, "/v1/me", token: token.text).status == .ok)
            #expect(try await fixture.store.revokeToken(id: token.id, now: 1))
            let before = try await Self.counts(fixture.store)
            let push = try await client.push([Fixture.create("bob", replica: 2, counter: 1)], token: token.text)
            let put = try await client.call(.put, Self.reportURI, token: token.text, body: try JSON.encode(Fixture.report))
            let pull = try await client.pull(token: token.text)
            let me = try await client.call(.get, "/v1/me", token: token.text)
            for response in [push, put, pull, me] {
                #expect(response.status == .unauthorized)
                #expect(response.error?.error.contains("revoked") == true)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
            #expect(try await Self.counts(fixture.store) == before)
            // bob's other token still works.
            #expect(try await client.call(.get, "/v1/me", token: fixture.tokens["bob"]).status == .ok)
        }
    }

    @Test func sqlMetacharactersAndOddUnicodeTravelVerbatim() async throws {
        // Given a workspace whose name holds LIKE wildcards and separators, and a report whose
        // text is hostile (names with SQL metacharacters are refused at creation: see
        // `IdentityTests` and the end-to-end admin test)
        let fixture = try await Fixture(storeReport: false)
        let workspace: WorkspaceName = "x_y.z@w"
        try await fixture.store.createWorkspace(workspace, now: 0)
        try await fixture.store.setMember("alice", of: workspace, role: .member)
        try await fixture.store.setMember("bob", of: workspace, role: .member)
        let report = Report(title: Self.hostile, summary: Self.hostile, sections: [.init(heading: Self.hostile, paragraphs: [Self.hostile])])
        let encoded = workspace.rawValue.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let id = OperationID(replica: Fixture.replica(1, of: "alice"), counter: 1)
        let create = GlossCore.Operation(
            id: id, hlc: HLC(wall: Fixture.now), author: "alice", workspace: workspace, annotation: AnnotationID(createdBy: id), isPrivate: false,
            change: .create(Creation(report: report.id, target: .init(quote: .init(exact: Self.hostile, prefix: "'", suffix: "%"), position: .init(start: 0, end: 3)),
                                     motivation: .commenting, body: Self.hostile, tags: ["'%_\";DROP--Zoë👍"])))
        let tag = {
            var tag = Fixture.change("alice", replica: 1, counter: 2, on: create.annotation, .addTag("_%'--"))
            tag.workspace = workspace
            return tag
        }()
        try await fixture.application().test(.router) { client in
            // When alice sends them
            let put = try await client.call(.put, "/v1/workspaces/\(encoded)/reports/\(report.id)", token: fixture.token(.member),
                                            body: try JSON.encode(report))
            #expect(put.status == .created)
            let pushed = try await client.push([create, tag], token: fixture.token(.member), workspace: encoded).decode(Sync.PushResponse.self)
            #expect(pushed.accepted == [create.id, tag.id], "\(pushed.refused)")
            // Then bob gets them back exactly, and the intel workspace is untouched
            let page = try await client.pull(token: fixture.tokens["bob"], workspace: encoded).decode(Sync.PullResponse.self)
            #expect(page.operations == [create, tag])
            let fetched = try await client.call(.get, "/v1/workspaces/\(encoded)/reports/\(report.id)", token: fixture.tokens["bob"])
            #expect(try fetched.decode(Report.self) == report)
            let intel = try await client.pull(token: fixture.tokens["bob"]).decode(Sync.PullResponse.self)
            #expect(intel.operations.isEmpty)
        }
        #expect(try await Self.counts(fixture.store).operations == 2)
    }
}
