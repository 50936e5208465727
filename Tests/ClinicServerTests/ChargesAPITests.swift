import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Charges, corrections, superbills and charge settings through the JSON API (issue 6 §2–3; clinical-reference §8).
@Suite struct ChargesAPITests {
    static func settingsJSON(physician: String, npi: String = "1245319599", fee: Int = 45_000) -> String {
        #"{"initialHourCode":"96365","additionalHourCode":"96366","drugCode":"J3490","initialHourMoreThanMinutes":15,"partialHourRule":"moreThanHalf","excludePauses":true,"placeOfService":"11","feeInitialHourCents":\#(fee),"feeAdditionalHourCents":12500,"feeDrugPerMgCents":250,"billingProviderName":"DeepRelief Pain Clinic","billingProviderNpi":"1234567893","taxId":"12-3456789","providers":[{"userId":"\#(physician)","npi":"\#(npi)"}]}"#
    }

    @Test func billingSetsFeesReadsChargesAndASuperbillAndAClinicianCorrectsTheRunningTime() async throws {
        try await TestWorld.with { world, client in
            let billing = try await world.token(.billing)
            let physician = world.accounts[.physician]!.id.rawValue.uuidString
            // settings: a bad NPI names its field; a nurse may not change them
            let bad = try await client.api(.put, "/api/v1/billing/charge-settings", token: billing, json: Self.settingsJSON(physician: physician, npi: "1245319598"))
            #expect(bad.status == .unprocessableContent)
            let fields = Set(((try bad.json()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["npi.\(physician)"])
            #expect(try await client.api(.put, "/api/v1/billing/charge-settings", token: try await world.token(.nurse), json: Self.settingsJSON(physician: physician)).status == .forbidden)
            let saved = try await client.api(.put, "/api/v1/billing/charge-settings", token: billing, json: Self.settingsJSON(physician: physician))
            #expect(saved.status == .ok)
            #expect(try saved.json()["feeInitialHourCents"] as? Int == 45_000)
            // a 61-minute infusion: 96365 × 1 only (1 min beyond the hour is not more than 30); 53.375 mg given
            let (nurse, sid) = try await world.dischargedSession(client, before: 61)
            let charges = try await client.api(.get, "/api/v1/sessions/\(sid)/charges", token: billing)
            #expect(charges.status == .ok)
            let body = try charges.json()
            let lines = try #require(body["lines"] as? [[String: Any]])
            #expect(lines.map { $0["code"] as? String } == ["96365", "J3490"])
            #expect(body["runningSeconds"] as? Int == 61 * 60)
            #expect(body["administeredMicrograms"] as? Int == 53_375)
            // $450 + 53.375 mg × $2.50 = $133.4375 → $133.44
            #expect(body["totalCents"] as? Int == 58_344)
            // the nurse corrects it to 95 minutes: +1 × 96366 as an adjustment
            #expect(try await client.api(.get, "/api/v1/sessions/\(sid)/charges", token: nurse).status == .forbidden)
            let badCorrection = try await client.api(.post, "/api/v1/sessions/\(sid)/charges/corrections", token: nurse, json: #"{"runningMinutes":95,"reason":"  "}"#)
            #expect(badCorrection.status == .unprocessableContent)
            let corrected = try await client.api(.post, "/api/v1/sessions/\(sid)/charges/corrections", token: nurse,
                                                 json: #"{"runningMinutes":95,"reason":"Pump history shows 95 minutes"}"#)
            #expect(corrected.status == .ok)
            let after = try #require(try corrected.json()["lines"] as? [[String: Any]])
            #expect(after.count == 3)
            #expect(after.last?["kind"] as? String == "adjustment" && after.last?["code"] as? String == "96366" && after.last?["units"] as? Int == 1)
            #expect(try corrected.json()["totalCents"] as? Int == 58_344 + 12_500)
            // billing may not amend a clinical record
            #expect(try await client.api(.post, "/api/v1/sessions/\(sid)/charges/corrections", token: billing, json: #"{"runningMinutes":60,"reason":"x"}"#).status == .forbidden)
            // the work list and the superbill
            let today = world.clinic.today
            let list = try await client.api(.get, "/api/v1/charges?from=\(today.adding(days: -7))&to=\(today.adding(days: 7))", token: billing)
            #expect(try list.jsonArray().count == 1)
            let patientID = try #require(body["patientId"] as? String)
            let date = try #require(body["serviceDate"] as? String)
            let bill = try await client.api(.get, "/api/v1/patients/\(patientID)/superbill?from=\(date)&to=\(date)", token: billing).json()
            #expect(bill["totalCents"] as? Int == 70_844)
            #expect((bill["diagnoses"] as? [[String: Any]])?.first?["pointer"] as? String == "A")
            #expect((bill["lines"] as? [[String: Any]])?.allSatisfy { $0["diagnosisPointers"] as? String == "A" } == true)
            #expect(bill["billingProviderNpi"] as? String == "1234567893")
            #expect(bill["currency"] as? String == "USD")
            // one currency per clinic: the superbill and the charge settings follow the clinic's setting
            _ = try await world.clinic.saveSelfPaySettings(currency: "CAD", disputeThreshold: "400.00", providerName: "", providerNPI: "", providerTIN: "",
                                                           providerAddress: "", by: world.actor(.admin))
            #expect(try await client.api(.get, "/api/v1/patients/\(patientID)/superbill?from=\(date)&to=\(date)", token: billing).json()["currency"] as? String == "CAD")
            #expect(try await client.api(.get, "/api/v1/billing/charge-settings", token: billing).json()["currency"] as? String == "CAD")
            // front desk: refused everywhere
            let frontDesk = try await world.token(.frontDesk)
            #expect(try await client.api(.get, "/api/v1/charges?from=\(today)&to=\(today)", token: frontDesk).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/patients/\(patientID)/superbill?from=\(date)&to=\(date)", token: frontDesk).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/billing/charge-settings", token: frontDesk).status == .forbidden)
            // a bad date names its field
            let badDate = try await client.api(.get, "/api/v1/charges?from=yesterday&to=\(today)", token: billing)
            #expect(badDate.status == .badRequest || badDate.status == .unprocessableContent)
        }
    }

    @Test func aSelfPayPatientsStatementThroughTheAPI() async throws {
        try await TestWorld.with { world, client in
            _ = try await world.priceList()
            let (token, sid) = try await world.checkedInSession(client)
            let patient = try await world.clinic.session(InfusionSession.ID(UUID(uuidString: sid)!), by: world.actor(.nurse)).session.patientID
            let item = try #require(try await world.clinic.priceList(by: world.actor(.billing)).list.offered.first { $0.kind == .infusion })
            _ = try await world.clinic.issueEstimate(for: patient, GoodFaithEstimateForm(lines: [.init(itemID: item.id, quantity: "6")], serviceFrom: world.clinic.today.description,
                                                                                         serviceTo: world.clinic.today.adding(days: 21).description), by: world.actor(.billing))
            try await world.runToDischarge(client, token: token, sessionID: sid, before: 40)
            let today = world.clinic.today
            let uri = "/api/v1/patients/\(patient.rawValue.uuidString)/statement?from=\(today.adding(days: -30))&to=\(today)"
            #expect(try await client.api(.get, uri, token: try await world.token(.nurse)).status == .forbidden)
            let statement = try await client.api(.get, uri, token: try await world.token(.frontDesk)).json()
            #expect(statement["openingBalanceCents"] as? Int == 0)
            #expect((statement["lines"] as? [[String: Any]])?.map { $0["amountCents"] as? Int } == [45_000])
            #expect(statement["closingBalanceCents"] as? Int == 45_000 && statement["dueNowCents"] as? Int == 45_000)
            #expect(statement["currency"] as? String == "USD")
        }
    }
}
