import ClinicCore
import ClinicStore
import ClinicTestSupport
import Foundation
import Testing

/// Builds a clinic over a fresh test database (SQLite, or PostgreSQL when DATABASE_URL is set).
func withClinic<T: Sendable>(_ body: (Clinic, TestDatabase, TestClock) async throws -> T) async throws -> T {
    try await TestDatabase.with { db in
        let clock = TestClock()
        let clinic = Clinic(store: db.store, auditKey: testAuditKey, passwords: PlainTestHasher(), clock: clock)
        return try await body(clinic, db, clock)
    }
}

let physician = Actor(userID: User.ID(UUID()), role: .physician, client: "127.0.0.1")
let frontDesk = Actor(userID: User.ID(UUID()), role: .frontDesk, client: "127.0.0.1")

func form(_ given: String, _ family: String, dob: String = "1980-04-12", phone: String = "") -> PatientForm {
    var f = PatientForm()
    f.givenName = given
    f.familyName = family
    f.dateOfBirth = dob
    f.phone = phone
    return f
}

func register(_ clinic: Clinic, _ f: PatientForm, by actor: Actor = physician) async throws -> Patient {
    guard case .registered(let p) = try await clinic.registerPatient(f, by: actor) else {
        Issue.record("expected a registration, got duplicates")
        throw ClinicError.conflict("duplicate")
    }
    return p
}

@Suite struct MigrationTests {
    @Test func migrationsAreIdempotent() async throws {
        try await TestDatabase.with { db in
            // given a migrated database; when migrating again; then nothing fails and data survives
            if let s = db.sqlite { try await s.migrate() }
            if let p = db.postgres { try await p.migrate() }
            #expect(await db.store.isHealthy())
        }
    }
}

@Suite struct PatientStoreTests {
    @Test func searchIsAccentAndCaseInsensitive() async throws {
        try await withClinic { clinic, _, _ in
            // given
            _ = try await register(clinic, form("María", "García-López"))
            _ = try await register(clinic, form("Zoë", "Müller", dob: "1975-01-02"))
            _ = try await register(clinic, form("John", "Smith", dob: "1990-06-30"))
            // when / then: the same rows on both databases, whatever the accents or case typed
            for (query, expected) in [("garcia", ["García-López"]), ("GARCÍA lop", ["García-López"]), ("mar gar", ["García-López"]),
                                      ("zoe", ["Müller"]), ("MULLER", ["Müller"]), ("smi", ["Smith"]), ("xyz", [])] {
                let page = try await clinic.searchPatients(PatientQuery(text: query), by: physician).page
                #expect(page.patients.map(\.familyName) == expected, "query \(query)")
            }
        }
    }

    @Test func searchByDateOfBirthAndMRN() async throws {
        try await withClinic { clinic, _, _ in
            let a = try await register(clinic, form("Ann", "Able", dob: "1970-03-04"))
            _ = try await register(clinic, form("Ben", "Baker", dob: "1971-05-06"))
            #expect(try await clinic.searchPatients(PatientQuery(text: "1970-03-04"), by: physician).page.patients.map(\.id) == [a.id])
            #expect(try await clinic.searchPatients(PatientQuery(text: a.mrn.value.lowercased()), by: physician).page.patients.map(\.id) == [a.id])
        }
    }

    @Test func listIsSortedByFamilyNameTheSameOnBothEngines() async throws {
        try await withClinic { clinic, _, _ in
            for (g, f) in [("Eve", "Zimmer"), ("Ola", "Ångström"), ("Al", "adams"), ("Bo", "Brown")] {
                _ = try await register(clinic, form(g, f, dob: "1980-01-0\(Int.random(in: 1...9))"))
            }
            let names = try await clinic.searchPatients(PatientQuery(), by: physician).page.patients.map(\.familyName)
            #expect(names == ["adams", "Ångström", "Brown", "Zimmer"])
        }
    }

