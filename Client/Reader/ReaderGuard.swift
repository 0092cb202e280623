import Foundation
import Hummingbird

/// Who may use the reader page: the analyst who ran `gloss open`, in her own browser.
///
/// The page holds her private notes, on a port any local program or web page could reach. So:
/// - the URL `gloss open` prints carries a fresh secret, exchanged on first load for an
///   HttpOnly, SameSite=Strict cookie (the secret leaves the address bar at once);
/// - every request needs that cookie, and a `Host` naming this loopback port (no DNS
///   rebinding: a hostile site's name resolving to 127.0.0.1 still sends its own name);
/// - a write (POST) needs an `Origin` of this page: a form or script on another site is refused;
/// - every answer forbids scripts, styles and requests from anywhere but this page (CSP), framing
///   and sniffing.
struct ReaderGuard<Context: RequestContext>: RouterMiddleware {
    /// The secret in the printed URL, and the cookie that replaces it.
    let secret: String
    let session: String
    /// The loopback port the page is served on.
    let port: Int

    /// Cookies are kept per host, not per port: two pages open at once (two replicas, two
    /// ports) each need a cookie of their own.
    var cookieName: String { "gloss_session_\(port)" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await check(request, context: context, next: next)
        Self.secure(&response.headers)
        return response
    }

    private func check(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let host = request.head.authority, allowedHosts.contains(host.lowercased()) else {
            return Self.refusal("this page answers only at http://127.0.0.1:\(port)/")
        }
        if request.method != .get && request.method != .head {
            guard let origin = request.headers[.origin], allowedHosts.contains(where: { origin == "http://\($0)" }) else {
                return Self.refusal("a change must come from the reader page itself")
            }
        }
        if hasSession(request) { return try await next(request, context) }
        // The first load: the printed URL's secret buys the cookie, and the address bar loses it.
        if request.method == .get, request.uri.path == "/", let given = request.uri.queryParameters.get("secret"),
           Self.same(given, secret) {
            var headers: HTTPFields = [.location: "/"]
            headers[.setCookie] = "\(cookieName)=\(session); Path=/; HttpOnly; SameSite=Strict"
            return Response(status: .seeOther, headers: headers)
        }
        return Self.refusal("open the page with the address `gloss open` printed (it holds a secret); this browser has not been given it")
    }

    private var allowedHosts: [String] { ["127.0.0.1:\(port)", "localhost:\(port)"] }

    private func hasSession(_ request: Request) -> Bool {
        for field in request.headers[values: .cookie] {
            for pair in field.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == cookieName, Self.same(String(parts[1]), session) { return true }
            }
        }
        return false
    }

    /// Compares secrets in time independent of where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func refusal(_ reason: String) -> Response {
        ReaderAPI.error(.forbidden, reason, hint: "run `gloss open` and use the address it prints")
    }

    static func secure(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; font-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.cacheControl] = "no-store"
        for (name, value) in [("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"), ("Cross-Origin-Resource-Policy", "same-origin")] {
            if let name = HTTPFields.Element.Name(name) { headers[name] = value }
        }
    }

    /// A fresh random token: 32 bytes, hex.
    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
