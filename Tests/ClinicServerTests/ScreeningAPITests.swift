import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

func screeningJSON(systolic: Int = 120, diastolic: Int = 80, cardiovascular: String = "none", at now: Date) -> String {
    let f = ISO8601DateFormatter()
    let t0 = f.string(from: now.addingTimeInterval(-900))
    let t1 = f.string(from: now.addingTimeInterval(-500))
    return """
    {"bloodPressureReadings":[{"systolic":\(systolic),"diastolic":\(diastolic),"takenAt":"\(t0)","seated":true},
                              {"systolic":\(systolic),"diastolic":\(diastolic),"takenAt":"\(t1)","seated":true}],
     "cardiovascular":"\(cardiovascular)","psychosis":"none","hepatic":"none","heavyAlcoholUse":false,
     "raisedIntracranialPressure":false,"raisedIntraocularPressure":false,"activeSubstanceAbuse":false,
     "pregnancy":"notPregnant","ketamineHypersensitivity":false,"priorKetamineExposure":false,"notes":""}
    """
}

@Suite struct ScreeningAPITests {
    @Test func nurseScreensAndSeesAReasonedDecision() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let r = try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/screenings", token: try await world.token(.nurse),
                                         json: screeningJSON(cardiovascular: "stableKnownDisease", at: world.clock.now))
            #expect(r.status == .created)
            let s = try r.json()
            #expect(s["decision"] as? String == "needsClearance")
            #expect(s["requiredClearances"] as? [String] == ["cardiology"])
            let reasons = s["reasons"] as? [[String: Any]] ?? []
            #expect(reasons.first?["source"] as? String != nil)
            #expect((reasons.first?["source"] as? String)?.contains("Cohen") == true)
            #expect(s["ruleSetVersion"] as? String == ScreeningRuleSet.standard.version)
            #expect((s["thresholds"] as? [String: Any])?["clearanceSystolic"] as? Int == 160) // clinical-reference §2–§3 [D]
        }
    }

    @Test func incompleteFormSaysWhatIsMissing() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let r = try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/screenings", token: try await world.token(.physician), json: "{}")
            let s = try r.json()
            #expect(s["decision"] as? String == "incomplete")
            let fields = (s["reasons"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields.contains("cardiovascular") && fields.contains("bloodPressureReadings"))
        }
    }

    @Test func frontDeskAndBillingMayNotScreen() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            for role in [Role.frontDesk, .billing] {
                let r = try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/screenings", token: try await world.token(role),
                                             json: screeningJSON(at: world.clock.now))
                #expect(r.status == .forbidden, "\(role)")
            }
        }
    }

    @Test func billingAskingForAScreeningResultGets403AndTheDenialIsAudited() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let s = try await world.clinic.screen(p.id, form: world.screeningForm(), by: world.actor(.nurse))
            let id = s.id.rawValue.uuidString
            #expect(try await client.api(.get, "/api/v1/screenings/\(id)", token: try await world.token(.physician)).status == .ok)
            #expect(try await client.api(.get, "/api/v1/screenings/\(id)", token: try await world.token(.billing)).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/screenings/\(id)", token: try await world.token(.frontDesk)).status == .forbidden)
            let entries = try await world.audit(resource: id)
            #expect(entries.contains { $0.event.actorRole == "billing" && $0.event.outcome == .denied && $0.event.resourceType == "screening" })
        }
    }

    @Test func frontDeskSeesTheStatusOnlyBillingNothing() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let uri = "/api/v1/patients/\(p.id.rawValue.uuidString)/screening-status"
            #expect(try await client.api(.get, uri, token: try await world.token(.frontDesk)).json()["code"] as? String == "none")
            _ = try await world.clinic.screen(p.id, form: world.screeningForm(systolic: 185, diastolic: 100), by: world.actor(.nurse))
            let status = try await client.api(.get, uri, token: try await world.token(.frontDesk)).json()
            #expect(status["code"] as? String == "notEligible")
            #expect(status["reasons"] == nil)
            #expect(try await client.api(.get, uri, token: try await world.token(.billing)).status == .forbidden)
        }
    }

    @Test func clearanceRecordedAndSignedOffMakesThePatientEligible() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let s = try await world.clinic.screen(p.id, form: world.screeningForm(cardiovascular: .stableKnownDisease), by: world.actor(.nurse))
            let id = s.id.rawValue.uuidString
            let nurse = try await world.token(.nurse)
            let physician = try await world.token(.physician)
            let today = world.clinic.today.description
            let clearance = #"{"kind":"cardiology","specialty":"Cardiology","clinician":"Dr. Heart","date":"\#(today)","note":"Stable angina, cleared."}"#
            #expect(try await client.api(.post, "/api/v1/screenings/\(id)/clearances", token: try await world.token(.frontDesk), json: clearance).status == .forbidden)
            #expect(try await client.api(.post, "/api/v1/screenings/\(id)/clearances", token: nurse, json: clearance).status == .ok)
            // only a physician signs off
            #expect(try await client.api(.post, "/api/v1/screenings/\(id)/clearances/cardiology/sign-off", token: nurse).status == .forbidden)
            let signed = try await client.api(.post, "/api/v1/screenings/\(id)/clearances/cardiology/sign-off", token: physician).json()
            #expect(signed["decision"] as? String == "eligible")
            #expect(signed["evaluatedDecision"] as? String == "needsClearance")
            #expect((signed["status"] as? [String: Any])?["code"] as? String == "eligible")
        }
    }

    @Test func physicianOverridesWithAReason() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let s = try await world.clinic.screen(p.id, form: world.screeningForm(systolic: 170, diastolic: 95), by: world.actor(.nurse))
            let uri = "/api/v1/screenings/\(s.id.rawValue.uuidString)/override"
            let physician = try await world.token(.physician)
            #expect(try await client.api(.post, uri, token: try await world.token(.nurse), json: #"{"decision":"eligible","reason":"ok"}"#).status == .forbidden)
            let noReason = try await client.api(.post, uri, token: physician, json: #"{"decision":"eligible","reason":"  "}"#)
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.text.contains("reason"))
            let ok = try await client.api(.post, uri, token: physician, json: #"{"decision":"eligible","reason":"Home readings 130s/80s; white-coat effect."}"#)
            #expect(try ok.json()["decision"] as? String == "eligible")
            #expect((try ok.json()["override"] as? [String: Any])?["reason"] as? String == "Home readings 130s/80s; white-coat effect.")
        }
    }

    @Test func aNewContraindicationOnTheChartSendsTheScreeningBackToRescreen() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            _ = try await world.clinic.screen(p.id, form: world.screeningForm(), by: world.actor(.nurse))
            var f = PatientForm(p)
            f.diagnoses.append(.init(code: "Z33.1", description: "Pregnant state, incidental"))
            _ = try await world.clinic.updatePatient(p.id, f, expectedRevision: nil, by: world.actor(.physician))
            let status = try await client.api(.get, "/api/v1/patients/\(p.id.rawValue.uuidString)/screening-status", token: try await world.token(.frontDesk)).json()
            #expect(status["code"] as? String == "rescreenRequired")
        }
    }
}
