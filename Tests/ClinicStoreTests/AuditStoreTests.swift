import ClinicCore
import ClinicStore
import ClinicTestSupport
import Foundation
import SQLiteNIO
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

    /// "Who touched this chart?" comes from the bulk-filled per-resource index (M015) up to its watermark and from the
    /// chain's tail after it, so the answer is the same before, during and after an index pass.
    @Test func queriesByResourceSeeIndexedAndUnindexedEntries() async throws {
        try await withClinic { clinic, db, _ in
            let p = try await seed(clinic)
            let admin = Actor(userID: User.ID(UUID()), role: .admin, client: "127.0.0.1")
            func history() async throws -> [String] {
                try await clinic.store.read { try await $0.auditEntries(AuditQuery(resourceID: p.id.rawValue.uuidString)) }
                    .map { "\($0.sequence):\($0.event.action):\($0.event.outcome.rawValue)" }
            }
            // nothing indexed yet: the tail answers
            let before = try await history()
            #expect(before.count == 3)
            #expect(try await clinic.auditIndexBacklog() == 4)
            #expect(try await clinic.indexAuditResources() == 4)
            #expect(try await clinic.auditIndexBacklog() == 0)
            #expect(try await clinic.indexAuditResources() == 0)
            #expect(try await history() == before)
            // two more reads land in the tail, after the watermark
            _ = try await clinic.chart(p.id, by: physician)
            _ = try await clinic.chart(p.id, by: admin)
            let both = try await history()
            #expect(both.count == 5)
            #expect(Array(both.suffix(3)) == before)
            // an index pass in transactions of one entry each catches up completely
            #expect(try await clinic.auditIndexBacklog() == 2)
            #expect(try await clinic.indexAuditResources(batch: 1) == 2)
            #expect(try await history() == both)
            // the indexed entries are found through the index: a row whose resource column is altered afterwards is
            // still listed under the resource it was indexed for (and `audit verify` reports the alteration)
            let firstSeq = try await clinic.store.read { try await $0.auditEntries(AuditQuery(resourceID: p.id.rawValue.uuidString)) }.last!.sequence
            try await db.execute("UPDATE audit_entries SET resource_id = 'elsewhere' WHERE seq = \(firstSeq)")
            #expect(try await history().count == 5)
            #expect(try await clinic.verifyAuditChain().failure?.position == firstSeq)
            // by resource type alone
            let all = try await clinic.store.read { try await $0.auditEntries(AuditQuery(limit: 500)) }
            let type = all.last!.event.resourceType
            let ofType = try await clinic.store.read { try await $0.auditEntries(AuditQuery(resourceType: type, limit: 500)) }
            #expect(ofType.count >= 2)
            #expect(ofType.map(\.sequence) == all.filter { $0.event.resourceType == type }.map(\.sequence))
        }
    }

    /// M015 indexes the entries an existing clinic already has.
    @Test func theIndexMigrationIndexesExistingEntries() async throws {
        try await withClinic { clinic, db, _ in
            let p = try await seed(clinic)
            let expected = try await clinic.store.read { try await $0.auditEntries(AuditQuery(resourceID: p.id.rawValue.uuidString)) }
            // back to the schema before M015, with a chain already written
            try await db.execute("DROP TABLE audit_resource_index")
            try await db.execute("DROP TABLE audit_resource_index_state")
            try await db.execute("CREATE INDEX audit_entries_resource ON audit_entries (resource_type, resource_id)")
            try await db.execute("DELETE FROM schema_migrations WHERE version = 15")
            if let s = db.sqlite { try await s.migrate() }
            if let s = db.postgres { try await s.migrate() }
            // everything is indexed already, and the answer is unchanged
            #expect(try await clinic.indexAuditResources() == 0)
            let after = try await clinic.store.read { try await $0.auditEntries(AuditQuery(resourceID: p.id.rawValue.uuidString)) }
            #expect(after.map(\.sequence) == expected.map(\.sequence))
            #expect(after.count == 3)
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

/// Runs `body` with a second clinic on the same SQLite file, as the CLI would open beside a running server; its store is
/// closed on every path (an open connection must not reach deinit, or a failure becomes a crash).
func withSecondProcess(on db: TestDatabase, _ body: (Clinic) async throws -> Void) async throws {
    let other = try await SQLiteClinicStore.open(path: db.sqlite!.path)
    do {
        try await body(Clinic(store: other, auditKey: testAuditKey, passwords: PlainTestHasher()))
    } catch {
        try? await other.close()
        throw error
    }
    try await other.close()
}

/// The SQLite writer keeps the chain head it last committed, so an audited read's commit need not read the head first;
/// when another process (the CLI) appends in between, the stale head is noticed and the append is made again from the
/// stored head — never a fork, a gap or a lost entry.
@Suite struct SQLiteAuditHeadTests {
    @Test func anotherProcessAppendingInBetweenKeepsOneChain() async throws {
        guard TestDatabase.postgresURL == nil else { return }
        try await withClinic { clinic, db, _ in
            try await withSecondProcess(on: db) { otherClinic in
                let p = try await register(clinic, form("Hana", "Head"))
                _ = try await clinic.chart(p.id, by: physician)          // this store now holds head 2
                _ = try await otherClinic.chart(p.id, by: physician)     // the other process appends entry 3
                _ = try await clinic.chart(p.id, by: frontDesk)          // stale head: made again after entry 3
                _ = try await otherClinic.chart(p.id, by: frontDesk)     // and the other way round
                _ = try await clinic.chart(p.id, by: physician)
                let report = try await clinic.verifyAuditChain()
                #expect(report.isIntact)
                #expect(report.entriesChecked == 6)
                let entries = try await clinic.store.read { try await $0.auditEntries(afterSequence: 0, limit: 10) }
                #expect(entries.map(\.sequence) == [1, 2, 3, 4, 5, 6])
                #expect(entries.map(\.event.actorRole) == ["physician", "physician", "physician", "frontDesk", "frontDesk", "physician"])
            }
        }
    }
}

/// Checkpoints run beside the writer: committed pages reach the database file within a second or so, without any
/// commit doing the copying (the writer's own automatic checkpoint is only a backstop at 10,000 pages).
@Suite struct SQLiteCheckpointTests {
    @Test func committedPagesReachTheDatabaseFileInTheBackground() async throws {
        guard TestDatabase.postgresURL == nil else { return }
        try await withClinic { clinic, db, _ in
            let path = db.sqlite!.path
            func size(_ file: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int) ?? 0 }
            let before = size(path)
            for i in 0..<40 { _ = try await register(clinic, form("Cora\(i)", "Checkpoint", dob: "1975-03-\(String(format: "%02d", i % 28 + 1))")) }
            #expect(size(path + "-wal") > 0)
            var after = size(path)
            let deadline = ContinuousClock.now + .seconds(10)
            while after <= before && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                after = size(path)
            }
            #expect(after > before, "the database file did not grow: nothing was checkpointed")
        }
    }
}

