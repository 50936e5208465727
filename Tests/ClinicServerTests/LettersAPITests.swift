import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Medical-necessity letters through the JSON API (issue 6): a signed version is frozen (409) and revised as version 2.
@Suite struct LettersAPITests {
    @Test func aSignedLetterIsFrozenAndARevisionIsTheNextVersion() async throws {
        try await TestWorld.with { world, client in
            let (patient, _) = try await world.activePlan()
            let pid = patient.id.rawValue.uuidString
            // the patient's primary coverage becomes the addressee when "to" is blank
            let payer = try await world.clinic.addPayer(name: "Acme Health", electronicID: "", phone: "", plans: "Gold PPO:commercial", by: world.actor(.billing))
            _ = try await world.clinic.addCoverage(for: patient.id, ["payerID": payer.id.uuidString, "planName": "Gold PPO", "memberID": "XJ1", "relationship": "self",
                                                                     "effectiveFrom": world.clinic.today.adding(days: -30).description, "priority": "1"], by: world.actor(.billing))
            let physician = try await world.token(.physician), billing = try await world.token(.billing)
            let created = try await client.api(.post, "/api/v1/patients/\(pid)/letters", token: physician, json: "{}")
            #expect(created.status == .created)
            let v1 = try created.json()
            let id = try #require(v1["id"] as? String)
            #expect(v1["to"] as? String == "Acme Health — Gold PPO, member id XJ1")
            #expect(v1["status"] as? String == "draft" && v1["version"] as? Int == 1)
            #expect((v1["diagnosisCodes"] as? [String])?.contains("G90.511") == true && v1["mmePerDay"] as? Double == 45)
            // billing: a draft is refused and not listed
            #expect(try await client.api(.get, "/api/v1/letters/\(id)", token: billing).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/patients/\(pid)/letters", token: billing).jsonArray().isEmpty)
            // edit, sign; then an edit or a second signature is a conflict
            let put = try await client.api(.put, "/api/v1/letters/\(id)", token: physician, json: #"{"body":"Dear reviewer,\nplease cover it.","to":"Acme"}"#)
            #expect(put.status == .ok)
            #expect(try put.json()["body"] as? String == "Dear reviewer,\nplease cover it.")
            #expect(try await client.api(.put, "/api/v1/letters/\(id)", token: physician, json: #"{"body":""}"#).status == .unprocessableContent)
            let signed = try await client.api(.post, "/api/v1/letters/\(id)/signature", token: physician)
            let signedJSON = try signed.json()
            #expect(signed.status == .ok && signedJSON["status"] as? String == "signed" && signedJSON["signerName"] as? String == "Test Physician")
            let frozen = try await client.api(.put, "/api/v1/letters/\(id)", token: physician, json: #"{"body":"rewritten"}"#)
            #expect(frozen.status == .conflict)
            #expect(try await client.api(.post, "/api/v1/letters/\(id)/signature", token: physician).status == .conflict)
            // revise: version 2 in the same series, a draft with the signed text; version 1 unchanged and still readable
            let revised = try await client.api(.post, "/api/v1/letters/\(id)/revisions", token: physician)
            #expect(revised.status == .created)
            let v2 = try revised.json()
            #expect(v2["version"] as? Int == 2 && v2["status"] as? String == "draft" && v2["seriesId"] as? String == id && v2["revisedFrom"] as? String == id)
            #expect(try await client.api(.post, "/api/v1/letters/\(id)/revisions", token: physician).status == .conflict)
            let v2id = try #require(v2["id"] as? String)
            #expect(try await client.api(.put, "/api/v1/letters/\(v2id)", token: physician, json: #"{"body":"Version two."}"#).status == .ok)
            let again = try await client.api(.get, "/api/v1/letters/\(id)", token: billing)
            #expect(again.status == .ok)
            #expect(try again.json()["body"] as? String == "Dear reviewer,\nplease cover it.")
            let listed = try await client.api(.get, "/api/v1/patients/\(pid)/letters", token: billing).jsonArray()
            #expect(listed.map { $0["id"] as? String } == [id])
            #expect(try await client.api(.get, "/api/v1/patients/\(pid)/letters", token: physician).jsonArray().map { $0["version"] as? Int } == [2, 1])
            // nurses and the front desk: 403; an unknown letter: 404
            for role in [Role.nurse, .frontDesk] {
                let t = try await world.token(role)
                #expect(try await client.api(.get, "/api/v1/patients/\(pid)/letters", token: t).status == .forbidden)
                #expect(try await client.api(.post, "/api/v1/patients/\(pid)/letters", token: t, json: "{}").status == .forbidden)
                #expect(try await client.api(.get, "/api/v1/letters/\(id)", token: t).status == .forbidden)
            }
            #expect(try await client.api(.get, "/api/v1/letters/\(UUID().uuidString)", token: physician).status == .notFound)
            #expect(try await client.api(.put, "/api/v1/letters/\(id)", token: billing, json: #"{"body":"x"}"#).status == .forbidden)
            // audited: the revision names its source
            #expect(try await world.audit(resource: v2id).contains { $0.event.detail == "letter:revise v2 of \(id)" })
        }
    }

    @Test func aRevisionFromTheChartIsComposedFromTheChartAsItIsNow() async throws {
        try await TestWorld.with { world, client in
            let (patient, _) = try await world.activePlan()
            let physician = try await world.token(.physician)
            // given a signed letter whose text the physician added to, written while the patient took 45 MME/day
            let v1 = try await client.api(.post, "/api/v1/patients/\(patient.id.rawValue.uuidString)/letters", token: physician, json: #"{"to":"Acme"}"#).json()
            let id = try #require(v1["id"] as? String)
            let v1Body = try #require(v1["body"] as? String)
            #expect(v1Body.contains("Current opioid use: 45 MME/day"))
            #expect(try await client.api(.put, "/api/v1/letters/\(id)", token: physician, json: #"{"body":"\#(v1Body.replacingOccurrences(of: "\n", with: "\\n")) Added by hand.","to":"Acme"}"#).status == .ok)
            #expect(try await client.api(.post, "/api/v1/letters/\(id)/signature", token: physician).status == .ok)
            // when the opioid dose is lowered in the chart and the letter is revised from the chart
            var form = PatientForm(try #require(try await world.clinic.store.read { try await $0.patient(patient.id) }))
            form.medications = [.init(name: "Oxycodone 5 mg", opioid: "oxycodone", route: "oral", dailyAmount: "10")]
            _ = try await world.clinic.updatePatient(patient.id, form, expectedRevision: nil, by: world.actor(.physician))
            let revised = try await client.api(.post, "/api/v1/letters/\(id)/revisions?source=chart", token: physician)
            // then version 2 is a draft composed from today's chart (the new dose, the first one as history), to the same
            // addressee, without the hand-written addition; version 1 is unchanged
            #expect(revised.status == .created)
            let v2 = try revised.json()
            let v2Body = try #require(v2["body"] as? String)
            #expect(v2["version"] as? Int == 2 && v2["status"] as? String == "draft" && v2["to"] as? String == "Acme" && v2["mmePerDay"] as? Double == 15)
            #expect(v2Body.contains("Current opioid use: 15 MME/day") && v2Body.contains("When first charted: 45 MME/day."))
            #expect(!v2Body.contains("Added by hand."))
            let v1Again = try await client.api(.get, "/api/v1/letters/\(id)", token: physician).json()
            #expect((v1Again["body"] as? String)?.hasSuffix("Added by hand.") == true && v1Again["mmePerDay"] as? Double == 45)
            // audited with its source
            let v2id = try #require(v2["id"] as? String)
            #expect(try await world.audit(resource: v2id).contains { $0.event.detail == "letter:revise v2 of \(id) from the chart" })
            // a source that is neither is refused
            #expect(try await client.api(.post, "/api/v1/letters/\(v2id)/revisions?source=memory", token: physician).status == .badRequest)
        }
    }

    @Test func theDatabaseRefusesToChangeASignedVersion() async throws {
        try await TestWorld.with { world, _ in
            let (patient, _) = try await world.activePlan()
            let letter = try await world.clinic.draftNecessityLetter(for: patient.id, by: world.actor(.physician))
            var signed = try await world.clinic.signNecessityLetter(letter.id, by: world.actor(.physician))
            signed.body = "tampered"
            let tampered = signed
            await #expect(throws: (any Error).self) {
                try await world.clinic.store.write { tx in
                    try await tx.put(tampered, in: .necessityLetters, id: tampered.id.uuidString, index: DocumentIndex(status: "signed"))
                }
            }
            #expect(try await world.clinic.necessityLetter(letter.id, by: world.actor(.billing)).letter.body == letter.body)
        }
    }
}
