import Foundation
import GlossCore
import Hummingbird

/// An error answer: a status and a ``Sync/ErrorBody``, the only error shape clients see.
struct APIError: HTTPResponseError, CustomStringConvertible {
    var status: HTTPResponse.Status
    var body: Sync.ErrorBody
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ error: String, hint: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.body = .init(error: error, hint: hint)
        self.headers = headers
    }

    var description: String { "\(status.code) \(body.error)" }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try Response.json(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    static func unauthorized(_ why: String) -> APIError {
        APIError(.unauthorized, why, hint: "ask an admin for a new token (`gloss-server token issue USER`) and pass it as `Authorization: Bearer gls_…`",
                 headers: [.wwwAuthenticate: "Bearer"])
    }

    /// 409 with code `store_replaced`: the client's cursor came from another store, or from
    /// this one before it was restored; the client starts its pull over (`gloss sync` does).
    static func storeReplaced(_ why: String) -> APIError {
        var error = APIError(.conflict, why, hint: "run `gloss sync` again: it starts over from the beginning and sends your work again")
        error.body.code = Sync.ErrorBody.storeReplaced
        return error
    }

    static func badRequest(_ why: String, hint: String? = nil) -> APIError { APIError(.badRequest, why, hint: hint) }

    /// 429 with `Retry-After`: the push is over the member's or the workspace's quota
    /// (``PushQuota``); nothing of it was stored, and the same push after the wait goes through.
    static func rateLimited(waitMillis: Int64, workspace: WorkspaceName) -> APIError {
        let seconds = max(1, (waitMillis + 999) / 1000)
        var error = APIError(.tooManyRequests, "too many operations pushed too fast to workspace '\(workspace)'; nothing of this push was stored",
                             hint: "wait \(seconds) s and push again (gloss sync does so by itself); an admin sets the quotas with gloss-server serve --push-rate",
                             headers: [.retryAfter: "\(seconds)"])
        error.body.code = Sync.ErrorBody.rateLimited
        return error
    }

    static func tooLarge(_ why: String, hint: String? = nil) -> APIError { APIError(.contentTooLarge, why, hint: hint) }
}

extension Response {
    /// A JSON answer encoded with Gloss's encoder (sorted keys), so equal values give equal bytes.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        json(data: try JSON.encode(value), status: status)
    }

    static func json(data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Response {
    /// A JSON answer, gzip-compressed when it is over ``Gzip/threshold`` and the request accepts gzip.
    static func json(data: Data, compressingFor request: Request) throws -> Response {
        guard data.count > Gzip.threshold, Gzip.accepts(request.headers[.acceptEncoding]) else {
            return .json(data: data)
        }
        var response = Response.json(data: try Gzip.compress(data))
        response.headers[.contentEncoding] = "gzip"
        response.headers[.vary] = "Accept-Encoding"
        return response
    }
}

extension StoreError {
    /// The HTTP form of a store failure.
    var api: APIError {
        switch code {
        case .notFound: APIError(.notFound, message, hint: hint)
        case .conflict: APIError(.conflict, message, hint: hint)
        case .invalid: APIError(.badRequest, message, hint: hint)
        }
    }
}
