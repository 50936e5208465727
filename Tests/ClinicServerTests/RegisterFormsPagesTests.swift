import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Destructions with two witnesses (DEA Form 41 fields) and thefts or losses (DEA Form 106 fields) through the real
/// pages (clinical-reference §9; issue 6).
@Suite struct RegisterFormsPagesTests {
    @Test func aPhysicianDestroysAVialWithASecondWitnessAndRecordsALossWithItsNotificationDate() async throws {
        try await TestWorld.with { world, client in
            let n = try await world.browser(.nurse)
            #expect(try await client.page(.post, "/register/receipts", cookie: n.cookie, form: world.receiptForm(n.csrf, quantity: 2)).status == .ok)
            let vials = try await world.clinic.registerOverview(by: world.actor(.nurse)).vials
            let (first, second) = (vials[0].id.rawValue.uuidString, vials[1].id.rawValue.uuidString)
            // a nurse may not record a destruction (admin or physician decide), and the refusal is audited
            let refused = try await client.page(.post, "/register/destructions", cookie: n.cookie, form: [
                "csrf": n.csrf, "vial.\(first)": "true", "method": "digestion", "reason": "expired",
                "witnessEmail": TestWorld.email(.physician), "witnessPassword": TestWorld.password])
            #expect(refused.status == .forbidden)
            // the physician cannot witness their own destruction; missing fields are named
            let p = try await world.browser(.physician)
            let selfWitnessed = try await client.page(.post, "/register/destructions", cookie: p.cookie, form: [
                "csrf": p.csrf, "vial.\(first)": "true", "method": "Chemical digestion system", "reason": "Past its beyond-use date",
                "witnessEmail": TestWorld.email(.physician), "witnessPassword": TestWorld.password])
            #expect(selfWitnessed.status == .unprocessableContent && selfWitnessed.text.contains("never the person recording"))
            let missing = try await client.page(.post, "/register/destructions", cookie: p.cookie, form: ["csrf": p.csrf, "method": "", "reason": ""])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains("Choose the vials destroyed") && missing.text.contains("Say how the drug was destroyed"))
            // with the nurse as second witness, the vial is destroyed and the record names both
            let destroyed = try await client.page(.post, "/register/destructions", cookie: p.cookie, form: [
                "csrf": p.csrf, "vial.\(first)": "true", "vial.\(second)": "false", "method": "Chemical digestion system", "reason": "Past its beyond-use date",
                "witnessEmail": TestWorld.email(.nurse), "witnessPassword": TestWorld.password])
            #expect(destroyed.status == .ok)
            #expect(destroyed.text.contains("Destruction of 1 vial(s) recorded, witnessed by Test Physician and Test Nurse."))
            #expect(destroyed.text.contains("Chemical digestion system") && destroyed.text.contains("500 mg"))
            let (destroyedVial, lines) = try await world.clinic.vial(vials[0].id, by: world.actor(.nurse))
            #expect(destroyedVial.status == .destroyed && destroyedVial.remaining == .zero)
            #expect(lines.contains { $0.kind == .destroyed && $0.witnesses.count == 2 })
            // a loss: police ticked without a report number is refused; then recorded with the DEA notification date
            var loss = ["csrf": p.csrf, "vial.\(second)": "true", "kind": "theft", "discoveredOn": world.clinic.today.description,
                        "circumstances": "Vial missing from the locked cabinet at the opening count", "policeNotified": "true", "policeReport": ""]
            let noReport = try await client.page(.post, "/register/losses", cookie: p.cookie, form: loss)
            #expect(noReport.status == .unprocessableContent && noReport.text.contains("Give the police report number"))
            loss["policeReport"] = "PD-2026-991"
            let lost = try await client.page(.post, "/register/losses", cookie: p.cookie, form: loss)
            #expect(lost.status == .ok)
            #expect(lost.text.contains("The theft is recorded: notify the DEA (Form 106) by"))
            #expect(lost.text.contains("notified, report PD-2026-991"))
            // billing reads the records and sees no forms
            let b = try await world.browser(.billing)
            let read = try await client.page(.get, "/register/forms", cookie: b.cookie)
            #expect(read.status == .ok && read.text.contains("Chemical digestion system") && !read.text.contains("Record a destruction"))
            // the front desk never sees them
            #expect(try await client.page(.get, "/register/forms", cookie: try await world.browser(.frontDesk).cookie).status == .forbidden)
        }
    }

    @Test func destructionsAndLossesThroughTheAPI() async throws {
        try await TestWorld.with { world, client in
            let nurse = try await world.token(.nurse), physician = try await world.token(.physician)
            let receipt = #"{"ndc":"0409-2051-05","lot":"API-2","expiry":"2099-12-31","strengthMgPerMl":50,"microlitresPerVial":10000,"quantity":2,"multiDose":true,"supplier":"Demo Wholesale","invoice":"INV-9"}"#
            let vials = try await client.api(.post, "/api/v1/register/receipts", token: nurse, json: receipt).jsonArray().compactMap { $0["id"] as? String }
            #expect(vials.count == 2)
            let body = #"{"vialIds":["\#(vials[0])"],"method":"Chemical digestion","reason":"Expired","witness":{"email":"\#(TestWorld.email(.nurse))","password":"\#(TestWorld.password)"}}"#
            #expect(try await client.api(.post, "/api/v1/register/destructions", token: nurse, json: body).status == .forbidden)
            let d = try await client.api(.post, "/api/v1/register/destructions", token: physician, json: body)
            #expect(d.status == .created)
            #expect((try d.json()["items"] as? [[String: Any]])?.first?["micrograms"] as? Int == 500_000)
            #expect(try d.json()["witnesses"] as? [String] == ["Test Physician", "Test Nurse"])
            let bad = try await client.api(.post, "/api/v1/register/losses", token: physician,
                                           json: #"{"vialIds":["\#(vials[1])"],"kind":"loss","discoveredOn":"2999-01-01","circumstances":" "}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(Set(((try bad.json()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }) == ["discoveredOn", "circumstances"])
            let l = try await client.api(.post, "/api/v1/register/losses", token: physician,
                                         json: #"{"vialIds":["\#(vials[1])"],"kind":"loss","discoveredOn":"\#(world.clinic.today)","circumstances":"Dropped and broken, not recovered"}"#)
            #expect(l.status == .created)
            #expect(try l.json()["notifyBy"] as? String != nil)
            let forms = try await client.api(.get, "/api/v1/register/forms", token: try await world.token(.billing)).json()
            #expect((forms["destructions"] as? [Any])?.count == 1 && (forms["losses"] as? [Any])?.count == 1)
        }
    }
}
