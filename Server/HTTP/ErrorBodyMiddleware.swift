import GlossCore
import Hummingbird

/// Makes every error answer a ``Sync/ErrorBody``: store errors get their status, Hummingbird's
/// own errors keep theirs, and anything else is a 500 whose detail goes to the log, not the client.
struct ErrorBodyMiddleware: RouterMiddleware {
    typealias Context = GlossRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as StoreError {
            throw error.api
        } catch let error as HTTPError {
            throw APIError(error.status, error.body ?? error.status.reasonPhrase, headers: error.headers)
        } catch let error as HTTPResponseError {
            throw APIError(error.status, error.status.reasonPhrase)
        } catch {
            context.logger.error("internal error: \(String(describing: error))")
            throw APIError(.internalServerError, "the server failed to answer this request",
                           hint: "try again; if it keeps failing, tell the server's admin (the server log has the detail)")
        }
    }
}
