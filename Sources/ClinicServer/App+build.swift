import ClinicCore
import ClinicStore
import Foundation
import Hummingbird
import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import ServiceLifecycle
import Yams

/// Everything the app is made of, built once: the clinic service, pages and metrics.
public struct ClinicApp: Sendable {
    public let clinic: Clinic
    public let metrics: ClinicMetrics
    public let pages: PageRenderer
    public let secureCookies: Bool
    /// Serve `GET /api/v1/patients/{id}` through `PatientChartFastPath` (tests turn it off to compare with the
    /// generated handler's bytes).
    public let chartFastPath: Bool
    /// The address patients reach the app at, for follow-up links (nil: the request's host).
    public let publicURL: String?

    public init(clinic: Clinic, metrics: ClinicMetrics = ClinicMetrics(), pages: PageRenderer, secureCookies: Bool = false,
                chartFastPath: Bool = true, publicURL: String? = nil) {
        self.publicURL = publicURL
        self.clinic = clinic
        self.metrics = metrics
        self.pages = pages
        self.secureCookies = secureCookies
        self.chartFastPath = chartFastPath
    }

    /// The router with every route and middleware; tests drive it in-process.
    public func router() throws -> Router<ClinicRequestContext> {
        let router = Router(context: ClinicRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: ProblemMiddleware(pages: pages))
        router.add(middleware: BodyLimitMiddleware())
        router.add(middleware: AuthenticationMiddleware(clinic: clinic, metrics: metrics))
        // Errors of the routes themselves are turned into problems here, inside authentication, so that an error page
        // keeps the signed-in user's navigation (the outer one sees the context as it was before the sign-in was read,
        // and still answers errors of the body limit and of authentication).
        router.add(middleware: ProblemMiddleware(pages: pages))
        if chartFastPath { router.add(middleware: PatientChartFastPath(clinic: clinic)) }

        let clinic = self.clinic
        router.get("/health") { _, _ in
            let ok = await clinic.store.isHealthy()
            let body = "{\"status\":\"\(ok ? "ok" : "unavailable")\",\"database\":{\"engine\":\"\(clinic.store.engine)\",\"reachable\":\(ok)}}"
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.cacheControl] = "no-store"
            return Response(status: ok ? .ok : .serviceUnavailable, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        // Liveness: the process answers, without touching the database (and the no-database baseline of the benchmarks).
        router.get("/livez") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        let metrics = self.metrics
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        let spec = try OpenAPIDocument.json()
        router.get("/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: spec)))
        }
        // Compact JSON, no key sorting: the cheapest encoding on the hot paths.
        try ClinicAPI(clinic: clinic, metrics: metrics).registerHandlers(on: router, configuration: .init(jsonEncodingOptions: []))
        WebRoutes(clinic: clinic, pages: pages, metrics: metrics, secureCookies: secureCookies, publicURL: publicURL).register(on: router)
        return router
    }
}

/// Builds the whole server from a configuration: store, audit key, first admin, demo data, router.
public enum ServerBuilder {
    public static func makeClinic(_ config: AppConfig, logger: Logger) async throws -> Clinic {
        let store = try await StoreOpener.open(config.database, logger: logger)
        let key = try StoreOpener.auditKey(for: config.database)
        return Clinic(store: store, auditKey: key, passwords: BcryptPasswordHasher(cost: config.bcryptCost))
    }

    /// Creates the first admin when there are no users; prints a generated password once.
    public static func ensureAdmin(_ clinic: Clinic, env: EnvironmentConfig = EnvironmentConfig(), print: (String) -> Void) async throws {
        let email = env.string("deeprelief.admin.email") ?? "admin@deeprelief.local"
        if let pw = env.string("deeprelief.admin.password") {
            if try await clinic.bootstrapAdmin(email: email, password: pw, mustChange: false) != nil {
                print("Created the first admin \(email) with the password from DEEPRELIEF_ADMIN_PASSWORD.")
            }
        } else {
            let generated = PasswordGenerator.make()
            if try await clinic.bootstrapAdmin(email: email, password: generated, mustChange: true) != nil {
                print("""
                ------------------------------------------------------------
                First start: created the administrator account
                  e-mail:   \(email)
                  password: \(generated)
                This password is shown once; you must change it at first sign-in.
                ------------------------------------------------------------
                """)
            }
        }
    }

    /// Builds the server, runs it until it is told to stop (SIGTERM/SIGINT), then closes the database.
    public static func serve(_ config: AppConfig, logger: Logger, print: @escaping @Sendable (String) -> Void,
                             started: @Sendable () -> Void = {}) async throws {
        let clinic = try await makeClinic(config, logger: logger)
        do {
            let app = try await build(config, clinic: clinic, logger: logger, print: print)
            started()
            try await app.runService()
        } catch {
            try? await clinic.store.close()
            throw error
        }
        try await clinic.store.close()
    }

    public static func build(_ config: AppConfig, logger: Logger, print: @escaping @Sendable (String) -> Void) async throws -> some ApplicationProtocol {
        try await build(config, clinic: try await makeClinic(config, logger: logger), logger: logger, print: print)
    }

    static func build(_ config: AppConfig, clinic: Clinic, logger: Logger, print: @escaping @Sendable (String) -> Void) async throws -> some ApplicationProtocol {
        try await ensureAdmin(clinic, print: print)
        try await clinic.seedProtocolLibrary()
        try await clinic.backfillOutcomeSummaries()
        if config.demo {
            try await DemoClinic.fill(clinic, patients: config.demoPatients, print: print)
        }
        let app = ClinicApp(clinic: clinic, pages: try await PageRenderer.load(), secureCookies: config.secureCookies, publicURL: config.publicURL)
        try await clinic.loadMonitoring()
        if let hook = config.clinicianWebhook {
            guard let url = URL(string: hook), url.scheme == "https" || url.scheme == "http", url.host != nil else {
                throw ClinicError.invalid("clinicianWebhook", "must be an http(s) URL")
            }
            clinic.clinicianMessages.use(WebhookClinicianMessageSender(url: url))
        }
        var services: [any Service] = [MonitoringTicker(clinic: clinic), OutcomeTicker(clinic: clinic, logger: logger),
                                       AuditIndexTicker(clinic: clinic, logger: logger)]
        if config.mllpPort > 0 {
            services.append(try MLLPListener(host: config.mllpHost, port: config.mllpPort, clinic: clinic, metrics: app.metrics, logger: logger,
                                             tls: config.mllpTLS))
        }
        return Application(router: try app.router(), configuration: .init(address: .hostname(config.host, port: config.port), serverName: "DeepRelief"),
                           services: services, logger: logger)
    }
}

/// Readable random passwords for generated accounts.
public enum PasswordGenerator {
    public static func make(length: Int = 20) -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
    }
}

/// The OpenAPI document the API is generated from, served as JSON.
enum OpenAPIDocument {
    /// Converts the shipped `openapi.yaml` (the generator's input) to JSON once at start.
    static func json() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw ClinicError.notFound("openapi.yaml resource")
        }
        let yaml = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        guard let object = try Yams.load(yaml: yaml) else { throw ClinicError.notFound("OpenAPI document") }
        return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}
