import ClinicCore
import ClinicStore
import Configuration
import Crypto
import Foundation
import Logging

/// The process environment read through swift-configuration: `database.url` is `DATABASE_URL`,
/// `deeprelief.admin.password` is `DEEPRELIEF_ADMIN_PASSWORD`, and so on. Passwords and keys are marked secret, so an
/// access report never prints them.
public struct EnvironmentConfig: Sendable {
    let reader: ConfigReader

    public static let secretVariables: Set<String> = ["DEEPRELIEF_ADMIN_PASSWORD", "DEEPRELIEF_DEMO_PASSWORD", "DEEPRELIEF_AUDIT_KEY", "DATABASE_URL"]

    public init(_ environment: [String: String] = ProcessInfo.processInfo.environment) {
        reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment,
                                                                     secretsSpecifier: .specific(Self.secretVariables)))
    }

    /// A non-empty string value, or nil.
    public func string(_ key: ConfigKey) -> String? {
        guard let v = reader.string(forKey: key), !v.isEmpty else { return nil }
        return v
    }

    public func bool(_ key: ConfigKey) -> Bool {
        guard let v = string(key)?.lowercased() else { return false }
        return v == "1" || v == "true" || v == "yes"
    }
}

/// How the server is configured: command line, then environment, then defaults.
public struct AppConfig: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// A SQLite file path, or a `postgres://` URL.
    public var database = "deeprelief.sqlite"
    /// Fill an empty database with a synthetic clinic.
    public var demo = false
    public var demoPatients = 48
    /// Send cookies with `Secure` (set when the app is served behind TLS).
    public var secureCookies = false
    /// Bcrypt cost (12 in production).
    public var bcryptCost: UInt8 = 12
    public var logLevel: Logger.Level = .info
    /// The MLLP listener for bedside monitors (DESIGN §6); 0 turns it off.
    public var mllpPort = 2575
    public var mllpHost = "127.0.0.1"
    /// MLLP over TLS with client certificates, when all three PEM files are given.
    public var mllpTLS: MLLPTLSFiles?
    /// The address patients reach the app at (`https://clinic.example`), for follow-up links and their QR codes;
    /// without it, links use the host of the staff member's request.
    public var publicURL: String?
    /// Where urgent-task messages for clinicians are also posted (a pager or chat webhook); nil: in-app inbox only.
    public var clinicianWebhook: String?

    public init() {}

    /// Applies the environment (command-line options, applied afterwards, win): `DATABASE_URL`,
    /// `DEEPRELIEF_SECURE_COOKIES`, `LOG_LEVEL`.
    public mutating func applyEnvironment(_ env: EnvironmentConfig = EnvironmentConfig()) {
        if let url = env.string("database.url") { database = url }
        if env.bool("deeprelief.secure.cookies") { secureCookies = true }
        if let level = env.string("log.level").flatMap(Logger.Level.init(rawValue:)) { logLevel = level }
        if let url = env.string("deeprelief.public.url") { publicURL = url }
        if let url = env.string("deeprelief.clinician.webhook") { clinicianWebhook = url }
    }

    public var isPostgres: Bool { database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") }
}

/// Opens the store the configuration names and applies migrations.
public enum StoreOpener {
    public static func open(_ database: String, logger: Logger) async throws -> any ClinicStore {
        if database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") {
            let store = try await PostgresClinicStore.connect(url: database, logger: logger)
            try await store.migrate()
            return store
        }
        let store = try await SQLiteClinicStore.open(path: database, logger: logger)
        try await store.migrate()
        return store
    }

    /// The audit key: `DEEPRELIEF_AUDIT_KEY` (hex or text), else a key file beside — never inside — the database,
    /// created with random bytes and owner-only permissions on first start.
    public static func auditKey(for database: String, env: EnvironmentConfig = EnvironmentConfig()) throws -> Data {
        if let k = env.string("deeprelief.audit.key") { return Data(k.utf8) }
        let path: String
        if let p = env.string("deeprelief.audit.key.file") {
            path = p
        } else if database.hasPrefix("postgres") {
            path = "deeprelief-audit.key"
        } else {
            path = database + ".auditkey"
        }
        let fm = FileManager.default
        if let data = fm.contents(atPath: path), data.count >= 32 { return data }
        var rng = SystemRandomNumberGenerator()
        let key = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) })
        guard fm.createFile(atPath: path, contents: key, attributes: [.posixPermissions: 0o600]) else {
            throw ClinicError.conflict("cannot create the audit key file \(path)")
        }
        return key
    }
}
