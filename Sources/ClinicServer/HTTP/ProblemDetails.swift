import ClinicCore
import Foundation
import Hummingbird
import HTTPTypes
import OpenAPIRuntime

/// An RFC 9457 problem-details body (DESIGN §8).
struct ProblemDetails: Codable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var errors: [FieldError]?

    /// The one mapping from domain errors to HTTP.
    init(_ error: ClinicError) {
        switch error {
        case .invalid(let fields):
            self.init(type: "https://deeprelief.invalid/problems/invalid-input", title: "Invalid input", status: 422,
                      detail: fields.map { "\($0.field): \($0.reason)" }.joined(separator: "; "), errors: fields)
        case .unauthenticated:
            self.init(type: "https://deeprelief.invalid/problems/unauthenticated", title: "Sign-in required", status: 401,
                      detail: "Send a valid bearer token (POST /api/v1/auth/sign-in) or sign in.")
        case .forbidden(let why):
            self.init(type: "https://deeprelief.invalid/problems/forbidden", title: "Not allowed for your role", status: 403,
                      detail: why.isEmpty ? "Your role may not do this." : why)
        case .notFound(let what):
            self.init(type: "https://deeprelief.invalid/problems/not-found", title: "Not found", status: 404, detail: "No \(what).")
        case .conflict(let why):
            self.init(type: "https://deeprelief.invalid/problems/conflict", title: "Conflict", status: 409, detail: why)
        case .tooLarge(let why):
            self.init(type: "https://deeprelief.invalid/problems/too-large", title: "Request body too large", status: 413, detail: why)
        case .accountLocked(let until):
            self.init(type: "https://deeprelief.invalid/problems/account-locked", title: "Account locked", status: 401,
                      detail: "Too many failed sign-ins; try again after \(ISO8601DateFormatter().string(from: until)) or ask an administrator to unlock the account.")
        case .passwordChangeRequired:
            self.init(type: "https://deeprelief.invalid/problems/password-change-required", title: "Password change required", status: 403,
                      detail: "Change your password first: POST /api/v1/me/password.")
        }
    }

    init(type: String, title: String, status: Int, detail: String?, errors: [FieldError]? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
    }

    static func badRequest(_ detail: String, errors: [FieldError]? = nil) -> ProblemDetails {
        ProblemDetails(type: "https://deeprelief.invalid/problems/malformed-request", title: "Malformed request", status: 400,
                       detail: detail, errors: errors)
    }

    func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if status == 401 { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    /// Maps any error thrown below the middleware to a problem: domain errors as such, the generated API's decoding
    /// failures as 400, a body over the limit as 413 — never a 500 for bad input.
    static func from(_ error: any Error) -> ProblemDetails? {
        if let e = error as? ClinicError { return ProblemDetails(e) }
        if let e = error as? ServerError {
            if let inner = e.underlyingError as? ClinicError { return ProblemDetails(inner) }
            if let inner = e.underlyingError as? HTTPError, inner.status == .contentTooLarge {
                return ProblemDetails(.tooLarge("The body is over the \(ClinicRequestContext.bodyLimit) byte limit."))
            }
            return .badRequest(describe(e.underlyingError, operation: e.operationID))
        }
        if let e = error as? HTTPError {
            if e.status == .contentTooLarge { return ProblemDetails(.tooLarge("The body is over the \(ClinicRequestContext.bodyLimit) byte limit.")) }
            if e.status.code < 500 {
                return ProblemDetails(type: "about:blank", title: e.status.reasonPhrase, status: e.status.code, detail: e.body)
            }
        }
        if error is DecodingError { return .badRequest(describe(error, operation: "")) }
        return nil
    }

    /// A readable sentence for a decoding failure, naming the field where one is known.
    static func describe(_ error: any Error, operation: String) -> String {
        if let d = error as? DecodingError {
            func path(_ c: DecodingError.Context) -> String {
                let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                return p.hasPrefix(".") ? String(p.dropFirst()) : p
            }
            switch d {
            case .keyNotFound(let key, let c):
                let p = path(c)
                return "\(p.isEmpty ? "" : p + ".")\(key.stringValue): is required"
            case .typeMismatch(_, let c): return "\(path(c)): has the wrong type (\(c.debugDescription))"
            case .valueNotFound(_, let c): return "\(path(c)): is required"
            case .dataCorrupted(let c): return "\(path(c).isEmpty ? "body" : path(c)): \(c.debugDescription)"
            @unknown default: return "The body could not be read."
            }
        }
        let text = String(describing: error)
        if text.contains("JSON") || text.contains("json") { return "The body is not valid JSON for this operation." }
        return "The request could not be read: \(text.prefix(200))"
    }
}

/// Turns errors into problem details for the API and into an error page for the web.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = ClinicRequestContext
    let pages: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let path = request.uri.path
            guard let problem = ProblemDetails.from(error) else {
                // Log the type only: never request bodies or patient data.
                context.logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))", "path": "\(path)"])
                let p = ProblemDetails(type: "about:blank", title: "Internal server error", status: 500, detail: "Something went wrong; nothing was saved.")
                return path.hasPrefix("/api/") || path.hasPrefix("/openapi") ? p.response() : pages.errorPage(p, context: context)
            }
            if let e = error as? HTTPError, e.status == .notFound, !path.hasPrefix("/api/") {
                return pages.errorPage(problem, context: context)
            }
            if path.hasPrefix("/api/") { return problem.response() }
            return pages.errorPage(problem, context: context)
        }
    }
}

/// Reads the whole body up to the limit before routing, so an oversize body is refused with 413 whatever route it
/// was sent to, and a declared Content-Length over the limit is refused before it is read.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = ClinicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        if let length = request.headers[.contentLength].flatMap(Int.init), length > ClinicRequestContext.bodyLimit {
            throw ClinicError.tooLarge("The body is \(length) bytes; the limit is \(ClinicRequestContext.bodyLimit).")
        }
        if request.method == .post || request.method == .put || request.method == .patch {
            do {
                _ = try await request.collectBody(upTo: ClinicRequestContext.bodyLimit)
            } catch let e as HTTPError where e.status == .contentTooLarge {
                throw ClinicError.tooLarge("The body is over the \(ClinicRequestContext.bodyLimit) byte limit.")
            }
        }
        return try await next(request, context)
    }
}
