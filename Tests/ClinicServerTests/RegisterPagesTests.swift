import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

extension TestWorld {
    /// A receipt form of `quantity` multi-dose 10 mL vials of ketamine 50 mg/mL (500 mg each), in date for a year.
    func receiptForm(_ csrf: String, lot: String = "L-100", quantity: Int = 2) -> [String: String] {
        ["csrf": csrf, "ndc": "0409-2051-05", "lot": lot, "expiry": clinic.today.adding(days: 365).description, "strengthMgPerMl": "50",
         "volumeMl": "10", "quantity": "\(quantity)", "multiDose": "true", "supplier": "Demo Wholesale", "invoice": "INV-\(lot)"]
    }
}

/// The controlled-substance register through the real pages (clinical-reference §9; issue 6).
@Suite struct RegisterPagesTests {
    @Test func aNurseDrawsFromARegisterVialAndWastesWhatWasNotGivenWithASecondClinicianAsWitness() async throws {
        try await TestWorld.with { world, client in
            // given stock received by a nurse on the register page
            var n = try await world.browser(.nurse)
            let received = try await client.page(.post, "/register/receipts", cookie: n.cookie, form: world.receiptForm(n.csrf))
            #expect(received.status == .ok)
            #expect(received.text.contains("Received 2 vial(s)"))
            let vial = try #require(try await world.clinic.registerOverview(by: world.actor(.nurse)).vials.first)
            // and a checked-in session
            let (token, sid) = try await world.checkedInSession(client)
            let uri = "/sessions/\(sid)"
            #expect(try await client.page(.get, uri, cookie: n.cookie).text.contains("Register vial"))
            // when the preparation names no vial while the register holds drawable stock, it is refused
            var preparation = ["csrf": n.csrf, "vialStrength": "50", "volumeDrawn": "2", "diluent": "98", "finalVolume": ""]
            let noVial = try await client.page(.post, uri + "/preparation", cookie: n.cookie, form: preparation)
            #expect(noVial.status == .unprocessableContent)
            #expect(noVial.text.contains("Choose the register vial"))
            // and with the vial, 2 mL (100 mg) are drawn from it in the same commit as the preparation
            preparation["vialID"] = vial.id.rawValue.uuidString
            #expect(try await client.page(.post, uri + "/preparation", cookie: n.cookie, form: preparation).status == .seeOther)
            let (drawnVial, lines) = try await world.clinic.vial(vial.id, by: world.actor(.nurse))
            #expect(drawnVial.remaining == FluidVolume(microlitres: 8_000))
            #expect(drawnVial.status == .open)
            #expect(Set(lines.map(\.kind)) == [.received, .drawn])
            // the infusion runs 40 min at the ordered 52.5 mg/h: 35 mg given (clinical-reference §4)
            let api = "/api/v1/sessions/\(sid)"
            #expect(try await client.api(.post, api + "/checklist", token: token, json: checklistJSON(now: world.clock.now)).status == .ok)
            #expect(try await client.api(.post, api + "/start", token: token, json: "{}").status == .ok)
            world.clock.advance(by: 40 * 60)
            #expect(try await client.api(.post, api + "/steps", token: token, json: #"{"kind":"complete"}"#).status == .ok)
            n = try await world.browser(.nurse)
            let screen = try await client.page(.get, uri, cookie: n.cookie).text
            #expect(screen.contains("Drawn 100 mg, given 35 mg — waste 65 mg with a witness"))
            // then the nurse cannot witness her own waste (clinical-reference §9: witness ≠ actor)
            var waste = ["csrf": n.csrf, "wastedMg": "65", "reason": "remainder", "witnessEmail": TestWorld.email(.nurse), "witnessPassword": TestWorld.password]
            let selfWitnessed = try await client.page(.post, uri + "/waste", cookie: n.cookie, form: waste)
            #expect(selfWitnessed.status == .unprocessableContent)
            #expect(selfWitnessed.text.contains("second clinician"))
            // nor with a wrong password
            waste["witnessEmail"] = TestWorld.email(.physician)
            waste["witnessPassword"] = "wrong"
            #expect(try await client.page(.post, uri + "/waste", cookie: n.cookie, form: waste).status == .unprocessableContent)
            // a physician witnesses it: drawn = given + wasted, the account is settled
            waste["witnessPassword"] = TestWorld.password
            #expect(try await client.page(.post, uri + "/waste", cookie: n.cookie, form: waste).status == .seeOther)
            let account = try #require(try await world.clinic.sessionDrugAccount(InfusionSession.ID(UUID(uuidString: sid)!), by: world.actor(.nurse)))
            #expect(account.isSettled)
            #expect(account.administered == DrugAmount(micrograms: 35_000) && account.wasted == DrugAmount(micrograms: 65_000))
            #expect(account.wastes.first?.witness.name == "Test Physician")
            #expect(try await client.page(.get, uri, cookie: n.cookie).text.contains("settled"))
            // the vial page lists its lines and the register shows what is left: 10 + 8 mL
            let vialPage = try await client.page(.get, "/register/vials/\(vial.id.rawValue.uuidString)", cookie: n.cookie).text
            #expect(vialPage.contains("drawn") && vialPage.contains("8 mL"))
            #expect(try await client.page(.get, "/register", cookie: n.cookie).text.contains("18 mL (900 mg)"))
        }
    }

