import GlossCore
import Hummingbird

/// Authenticates `Authorization: Bearer gls_…` on every request it guards, against the store
/// on every request (no cache), so a revoked token is refused from the next request on. Under
/// `workspaces/{workspace}` it reads the user's role there in the same lookup (the routes'
/// membership check then needs no second one).
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
        // A workspace that is not valid percent-encoded UTF-8 is the route's to refuse (400).
        let workspace = try? SyncRoutes<Store>.workspaceParameter(context)
        var context = context
        let stored: StoredToken?
        if let workspace {
            let found = try await store.token(id: token.id, roleIn: workspace)
            stored = found?.token
            context.membership = (workspace, found?.role)
        } else {
            stored = try await store.token(id: token.id)
        }
        guard let stored, BearerToken.matches(secret: token.secret, hash: stored.secretHash) else {
            throw APIError.unauthorized("the token is not known to this server")
        }
        guard stored.revoked == nil else {
            throw APIError.unauthorized("the token was revoked")
        }
        context.user = stored.user
        context.tokenID = stored.id
        return try await next(request, context)
    }
}
