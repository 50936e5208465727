import ClinicCore
import Hummingbird
import HTTPTypes

/// Authenticates only: finds the session behind a bearer token or the session cookie. It never decides what a role
/// may do (that is `Clinic`'s access policy). Anonymous requests to protected routes are refused here and counted
/// per client address in metrics — not chained into the audit trail one by one.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ClinicRequestContext
    let clinic: Clinic
    let metrics: ClinicMetrics

    static let cookieName = "dr_session"

    /// Paths anyone may reach.
    static func isPublic(_ path: String) -> Bool {
        path == "/health" || path == "/livez" || path == "/metrics" || path == "/openapi.json" || path == "/openapi.yaml"
            || path == "/api/v1/auth/sign-in" || path == "/sign-in" || path.hasPrefix("/static/") || path == "/favicon.ico"
            // A patient's follow-up link: the single-use token in the path is its own credential (checked by `Clinic`).
            || path.hasPrefix("/f/")
    }

    /// Paths a user who must change their password may still reach.
    static func allowedBeforePasswordChange(_ path: String) -> Bool {
        path == "/account/password" || path == "/sign-out" || path == "/api/v1/me/password" || path == "/api/v1/auth/sign-out" || path == "/api/v1/me"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let path = request.uri.path
        let isAPI = path.hasPrefix("/api/")
        var raw: String?
        if let auth = request.headers[.authorization], auth.lowercased().hasPrefix("bearer ") {
            raw = String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        } else if !isAPI, let cookie = request.cookies[Self.cookieName]?.value, !cookie.isEmpty {
            raw = cookie
        }
        if let raw, !raw.isEmpty, raw.count < 200 {
            if let session = try await clinic.authenticate(token: raw) {
                context.session = session
                context.rawToken = raw
            }
        }
        if context.session == nil && !Self.isPublic(path) {
            metrics.refusedAnonymous(client: context.client)
            if isAPI { throw ClinicError.unauthenticated }
            let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            var response = Response.redirect(to: "/sign-in?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
            if raw != nil { response.setCookie(Self.expiredCookie) }
            return response
        }
        if let s = context.session, s.user.mustChangePassword, !Self.allowedBeforePasswordChange(path), !Self.isPublic(path) {
            if isAPI { throw ClinicError.passwordChangeRequired }
            return .redirect(to: "/account/password")
        }
        let scope = RequestScope(session: context.session, rawToken: context.rawToken, client: context.client)
        let ctx = context
        return try await RequestScope.$current.withValue(scope) {
            try await next(request, ctx)
        }
    }

    static var expiredCookie: Cookie {
        Cookie(name: cookieName, value: "", expires: .distantPast, path: "/", secure: false, httpOnly: true, sameSite: .lax)
    }
}
