import Foundation
import GlossCore
import Hummingbird
import ServiceLifecycle

/// The `/v1` API: who am I, reports, push and pull. Thin: it decodes, asks the store (which
/// applies ``PushPolicy``) and encodes.
struct SyncRoutes<Store: SyncStore>: Sendable {
    typealias Context = GlossRequestContext

    let store: Store
    let notifier: PushNotifier
    /// The server's clock, ms since the epoch.
    let now: @Sendable () -> Int64
    let crashHook: CrashHook
    var metrics = ServerMetrics()
    /// How long a request body may take to arrive once its head has (`serve --idle-timeout`).
    var bodyTimeout: Duration = .seconds(30)
    /// How much each member and workspace may push (`serve --push-rate …`).
    var pushLimiter = PushLimiter(quota: .standard)
    /// Draining after SIGTERM: a long poll that arrives then answers at once rather than park
    /// (graceful shutdown reaches the polls already parked, not a request that comes after it).
    var readiness = Readiness()
    /// The read long polls woken by one push share (``SharedReads``).
    var shared = SharedReads()
    /// Ends parked polls whose token or membership went (``PollGuard``); `buildApplication`
    /// runs it as a service.
    let pollGuard: PollGuard

    /// Longest long-poll a pull may ask for, in seconds; a longer `wait` is capped to it.
    static var maxWaitSeconds: Int { 30 }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("me", use: me)
        let workspace = group.group("workspaces/:workspace")
        workspace.put("reports/:report", use: putReport)
        workspace.get("reports", use: listReports)
        workspace.get("reports/:report", use: getReport)
        workspace.post("push", use: push)
        workspace.get("operations", use: pull)
        workspace.get("trust", use: trust)
        workspace.post("keys", use: registerKey)
        workspace.get("refusals", use: refusals)
    }

    /// The refusals for good under the replicas named (`?replicas=HEX,HEX`, at most
    /// ``Sync/ChainRefusals/maxReplicas``), with the runs covering them.
    @Sendable func refusals(_ request: Request, context: Context) async throws -> Response {
        let (workspace, user, _) = try await membership(context)
        let names = (request.uri.queryParameters["replicas"].map(String.init) ?? "").split(separator: ",")
        guard names.count <= Sync.ChainRefusals.maxReplicas else {
            throw APIError.badRequest("at most \(Sync.ChainRefusals.maxReplicas) replicas at a time, not \(names.count)")
        }
        let replicas = try names.map { name in
            guard let replica = ReplicaID(hex: String(name)) else { throw APIError.badRequest("'\(name.prefix(40))' is not a replica id (16 hex digits)") }
            return replica
        }
        let signing = try await store.refusals(of: replicas, in: workspace, user: user)
        return try .json(data: Data(Sync.ChainRefusals.wire(refused: signing.refused, runs: signing.runs.map(\.body))), compressingFor: request)
    }

    /// The workspace root's public key and its statements (`?have=N`: the key alone when the
    /// replica holds N statements and so does the server). 404 when the workspace has no root.
    @Sendable func trust(_ request: Request, context: Context) async throws -> Response {
        let (workspace, _, _) = try await membership(context)
        let have = try Self.integer(request.uri.queryParameters["have"], name: "have", default: -1, range: -1...Int64.max)
        guard let root = try await store.publicRoot(of: workspace) else {
            throw APIError(.notFound, "workspace '\(workspace)' has no root of trust yet",
                           hint: "an admin makes it with `gloss-server workspace root \(workspace)`")
        }
        // Counted as a pull page counts them (``SyncStore/statementCount(in:)``); read only when needed.
        let signing = try await store.statementCount(in: workspace) == have ? BundleSigning(root: root)
            : try await store.statements(of: workspace, root: root)
        return try .json(data: Data(JSONWriter.string(signing).utf8), compressingFor: request)
    }

    /// Binds the device key in the body to the token's user with the workspace's root (made
    /// now for a workspace from before signing), and answers as ``trust(_:context:)`` does. A
    /// key bound to this user already is answered the same; one bound to another user is 409.
    @Sendable func registerKey(_ request: Request, context: Context) async throws -> Response {
        let (workspace, user, _) = try await membership(context)
        var request = request
        let key = try await request.readJSONBody(limit: 4096, timeout: bodyTimeout, as: "key registration", RegisteredKey.read).key
        let root = try await store.root(of: workspace, now: now(), make: StoreTrust.makeRoot)
        if let bound = try await store.bindings(in: workspace).first(where: { $0.key == key }) {
            guard bound.user == user else {
                throw APIError(.conflict, "key \(key.keyID) is bound to another member of '\(workspace)'",
                               hint: "each device has its own key; this one belongs to someone else's replica")
            }
        } else {
            try await store.addBinding(KeyBinding.make(workspace: workspace, user: user, key: key, issued: now(), root: root))
        }
        let signing = try await store.statements(of: workspace, root: root.publicKey)
        return try .json(data: Data(JSONWriter.string(signing).utf8), compressingFor: request)
    }

    @Sendable func me(_ request: Request, context: Context) async throws -> Response {
        let user = try context.requireUser()
        return try .json(Sync.WhoAmI(user: user, memberships: try await store.memberships(of: user)))
    }

    @Sendable func putReport(_ request: Request, context: Context) async throws -> Response {
        let (workspace, user, role) = try await membership(context)
        guard role.canWrite else {
            throw APIError(.forbidden, "\(user) is a reader in '\(workspace)' and cannot add reports", hint: "ask an admin for the member role")
        }
        let pathID = try Self.pathParameter("report", context)
        var request = request
        let report = try await request.decodeJSONBody(Report.self, timeout: bodyTimeout)
        guard report.text.utf8.count <= Sync.Limits.maxReportBytes else {
            throw APIError.tooLarge("the report's text is \(report.text.utf8.count) bytes; the limit is \(Sync.Limits.maxReportBytes)")
        }
        guard report.id.rawValue == pathID else {
            throw APIError.badRequest("the path names report \(pathID) but the body is report \(report.id)")
        }
        if let problem = report.integrityProblem {
            throw APIError.badRequest("report \(report.id.short) was refused: \(problem)",
                                      hint: "send the report as `gloss import` made it, unchanged")
        }
        // Only what follows from the text is stored: a link to an earlier version is a claim
        // of one analyst's, not the first uploader's to set for everyone.
        let stored = try await store.storeReport(report.shared, in: workspace)
        return try .json(ReportReceipt(id: report.id, created: stored), status: stored ? .created : .ok)
    }

    /// A page of the workspace's reports in the order it received them: each report's JSON as
    /// stored, written into the page by the codec, so a page costs one read and no re-encoding.
    @Sendable func listReports(_ request: Request, context: Context) async throws -> Response {
        let (workspace, _, _) = try await membership(context)
        let query = request.uri.queryParameters
        let after = try Self.integer(query["after"], name: "after", default: 0, range: 0...Int64.max)
        let limit = Int(try Self.integer(query["limit"], name: "limit", default: Int64(Sync.Limits.maxReportPage),
                                         range: 1...Int64.max)).clamped(to: 1...Sync.Limits.maxReportPage)
        let page = try await store.reports(in: workspace, after: after, limit: limit, maxBytes: Sync.Limits.maxPageBytes)
        let body = Sync.ReportPage.wire(reports: page.json, cursor: page.cursor, more: page.more)
        return try .json(data: Data(body), compressingFor: request)
    }

    @Sendable func getReport(_ request: Request, context: Context) async throws -> Response {
        let (workspace, _, _) = try await membership(context)
        let id = ReportID(rawValue: try Self.pathParameter("report", context))
        guard let report = try await store.report(id, in: workspace) else {
            throw APIError(.notFound, "no report \(id.short) in workspace '\(workspace)'", hint: "its author may not have synced yet")
        }
        return try .json(data: try JSON.encode(report), compressingFor: request)
    }

    @Sendable func push(_ request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        defer { metrics.pushLatency.record(ContinuousClock.now - started) }
        let (workspace, user, role) = try await membership(context)
        var request = request
        let push = try await request.readJSONBody(timeout: bodyTimeout, as: "push", Sync.PushRequest.read)
        guard push.operations.count <= Sync.Limits.maxPushOperations else {
            throw APIError.tooLarge("the push holds \(push.operations.count) operations; the limit is \(Sync.Limits.maxPushOperations)",
                                    hint: "push in batches of at most \(Sync.Limits.maxPushOperations)")
        }
        let time = now()
        if let wait = pushLimiter.admit(user: user, workspace: workspace, operations: push.operations.count,
                                        bytes: request.headers[.contentLength].flatMap { Int($0) } ?? push.operations.count * 512, now: time) {
            metrics.pushesRateLimited.increment()
            throw APIError.rateLimited(waitMillis: wait, workspace: workspace)
        }
        var runs: [KeptRun] = []
        for (index, run) in push.runs.enumerated() {
            if let problem = PushedRuns.problem(with: run, pusher: user, workspace: workspace) {
                throw APIError.badRequest("signed run \(index + 1) of the push was refused: \(problem)",
                                          hint: "push from the replica that made these operations, with its own device key")
            }
            if let kept = KeptRun(run) { runs.append(kept) }
        }
        let policy = PushPolicy(workspace: workspace, user: user, role: role, now: time)
        let outcome = try await store.push(push.operations, claims: PushedRuns.claims(push.claims, provenBy: push.runs), runs: runs,
                                           policy: policy)
        crashHook.pushCommitted()
        if !outcome.accepted.isEmpty { await notifier.pushed(to: workspace) }
        context.logger.debug("push", metadata: ["workspace": .string(workspace.rawValue), "replica": .string(push.replica.hex),
                                               "accepted": "\(outcome.accepted.count)", "duplicates": "\(outcome.duplicates.count)",
                                               "refused": "\(outcome.refused.count)"])
        return try .json(Sync.PushResponse(accepted: outcome.accepted, duplicates: outcome.duplicates,
                                           refused: outcome.refused, serverTime: time))
    }

    @Sendable func pull(_ request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        defer { metrics.pullLatency.record(ContinuousClock.now - started) }
        let (workspace, user, _) = try await membership(context)
        let query = request.uri.queryParameters
        let after = try Self.integer(query["after"], name: "after", default: 0, range: 0...Int64.max)
        if let epoch = query["epoch"], epoch != store.epoch[...] {
            throw APIError.storeReplaced("the cursor was given by another store (epoch \(epoch)); this one is \(store.epoch)")
        }
        let limit = Int(try Self.integer(query["limit"], name: "limit", default: Int64(Sync.Limits.defaultPageSize),
                                         range: 1...Int64.max)).clamped(to: 1...Sync.Limits.maxPageSize)
        let wait = min(try Self.integer(query["wait"], name: "wait", default: 0, range: 0...Int64.max), Int64(Self.maxWaitSeconds))

        let deadline = ContinuousClock.now + .seconds(wait)
        var page: PullPage
        var waited = false, rereadAtOnce = false
        while true {
            let generation = await notifier.generation(of: workspace)
            // Every wake re-checks the token and the membership (revoked by an admin command in
            // another process, so nothing here is told; the guard wakes a poll whose token no
            // longer holds within ``recheckInterval``): a long poll ends within a second of it.
            if waited { try await recheck(context, workspace: workspace) }
            page = try await read(workspace: workspace, user: user, after: after, limit: limit, woken: waited)
            // A cursor past the head: the store was restored to an earlier state (same epoch).
            if after > page.head {
                throw APIError.storeReplaced("the cursor \(after) is past this workspace's last operation (\(page.head)): the store was restored to an earlier state")
            }
            let remaining = deadline - ContinuousClock.now
            let nothingNew = page.payloads.isEmpty && page.cursor == after
            guard nothingNew, remaining > .zero, !Task.isCancelled, !Task.isShuttingDownGracefully, !readiness.isDraining else { break }
            // Nothing read, yet the head is past the cursor: a push committed between the read of
            // the rows and that of the head. Read again now rather than answer an empty page
            // (once: a head that stays ahead of its rows waits like any other).
            if page.more, !rereadAtOnce {
                rereadAtOnce = true
                continue
            }
            rereadAtOnce = false
            // Parked until a push to the workspace, the guard (a revoked token, a removed member),
            // or the re-read interval; a graceful shutdown ends the wait at once, so a long poll
            // never holds up a restart.
            let notifier = notifier, slice = min(remaining, Self.rereadInterval)
            let waiting = Task { await notifier.wait(for: workspace, after: generation, timeout: slice) }
            let parked = pollGuard.park(token: context.tokenID ?? "", workspace: workspace) { waiting.cancel() }
            await cancelWhenGracefulShutdown {
                await withTaskCancellationHandler { await waiting.value } onCancel: { waiting.cancel() }
            }
            pollGuard.leave(parked)
            waited = true
        }
        // The signed runs covering the page, each cut to begin at the page's first operation of
        // it, and the positions of their chains refused for good.
        // Only for a replica that checks them (`signed=1`): the others are spared their bytes.
        var signing = PageSigning()
        if !page.payloads.isEmpty, query["signed"] == "1" {
            signing = try await store.signing(in: workspace, user: user, after: after, through: page.cursor)
            // Counted after the page's rows: a key that signed one of them was bound before it.
            signing.statements = try await store.statementCount(in: workspace)
        }
        return try Self.pullResponse(page, epoch: store.epoch, reports: try await store.reportHead(of: workspace), signing: signing,
                                     request: request)
    }

    /// A pull's page. A poll woken by a push shares one read of the rows with the others woken
    /// with it (``SharedReads``) and takes its own page of them; a page those rows cannot fill
    /// (too many of them others' private notes) is read for this user alone.
    func read(workspace: WorkspaceName, user: UserName, after: Int64, limit: Int, woken: Bool) async throws -> PullPage {
        if woken {
            let tail = try await shared.tail(of: workspace, after: after, limit: limit + 64) { [store] in
                try await store.tail(of: workspace, after: after, limit: limit + 64)
            }
            if let page = tail.page(for: user, after: after, limit: limit, maxBytes: Sync.Limits.maxPageBytes) { return page }
        }
        return try await store.pull(workspace: workspace, user: user, after: after, limit: limit, maxBytes: Sync.Limits.maxPageBytes)
    }

    /// The pull answer, written by the codec from the stored wire JSON (no decode and
    /// re-encode, ``Sync/PullResponse/wire(payloads:cursor:more:epoch:reports:)``); gzip when
    /// the client accepts it.
    static func pullResponse(_ page: PullPage, epoch: String, reports: Int64, signing: PageSigning = PageSigning(),
                             request: Request) throws -> Response {
        let json = Sync.PullResponse.wire(payloads: page.payloads, cursor: page.cursor, more: page.more, epoch: epoch, reports: reports,
                                          runs: signing.runs.map(\.wire), refused: signing.refused, statements: signing.statements)
        return try .json(data: Data(json), compressingFor: request)
    }

    /// How often the parked long polls' tokens and memberships are re-checked (``PollGuard``).
    static var recheckInterval: Duration { .milliseconds(500) }
    /// How long a parked poll waits for a push before it reads the log again anyway: a
    /// notification lost between instances (``PostgresListener``) costs at most this.
    static var rereadInterval: Duration { .seconds(5) }

    /// Throws 401 when the request's token was revoked since it was checked, 403 when its user
    /// left the workspace.
    func recheck(_ context: Context, workspace: WorkspaceName) async throws {
        guard let tokenID = context.tokenID, let found = try await store.token(id: tokenID, roleIn: workspace),
              found.token.revoked == nil else {
            throw APIError.unauthorized("the token was revoked")
        }
        guard found.role != nil else {
            throw APIError(.forbidden, "\(found.token.user) is no longer a member of workspace '\(workspace)'")
        }
    }

    /// The workspace in the path and the user's role there (as the auth middleware read it with
    /// the token); 403 when not a member.
    func membership(_ context: Context) async throws -> (workspace: WorkspaceName, user: UserName, role: Role) {
        let user = try context.requireUser()
        let workspace = try Self.workspaceParameter(context)
        let role = if let known = context.membership, known.workspace == workspace {
            known.role
        } else {
            try await store.role(of: user, in: workspace)
        }
        guard let role else {
            throw APIError(.forbidden, "\(user) is not a member of workspace '\(workspace)'",
                           hint: "ask an admin to run `gloss-server member add \(workspace) \(user)`")
        }
        return (workspace, user, role)
    }

    /// A path parameter, percent-decoded (clients encode names such as `Zoë` or `a b`); 400 when
    /// the decoded bytes are not UTF-8 or hold a NUL (SQLite would compare only up to it, so
    /// `intel%00` would pass for `intel`).
    static func pathParameter(_ name: String, _ context: Context) throws -> String {
        let raw = try context.parameters.require(name)
        guard let decoded = raw.removingPercentEncoding, !decoded.contains("\0") else {
            throw APIError.badRequest("the \(name) in the path is not valid percent-encoded UTF-8 without NUL: '\(raw)'")
        }
        return decoded
    }

    /// The workspace in the path, as the client sent it (not canonicalised: names compare by
    /// bytes, so a spelling other than the canonical one is a workspace nobody is a member of).
    static func workspaceParameter(_ context: Context) throws -> WorkspaceName {
        WorkspaceName(stored: try pathParameter("workspace", context))
    }

    static func integer(_ text: Substring?, name: String, default value: Int64, range: ClosedRange<Int64>) throws -> Int64 {
        guard let text else { return value }
        guard let number = Int64(text), range.contains(number) else {
            let bounds = range.upperBound == .max ? "of at least \(range.lowerBound)" : "in \(range.lowerBound)…\(range.upperBound)"
            throw APIError.badRequest("'\(name)' must be a whole number \(bounds), not '\(text)'")
        }
        return number
    }
}

/// The answer to `PUT …/reports/{id}`: which report, and whether this request stored it.
struct ReportReceipt: Codable, Sendable, Equatable {
    var id: ReportID
    var created: Bool
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