/// A database the store creates has 16 KiB pages (fewer WAL frames per commit); one made earlier keeps its own page size
/// and works as before.
@Suite struct SQLitePageSizeTests {
    static func pageSize(_ path: String) async throws -> Int {
        let c = try await SQLiteConnection.open(storage: .file(path: path))
        defer { Task { try? await c.close() } }
        guard case .integer(let size)? = try await c.query("PRAGMA page_size").first?.column("page_size") else { return 0 }
        return size
    }

    @Test func aNewDatabaseHas16KiBPagesAndAnOldOneKeepsItsOwn() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deeprelief-pages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // given a database made by the store, and one made before with SQLite's default 4 KiB pages
        let new = dir.appendingPathComponent("new.sqlite").path
        let old = dir.appendingPathComponent("old.sqlite").path
        let made = try await SQLiteConnection.open(storage: .file(path: old))
        _ = try await made.query("PRAGMA page_size=4096")
        _ = try await made.query("PRAGMA journal_mode=WAL")
        _ = try await made.query("CREATE TABLE earlier (x INTEGER)")
        try await made.close()
        for path in [new, old] {
            // when the store opens each, migrates it and writes
            let store = try await SQLiteClinicStore.open(path: path)
            do {
                try await store.migrate()
                let clinic = Clinic(store: store, auditKey: testAuditKey, passwords: PlainTestHasher())
                _ = try await clinic.bootstrapAdmin(email: "admin@clinic.test", password: "correct-horse-battery-staple", mustChange: false)
                #expect(try await clinic.verifyAuditChain().isIntact)
            } catch {
                try? await store.close()
                throw error
            }
            try await store.close()
        }
        // then the new one has 16 KiB pages and the old one still 4 KiB
        #expect(try await Self.pageSize(new) == 16_384)
        #expect(try await Self.pageSize(old) == 4_096)
    }
}

/// SQLite's single writer (DESIGN §5): many concurrent write transactions, and a second process-like store on the same
/// file, all finish; none stalls.
@Suite struct SQLiteConcurrencyTests {
    @Test func concurrentWritersNeverStall() async throws {
        guard TestDatabase.postgresURL == nil else { return }
        try await withClinic { clinic, db, _ in
            // given a second store on the same file, as the CLI would open beside a running server
            try await withSecondProcess(on: db) { otherClinic in
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
            }
        }
    }
}
