import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

extension TestWorld {
    /// The admin prices the standard induction ($450.00 an infusion, CPT 96365) and a consultation ($250.00).
    func priceList() async throws -> (infusion: String, consult: String) {
        let list = try await clinic.savePriceList([
            PriceItemForm(kind: .infusion, protocolID: InfusionProtocol.StandardID.standardInduction, name: "Standard induction — one infusion", code: "96365", price: "450"),
            PriceItemForm(kind: .addOn, name: "Initial consultation", code: "99204", price: "250.00"),
        ], by: actor(.admin))
        return (list.items.first { $0.kind == .infusion }!.id, list.items.first { $0.kind == .addOn }!.id)
    }
}

/// Self-pay through the JSON API (issue 6): roles, a good-faith estimate and a 6-instalment plan that adds up to it to
/// the cent, payments applied oldest first, charges that differ and the regenerated schedule, every access audited.
@Suite struct SelfPayAPITests {
    @Test func rolesFollowTheAccessTableAndEveryAccessIsAudited() async throws {
        try await TestWorld.with { world, client in
            _ = try await world.priceList()
            let p = try await world.patient().id.rawValue.uuidString
            #expect(try await client.api(.get, "/api/v1/billing/prices").status == .unauthorized)
            #expect(try await client.api(.get, "/api/v1/billing/prices", token: try await world.token(.nurse)).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/billing/prices", token: try await world.token(.frontDesk)).status == .ok)
            let put = #"{"items":[{"kind":"addOn","name":"Follow-up visit","code":"99213","unitPriceCents":12000}]}"#
            #expect(try await client.api(.put, "/api/v1/billing/prices", token: try await world.token(.billing), json: put).status == .forbidden)
            let saved = try await client.api(.put, "/api/v1/billing/prices", token: try await world.token(.admin), json: put)
            #expect(saved.status == .ok)
            // items left out stay on the list, retired
            let items = (try saved.json()["items"] as? [[String: Any]]) ?? []
            #expect(items.count == 3 && items.filter { $0["active"] as? Bool == true }.count == 1)
            // the account: billing, front desk and admin read it; physicians and nurses never
            for role in [Role.nurse, .physician] {
                #expect(try await client.api(.get, "/api/v1/patients/\(p)/account", token: try await world.token(role)).status == .forbidden)
            }
            for role in [Role.billing, .frontDesk, .admin] {
                #expect(try await client.api(.get, "/api/v1/patients/\(p)/account", token: try await world.token(role)).status == .ok)
            }
            // the front desk takes payments but never refunds or writes off
            let refund = #"{"kind":"refund","amountCents":100,"method":"card","reason":"test"}"#
            #expect(try await client.api(.post, "/api/v1/patients/\(p)/ledger", token: try await world.token(.frontDesk), json: refund).status == .forbidden)
            let audit = try await world.audit(resource: p)
            #expect(audit.filter { $0.event.resourceType == "patientAccount" && $0.event.outcome == .denied }.map(\.event.actorRole).sorted()
                    == ["frontDesk", "nurse", "physician"])
            #expect(audit.filter { $0.event.resourceType == "patientAccount" && $0.event.outcome == .success && $0.event.action == "read" }.count == 3)
        }
    }

    @Test func aSelfPayPatientGetsAnEstimateAndASixInstalmentPlanThatAddsUpToItToTheCent() async throws {
        try await TestWorld.with { world, client in
            let (infusion, consult) = try await world.priceList()
            let patient = try await world.patient()
            let p = patient.id.rawValue.uuidString
            let desk = try await world.token(.frontDesk)
            let from = world.clinic.today.adding(days: 7)
            // a good-faith estimate: 6 infusions and a consultation (No Surprises Act items, codes, quantities and total)
            let estimate = try await client.api(.post, "/api/v1/patients/\(p)/estimates", token: desk, json: """
                {"items":[{"itemId":"\(infusion)","quantity":6},{"itemId":"\(consult)","quantity":1}],"serviceFrom":"\(from)","serviceTo":"\(from.adding(days: 14))"}
                """)
            #expect(estimate.status == .created)
            let e = try estimate.json()
            #expect(e["totalCents"] as? Int == 295_000 && e["disputeThresholdCents"] as? Int == 40_000)
            #expect((e["lines"] as? [[String: Any]])?.map { $0["code"] as? String } == ["96365", "99204"])
            #expect(((e["disclaimers"] as? [String]) ?? []).contains { $0.contains("$400.00 more than this good-faith estimate") })
            // the front desk may not read diagnosis codes, so none are copied from the chart
            #expect((e["diagnosisCodes"] as? [String]) == [])
            let eid = try #require(e["id"] as? String)
            #expect(try await client.api(.get, "/api/v1/estimates/\(eid)", token: try await world.token(.billing)).status == .ok)
            #expect(try await client.api(.get, "/api/v1/estimates/\(eid)", token: try await world.token(.nurse)).status == .forbidden)
            // a 6-instalment monthly plan over it: 4 × 491.67 + 2 × 491.66 = 2,950.00
            let created = try await client.api(.post, "/api/v1/patients/\(p)/payment-plans", token: desk, json: """
                {"estimateId":"\(eid)","instalments":6,"frequency":"monthly","firstDueDate":"\(world.clinic.today)"}
                """)
            #expect(created.status == .created)
            let plan = try created.json()
            let instalments = (plan["instalments"] as? [[String: Any]]) ?? []
            #expect(instalments.count == 6)
            #expect(instalments.compactMap { $0["amountCents"] as? Int } == [49_167, 49_167, 49_167, 49_167, 49_166, 49_166])
            #expect(instalments.compactMap { $0["amountCents"] as? Int }.reduce(0, +) == 295_000)
            let planID = try #require(plan["id"] as? String)
            // a second plan while this one is being paid: 409
            #expect(try await client.api(.post, "/api/v1/patients/\(p)/payment-plans", token: desk, json: """
                {"estimateId":"\(eid)","instalments":3,"frequency":"monthly","firstDueDate":"\(world.clinic.today)"}
                """).status == .conflict)
            // an early, extra payment of 600.00 pays the first instalment and part of the second (oldest first)
            let paid = try await client.api(.post, "/api/v1/patients/\(p)/ledger", token: desk, json: #"{"kind":"payment","amountCents":60000,"method":"card","reference":"R-1"}"#)
            #expect(paid.status == .created)
            #expect(try paid.json()["planId"] as? String == planID)
            var got = try await client.api(.get, "/api/v1/payment-plans/\(planID)", token: desk).json()
            #expect(((got["instalments"] as? [[String: Any]]) ?? []).prefix(3).compactMap { $0["status"] as? String } == ["paid", "partlyPaid", "due"])
            #expect(got["differenceCents"] as? Int == 0)
            // a refund above what was paid names the amount
            let billing = try await world.token(.billing)
            let tooMuch = try await client.api(.post, "/api/v1/patients/\(p)/ledger", token: billing, json: #"{"kind":"refund","amountCents":60001,"method":"card","reason":"x"}"#)
            #expect(tooMuch.status == .unprocessableContent)
            #expect(((try tooMuch.json()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } == ["amount"])
            // the sessions are charged (posted by another capability in its own transaction, each once): 6 × 475.00 + 250.00
            let clinic = world.clinic, actor = world.actor(.billing), now = world.clock.now, today = world.clinic.today
            try await clinic.store.write { tx in
                for i in 0..<6 {
                    for _ in 0..<2 {  // posted twice: stored once
                        try await clinic.postLedgerEntry(.charge(Money(cents: 47_500), patient: patient.id, on: today, at: now, by: actor.userID,
                                                                 description: "Infusion \(i + 1)", source: "session:test-\(i)"), patient: patient.id, by: actor, tx)
                    }
                }
                try await clinic.postLedgerEntry(.charge(Money(cents: 25_000), patient: patient.id, on: today, at: now, by: actor.userID,
                                                         description: "Consultation", source: "visit:consult"), patient: patient.id, by: actor, tx)
            }
            let account = try await client.api(.get, "/api/v1/patients/\(p)/account", token: billing).json()
            #expect(account["chargesCents"] as? Int == 310_000 && account["balanceCents"] as? Int == 250_000)
            // the ledger shows the difference: 150.00 more than the plan covers
            got = try await client.api(.get, "/api/v1/payment-plans/\(planID)", token: billing).json()
            #expect(got["differenceCents"] as? Int == 15_000 && got["suggestedCoveredCents"] as? Int == 310_000)
            // the front desk may not regenerate; billing does, keeping what was paid
            let regen = #"{"reason":"charges differ from the estimate"}"#
            #expect(try await client.api(.post, "/api/v1/payment-plans/\(planID)/regenerate", token: desk, json: regen).status == .forbidden)
            let regenerated = try await client.api(.post, "/api/v1/payment-plans/\(planID)/regenerate", token: billing, json: regen)
            #expect(regenerated.status == .ok)
            let r = try regenerated.json()
            let amounts = ((r["instalments"] as? [[String: Any]]) ?? []).compactMap { $0["amountCents"] as? Int }
            #expect(r["coveredAmountCents"] as? Int == 310_000 && amounts.reduce(0, +) == 310_000 && r["differenceCents"] as? Int == 0)
            #expect(amounts.prefix(2) == [49_167, 10_833])
            // a write-off lowers what is owed; the plan then differs by it again
            #expect(try await client.api(.post, "/api/v1/patients/\(p)/ledger", token: billing, json: #"{"kind":"writeOff","amountCents":5000,"reason":"prompt-pay courtesy"}"#).status == .created)
            #expect(try await client.api(.get, "/api/v1/payment-plans/\(planID)", token: billing).json()["differenceCents"] as? Int == -5_000)
            // every write is audited under the patient
            let details = try await world.audit(resource: p).filter { $0.event.outcome == .success }.map(\.event.detail)
            #expect(details.filter { $0.hasPrefix("ledger:charge:") }.count == 7)
            #expect(details.contains { $0.hasPrefix("ledger:payment:") } && details.contains { $0.hasPrefix("ledger:writeOff:") })
            #expect(details.contains { $0.hasPrefix("estimate:") })
            #expect(try await world.audit(resource: "plan:\(planID)").contains { $0.event.detail == "regenerated:2950.00->3100.00" })
        }
    }

    @Test func aBadEstimateOrPlanNamesEachField() async throws {
        try await TestWorld.with { world, client in
            let (infusion, _) = try await world.priceList()
            let p = try await world.patient().id.rawValue.uuidString
            let desk = try await world.token(.frontDesk)
            let bad = try await client.api(.post, "/api/v1/patients/\(p)/estimates", token: desk, json: """
                {"items":[{"itemId":"nope","quantity":1}],"serviceFrom":"2001-01-01","serviceTo":"bad","diagnosisCodes":["ZZZ"]}
                """)
            #expect(bad.status == .unprocessableContent)
            let fields = Set(((try bad.json()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["items[0].itemID", "serviceFrom", "serviceTo", "diagnosisCodes"])
            // a plan over the balance when nothing is owed
            let noBalance = try await client.api(.post, "/api/v1/patients/\(p)/payment-plans", token: desk,
                                                 json: #"{"instalments":6,"frequency":"monthly","firstDueDate":"2099-01-01"}"#)
            #expect(noBalance.status == .unprocessableContent)
            _ = infusion
        }
    }
}
