import ClinicCore
import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit

/// The scale store: PostgreSQL through postgres-nio's client pool; each transaction on one pooled connection.
public final class PostgresClinicStore: ClinicStore {
    public var engine: String { "postgresql" }
    let client: PostgresClient
    let runTask: Task<Void, Never>

    /// Connects with a `postgres://user:password@host:port/database` URL; `schema` (when given) becomes the
    /// search path, so that parallel tests each get their own.
    public static func connect(url: String, schema: String? = nil, logger: Logger = Logger(label: "deeprelief.postgres")) async throws -> PostgresClinicStore {
        guard let config = Self.configuration(url: url, schema: schema) else {
            throw ClinicError.invalid("database", "is not a postgres://user[:password]@host[:port]/database URL")
        }
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        let task = Task { await client.run() }
        let store = PostgresClinicStore(client: client, runTask: task)
        if let schema {
            // Create the schema on a connection that does not depend on it.
            var plain = config
            plain.options.additionalStartupParameters = []
            let admin = PostgresClient(configuration: plain, backgroundLogger: logger)
            let adminTask = Task { await admin.run() }
            defer { adminTask.cancel() }
            try await admin.withConnection { c in
                try await c.sql().raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
            }
        }
        return store
    }

    static func configuration(url: String, schema: String?) -> PostgresClient.Configuration? {
        guard let u = URLComponents(string: url), u.scheme == "postgres" || u.scheme == "postgresql",
              let host = u.host, let user = u.user else { return nil }
        let database = u.path.hasPrefix("/") ? String(u.path.dropFirst()) : u.path
        var config = PostgresClient.Configuration(host: host, port: u.port ?? 5432, username: user, password: u.password,
                                                  database: database.isEmpty ? nil : database, tls: .disable)
        config.options.maximumConnections = 16
        if let schema { config.options.additionalStartupParameters = [("search_path", schema)] }
        return config
    }

    init(client: PostgresClient, runTask: Task<Void, Never>) {
        self.client = client
        self.runTask = runTask
    }

    public func write<T: Sendable>(_ work: @Sendable (any ClinicRecords) async throws -> T) async throws -> T {
        try await client.withConnection { conn in
            let db = conn.sql()
            try await db.raw("BEGIN").run()
            do {
                let result = try await work(SQLRecords(db: db, dialect: .postgres))
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    public func read<T: Sendable>(_ work: @Sendable (any ClinicRecords) async throws -> T) async throws -> T {
        try await client.withConnection { conn in
            try await work(SQLRecords(db: conn.sql(), dialect: .postgres))
        }
    }

    /// Applies pending migrations under an advisory lock, so two instances starting together do not race.
    public func migrate() async throws {
        try await client.withConnection { conn in
            let db = conn.sql()
            try await db.raw("BEGIN").run()
            do {
                try await db.raw("SELECT pg_advisory_xact_lock(7301)").run()
                try await Migrator(db: db, dialect: .postgres).migrate()
                try await db.raw("COMMIT").run()
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    public func isHealthy() async -> Bool {
        (try? await client.withConnection { try await $0.sql().raw("SELECT 1 AS ok").first() }) != nil
    }

    /// Drops a schema (tests clean up after themselves).
    public func dropSchema(_ schema: String) async throws {
        try await client.withConnection { try await $0.sql().raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run() }
    }

    /// Stops the connection pool.
    public func close() async throws {
        runTask.cancel()
    }
}

extension PostgresClinicStore {
    /// Runs raw SQL outside any domain rule. For operators' repair scripts and tests only.
    public func executeRaw(_ sql: String) async throws {
        try await client.withConnection { try await $0.sql().raw(SQLQueryString(sql)).run() }
    }
}
