import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Payers, coverages, eligibility checks and prior authorisations through the real pages, the warnings where staff
/// book, and billed sessions counted against the authorisation (issue 6 §1).
@Suite struct CoveragePagesTests {
    @Test func theFrontDeskRecordsCoverageAndAnAuthorisationAndBookingWarnsUntilBillingCountsTheSession() async throws {
        try await TestWorld.with { world, client in
            let (patient, plan) = try await world.activePlan()
            let pid = patient.id.rawValue.uuidString
            let fd = try await world.browser(.frontDesk)
            // before anything is on file, the booking page warns
            try await world.rosterNurse()
            let book = try await client.page(.get, "/plans/\(plan.id.rawValue.uuidString)/book", cookie: fd.cookie)
            #expect(book.text.contains("No insurance coverage or self-pay agreement on file"))
            // a payer with its plans
            let payer = try await client.page(.post, "/billing/payers", cookie: fd.cookie,
                                              form: ["csrf": fd.csrf, "name": "Acme Health", "electronicID": "ACME1", "phone": "555 0101", "plans": "Gold PPO:commercial\nSilver:bogus"])
            #expect(payer.status == .unprocessableContent && payer.text.contains("Line 2: the type must be one of"))
            #expect(try await client.page(.post, "/billing/payers", cookie: fd.cookie,
                                          form: ["csrf": fd.csrf, "name": "Acme Health", "electronicID": "ACME1", "phone": "555 0101", "plans": "Gold PPO:commercial"]).status == .ok)
            let payerID = try #require(try await world.clinic.payers(by: world.actor(.frontDesk)).first?.id.uuidString)
            // a coverage with bad fields names each one and saves nothing
            var form = ["csrf": fd.csrf, "payerID": payerID, "planName": "Gold PPO", "memberID": "", "relationship": "spouse", "subscriberName": "",
                        "effectiveFrom": "2026-13-01", "priority": "1"]
            let bad = try await client.page(.post, "/patients/\(pid)/coverage", cookie: fd.cookie, form: form)
            #expect(bad.status == .unprocessableContent)
            for message in ["Required: the member id", "Required when the patient is not the subscriber", "Give a date as YYYY-MM-DD"] {
                #expect(bad.text.contains(message), "\(message)")
            }
            #expect(try await world.clinic.patientCoverage(patient.id, by: world.actor(.frontDesk)).coverages.isEmpty)
            form["memberID"] = "XJ123456"; form["relationship"] = "self"; form["effectiveFrom"] = world.clinic.today.adding(days: -30).description
            let added = try await client.page(.post, "/patients/\(pid)/coverage", cookie: fd.cookie, form: form)
            #expect(added.status == .ok && added.text.contains("Coverage with Acme Health added."))
            #expect(added.text.contains("never checked"))
            let coverageID = try #require(try await world.clinic.patientCoverage(patient.id, by: world.actor(.frontDesk)).coverages.first?.id.uuidString)
            // the eligibility check, recorded with its date, result and who
            let checked = try await client.page(.post, "/patients/\(pid)/eligibility", cookie: fd.cookie,
                                                form: ["csrf": fd.csrf, "coverageID": coverageID, "result": "activeNeedsAuthorization", "method": "phone", "reference": "CALL-77"])
            #expect(checked.text.contains("active — prior authorisation required · \(world.clinic.today) by phone ref CALL-77 · checked by Test Front desk"))
            // an authorisation for 2 visits ending in 10 days
            let auth = try await client.page(.post, "/patients/\(pid)/authorizations", cookie: fd.cookie, form: [
                "csrf": fd.csrf, "coverageID": coverageID, "number": "PA-2026-1", "codes": "96365, 96366", "unit": "visits", "approved": "2",
                "validFrom": world.clinic.today.adding(days: -1).description, "validTo": world.clinic.today.adding(days: 10).description])
            #expect(auth.text.contains("Authorisation PA-2026-1 recorded."))
            // booking the 6-infusion series now warns: the authorisation ends within 14 days and has 2 visits for 6
            let warned = try await client.page(.get, "/plans/\(plan.id.rawValue.uuidString)/book", cookie: fd.cookie).text
            #expect(!warned.contains("No insurance coverage"))
            #expect(warned.contains("Authorisation PA-2026-1 ends on \(world.clinic.today.adding(days: 10)) (in 10 days)."))
            #expect(warned.contains("Authorisation PA-2026-1 has 2 visits left; the booked series needs 6."))
            // the physician sees the same on the plan page
            let ph = try await world.browser(.physician)
            #expect(try await client.page(.get, "/plans/\(plan.id.rawValue.uuidString)", cookie: ph.cookie).text.contains("has 2 visits left"))
            // a nurse never sees the coverage file
            let n = try await world.browser(.nurse)
            #expect(try await client.page(.get, "/patients/\(pid)/coverage", cookie: n.cookie).status == .forbidden)
        }
    }

    @Test func aBilledSessionCountsAgainstTheAuthorisationThatCoversItsCodes() async throws {
        try await TestWorld.with { world, client in
            try await world.setFees(client)
            let (token, sid) = try await world.checkedInSession(client)
            let session = try await world.clinic.session(InfusionSession.ID(UUID(uuidString: sid)!), by: world.actor(.nurse))
            let patient = session.session.patientID
            let payer = try await world.clinic.addPayer(name: "Acme Health", electronicID: "", phone: "", plans: "", by: world.actor(.billing))
            let coverage = try await world.clinic.addCoverage(for: patient, ["payerID": payer.id.uuidString, "memberID": "M1", "relationship": "self",
                                                                             "effectiveFrom": world.clinic.today.adding(days: -30).description, "priority": "1"], by: world.actor(.billing))
            let auth = try await world.clinic.addAuthorization(for: patient, ["coverageID": coverage.id.uuidString, "number": "U-1", "codes": "96365 96366", "unit": "units",
                                                                              "approved": "10", "validFrom": world.clinic.today.adding(days: -1).description,
                                                                              "validTo": world.clinic.today.adding(days: 90).description], by: world.actor(.billing))
            #expect(auth.remaining == 10)
            // 95 minutes: 96365 × 1 + 96366 × 1 = 2 units of the authorisation
            let uri = "/api/v1/sessions/\(sid)"
            #expect(try await client.api(.post, uri + "/checklist", token: token, json: checklistJSON(now: world.clock.now)).status == .ok)
            #expect(try await client.api(.post, uri + "/start", token: token, json: "{}").status == .ok)
            world.clock.advance(by: 95 * 60)
            for step in [#"{"kind":"complete"}"#, #"{"kind":"aldrete","scores":[2,2,2],\#(recoveryVitals)}"#, #"{"kind":"leaveChair"}"#,
                         #"{"kind":"padss","scores":[2,2,2,2],\#(recoveryVitals)}"#, #"{"kind":"discharge","escortName":"Paul Able","whoToCall":"Clinic"}"#] {
                #expect(try await client.api(.post, uri + "/steps", token: token, json: step).status == .ok)
            }
            var file = try await world.clinic.patientCoverage(patient, by: world.actor(.billing))
            #expect(file.authorizations.first?.used == 2)
            #expect(file.authorizations.first?.usages.first?.sessionID.rawValue.uuidString == sid)
            // an amendment to 60 minutes re-counts it: 1 unit
            _ = try await world.clinic.amendBilledRunningTime(InfusionSession.ID(UUID(uuidString: sid)!), minutes: "60", reason: "pump log", by: world.actor(.nurse))
            file = try await world.clinic.patientCoverage(patient, by: world.actor(.billing))
            #expect(file.authorizations.first?.used == 1 && file.authorizations.first?.remaining == 9)
            // the coverage page shows it
            let b = try await world.browser(.billing)
            #expect(try await client.page(.get, "/patients/\(patient.rawValue.uuidString)/coverage", cookie: b.cookie).text.contains("1 / 10 CPT/HCPCS units"))
            // and the session's charges name the authorisation they were counted against
            #expect(try await client.page(.get, "/sessions/\(sid)/charges", cookie: b.cookie).text.contains("U-1 — counted 1 CPT/HCPCS units; 9 of 10 left"))
        }
    }
}
