import ClinicCore
import ClinicStore
import ClinicTestSupport
import Foundation
import Testing

/// The audit trail as stored (DESIGN §4): written with the change, keyed hash chain, verification finds any row
/// altered, inserted or removed — in the middle and at the end — and names its position.
@Suite struct AuditStoreTests {
    /// Registers patients and reads a chart, leaving a chain of several entries.
    func seed(_ clinic: Clinic) async throws -> Patient {
        let p = try await register(clinic, form("Ann", "Able"))
        _ = try await register(clinic, form("Ben", "Baker", dob: "1970-01-01"))
        _ = try await clinic.chart(p.id, by: physician)
        _ = try? await clinic.chart(p.id, by: Actor(userID: User.ID(UUID()), role: .device, client: "10.0.0.9"))
        return p
    }

    @Test func everyAccessIsChainedAndVerifies() async throws {
        try await withClinic { clinic, _, _ in
            let p = try await seed(clinic)
            let report = try await clinic.verifyAuditChain()
            #expect(report.isIntact)
            #expect(report.entriesChecked == 4)
            let admin = Actor(userID: User.ID(UUID()), role: .admin, client: "127.0.0.1")
            let entries = try await clinic.auditLog(AuditQuery(resourceID: p.id.rawValue.uuidString), by: admin)
            #expect(entries.map(\.event.outcome) == [.denied, .success, .success])
            #expect(entries.map(\.event.action) == ["read", "read", "create"])
            // no names or clinical values in the trail
            #expect(entries.allSatisfy { !$0.event.detail.contains("Ann") && !$0.event.resourceID.contains("Able") })
        }
    }

    @Test(arguments: [
        ("UPDATE audit_entries SET outcome = 'success' WHERE seq = 4", Int64(4)),
        ("UPDATE audit_entries SET actor_role = 'admin' WHERE seq = 2", Int64(2)),
        ("UPDATE audit_entries SET at_us = at_us + 1 WHERE seq = 1", Int64(1)),
    ])
    func alteredEntryIsFound(sql: String, position: Int64) async throws {
        try await withClinic { clinic, db, _ in
            _ = try await seed(clinic)
            try await db.execute(sql)
            let report = try await clinic.verifyAuditChain()
            #expect(report.failure?.position == position)
        }
    }

    @Test func deletedMiddleEntryIsFound() async throws {
        try await withClinic { clinic, db, _ in
            _ = try await seed(clinic)
            try await db.execute("DELETE FROM audit_entries WHERE seq = 2")
            let failure = try await clinic.verifyAuditChain().failure
            #expect(failure?.position == 2)
            #expect(failure?.problem.contains("missing") == true)
        }
    }

    @Test func deletedLastEntryIsFound() async throws {
        try await withClinic { clinic, db, _ in
            _ = try await seed(clinic)
            try await db.execute("DELETE FROM audit_entries WHERE seq = 4")
            let failure = try await clinic.verifyAuditChain().failure
            #expect(failure?.position == 4)
            #expect(failure?.problem.contains("removed from the end") == true)
        }
    }

    @Test func truncatingAndRewritingTheHeadWithoutTheKeyIsFound() async throws {
        try await withClinic { clinic, db, _ in
            _ = try await seed(clinic)
            let head = try await clinic.store.read { try await $0.auditHead(forUpdate: false) }!
            let third = try await clinic.store.read { try await $0.auditEntries(afterSequence: 2, limit: 1) }.first!
            try await db.execute("DELETE FROM audit_entries WHERE seq = 4")
            try await db.execute("UPDATE audit_head SET seq = 3, entry_count = 3, hash = '\(third.hash)' WHERE id = 1")
            let failure = try await clinic.verifyAuditChain().failure
            #expect(failure != nil)
            #expect(failure?.problem.contains("head was altered") == true)
            _ = head
        }
    }

    @Test func insertedEntryIsFound() async throws {
        try await withClinic { clinic, db, _ in
            _ = try await seed(clinic)
            // an attacker without the key inserts a plausible row after the last one and moves the head count
            try await db.execute("""
                INSERT INTO audit_entries (seq, at_us, actor_id, actor_role, action, resource_type, resource_id, outcome, client, detail, hash)
                VALUES (5, 1, 'x', 'admin', 'read', 'patientDemographics', 'y', 'success', '', '', '\(String(repeating: "a", count: 64))')
                """)
            let failure = try await clinic.verifyAuditChain().failure
            #expect(failure?.position == 5)
        }
    }

    @Test func aFailedChangeLeavesNoAuditEntry() async throws {
        try await withClinic { clinic, _, _ in
            let before = try await clinic.verifyAuditChain().entriesChecked
            _ = try? await clinic.registerPatient(form("", ""), by: physician)
            #expect(try await clinic.verifyAuditChain().entriesChecked == before)
        }
    }
}

/// SQLite's single writer (DESIGN §5): many concurrent write transactions, and a second process-like store on the same
/// file, all finish; none stalls.
@Suite struct SQLiteConcurrencyTests {
    @Test func concurrentWritersNeverStall() async throws {
        guard TestDatabase.postgresURL == nil else { return }
        try await withClinic { clinic, db, _ in
            // given a second store on the same file, as the CLI would open beside a running server
            let other = try await SQLiteClinicStore.open(path: db.sqlite!.path)
            let otherClinic = Clinic(store: other, auditKey: testAuditKey, passwords: PlainTestHasher())
            // (closed on every path: an open connection must not reach deinit, or a failure becomes a crash)
            do {
                // when both write at once, many times, mixed with reads and audit-only reads
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<30 {
                        let c = i % 2 == 0 ? clinic : otherClinic
                        group.addTask {
                            let p = try await register(c, form("W\(i)", "Writer", dob: "1980-02-\(String(format: "%02d", i % 28 + 1))"))
                            _ = try await c.chart(p.id, by: physician)
                        }
                    }
                    try await group.waitForAll()
                }
                // then every write landed and the audit chain is one unbroken chain
                #expect(try await clinic.searchPatients(PatientQuery(text: "writer", limit: 100), by: physician).page.total == 30)
                let report = try await clinic.verifyAuditChain()
                #expect(report.isIntact)
                #expect(report.entriesChecked == 30 + 30 + 1) // creates, chart reads, the search
            } catch {
                try? await other.close()
                throw error
            }
            try await other.close()
        }
    }
}
