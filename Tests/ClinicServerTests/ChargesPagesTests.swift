import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

extension TestWorld {
    /// A checked-in session run through the API to discharge: `before` minutes, a pause of `paused` minutes, `after`
    /// minutes more, then recovery and discharge with the escort. Returns the nurse's token and the session id.
    func dischargedSession(_ client: any TestClientProtocol, before: Int, paused: Int = 0, after: Int = 0) async throws -> (token: String, sessionID: String) {
        let (token, sid) = try await checkedInSession(client)
        try await runToDischarge(client, token: token, sessionID: sid, before: before, paused: paused, after: after)
        return (token, sid)
    }

    /// Runs a checked-in session through the API to discharge (see `dischargedSession`).
    func runToDischarge(_ client: any TestClientProtocol, token: String, sessionID sid: String, before: Int, paused: Int = 0, after: Int = 0) async throws {
        let uri = "/api/v1/sessions/\(sid)"
        #expect(try await client.api(.post, uri + "/checklist", token: token, json: checklistJSON(now: clock.now)).status == .ok)
        #expect(try await client.api(.post, uri + "/start", token: token, json: "{}").status == .ok)
        clock.advance(by: TimeInterval(before * 60))
        if paused > 0 || after > 0 {
            #expect(try await client.api(.post, uri + "/steps", token: token, json: #"{"kind":"pause","reason":"Nausea"}"#).status == .ok)
            clock.advance(by: TimeInterval(paused * 60))
            #expect(try await client.api(.post, uri + "/steps", token: token, json: #"{"kind":"resume"}"#).status == .ok)
            clock.advance(by: TimeInterval(after * 60))
        }
        #expect(try await client.api(.post, uri + "/steps", token: token, json: #"{"kind":"complete"}"#).status == .ok)
        #expect(try await client.api(.post, uri + "/steps", token: token, json: #"{"kind":"aldrete","scores":[2,2,2],\#(recoveryVitals)}"#).status == .ok)
        #expect(try await client.api(.post, uri + "/steps", token: token, json: #"{"kind":"leaveChair"}"#).status == .ok)
        #expect(try await client.api(.post, uri + "/steps", token: token, json: #"{"kind":"padss","scores":[2,2,2,2],\#(recoveryVitals)}"#).status == .ok)
        let home = try await client.api(.post, uri + "/steps", token: token, json: #"{"kind":"discharge","escortName":"Paul Able","whoToCall":"Clinic 555 0100"}"#)
        #expect(home.status == .ok)
    }

    /// Billing sets the fees ($450 first hour, $125 each additional hour, $2.50 per mg) and the physician's NPI.
    func setFees(_ client: any TestClientProtocol) async throws {
        let b = try await browser(.billing)
        let saved = try await client.page(.post, "/billing/settings", cookie: b.cookie, form: [
            "csrf": b.csrf, "initialHourCode": "96365", "additionalHourCode": "96366", "drugCode": "J3490", "initialHourMoreThanMinutes": "15",
            "partialHourRule": "moreThanHalf", "excludePauses": "true", "placeOfService": "11", "feeInitialHour": "450.00",
            "feeAdditionalHour": "125", "feeDrugPerMg": "2.50", "billingProviderName": "DeepRelief Pain Clinic",
            "billingProviderAddress": "1 Main St, Springfield", "billingProviderNPI": "1234567893", "taxID": "12-3456789",
            "npi.\(accounts[.physician]!.id.rawValue.uuidString)": "1245319599",
        ])
        #expect(saved.status == .ok)
        #expect(saved.text.contains("Charge settings saved."))
    }
}

/// Charges generated from the session's record, the superbill and corrections by amendment, through the real pages
/// (issue 6 §2–3; clinical-reference §8: 96365/96366, J3490 with the NDC).
@Suite struct ChargesPagesTests {
    @Test func aDischargedInfusionGetsItsChargeLinesAndASuperbillWithoutAnyoneTypingACode() async throws {
        try await TestWorld.with { world, client in
            try await world.setFees(client)
            // 50 min, a 10-minute pause, 45 min more: 95 min running with pauses left out → 96365 × 1 and 96366 × 1
            // (35 min beyond the first hour is more than 30); 52.5 mg/h × 95 min = 83.125 mg given.
            let (_, sid) = try await world.dischargedSession(client, before: 50, paused: 10, after: 45)
            let b = try await world.browser(.billing)
            let page = try await client.page(.get, "/sessions/\(sid)/charges", cookie: b.cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("95 min 0 s (pauses excluded)"))
            #expect(page.text.contains("<td>96365</td>") && page.text.contains("<td>96366</td>") && page.text.contains("<td>J3490</td>"))
            #expect(page.text.contains("83.125 mg"))
            // $450 + $125 + 83.125 mg × $2.50 = $207.8125 → $207.81: $782.81
            #expect(page.text.contains(#"id="charges-total">782.81<"#))
            // the superbill for the session's date prints the lines, the diagnosis pointer and the NPIs
            let redirect = try await client.page(.get, "/sessions/\(sid)/superbill", cookie: b.cookie)
            #expect(redirect.status == .seeOther)
            let location = try #require(redirect.headers[.location])
            let bill = try await client.page(.get, location, cookie: b.cookie)
            #expect(bill.status == .ok)
            #expect(bill.text.contains("DeepRelief Pain Clinic") && bill.text.contains("NPI 1234567893") && bill.text.contains("(NPI 1245319599)"))
            #expect(bill.text.contains(#"id="superbill-total">782.81<"#))
            #expect(bill.text.contains("<strong>A</strong> G90.511"))
            // the print button works under the Content-Security-Policy (no inline handler)
            #expect(bill.text.contains("data-print") && !bill.text.contains("onclick"))
            let csv = try await client.page(.get, location + "&format=csv", cookie: b.cookie)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.split(separator: "\r\n").count == 4)
            #expect(csv.text.contains("J3490,\"Ketamine hydrochloride (unclassified drug), 83.125 mg\",1,,,A,11"))
            // the work list shows it
            let list = try await client.page(.get, "/billing", cookie: b.cookie)
            #expect(list.text.contains("96365 × 1, 96366 × 1, J3490 × 1") && list.text.contains("782.81"))
            // capture and every read are on the audit trail
            let audit = try await world.audit(resource: sid)
            #expect(audit.contains { $0.event.detail == "charges:captured" && $0.event.outcome == .success })
            #expect(audit.contains { $0.event.resourceType == ResourceKind.charges.rawValue && $0.event.action == "read" && $0.event.actorRole == Role.billing.rawValue })
        }
    }

