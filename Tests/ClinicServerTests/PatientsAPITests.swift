import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

let newPatientJSON = #"""
{"givenName":"Zoë","familyName":"Müller","dateOfBirth":"1979-03-14","sex":"female","phone":"(555) 201-3344",
 "escorts":[{"name":"Max Müller","relationship":"Spouse","phone":"555 201 3345"}],
 "weight":{"value":154,"unit":"lb"},"height":{"value":168,"unit":"cm"},
 "diagnoses":[{"code":"M79.7","description":"Fibromyalgia","isPrimary":true}],
 "medications":[{"name":"Oxycodone 10 mg","opioid":"oxycodone","route":"oral","dailyAmount":30},
                {"name":"Buprenorphine patch","opioid":"buprenorphine","route":"transdermal","dailyAmount":10}],
 "allergies":[{"substance":"Penicillin","reaction":"rash"}],
 "painHistory":{"onset":"2019-06-01","monthsOfPain":65,"treatmentsTried":[{"treatment":"Duloxetine","result":"notTolerated"}]}}
"""#

@Suite struct PatientsAPITests {
    @Test func physicianRegistersAndReadsTheWholeChart() async throws {
        try await TestWorld.with { world, client in
            let t = try await world.token(.physician)
            let r = try await client.api(.post, "/api/v1/patients", token: t, json: newPatientJSON)
            #expect(r.status == .created)
            let chart = try r.json()
            #expect((chart["mrn"] as? String)?.hasPrefix("DR-") == true)
            #expect(chart["dateOfBirth"] as? String == "1979-03-14")
            let weight = chart["weight"] as? [String: Any]
            #expect(weight?["unit"] as? String == "lb")
            #expect(abs((weight?["kilograms"] as? Double ?? 0) - 69.853) < 0.001) // 154 lb × 0.45359237 kg/lb
            // MME (CDC 2022): oxycodone 30 mg × 1.5 = 45; buprenorphine has no factor and is not counted as 0
            let meds = chart["medications"] as? [[String: Any]] ?? []
            #expect(meds.map { $0["mme"] as? String } == ["45 MME/day", "no factor"])
            let total = chart["mmeTotal"] as? [String: Any]
            #expect(total?["total"] as? Double == 45)
            #expect(total?["uncounted"] as? [String] == ["Buprenorphine patch"])
        }
    }

    @Test func frontDeskRegistersDemographicsButNotClinicalHistory() async throws {
        try await TestWorld.with { world, client in
            let t = try await world.token(.frontDesk)
            #expect(try await client.api(.post, "/api/v1/patients", token: t, json: newPatientJSON).status == .forbidden)
            let demographicsOnly = #"{"givenName":"Ada","familyName":"Byron","dateOfBirth":"1985-12-10","phone":"555 777 1212"}"#
            #expect(try await client.api(.post, "/api/v1/patients", token: t, json: demographicsOnly).status == .created)
        }
    }

    @Test func billingMayNotRegister() async throws {
        try await TestWorld.with { world, client in
            let r = try await client.api(.post, "/api/v1/patients", token: try await world.token(.billing),
                                         json: #"{"givenName":"Ada","familyName":"Byron","dateOfBirth":"1985-12-10"}"#)
            #expect(r.status == .forbidden)
        }
    }

    @Test func eachRoleSeesOnlyItsPartOfTheChart() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            _ = try await world.clinic.screen(p.id, form: world.screeningForm(), by: world.actor(.nurse))
            let uri = "/api/v1/patients/\(p.id.rawValue.uuidString)"
            let physician = try await client.api(.get, uri, token: try await world.token(.physician)).json()
            #expect(physician["medications"] != nil && physician["diagnoses"] != nil && physician["latestScreeningId"] != nil)
            let billing = try await client.api(.get, uri, token: try await world.token(.billing)).json()
            #expect(billing["diagnoses"] != nil)
            #expect(billing["medications"] == nil && billing["painHistory"] == nil && billing["screeningStatus"] == nil)
            let frontDesk = try await client.api(.get, uri, token: try await world.token(.frontDesk)).json()
            #expect(frontDesk["diagnoses"] == nil && frontDesk["medications"] == nil)
            #expect((frontDesk["screeningStatus"] as? [String: Any])?["code"] as? String == "eligible")
            #expect(frontDesk["latestScreeningId"] == nil)
            // every read is on record with the sections shown
            let reads = try await world.audit(resource: p.id.rawValue.uuidString).filter { $0.event.action == "read" }
            #expect(reads.count >= 3)
            #expect(reads.contains { $0.event.actorRole == "billing" && $0.event.detail.contains("patientDiagnoses") && !$0.event.detail.contains("patientClinical") })
        }
    }

    @Test func unknownOrMalformedIdIs404() async throws {
        try await TestWorld.with { world, client in
            let t = try await world.token(.physician)
            #expect(try await client.api(.get, "/api/v1/patients/\(UUID().uuidString)", token: t).status == .notFound)
            #expect(try await client.api(.get, "/api/v1/patients/not-a-uuid", token: t).status == .notFound)
        }
    }

    @Test func everyPatientRouteNeedsAToken() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let id = p.id.rawValue.uuidString
            for (m, uri) in [(HTTPRequest.Method.get, "/api/v1/patients"), (.post, "/api/v1/patients"), (.get, "/api/v1/patients/\(id)"),
                             (.put, "/api/v1/patients/\(id)"), (.get, "/api/v1/patients/\(id)/history"),
                             (.post, "/api/v1/patients/\(id)/screenings"), (.get, "/api/v1/patients/\(id)/screening-status")] {
                #expect(try await client.api(m, uri, json: m == .get ? nil : "{}").status == .unauthorized, "\(m) \(uri)")
            }
        }
    }

    @Test func searchFindsByNameDateOfBirthAndMRN() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient("José", "Núñez", dob: "1966-07-08")
            _ = try await world.patient("Other", "Person", dob: "1970-01-01")
            let t = try await world.token(.nurse)
            for q in ["nunez", "JOSE", "1966-07-08", p.mrn.value] {
                let page = try await client.api(.get, "/api/v1/patients?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", token: t).json()
                #expect((page["patients"] as? [[String: Any]])?.map { $0["id"] as? String } == [p.id.rawValue.uuidString], "q=\(q)")
            }
        }
    }

    @Test func deviceMayNotListPatientsAndTheDenialIsAudited() async throws {
        try await TestWorld.with { world, client in
            let device = try await world.clinic.searchPatients(PatientQuery(), by: world.actor(.billing))
            #expect(device.statuses.isEmpty) // billing sees no screening status
            await #expect(throws: ClinicError.self) {
                try await world.clinic.searchPatients(PatientQuery(), by: Actor(userID: User.ID(UUID()), role: .device))
            }
            let denied = try await world.clinic.store.read { try await $0.auditEntries(AuditQuery(outcome: .denied)) }
            #expect(denied.first?.event.actorRole == "device")
        }
    }

    @Test func duplicatesAreShownBeforeSaving() async throws {
        try await TestWorld.with { world, client in
            let t = try await world.token(.physician)
            #expect(try await client.api(.post, "/api/v1/patients", token: t, json: newPatientJSON).status == .created)
            let again = try await client.api(.post, "/api/v1/patients", token: t, json: newPatientJSON)
            #expect(again.status == .conflict)
            #expect((try again.json()["candidates"] as? [[String: Any]])?.count == 1)
            let confirmed = newPatientJSON.replacingOccurrences(of: #""givenName":"Zoë""#, with: #""confirmDuplicate":true,"givenName":"Zoë""#)
            #expect(try await client.api(.post, "/api/v1/patients", token: t, json: confirmed).status == .created)
        }
    }

    @Test func updateKeepsHistoryAndNurseMayNotEdit() async throws {
        try await TestWorld.with { world, client in
            let t = try await world.token(.physician)
            let created = try await client.api(.post, "/api/v1/patients", token: t, json: newPatientJSON).json()
            let id = created["id"] as! String
            let edited = newPatientJSON.replacingOccurrences(of: "(555) 201-3344", with: "(555) 201-9999")
                .replacingOccurrences(of: #""givenName""#, with: #""expectedRevision":1,"givenName""#)
            #expect(try await client.api(.put, "/api/v1/patients/\(id)", token: try await world.token(.nurse), json: edited).status == .forbidden)
            let r = try await client.api(.put, "/api/v1/patients/\(id)", token: t, json: edited)
            #expect(r.status == .ok)
            #expect(try r.json()["revision"] as? Int == 2)
            let stale = try await client.api(.put, "/api/v1/patients/\(id)", token: t, json: edited.replacingOccurrences(of: "9999", with: "1111"))
            #expect(stale.status == .conflict)
            let history = try await client.api(.get, "/api/v1/patients/\(id)/history", token: t).jsonArray()
            #expect(history.map { $0["revision"] as? Int } == [2, 1])
            #expect(history.first?["changedFields"] as? [String] == ["contact.phone"])
            #expect(try await client.api(.get, "/api/v1/patients/\(id)/history", token: try await world.token(.frontDesk)).status == .forbidden)
        }
    }
}

/// Bad input: a problem-details error naming each bad field; malformed and oversize bodies are 400/413, never 500;
/// nothing is written (DESIGN §8).
@Suite struct BadInputTests {
    @Test func invalidFieldsAreNamedWithReasons() async throws {
        try await TestWorld.with { world, client in
            let t = try await world.token(.physician)
            let body = #"{"givenName":"","familyName":"X","dateOfBirth":"2999-01-01","weight":{"value":700,"unit":"kg"},"diagnoses":[{"code":"XYZ"}],"medications":[{"name":"Morphine","opioid":"morphine"}]}"#
            let r = try await client.api(.post, "/api/v1/patients", token: t, json: body)
            #expect(r.status == .unprocessableContent)
            #expect(r.headers[.contentType] == "application/problem+json")
            let fields = (try r.json()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(Set(fields) == ["givenName", "dateOfBirth", "weight", "diagnoses[0].code", "medications[0].dailyAmount"])
            #expect(try await client.api(.get, "/api/v1/patients", token: t).json()["total"] as? Int == 0)
        }
    }

    @Test func malformedJSONIs400() async throws {
        try await TestWorld.with { world, client in
            let t = try await world.token(.physician)
            for body in ["{not json", #"{"givenName":"A"}"#, #"{"givenName":1,"familyName":"B","dateOfBirth":"1980-01-01"}"#, "[]"] {
                let r = try await client.api(.post, "/api/v1/patients", token: t, json: body)
                #expect(r.status == .badRequest, "body \(body)")
                #expect(r.headers[.contentType] == "application/problem+json")
            }
            let missing = try await client.api(.post, "/api/v1/patients", token: t, json: #"{"givenName":"A","familyName":"B"}"#)
            #expect(missing.text.contains("dateOfBirth"))
        }
    }

    @Test func oversizeBodyIs413() async throws {
        try await TestWorld.with { world, client in
            let t = try await world.token(.physician)
            let huge = #"{"givenName":""# + String(repeating: "a", count: 2_000_000) + #"","familyName":"B","dateOfBirth":"1980-01-01"}"#
            let r = try await client.api(.post, "/api/v1/patients", token: t, json: huge)
            #expect(r.status == .contentTooLarge)
            #expect(r.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func unknownEnumValueIs400() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let r = try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/screenings", token: try await world.token(.nurse),
                                         json: #"{"cardiovascular":"fine"}"#)
            #expect(r.status == .badRequest)
        }
    }
}

@Suite struct ChartCacheTests {
    @Test func aWriteShowsInTheNextJSONReadAtOnce() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let t = try await world.token(.physician)
            let uri = "/api/v1/patients/\(p.id.rawValue.uuidString)"
            // given a cached chart with no screening
            #expect(try await client.api(.get, uri, token: t).json()["latestScreeningId"] == nil)
            // when the patient is screened and the phone changes
            let s = try await world.clinic.screen(p.id, form: world.screeningForm(), by: world.actor(.nurse))
            var f = PatientForm(p)
            f.phone = "555 000 1111"
            _ = try await world.clinic.updatePatient(p.id, f, expectedRevision: nil, by: world.actor(.frontDesk))
            // then the next read shows both, without waiting for the cache to expire
            let chart = try await client.api(.get, uri, token: t).json()
            #expect(chart["latestScreeningId"] as? String == s.id.rawValue.uuidString)
            #expect(chart["phone"] as? String == "555 000 1111")
        }
    }
}
