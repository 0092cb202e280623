import GlossCore
import Hummingbird

/// The request context of every route: Hummingbird's core plus the authenticated user.
struct GlossRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by ``BearerAuthMiddleware`` for everything under `/v1`.
    var user: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        user = nil
    }

    /// Bodies are read by the routes themselves (see `Request.collectJSONBody`), up to this size.
    var maxUploadSize: Int { Sync.Limits.maxRequestBytes }

    /// The authenticated user; only routes behind ``BearerAuthMiddleware`` call this.
    func requireUser() throws -> String {
        guard let user else { throw APIError.unauthorized("no authenticated user") }
        return user
    }
}
