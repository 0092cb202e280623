import GlossCore
import Hummingbird

/// Authenticates `Authorization: Bearer gls_…` on every request it guards, against the store
/// on every request (no cache), so a revoked token is refused from the next request on.
struct BearerAuthMiddleware<Store: SyncStore>: RouterMiddleware {
    typealias Context = GlossRequestContext
    let store: Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("this request needs a token")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", let token = BearerToken(parts[1]) else {
            throw APIError.unauthorized("the Authorization header is not `Bearer gls_…`")
        }
        guard let stored = try await store.token(id: token.id),
              BearerToken.matches(secret: token.secret, hash: stored.secretHash) else {
            throw APIError.unauthorized("the token is not known to this server")
        }
        guard stored.revoked == nil else {
            throw APIError.unauthorized("the token was revoked")
        }
        var context = context
        context.user = stored.user
        return try await next(request, context)
    }
}
