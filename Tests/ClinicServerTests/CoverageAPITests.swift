import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Coverage through the JSON API (issue 6 §1): roles, bad fields named, the coverage file with its warnings.
@Suite struct CoverageAPITests {
    @Test func billingRecordsCoverageEligibilityAndAnAuthorisationAndTheClinicalStaffAreRefused() async throws {
        try await TestWorld.with { world, client in
            let patient = try await world.patient()
            let pid = patient.id.rawValue.uuidString
            let billing = try await world.token(.billing)
            #expect(try await client.api(.get, "/api/v1/payers").status == .unauthorized)
            #expect(try await client.api(.get, "/api/v1/payers", token: try await world.token(.nurse)).status == .forbidden)
            let payer = try await client.api(.post, "/api/v1/payers", token: billing, json: #"{"name":"Acme Health","plans":[{"name":"Gold PPO","type":"commercial"}]}"#)
            #expect(payer.status == .created)
            let payerID = try #require(try payer.json()["id"] as? String)
            let empty = try await client.api(.get, "/api/v1/patients/\(pid)/coverage", token: billing).json()
            #expect((empty["warnings"] as? [String])?.first?.hasPrefix("No insurance coverage or self-pay agreement") == true)
            let bad = try await client.api(.post, "/api/v1/patients/\(pid)/coverage", token: billing,
                                           json: #"{"payerId":"\#(payerID)","memberId":"M1","effectiveFrom":"2026-01-10","effectiveTo":"2025-01-01","priority":1}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(((try bad.json()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } == ["effectiveTo"])
            let coverage = try await client.api(.post, "/api/v1/patients/\(pid)/coverage", token: billing,
                                                json: #"{"payerId":"\#(payerID)","planName":"Gold PPO","memberId":"M1","effectiveFrom":"2026-01-10","priority":1}"#)
            #expect(coverage.status == .created)
            let coverageID = try #require(try coverage.json()["id"] as? String)
            // a second primary coverage over the same dates is refused, naming the field
            let twice = try await client.api(.post, "/api/v1/patients/\(pid)/coverage", token: billing,
                                             json: #"{"payerId":"\#(payerID)","memberId":"M2","effectiveFrom":"2026-02-01","priority":1}"#)
            #expect(twice.status == .unprocessableContent && twice.text.contains("priority"))
            #expect(try await client.api(.post, "/api/v1/coverages/\(coverageID)/eligibility-checks", token: billing, json: #"{"result":"active","method":"portal"}"#).status == .created)
            let auth = try await client.api(.post, "/api/v1/patients/\(pid)/authorizations", token: billing,
                                            json: #"{"coverageId":"\#(coverageID)","number":"PA-9","codes":["96365"],"unit":"visits","approved":6,"validFrom":"2026-01-01","validTo":"2099-12-31"}"#)
            #expect(auth.status == .created)
            #expect(try auth.json()["remaining"] as? Int == 6)
            let file = try await client.api(.get, "/api/v1/patients/\(pid)/coverage", token: billing).json()
            #expect((file["coverages"] as? [[String: Any]])?.count == 1)
            #expect((file["eligibilityChecks"] as? [[String: Any]])?.first?["result"] as? String == "active")
            #expect((file["warnings"] as? [String])?.isEmpty == true)
            #expect(try await client.api(.get, "/api/v1/patients/\(pid)/coverage", token: try await world.token(.physician)).status == .forbidden)
            let audit = try await world.audit(resource: pid)
            #expect(audit.contains { $0.event.detail == "coverage:add" && $0.event.actorRole == Role.billing.rawValue })
        }
    }
}