    @Test func aRunningTimeCorrectionIsAnAmendmentThatAddsAdjustmentLinesAndRewritesNothing() async throws {
        try await TestWorld.with { world, client in
            try await world.setFees(client)
            let (_, sid) = try await world.dischargedSession(client, before: 95)
            let n = try await world.browser(.nurse)
            let uri = "/sessions/\(sid)/charges/correction"
            // bad input names the field and changes nothing
            let bad = try await client.page(.post, uri, cookie: n.cookie, form: ["csrf": n.csrf, "runningMinutes": "abc", "reason": ""])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("Give whole minutes from 0 to 1440") && bad.text.contains("Required: why the recorded running time was wrong"))
            // billing cannot amend a clinical record
            let b = try await world.browser(.billing)
            #expect(try await client.page(.post, uri, cookie: b.cookie, form: ["csrf": b.csrf, "runningMinutes": "60", "reason": "x"]).status == .forbidden)
            // the nurse corrects 95 → 60 min: the additional hour is taken back by an adjustment line with the reason
            let ok = try await client.page(.post, uri, cookie: n.cookie, form: ["csrf": n.csrf, "runningMinutes": "60", "reason": "Pump log shows the stop at 60 min"])
            #expect(ok.status == .seeOther)
            let charges = try #require(try await world.clinic.sessionCharges(InfusionSession.ID(UUID(uuidString: sid)!), by: world.actor(.billing)))
            #expect(charges.lines.filter { $0.kind == .original }.map(\.code) == ["96365", "96366", "J3490"])
            let adjustments = charges.lines.filter { $0.kind == .adjustment }
            #expect(adjustments.map(\.code) == ["96366"])
            #expect(adjustments.first?.units == -1 && adjustments.first?.amountCents == -12_500)
            #expect(adjustments.first?.reason == "Pump log shows the stop at 60 min")
            #expect(charges.netUnits.map(\.units) == [1, 0, 1])
            // the session carries the amendment
            let session = try await world.clinic.session(InfusionSession.ID(UUID(uuidString: sid)!), by: world.actor(.nurse))
            #expect(session.session.amendments.last?.text == "Running time corrected from 95 to 60 min: Pump log shows the stop at 60 min")
            // and shows it on its screen, with who amended it
            #expect(try await client.page(.get, "/sessions/\(sid)", cookie: n.cookie).text.contains("Amendment by Test Nurse: Running time corrected from 95 to 60 min"))
            #expect(try await client.page(.get, "/sessions/\(sid)/charges", cookie: b.cookie).text.contains("adjustment"))
        }
    }

    @Test func theNurseAndTheFrontDeskNeverSeeChargesAndAnUndischargedSessionHasNone() async throws {
        try await TestWorld.with { world, client in
            let (_, sid) = try await world.checkedInSession(client)
            let b = try await world.browser(.billing)
            #expect(try await client.page(.get, "/sessions/\(sid)/charges", cookie: b.cookie).text.contains("This session has no charges"))
            for role in [Role.nurse, .frontDesk] {
                let c = try await world.browser(role)
                #expect(try await client.page(.get, "/billing", cookie: c.cookie).status == .forbidden)
                #expect(try await client.page(.get, "/sessions/\(sid)/charges", cookie: c.cookie).status == .forbidden)
                #expect(try await client.page(.get, "/billing/settings", cookie: c.cookie).status == .forbidden)
            }
            let refusals = try await world.audit(resource: sid).filter { $0.event.outcome == .denied }
            #expect(refusals.contains { $0.event.actorRole == Role.nurse.rawValue } && refusals.contains { $0.event.actorRole == Role.frontDesk.rawValue })
        }
    }

    @Test func chargeSettingsWithBadFieldsShowEachErrorAndSaveNothing() async throws {
        try await TestWorld.with { world, client in
            let b = try await world.browser(.billing)
            let bad = try await client.page(.post, "/billing/settings", cookie: b.cookie, form: [
                "csrf": b.csrf, "initialHourCode": "9636", "additionalHourCode": "96366", "drugCode": "J3490", "initialHourMoreThanMinutes": "90",
                "partialHourRule": "moreThanHalf", "placeOfService": "1", "feeInitialHour": "4.505", "feeAdditionalHour": "125",
                "feeDrugPerMg": "2.50", "billingProviderNPI": "1234567890", "taxID": "12-34",
            ])
            #expect(bad.status == .unprocessableContent)
            for message in ["Must be a 5-character CPT or HCPCS code", "Give whole minutes from 0 to 59", "Must be a two-digit place-of-service code",
                            "Give an amount such as 450.00", "Must be a 10-digit NPI with a valid check digit", "Must be a 9-digit EIN"] {
                #expect(bad.text.contains(message), "\(message)")
            }
            #expect(try await world.clinic.chargeSettings() == .standard)
        }
    }

    @Test func aSelfPayPatientsSessionGoesOnTheirAccountOnceAtTheSelfPayPriceAndAnInsuredPatientsDoesNot() async throws {
        try await TestWorld.with { world, client in
            try await world.setFees(client)
            _ = try await world.priceList()
            // a self-pay patient: a good-faith estimate on file and no coverage
            let (token, sid) = try await world.checkedInSession(client)
            let patient = try await world.clinic.session(InfusionSession.ID(UUID(uuidString: sid)!), by: world.actor(.nurse)).session.patientID
            let item = try #require(try await world.clinic.priceList(by: world.actor(.billing)).list.offered.first { $0.kind == .infusion })
            _ = try await world.clinic.issueEstimate(for: patient, GoodFaithEstimateForm(lines: [.init(itemID: item.id, quantity: "6")],
                                                                                         serviceFrom: world.clinic.today.description,
                                                                                         serviceTo: world.clinic.today.adding(days: 21).description),
                                                     by: world.actor(.billing))
            try await world.runToDischarge(client, token: token, sessionID: sid, before: 40)
            let account = try await world.clinic.patientAccount(patient, by: world.actor(.billing))
            let charges = account.lines.filter { $0.entry.kind == .charge }
            #expect(charges.count == 1)
            #expect(charges.first?.entry.amount == Money(cents: 45_000))
            #expect(charges.first?.entry.source == "session:\(sid)")
            // the insurance charges of the same session are unchanged: the superbill still shows the fee schedule
            let c = try #require(try await world.clinic.sessionCharges(InfusionSession.ID(UUID(uuidString: sid)!), by: world.actor(.billing)))
            #expect(c.lines.map(\.code) == ["96365", "J3490"])
            // a patient with an estimate but insurance in effect on the service date is billed to the payer, not the account
            let (token2, sid2) = try await world.checkedInSession(client)
            let insured = try await world.clinic.session(InfusionSession.ID(UUID(uuidString: sid2)!), by: world.actor(.nurse)).session.patientID
            _ = try await world.clinic.issueEstimate(for: insured, GoodFaithEstimateForm(lines: [.init(itemID: item.id, quantity: "6")],
                                                                                         serviceFrom: world.clinic.today.description,
                                                                                         serviceTo: world.clinic.today.adding(days: 21).description),
                                                     by: world.actor(.billing))
            let payer = try await world.clinic.addPayer(name: "Acme Health", electronicID: "", phone: "", plans: "", by: world.actor(.billing))
            _ = try await world.clinic.addCoverage(for: insured, ["payerID": payer.id.uuidString, "memberID": "M1", "relationship": "self",
                                                                  "effectiveFrom": world.clinic.today.adding(days: -30).description, "priority": "1"], by: world.actor(.billing))
            try await world.runToDischarge(client, token: token2, sessionID: sid2, before: 40)
            #expect(try await world.clinic.patientAccount(insured, by: world.actor(.billing)).lines.filter { $0.entry.kind == .charge }.isEmpty)
        }
    }
}
