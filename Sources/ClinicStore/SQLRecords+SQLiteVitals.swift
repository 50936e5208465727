import ClinicCore
import Foundation
import SQLiteNIO
import Synchronization

/// The monitor-ingest batch written straight through sqlite-nio: one multi-row statement per table and chunk, its
/// parameters bound as `SQLiteData` values (ci-recipes: SQLite statement cost). Same SQL, rows and values as the SQLKit
/// path it replaces on SQLite — `[any Encodable]` rows serialised by SQLKit and converted value by value by
/// `SQLiteDataEncoder` cost more per message than SQLite's own work.
extension SQLRecords {
    static let vitalMessageColumns = "sender, control_id, device_id, source_address, received_us, session_id, status, reason, body"
    static let vitalObservationColumns = "session_id, observed_us, parameter, value, sender, control_id"
    /// Rows per statement (as in the SQLKit path): 9 × 2,000 and 6 × 5,000 parameters stay far below SQLite's 32,766.
    static let vitalMessagesPerStatement = 2000
    static let vitalObservationsPerStatement = 5000

    /// `INSERT INTO table (columns) VALUES (?,…),(?,…)… tail` for `rows` rows of `columns` parameters.
    static func multiRowInsert(_ table: String, _ columnList: String, columns: Int, rows: Int, tail: String = "") -> String {
        var tuple = "("
        for c in 0..<columns { tuple += c == 0 ? "?" : ",?" }
        tuple += ")"
        var sql = "INSERT INTO \(table) (\(columnList)) VALUES "
        sql.reserveCapacity(sql.utf8.count + rows * (tuple.utf8.count + 1) + tail.utf8.count)
        for r in 0..<rows {
            if r > 0 { sql += "," }
            sql += tuple
        }
        sql += tail
        return sql
    }

    func sqliteInsertVitalMessages(_ messages: [StoredVitalMessage], on connection: SQLiteConnection) async throws -> Set<VitalMessageKey> {
        var stored = Set<VitalMessageKey>(minimumCapacity: messages.count)
        var ids = UUIDTextCache()
        for start in stride(from: 0, to: messages.count, by: Self.vitalMessagesPerStatement) {
            let chunk = messages[start ..< min(start + Self.vitalMessagesPerStatement, messages.count)]
            var binds: [SQLiteData] = []
            binds.reserveCapacity(chunk.count * 9)
            for m in chunk {
                binds.append(.text(m.sender))
                binds.append(.text(m.controlID))
                binds.append(m.deviceID.map { ids.text($0.rawValue) } ?? .null)
                binds.append(.text(m.sourceAddress))
                binds.append(.integer(SQLiteInt64(m.receivedAt.microsecondsSince1970)))
                binds.append(m.sessionID.map { ids.text($0.rawValue) } ?? .null)
                binds.append(.text(m.status.rawValue))
                binds.append(.text(m.reason))
                binds.append(.text(m.body))
            }
            let sql = Self.multiRowInsert("vital_messages", Self.vitalMessageColumns, columns: 9, rows: chunk.count,
                                          tail: " ON CONFLICT (sender, control_id) DO NOTHING RETURNING sender, control_id")
            let returned = Mutex<[VitalMessageKey]>([])
            returned.withLock { $0.reserveCapacity(chunk.count) }
            try await connection.query(sql, binds) { row in
                guard case .text(let sender)? = row.column("sender"), case .text(let controlID)? = row.column("control_id") else { return }
                returned.withLock { $0.append(VitalMessageKey(sender: sender, controlID: controlID)) }
            }
            for key in returned.withLock({ $0 }) { stored.insert(key) }
        }
        return stored
    }

    func sqliteInsertVitalObservations(_ rows: [StoredVitalObservation], on connection: SQLiteConnection) async throws {
        var ids = UUIDTextCache()
        for start in stride(from: 0, to: rows.count, by: Self.vitalObservationsPerStatement) {
            let chunk = rows[start ..< min(start + Self.vitalObservationsPerStatement, rows.count)]
            var binds: [SQLiteData] = []
            binds.reserveCapacity(chunk.count * 6)
            for r in chunk {
                binds.append(ids.text(r.sessionID.rawValue))
                binds.append(.integer(SQLiteInt64(r.observation.observedAt.microsecondsSince1970)))
                binds.append(.text(r.observation.parameter.rawValue))
                binds.append(.float(r.observation.value))
                binds.append(.text(r.key.sender))
                binds.append(.text(r.key.controlID))
            }
            let sql = Self.multiRowInsert("vital_observations", Self.vitalObservationColumns, columns: 6, rows: chunk.count)
            try await connection.query(sql, binds) { _ in }
        }
    }
}

/// A SQLite connection (named here so that `SQLRecords.swift` need not import SQLiteNIO).
typealias SQLiteWriterConnection = SQLiteConnection

/// `uuidString` of the few distinct ids a batch holds (its sessions and monitors), made once each.
struct UUIDTextCache {
    private var entries: [(UUID, SQLiteData)] = []

    mutating func text(_ id: UUID) -> SQLiteData {
        for (known, text) in entries where known == id { return text }
        let text = SQLiteData.text(id.uuidString)
        if entries.count < 64 { entries.append((id, text)) }
        return text
    }
}
