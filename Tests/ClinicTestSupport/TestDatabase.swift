import ClinicCore
import ClinicStore
import Foundation
import Logging

/// A fresh, isolated database for one test: a new SQLite file, or — when `DATABASE_URL` names PostgreSQL — a schema
/// of its own in that database, so tests run in parallel without sharing state (DESIGN §5).
public struct TestDatabase: Sendable {
    public let store: any ClinicStore
    public let sqlite: SQLiteClinicStore?
    public let postgres: PostgresClinicStore?
    let schema: String?
    let directory: URL?

    public static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""
        return url.hasPrefix("postgres") ? url : nil
    }

    public static func make() async throws -> TestDatabase {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        if let url = postgresURL {
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let store = try await PostgresClinicStore.connect(url: url, schema: String(schema), logger: logger)
            try await store.migrate()
            return TestDatabase(store: store, sqlite: nil, postgres: store, schema: String(schema), directory: nil)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deeprelief-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try await SQLiteClinicStore.open(path: dir.appendingPathComponent("test.sqlite").path, logger: logger)
        try await store.migrate()
        return TestDatabase(store: store, sqlite: store, postgres: nil, schema: nil, directory: dir)
    }

    /// Runs `body` with a fresh database and removes it afterwards.
    public static func with<T: Sendable>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        let db = try await make()
        do {
            let result = try await body(db)
            await db.dispose()
            return result
        } catch {
            await db.dispose()
            throw error
        }
    }

    public func dispose() async {
        if let sqlite {
            try? await sqlite.close()
            if let directory { try? FileManager.default.removeItem(at: directory) }
        }
        if let postgres, let schema {
            try? await postgres.dropSchema(schema)
            try? await postgres.close()
        }
    }

    /// Runs raw SQL against the database, bypassing `Clinic` (tests tamper with the audit trail this way).
    public func execute(_ sql: String) async throws {
        if let sqlite { try await sqlite.executeRaw(sql) }
        if let postgres { try await postgres.executeRaw(sql) }
    }
}

/// A clock the test moves by hand.
public final class TestClock: ClinicClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    /// Starts at `start` to the microsecond, as the system clock does.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) { current = Date(microsecondsSince1970: start.microsecondsSince1970) }
    public var now: Date { lock.withLock { current } }
    public func advance(by seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// A fast, deterministic stand-in for bcrypt in domain-level tests (the server tests use real bcrypt at low cost).
public struct PlainTestHasher: PasswordHasher {
    public init() {}
    public func hash(_ password: String) async throws -> String { "test$" + String(password.reversed()) }
    public func verify(_ password: String, against hash: String) async throws -> Bool { hash == "test$" + String(password.reversed()) }
}

/// The audit key every test uses.
public let testAuditKey = Data("test-audit-key-0123456789abcdef-0123".utf8)