    @Test func billingReadsTheRegisterButChangesNothingAndTheFrontDeskIsRefused() async throws {
        try await TestWorld.with { world, client in
            let billing = try await world.browser(.billing)
            #expect(try await client.page(.get, "/register", cookie: billing.cookie).status == .ok)
            #expect(try await client.page(.get, "/register/log", cookie: billing.cookie).status == .ok)
            #expect(try await client.page(.post, "/register/receipts", cookie: billing.cookie, form: world.receiptForm(billing.csrf)).status == .forbidden)
            let desk = try await world.browser(.frontDesk)
            #expect(try await client.page(.get, "/register", cookie: desk.cookie).status == .forbidden)
            // both refusals are on the audit trail
            let denied = try await world.clinic.store.read { try await $0.auditEntries(AuditQuery(resourceType: "controlledSubstances")) }
                .filter { $0.event.outcome == .denied }
            #expect(Set(denied.map(\.event.actorRole)) == ["billing", "frontDesk"])
        }
    }

    @Test func theAdministratorSetsTheRegistrantAndTheToleranceAndANurseMayNot() async throws {
        try await TestWorld.with { world, client in
            let a = try await world.browser(.admin)
            var form = ["csrf": a.csrf, "settings.toleranceMl": "0.2", "settings.beyondUseDays": "28", "settings.lossNotificationBusinessDays": "1",
                        "settings.registrantName": "Example Pain Clinic", "settings.deaRegistrationNumber": "AB123456X"]
            let bad = try await client.page(.post, "/register/settings", cookie: a.cookie, form: form)
            #expect(bad.status == .unprocessableContent && bad.text.contains("two letters and seven digits"))
            form["settings.deaRegistrationNumber"] = "ab1234563"
            #expect(try await client.page(.post, "/register/settings", cookie: a.cookie, form: form).status == .ok)
            let s = try await world.clinic.registerSettings()
            #expect(s.countToleranceMicrolitres == 200 && s.registrantName == "Example Pain Clinic" && s.deaRegistrationNumber == "AB1234563")
            let n = try await world.browser(.nurse)
            #expect(try await client.page(.post, "/register/settings", cookie: n.cookie, form: form.merging(["csrf": n.csrf]) { _, b in b }).status == .forbidden)
            #expect(!(try await client.page(.get, "/register", cookie: n.cookie).text.contains("register-settings")))
        }
    }

