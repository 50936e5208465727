import ClinicCore
import Foundation
import SQLiteNIO
import Synchronization

/// Audit entries written straight through sqlite-nio on SQLite: the same multi-row INSERT and head upsert as the SQLKit
/// path, with the values bound as `SQLiteData`. Every audited read pays for this inside the group commit, so SQLKit's
/// per-value `Encodable` conversion is left out of it (as for the monitor ingest batch).
extension SQLRecords {
    static let auditEntryColumns = "seq, at_us, actor_id, actor_role, action, resource_type, resource_id, outcome, client, detail, hash"
    /// 11 × 1,000 parameters stay far below SQLite's 32,766.
    static let auditEntriesPerStatement = 1000

    func sqliteAppend(_ entries: [AuditEntry], head: AuditHead, on connection: SQLiteConnection) async throws {
        // The head first: when it came from the cache and is stale, nothing else has been written yet.
        let moveFrom = auditHeads?.latest == nil ? auditHeads?.expected : nil
        if let moveFrom { try await sqliteMoveAuditHead(from: moveFrom, to: head, on: connection) }
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
        defer { auditHeads?.latest = head }
        if moveFrom != nil { return }
        try await connection.query("""
            INSERT INTO audit_head (id, seq, hash, entry_count, seal) VALUES (1, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, entry_count = excluded.entry_count, seal = excluded.seal
            """, [.integer(SQLiteInt64(head.sequence)), .text(head.hash), .integer(SQLiteInt64(head.count)), .text(head.seal)]) { _ in }
    }
}

/// The audit chain's head as this process last committed it on SQLite, so that an audit append — every audited read's
/// group commit among them — moves the head without reading it first: the head row is updated only where it still
/// holds the head we committed (`WHERE seq = ? AND hash = ?`). When another process (the CLI beside the server) has
/// appended since, that update finds no row, the transaction is rolled back and run again from the stored head.
final class SQLiteAuditHeadCache: Sendable {
    private let committed = Mutex<AuditHead?>(nil)
    var head: AuditHead? { committed.withLock { $0 } }
    func set(_ head: AuditHead?) { committed.withLock { $0 = head } }
}

/// One write transaction's view of the chain head (used by that transaction's task only).
final class SQLiteTransactionAuditHead: @unchecked Sendable {
    let cache: SQLiteAuditHeadCache
    /// The committed head this transaction took from the cache, checked when the head row is moved.
    var expected: AuditHead?
    /// The head after this transaction's appends; becomes the cache's after the commit.
    var latest: AuditHead?
    init(cache: SQLiteAuditHeadCache) { self.cache = cache }
}

/// The cached head was not the stored one: another process appended to the chain.
struct StaleAuditHead: Error {}

extension SQLRecords {
    /// The head for an append on the SQLite writer: this transaction's own, else the one this process last committed.
    func sqliteCachedAuditHead() -> AuditHead? {
        guard let heads = auditHeads else { return nil }
        if let latest = heads.latest { return latest }
        guard let cached = heads.cache.head else { return nil }
        heads.expected = cached
        return cached
    }

    /// Moves the head row from `expected` to `head`, or throws `StaleAuditHead` when the row holds something else.
    func sqliteMoveAuditHead(from expected: AuditHead, to head: AuditHead, on connection: SQLiteConnection) async throws {
        let moved = Mutex(false)
        try await connection.query("""
            UPDATE audit_head SET seq = ?, hash = ?, entry_count = ?, seal = ? WHERE id = 1 AND seq = ? AND hash = ? RETURNING id
            """, [.integer(SQLiteInt64(head.sequence)), .text(head.hash), .integer(SQLiteInt64(head.count)), .text(head.seal),
                  .integer(SQLiteInt64(expected.sequence)), .text(expected.hash)]) { _ in moved.withLock { $0 = true } }
        guard moved.withLock({ $0 }) else { throw StaleAuditHead() }
    }
}
