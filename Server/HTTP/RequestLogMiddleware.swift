import Hummingbird
import Logging

/// Logs one line per request: method, path, status and time taken. Never headers or query, so never tokens.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = GlossRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        func log(_ status: HTTPResponse.Status) {
            let elapsed = (ContinuousClock.now - start).components
            let micros = elapsed.seconds * 1_000_000 + elapsed.attoseconds / 1_000_000_000_000
            context.logger.info("\(request.method) \(request.uri.path) \(status.code) \(micros / 1000).\(micros % 1000 / 100)ms")
        }
        do {
            let response = try await next(request, context)
            log(response.status)
            return response
        } catch let error as HTTPResponseError {
            log(error.status)
            throw error
        } catch {
            log(.internalServerError)
            context.logger.error("request failed: \(String(describing: error))")
            throw error
        }
    }
}
