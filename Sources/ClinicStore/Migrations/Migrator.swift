import Foundation
import SQLKit

/// Which SQL engine a statement is for, where the two differ.
public enum SQLDialectKind: Sendable {
    case sqlite, postgres
}

/// One numbered, append-only schema change. Never edit one that has landed: add the next.
protocol Migration: Sendable {
    var version: Int { get }
    var name: String { get }
    func statements(_ dialect: SQLDialectKind) -> [String]
}

/// Every migration, in order.
let allMigrations: [any Migration] = [
    M001_CreateAccounts(),
    M002_CreateAuditTrail(),
    M003_CreatePatients(),
    M004_CreateScreenings(),
    M005_CreateProtocolLibrary(),
    M006_CreateInfusionDay(),
    M007_IndexPatientSearch(),
    M008_CreateMonitoring(),
    M009_CreateOutcomes(),
    M010_IndexSessionStatus(),
    M011_CreateControlledSubstanceRegister(),
    M012_CreateBilling(),
    M013_CreateSelfPay(),
    M014_CreateNecessityLetters(),
    M015_IndexAuditResourcesInBulk(),
]

/// Applies the migrations not yet recorded in `schema_migrations`, each with its record in one transaction.
struct Migrator {
    let db: any SQLDatabase
    let dialect: SQLDialectKind

    func migrate() async throws {
        try await db.raw("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_us BIGINT NOT NULL)").run()
        let rows = try await db.raw("SELECT version FROM schema_migrations").all()
        let applied = Set(try rows.map { try $0.decode(column: "version", as: Int.self) })
        for m in allMigrations where !applied.contains(m.version) {
            // SQLite: a transaction per migration; PostgreSQL: the caller holds one transaction (and the advisory lock).
            if dialect == .sqlite { try await db.raw("BEGIN IMMEDIATE").run() }
            do {
                for statement in m.statements(dialect) { try await db.raw(SQLQueryString(statement)).run() }
                let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
                try await db.raw("INSERT INTO schema_migrations (version, name, applied_us) VALUES (\(bind: m.version), \(bind: m.name), \(bind: now))").run()
                if dialect == .sqlite { try await db.raw("COMMIT").run() }
            } catch {
                if dialect == .sqlite { try? await db.raw("ROLLBACK").run() }
                throw error
            }
        }
    }
}