    @Test func mrnsAreUniqueUnderConcurrentRegistration() async throws {
        try await withClinic { clinic, _, _ in
            let ids = try await withThrowingTaskGroup(of: MRN.self) { group in
                for i in 0..<20 {
                    group.addTask { try await register(clinic, form("P\(i)", "Parallel", dob: "1980-01-\(String(format: "%02d", i + 1))")).mrn }
                }
                return try await group.reduce(into: [MRN]()) { $0.append($1) }
            }
            #expect(Set(ids).count == 20)
        }
    }

    @Test func possibleDuplicatesAreReturnedInsteadOfSaving() async throws {
        try await withClinic { clinic, _, _ in
            let first = try await register(clinic, form("José", "Pérez", phone: "(555) 010-2000"))
            // same name (other accents/case) and date of birth
            guard case .possibleDuplicates(let byName) = try await clinic.registerPatient(form("jose", "PEREZ"), by: physician) else {
                Issue.record("expected duplicates"); return
            }
            #expect(byName.map(\.id) == [first.id])
            // same phone, other person
            guard case .possibleDuplicates(let byPhone) = try await clinic.registerPatient(form("Ana", "Other", dob: "1999-09-09", phone: "555-010-2000"), by: physician) else {
                Issue.record("expected duplicates"); return
            }
            #expect(byPhone.map(\.id) == [first.id])
            // confirmed: saved
            var confirmed = form("jose", "PEREZ")
            confirmed.confirmDuplicate = true
            guard case .registered = try await clinic.registerPatient(confirmed, by: physician) else { Issue.record("expected registration"); return }
            #expect(try await clinic.searchPatients(PatientQuery(text: "perez"), by: physician).page.total == 2)
        }
    }

    @Test func editsKeepHistoryAndRefuseStaleRevisions() async throws {
        try await withClinic { clinic, _, clock in
            let p = try await register(clinic, form("Ann", "Able"))
            var f = PatientForm(p)
            f.phone = "555 123 4567"
            clock.advance(by: 60)
            let saved = try await clinic.updatePatient(p.id, f, expectedRevision: 1, by: frontDesk)
            #expect(saved.revision == 2)
            let chart = try await clinic.chart(p.id, by: physician)
            #expect(chart.history?.map(\.revision) == [2, 1])
            #expect(chart.history?.first?.changedFields == ["contact.phone"])
            #expect(chart.history?.first?.changedBy == frontDesk.userID)
            #expect(chart.history?.first?.before?.contact.phone == "")
            // a stale edit is refused, nothing written
            f.phone = "555 999 0000"
            await #expect(throws: ClinicError.self) { try await clinic.updatePatient(p.id, f, expectedRevision: 1, by: frontDesk) }
            #expect(try await clinic.chart(p.id, by: physician).patient.contact.phone == "555 123 4567")
        }
    }

    @Test func frontDeskCannotChangeClinicalHistory() async throws {
        try await withClinic { clinic, _, _ in
            let p = try await register(clinic, form("Ann", "Able"))
            var f = PatientForm(p)
            f.medications = [.init(name: "Oxycodone", opioid: "oxycodone", route: "oral", dailyAmount: "20")]
            await #expect(throws: ClinicError.forbidden("Front desk may not update patientClinical")) {
                try await clinic.updatePatient(p.id, f, expectedRevision: nil, by: frontDesk)
            }
            #expect(try await clinic.chart(p.id, by: physician).patient.clinical.medications.isEmpty)
        }
    }

    @Test func invalidInputWritesNothing() async throws {
        try await withClinic { clinic, _, _ in
            var f = form("", "Able", dob: "2999-01-01")
            f.weight = "500"
            do {
                _ = try await clinic.registerPatient(f, by: physician)
                Issue.record("expected invalid")
            } catch ClinicError.invalid(let errors) {
                #expect(Set(errors.map(\.field)) == ["givenName", "dateOfBirth", "weight"])
            }
            #expect(try await clinic.searchPatients(PatientQuery(), by: physician).page.total == 0)
        }
    }
}
