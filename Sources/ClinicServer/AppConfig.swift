import ClinicCore
import ClinicStore
import Crypto
import Foundation
import Logging

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

    public init() {}

    /// Applies the environment: `DATABASE_URL`, `DEEPRELIEF_SECURE_COOKIES`, `LOG_LEVEL`.
    public mutating func applyEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) {
        if let url = env["DATABASE_URL"], !url.isEmpty { database = url }
        if env["DEEPRELIEF_SECURE_COOKIES"] == "1" || env["DEEPRELIEF_SECURE_COOKIES"] == "true" { secureCookies = true }
        if let level = env["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) { logLevel = level }
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
    public static func auditKey(for database: String, env: [String: String] = ProcessInfo.processInfo.environment) throws -> Data {
        if let k = env["DEEPRELIEF_AUDIT_KEY"], !k.isEmpty { return Data(k.utf8) }
        let path: String
        if let p = env["DEEPRELIEF_AUDIT_KEY_FILE"], !p.isEmpty {
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
