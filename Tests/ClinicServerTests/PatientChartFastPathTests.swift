import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The chart read's fast path must answer exactly as the generated OpenAPI handler does, for every role and
/// after every kind of change, and never serve a chart older than the last write.
@Suite struct PatientChartFastPathTests {
    /// Runs `body` with a second in-process client of the same clinic whose app has no fast path.
    func withGeneratedHandler(_ world: TestWorld, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let plain = ClinicApp(clinic: world.clinic, pages: world.app.pages, chartFastPath: false)
        try await Application(router: try plain.router()).test(.router) { client in try await body(client) }
    }

    static func document(_ r: TestResponse) throws -> NSDictionary {
        try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? NSDictionary ?? [:]
    }

    @Test func answersAsTheGeneratedHandlerForEveryRole() async throws {
        try await TestWorld.with { world, fast in
            // given a screened patient
            let p = try await world.patient()
            _ = try await world.clinic.screen(p.id, form: world.screeningForm(), by: world.actor(.nurse))
            try await withGeneratedHandler(world) { generated in
                for role in [Role.admin, .physician, .nurse, .frontDesk, .billing] {
                    let t = try await world.token(role)
                    // when both apps answer (twice on the fast one: a miss, then a hit)
                    let a = try await fast.api(.get, "/api/v1/patients/\(p.id.rawValue.uuidString)", token: t)
                    let b = try await fast.api(.get, "/api/v1/patients/\(p.id.rawValue.uuidString)", token: t)
                    let g = try await generated.api(.get, "/api/v1/patients/\(p.id.rawValue.uuidString)", token: t)
                    // then they are the same JSON document (key order is the encoder's own) with the same content
                    // type, and the cached answer is the first answer byte for byte
                    #expect(a.status == g.status, "\(role)")
                    #expect(try Self.document(a) == Self.document(g), "\(role)")
                    #expect(b.text == a.text, "\(role)")
                    #expect(a.headers[.contentType] == g.headers[.contentType], "\(role)")
                }
            }
        }
    }

    @Test func anEditOrAScreeningShowsOnTheNextRead() async throws {
        try await TestWorld.with { world, client in
            // given a chart already read once (so its bytes are cached)
            let p = try await world.patient()
            let t = try await world.token(.physician)
            let path = "/api/v1/patients/\(p.id.rawValue.uuidString)"
            let first = try await client.api(.get, path, token: t).json()
            #expect(first["revision"] as? Int == 1)
            #expect(first["screeningStatus"] == nil)
            // when the phone number changes and the patient is screened
            var form = PatientForm(p)
            form.phone = "555 999 0000"
            _ = try await world.clinic.updatePatient(p.id, form, expectedRevision: 1, by: world.actor(.physician))
            _ = try await world.clinic.screen(p.id, form: world.screeningForm(), by: world.actor(.nurse))
            // then the next read shows both
            let second = try await client.api(.get, path, token: t).json()
            #expect(second["revision"] as? Int == 2)
            #expect(second["phone"] as? String == "555 999 0000")
            #expect((second["screeningStatus"] as? [String: Any])?["code"] as? String == "eligible")
        }
    }

    @Test func refusalsAndMissingChartsAreProblemsAndAudited() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            // no token → 401
            #expect(try await client.api(.get, "/api/v1/patients/\(p.id.rawValue.uuidString)").status == .unauthorized)
            // an unknown patient → 404 problem
            let missing = try await client.api(.get, "/api/v1/patients/\(UUID().uuidString)", token: try await world.token(.nurse))
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            // a read succeeds and is on the audit trail
            #expect(try await client.api(.get, "/api/v1/patients/\(p.id.rawValue.uuidString)", token: try await world.token(.nurse)).status == .ok)
            let entries = try await world.clinic.store.read { try await $0.auditEntries(AuditQuery()) }
            #expect(entries.contains { $0.event.resourceID == p.id.rawValue.uuidString && $0.event.outcome == .success && $0.event.action == "read" })
        }
    }
}
