import Foundation
import GlossCore
import GlossReplica
import Hummingbird
import HummingbirdTesting
import GlossTestSupport
import Testing
@testable import gloss_server

/// Every endpoint against every kind of caller: the right status and the right body.
@Suite struct RouteAccessTests {
    /// 401 for the bad credentials, 403 for the outsider, else `allowed`.
    static func expected(_ caller: Caller, allowed: HTTPResponse.Status, reader: HTTPResponse.Status? = nil) -> HTTPResponse.Status {
        switch caller {
        case .noToken, .badToken, .revokedToken: .unauthorized
        case .outsider: .forbidden
        case .reader: reader ?? allowed
        case .admin, .member: allowed
        }
    }

    static func checkRefusal(_ response: TestResponse, _ caller: Caller) throws {
        switch response.status {
        case .unauthorized:
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
            let body = try #require(response.error)
            #expect(body.hint?.contains("gloss-server token issue USER") == true)
        case .forbidden where caller == .outsider:
            let body = try #require(response.error)
            #expect(body.error == "olga is not a member of workspace 'intel'")
        default: break
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func healthNeedsNoToken(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        try await fixture.application().test(.router) { client in
            let response = try await client.call(.get, "/health", token: nil)
            #expect(response.status == .ok)
            #expect(try response.decode([String: String].self) == ["status": "ok"])
        }
    }

    @Test(arguments: Caller.allCases, TestPostgres.Kind.allCases)
    func whoAmI(_ caller: Caller, store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        try await fixture.application().test(.router) { client in
            let response = try await client.call(.get, "/v1/me", token: fixture.token(caller))
            let status: HTTPResponse.Status = [.noToken, .badToken, .revokedToken].contains(caller) ? .unauthorized : .ok
            #expect(response.status == status)
            try Self.checkRefusal(response, caller)
            if status == .ok {
                let me = try response.decode(Sync.WhoAmI.self)
                #expect(me.user.rawValue == Fixture.user(caller))
                if caller == .outsider {
                    #expect(me.memberships == [.init(workspace: "other", role: .member)])
                } else {
                    let role: Role = caller == .admin ? .admin : caller == .reader ? .reader : .member
                    #expect(me.memberships == [.init(workspace: "intel", role: role)])
                }
            }
        }
    }

    @Test(arguments: Caller.allCases, TestPostgres.Kind.allCases)
    func putReport(_ caller: Caller, store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(storeReport: false, kind: store)
        let report = Fixture.report
        try await fixture.application().test(.router) { client in
            let uri = "/v1/workspaces/intel/reports/\(report.id)"
            let response = try await client.call(.put, uri, token: fixture.token(caller), body: try JSON.encode(report))
            #expect(response.status == Self.expected(caller, allowed: .created, reader: .forbidden))
            try Self.checkRefusal(response, caller)
            if response.status == .created {
                #expect(try response.decode(ReportReceipt.self) == ReportReceipt(id: report.id, created: true))
                let again = try await client.call(.put, uri, token: fixture.token(caller), body: try JSON.encode(report))
                #expect(again.status == .ok)
                #expect(try again.decode(ReportReceipt.self) == ReportReceipt(id: report.id, created: false))
            }
            if caller == .reader {
                #expect(response.error?.error.contains("reader") == true)
            }
        }
    }

    @Test(arguments: Caller.allCases, TestPostgres.Kind.allCases)
    func getReport(_ caller: Caller, store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        try await fixture.application().test(.router) { client in
            let response = try await client.call(.get, "/v1/workspaces/intel/reports/\(Fixture.report.id)", token: fixture.token(caller))
            #expect(response.status == Self.expected(caller, allowed: .ok))
            try Self.checkRefusal(response, caller)
            if response.status == .ok {
                #expect(try response.decode(Report.self) == Fixture.report)
                let zipped = try await client.call(.get, "/v1/workspaces/intel/reports/\(Fixture.report.id)", token: fixture.token(caller),
                                                   headers: [.acceptEncoding: "gzip"])
                // Small answers are not worth compressing.
                #expect(zipped.headers[.contentEncoding] == nil)
                let missing = try await client.call(.get, "/v1/workspaces/intel/reports/\(ReportID(sha256Of: "nope"))", token: fixture.token(caller))
                #expect(missing.status == .notFound)
                #expect(missing.error != nil)
            }
        }
    }

    @Test(arguments: Caller.allCases, TestPostgres.Kind.allCases)
    func listReports(_ caller: Caller, store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        try await fixture.application().test(.router) { client in
            let response = try await client.call(.get, "/v1/workspaces/intel/reports?after=0&limit=100000", token: fixture.token(caller))
            #expect(response.status == Self.expected(caller, allowed: .ok))
            try Self.checkRefusal(response, caller)
            if response.status == .ok {
                // A limit past the page size is clamped, not refused; the workspace's report is there.
                let page = try response.decode(Sync.ReportPage.self)
                #expect(page.reports == [Fixture.report] && !page.more)
                let next = try await client.call(.get, "/v1/workspaces/intel/reports?after=\(page.cursor)&limit=10", token: fixture.token(caller))
                #expect(try next.decode(Sync.ReportPage.self).reports.isEmpty)
            }
        }
    }

    @Test(arguments: Caller.allCases, TestPostgres.Kind.allCases)
    func push(_ caller: Caller, store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let author = Fixture.user(caller) ?? "nobody"
        let op = Fixture.create(UserName(stored: author), replica: 1, counter: 1)
        try await fixture.application().test(.router) { client in
            let response = try await client.push([op], token: fixture.token(caller))
            #expect(response.status == Self.expected(caller, allowed: .ok))
            try Self.checkRefusal(response, caller)
            if response.status == .ok {
                let answer = try response.decode(Sync.PushResponse.self)
                #expect(answer.serverTime == Fixture.now)
                if caller == .reader {
                    #expect(answer.accepted.isEmpty)
                    #expect(answer.refused.map(\.code) == [.readOnly])
                } else {
                    #expect(answer.accepted == [op.id])
                }
            }
        }
    }

    @Test(arguments: Caller.allCases, TestPostgres.Kind.allCases)
    func pull(_ caller: Caller, store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        try await fixture.sync.importOperations([Fixture.create("alice", replica: 1, counter: 1)], workspace: "intel")
        try await fixture.application().test(.router) { client in
            let response = try await client.pull(token: fixture.token(caller))
            #expect(response.status == Self.expected(caller, allowed: .ok))
            try Self.checkRefusal(response, caller)
            if response.status == .ok {
                let page = try response.decode(Sync.PullResponse.self)
                #expect(page.operations.map(\.author) == ["alice"])
                #expect(page.cursor == 1)
                #expect(page.more == false)
            }
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func unknownWorkspaceIsForbidden(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        try await fixture.application().test(.router) { client in
            let response = try await client.pull(token: fixture.token(.admin), workspace: "nowhere")
            #expect(response.status == .forbidden)
            #expect(response.error?.error == "ada is not a member of workspace 'nowhere'")
        }
    }

    /// The role is read with the token on every request: a change of membership applies from the next one.
    @Test(arguments: TestPostgres.Kind.allCases) func membershipChangesApplyFromTheNextRequest(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let bob = fixture.tokens["bob"]
        try await fixture.application().test(.router) { client in
            #expect(try await client.pull(token: bob).status == .ok)
            #expect(try await fixture.sync.removeMember("bob", from: Fixture.workspace))
            let removed = try await client.pull(token: bob)
            #expect(removed.status == .forbidden)
            #expect(removed.error?.error == "bob is not a member of workspace 'intel'")
            try await fixture.sync.setMember("bob", of: Fixture.workspace, role: .reader)
            #expect(try await client.pull(token: bob).status == .ok)
            let readers = try await client.push([Fixture.create("bob", replica: 2, counter: 1)], token: bob).decode(Sync.PushResponse.self)
            #expect(readers.refused.map(\.code) == [.readOnly])
        }
    }

    @Test(arguments: TestPostgres.Kind.allCases) func malformedAuthorizationHeadersAreUnauthorized(store: TestPostgres.Kind) async throws {
        let fixture = try await Fixture(kind: store)
        let valid = try #require(fixture.token(.member))
        let wrongSecret = String(valid.dropLast()) + (valid.hasSuffix("0") ? "1" : "0")
        try await fixture.application().test(.router) { client in
            for header in ["Basic abc", "Bearer", "Bearer gls_zz", "Bearer " + valid + "x", valid, "Bearer " + wrongSecret] {
                let response = try await client.execute(uri: "/v1/me", method: .get, headers: [.authorization: header])
                #expect(response.status == .unauthorized, "\(header.prefix(12))")
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
        }
    }
}
