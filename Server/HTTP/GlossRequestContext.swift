import GlossCore
import Hummingbird

/// The request context of every route: Hummingbird's core plus the authenticated user.
struct GlossRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by ``BearerAuthMiddleware`` for everything under `/v1`.
    var user: UserName?
    /// The public id of the token that authenticated the request (long polls re-check it).
    var tokenID: String?
    /// The user's role in the path's workspace (nil: not a member), read by ``BearerAuthMiddleware``
    /// with the token, so a workspace request looks its caller up once.
    var membership: (workspace: WorkspaceName, role: Role?)?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        user = nil
        tokenID = nil
        membership = nil
    }

    /// Bodies are read by the routes themselves (see `Request.collectJSONBody`), up to this size.
    var maxUploadSize: Int { Sync.Limits.maxRequestBytes }

    /// The authenticated user; only routes behind ``BearerAuthMiddleware`` call this.
    func requireUser() throws -> UserName {
        guard let user else { throw APIError.unauthorized("no authenticated user") }
        return user
    }
}
