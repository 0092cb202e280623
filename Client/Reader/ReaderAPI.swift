import Foundation
import GlossCore
import GlossReplica
import Hummingbird
import NIOPosix

/// The reader page's routes (`gloss open`): its files, the replica's reports and notes as the
/// CLI's `--json` gives them, and every everyday action, each one call into ``Actions``, the
/// functions the CLI's commands call. Nothing here decides what an action means; it parses a
/// request, calls, and answers JSON (errors in the CLI's own words, ``CLIFailure``).
struct ReaderAPI: Sendable {
    let replica: Replica
    let changes: ReplicaChanges
    /// The `gloss` program itself, for the Sync control (it runs `gloss sync`).
    let program: String
    let home: URL

    var actions: Actions { Actions(replica) }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in try Self.page("index.html") }
        router.get("/page/:file") { _, context in try Self.page(context.parameters.require("file")) }

        router.get("/api/me") { _, _ in try await self.read { try self.me() } }
        router.get("/api/reports") { _, _ in try await self.read { try self.reports() } }
        router.get("/api/reports/:id") { _, context in
            let id = try context.parameters.require("id")
            return try await self.read { try self.report(id) }
        }
        router.get("/api/search") { request, _ in
            let query = request.uri.queryParameters.get("q") ?? ""
            return try await self.read { try self.search(query) }
        }
        router.get("/api/review") { request, _ in
            let report = request.uri.queryParameters.get("report")
            return try await self.read { try self.review(report) }
        }
        router.get("/api/judgments") { request, _ in
            let report = request.uri.queryParameters.get("report")
            return try await self.read { try self.judgments(report) }
        }
        router.get("/api/digest") { _, _ in
            try await self.read {
                let digest = try self.replica.digest(.lastSync)
                return Digested(text: DigestPrinter.lines(digest).joined(separator: "\n"), digest: digest)
            }
        }
        // Browsers ask for it on their own; there is none, and a 404 would be logged as an error.
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        router.get("/api/export") { request, _ in try await self.export(request) }
        router.get("/api/events") { _, _ in changes.stream() }

        router.post("/api/annotations") { request, _ in
            let body = try await Self.body(request, as: NewNote.self)
            return try await self.write {
                let report = try self.replica.resolveReport(body.report)
                let span = body.start.flatMap { start in body.end.map { Actions.Span.positions(start: start, end: $0) } }
                return try self.actions.annotate(report: report, span: span, comment: body.comment, tags: body.tags ?? [],
                                                 judgment: try body.judgment(), isPrivate: body.private ?? false)
            }
        }
        router.post("/api/annotations/:id/:action") { request, context in
            let id = try context.parameters.require("id"), action = try context.parameters.require("action")
            let body = try await Self.body(request, as: NoteChange.self)
            return try await self.write { try self.change(id, action: action, body: body) }
        }
        router.post("/api/sync") { _, _ in try await self.sync() }
    }

    // MARK: reads

    struct Me: Encodable { var user: UserName; var workspace: WorkspaceName?; var remote: String? }

    func me() throws -> Me {
        let meta = try replica.meta()
        return Me(user: meta.user, workspace: meta.workspace.isEmpty ? nil : meta.workspace,
                  remote: meta.remoteURL.isEmpty ? nil : RemoteAddress.shown(meta.remoteURL))
    }

    /// `gloss reports --json`'s list, with what the last sync brought to each.
    func reports() throws -> [Reports.Listed] {
        try Reports.listing(in: replica, arrivals: true)
    }

    struct Shown: Encodable {
        var report: Report
        var blocks: [TextBlock]
        var annotations: [Annotation]
        /// A teammate's claim this version rests on, when this analyst has not accepted it.
        var claim: RevisionClaim?
        var revision: Revision?
    }

    /// Which report this one revises and which revises it, and on whose word.
    struct Revision: Encodable {
        var revises: ReportID?
        var revisedBy: ReportID?
        var claim: Reports.Claim?
    }

    struct Digested: Encodable {
        var text: String
        var digest: Digest
    }

    /// A judged passage as the page lists it: the analysts side by side (as `gloss judgments
    /// --json` gives them), disagreement flagged.
    struct JudgedRow: Encodable {
        var report: ReportID
        var title: String
        var quote: String?
        var judgments: [Judgments.Passage.Entry]
        var disagree: Bool
        var disagreement: String?
    }

    func judgments(_ report: String?) throws -> [JudgedRow] {
        try Judgments.collect(in: replica, report: try report.map { try replica.resolveReport($0) }, disagreements: false).judgments
            .flatMap { judged in
                judged.passages.map { passage in
                    JudgedRow(report: judged.report, title: judged.title, quote: passage.quote, judgments: passage.entries,
                              disagree: passage.disagreement != nil, disagreement: passage.disagreement?.summary)
                }
            }
    }

    /// A report as `gloss show --json` gives it, with its blocks for laying it out.
    func report(_ prefix: String) throws -> Shown {
        let id = try replica.resolveReport(prefix)
        let report = try replica.report(id)
        let chains = try replica.revisionChains()
        let link = chains.links[id], later = chains.revision(of: id)?.report
        let revision = link == nil && later == nil ? nil : Revision(
            revises: link?.revises, revisedBy: later,
            claim: link.map { Reports.Claim($0, confirmed: chains.confirmed.contains(id)) })
        return Shown(report: report, blocks: report.textBlocks,
                     annotations: try replica.annotationsFollowingRevisions(of: report, includeDeleted: true),
                     claim: chains.unconfirmedClaim(of: id).map(RevisionClaim.init), revision: revision)
    }

    struct Hit: Encodable {
        var report: ReportID
        var title: String
        var annotation: String?
        var snippet: String
    }

    func search(_ query: String) throws -> [Hit] {
        guard !query.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        return try replica.search(query).map { hit in
            Hit(report: hit.report, title: hit.title, annotation: hit.kind == .annotation ? hit.id : nil, snippet: hit.snippet)
        }
    }

    struct Queue: Encodable {
        struct Head: Encodable { var id: ReportID; var title: String }
        var report: Head
        var notes: [Annotation]
    }

    func review(_ report: String?) throws -> [Queue] {
        try replica.reviewQueue(report: try report.map { try replica.resolveReport($0) }).map {
            Queue(report: .init(id: $0.report.id, title: $0.report.title), notes: $0.notes)
        }
    }

    func export(_ request: Request) async throws -> Response {
        guard let format = request.uri.queryParameters.get("format").flatMap(ExportFormat.init(rawValue:)) else {
            return Self.error(.badRequest, "give format=w3c, json, csv, markdown or html", hint: nil)
        }
        let report = request.uri.queryParameters.get("report")
        let includePrivate = request.uri.queryParameters.get("private") == "1"
        do {
            let data = try await run {
                try Export.data(self.replica, format: format, report: try report.map { try self.replica.resolveReport($0) },
                                includePrivate: includePrivate)
            }
            let name = "gloss-export.\(format.fileExtension)"
            let type = switch format {
            case .html: "text/html; charset=utf-8"
            case .markdown: "text/markdown; charset=utf-8"
            case .csv: "text/csv; charset=utf-8"
            case .json, .w3c: "application/json; charset=utf-8"
            }
            // Always a download: the brief is never rendered as a page of this origin.
            return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            return Self.failure(error)
        }
    }

    // MARK: writes

    struct NewNote: Decodable {
        var report: String
        var start: Int?
        var end: Int?
        var comment: String?
        var tags: [String]?
        var confidence: String?
        var likelihood: String?
        var `private`: Bool?

        func judgment() throws -> Judgment? {
            try ReaderAPI.judgment(confidence: confidence, likelihood: likelihood)
        }
    }

    struct NoteChange: Decodable {
        var comment: String?
        var add: [String]?
        var remove: [String]?
        var confidence: String?
        var likelihood: String?
        var report: String?
        var start: Int?
        var end: Int?
    }

    static func judgment(confidence: String?, likelihood: String?) throws -> Judgment? {
        let confidence = try confidence.flatMap { $0.isEmpty ? nil : $0 }.map { text in
            guard let value = Confidence(rawValue: text) else { throw PageError("unknown confidence \(text)") }
            return value
        }
        let likelihood = try likelihood.flatMap { $0.isEmpty ? nil : $0 }.map { text in
            guard let value = Likelihood(rawValue: text) else { throw PageError("unknown likelihood \(text)") }
            return value
        }
        return confidence == nil && likelihood == nil ? nil : Judgment(confidence: confidence, likelihood: likelihood)
    }

    /// One action on a note, by the route's last part.
    func change(_ prefix: String, action: String, body: NoteChange) throws -> Annotation {
        let id = try replica.resolveAnnotation(prefix)
        switch action {
        case "reply": return try actions.reply(to: id, comment: body.comment ?? "")
        case "edit": return try actions.edit(id, comment: body.comment)
        case "judge":
            guard let judgment = try Self.judgment(confidence: body.confidence, likelihood: body.likelihood) else {
                throw PageError("give a confidence or a likelihood")
            }
            return try actions.edit(id, judgment: judgment)
        case "tags": return try actions.tag(id, add: body.add ?? [], remove: body.remove ?? []).annotation
        case "resolve": return try actions.setStatus(id, .resolved).annotation
        case "reopen": return try actions.setStatus(id, .open).annotation
        case "delete":
            switch try actions.delete(id) {
            case let .deleted(note): return note
            case let .droppedRefused(refused):
                guard let note = refused.annotation else { throw PageError("the refused changes to \(id.short) were dropped") }
                return note
            }
        case "accept": return try actions.acceptProposal(id).annotation
        case "retarget":
            guard let start = body.start, let end = body.end else { throw PageError("select the passage to put the note on") }
            return try actions.retarget(id, to: .positions(start: start, end: end))
        default: throw PageError("there is no action \(action) on a note")
        }
    }

    /// The Sync control runs `gloss sync`, the command itself, and shows what it printed.
    func sync() async throws -> Response {
        guard try await run({ try self.replica.meta().remoteURL }).isEmpty == false else {
            return Self.error(.conflict, "this replica has no team server", hint: "run `gloss remote add URL --workspace W < token.txt` first")
        }
        let result = try await run { try Self.runGloss(self.program, ["--home", self.home.path, "--no-pager", "sync"]) }
        changes.bump()
        let digest = try await run { DigestPrinter.lines(try self.replica.digest(.lastSync)).joined(separator: "\n") }
        /// What `gloss sync` printed; on failure its `error:` and `hint:` lines say why, as at a terminal.
        struct Out: Encodable { var ok: Bool; var summary: String; var digest: String; var error: String?; var hint: String? }
        let lines = result.output.split(separator: "\n").map(String.init)
        func line(_ prefix: String) -> String? { lines.last { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } }
        let failed = result.status != 0 && result.status != 5
        return try Self.json(Out(ok: !failed, summary: result.output, digest: digest,
                                 error: failed ? line("error: ") ?? "gloss sync failed (exit \(result.status))" : nil,
                                 hint: failed ? line("hint: ") : nil),
                             status: failed ? .badGateway : .ok)
    }

    static func runGloss(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    // MARK: plumbing

    /// Replica work runs on NIO's thread pool: SQLite blocks, the event loops must not.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }

    func read<T: Encodable & Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> Response {
        do {
            return try Self.json(try await run(work))
        } catch {
            return Self.failure(error)
        }
    }

    /// A write tells the open pages at once (its own commits do not move `data_version`).
    func write<T: Encodable & Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> Response {
        let response = try await read(work)
        changes.bump()
        return response
    }

    static func body<T: Decodable>(_ request: Request, as type: T.Type) async throws -> T {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch {
            throw PageError("the request is not valid JSON for this action: \(error)")
        }
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try JSON.encode(value))))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, hint: String?) -> Response {
        struct Out: Encodable { var error: String; var hint: String? }
        return (try? json(Out(error: message, hint: hint), status: status)) ?? Response(status: status)
    }

    /// A failure in the CLI's words, with the status a page can act on.
    static func failure(_ error: any Error) -> Response {
        if let error = error as? PageError { return Self.error(.badRequest, error.message, hint: nil) }
        let failure = CLIFailure(error)
        let status: HTTPResponse.Status = switch failure.exitCode {
        case 3: .notFound
        case 4: .forbidden
        case 64: .badRequest
        case 1: failure.code == .storage ? .internalServerError : .unprocessableContent
        default: .unprocessableContent
        }
        return Self.error(status, failure.message, hint: failure.hint)
    }

    static func page(_ name: String) throws -> Response {
        guard let encoded = PageFiles.all[name], let data = Data(base64Encoded: encoded) else {
            return error(.notFound, "no page file \(name)", hint: nil)
        }
        let type = switch (name as NSString).pathExtension {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        default: "application/octet-stream"
        }
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A request the page should not have sent (a bad field, a body that is not JSON), in words
/// for the page: a 400 with `{"error": …}`, also when it is thrown before an action runs.
struct PageError: HTTPResponseError {
    let message: String
    init(_ message: String) { self.message = message }

    var status: HTTPResponse.Status { .badRequest }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        ReaderAPI.error(status, message, hint: nil)
    }
}
