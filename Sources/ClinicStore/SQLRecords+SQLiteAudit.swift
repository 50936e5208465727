import ClinicCore
import Foundation
import SQLiteNIO

/// Audit entries written straight through sqlite-nio on SQLite: the same multi-row INSERT and head upsert as the SQLKit
/// path, with the values bound as `SQLiteData`. Every audited read pays for this inside the group commit, so SQLKit's
/// per-value `Encodable` conversion is left out of it (as for the monitor ingest batch).
extension SQLRecords {
    static let auditEntryColumns = "seq, at_us, actor_id, actor_role, action, resource_type, resource_id, outcome, client, detail, hash"
    /// 11 × 1,000 parameters stay far below SQLite's 32,766.
    static let auditEntriesPerStatement = 1000

    func sqliteAppend(_ entries: [AuditEntry], head: AuditHead, on connection: SQLiteConnection) async throws {
        for start in stride(from: 0, to: entries.count, by: Self.auditEntriesPerStatement) {
            let chunk = entries[start ..< min(start + Self.auditEntriesPerStatement, entries.count)]
            var binds: [SQLiteData] = []
            binds.reserveCapacity(chunk.count * 11)
            for e in chunk {
                let v = e.event
                binds.append(.integer(SQLiteInt64(e.sequence)))
                binds.append(.integer(SQLiteInt64(v.at.microsecondsSince1970)))
                binds.append(.text(v.actorID))
                binds.append(.text(v.actorRole))
                binds.append(.text(v.action))
                binds.append(.text(v.resourceType))
                binds.append(.text(v.resourceID))
                binds.append(.text(v.outcome.rawValue))
                binds.append(.text(v.client))
                binds.append(.text(v.detail))
                binds.append(.text(e.hash))
            }
            let sql = Self.multiRowInsert("audit_entries", Self.auditEntryColumns, columns: 11, rows: chunk.count)
            try await connection.query(sql, binds) { _ in }
        }
        try await connection.query("""
            INSERT INTO audit_head (id, seq, hash, entry_count, seal) VALUES (1, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, entry_count = excluded.entry_count, seal = excluded.seal
            """, [.integer(SQLiteInt64(head.sequence)), .text(head.hash), .integer(SQLiteInt64(head.count)), .text(head.seal)]) { _ in }
    }
}