    @Test func aReceiptWithBadFieldsShowsEachErrorAndRecordsNothing() async throws {
        try await TestWorld.with { world, client in
            let n = try await world.browser(.nurse)
            var form = world.receiptForm(n.csrf)
            form["ndc"] = "12-34"
            form["expiry"] = world.clinic.today.adding(days: -1).description
            form["quantity"] = "0"
            let r = try await client.page(.post, "/register/receipts", cookie: n.cookie, form: form)
            #expect(r.status == .unprocessableContent)
            #expect(r.text.contains("Give the NDC") && r.text.contains("already expired") && r.text.contains("number of vials"))
            #expect(try await world.clinic.registerOverview(by: world.actor(.nurse)).vials.isEmpty)
        }
    }

    @Test func aCountThatDisagreesBlocksDrawsUntilASecondPersonResolvesIt() async throws {
        try await TestWorld.with { world, client in
            // given three sealed vials by the register
            let n = try await world.browser(.nurse)
            #expect(try await client.page(.post, "/register/receipts", cookie: n.cookie, form: world.receiptForm(n.csrf, quantity: 3)).status == .ok)
            let stock = "00409205105|L-100"
            #expect(try await client.page(.get, "/register/count", cookie: n.cookie).text.contains("sealed[\(stock)]"))
            // when the nurse counts three, the reconciliation agrees
            let agreed = try await client.page(.post, "/register/count", cookie: n.cookie, form: ["csrf": n.csrf, "purpose": "daily", "timeOfDay": "closeOfBusiness", "sealed[\(stock)]": "3"])
            #expect(agreed.status == .seeOther)
            #expect(try await client.page(.get, agreed.headers[.location]!, cookie: n.cookie).text.contains("badge ok\">match"))
            // when she counts two, it is a discrepancy that blocks draws from that stock
            let short = try await client.page(.post, "/register/count", cookie: n.cookie, form: ["csrf": n.csrf, "purpose": "daily", "timeOfDay": "closeOfBusiness", "sealed[\(stock)]": "2"])
            let result = try await client.page(.get, short.headers[.location]!, cookie: n.cookie).text
            #expect(result.contains("discrepancy"))
            let csv = try await client.page(.get, short.headers[.location]! + "?format=csv", cookie: n.cookie)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && csv.text.contains(",3,2,discrepancy"))
            #expect(try await client.page(.get, "/register", cookie: n.cookie).text.contains("draws blocked"))
            let (sessionRecord, _, _) = try await world.checkedInAtChair()
            let (drawable, refused) = try await world.clinic.drawableVials(for: sessionRecord.id, by: world.actor(.nurse))
            #expect(drawable.isEmpty)
            #expect(refused.allSatisfy { $0.1.contains("blocked until a second person resolves") })
            // the nurse may not resolve it; the physician (a second person) does, with a reason
            let discrepancy = try #require(try await world.clinic.stockDiscrepancies(by: world.actor(.physician)).first)
            let path = "/register/discrepancies/\(discrepancy.id.rawValue.uuidString)/resolve"
            #expect(try await client.page(.post, path, cookie: n.cookie, form: ["csrf": n.csrf, "resolution": "found it"]).status == .forbidden)
            let p = try await world.browser(.physician)
            let noReason = try await client.page(.post, path, cookie: p.cookie, form: ["csrf": p.csrf, "resolution": " "])
            #expect(noReason.status == .unprocessableContent)
            let resolved = try await client.page(.post, path, cookie: p.cookie, form: ["csrf": p.csrf, "resolution": "Third vial found in the locked fridge", "acceptCount": "false"])
            #expect(resolved.status == .ok && resolved.text.contains("Discrepancy resolved"))
            #expect(try await world.clinic.drawableVials(for: sessionRecord.id, by: world.actor(.nurse)).drawable.count == 3)
            // and the dispensing log has every line, as a page and as CSV
            let log = try await client.page(.get, "/register/log?format=csv", cookie: p.cookie).text
            #expect(log.contains("received") && log.contains("count discrepancy") && log.contains("discrepancy resolved"))
        }
    }
}
