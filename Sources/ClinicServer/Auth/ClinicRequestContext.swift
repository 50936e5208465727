import ClinicCore
import Hummingbird
import NIOCore

/// The per-request context: who is signed in (if anyone) and from where.
public struct ClinicRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated session, set by `AuthenticationMiddleware`.
    public var session: AuthenticatedSession?
    /// The raw token the request carried (needed to sign out or keep this session on a password change).
    public var rawToken: String?
    /// The client address, for the audit trail.
    public var client: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        client = source.channel.remoteAddress?.ipAddress ?? ""
    }

    /// The 1 MiB body limit for every route.
    public var maxUploadSize: Int { ClinicRequestContext.bodyLimit }
    public static let bodyLimit = 1 << 20

    /// The signed-in actor, or `unauthenticated`.
    public func actor() throws -> Actor {
        guard let session else { throw ClinicError.unauthenticated }
        return session.actor(client: client)
    }
}

/// The same information for code that the OpenAPI transport calls without a context.
public struct RequestScope: Sendable {
    public var session: AuthenticatedSession?
    public var rawToken: String?
    public var client: String

    @TaskLocal public static var current: RequestScope?

    /// The signed-in actor of the current request.
    public static func actor() throws -> Actor {
        guard let s = current, let session = s.session else { throw ClinicError.unauthenticated }
        return session.actor(client: s.client)
    }
}
