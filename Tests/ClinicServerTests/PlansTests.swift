import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

extension TestWorld {
    /// A patient with a charted weight and an eligible screening.
    func eligiblePatient(weightKg: String = "70") async throws -> Patient {
        var p = try await patient()
        var f = PatientForm(p)
        f.weight = weightKg
        f.weightUnit = "kg"
        f.confirmWeight = true
        p = try await clinic.updatePatient(p.id, f, expectedRevision: nil, by: actor(.physician))
        _ = try await clinic.screen(p.id, form: screeningForm(), by: actor(.nurse))
        return p
    }
}

func planJSON(rate: Double? = nil, orders: String = "") -> String {
    """
    {"conditionCode":"G90.511","protocolId":"\(standardInduction)","goal":"At least 30% less pain; fewer opioids",
     \(rate.map { "\"doseRateMgPerKgPerHour\":\($0)," } ?? "")
     "standingOrders":[\(orders)]}
    """
}

let ondansetron = #"{"purpose":"antiemetic","medicine":"Ondansetron","route":"IV","minimumDoseMg":4,"maximumDoseMg":8,"maximumDosesPerSession":2,"minimumMinutesBetweenDoses":30}"#

@Suite struct TreatmentPlanRouteTests {
    @Test func physicianPlansAndSignsForAnEligiblePatient() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.eligiblePatient()
            let doc = try await world.token(.physician)
            let r = try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/plans", token: doc, json: planJSON(orders: ondansetron))
            #expect(r.status == .created)
            let plan = try r.json()
            #expect(plan["status"] as? String == "draft")
            #expect(plan["plannedInfusions"] as? Int == 6) // standard induction: 6 infusions (clinical-reference §4)
            #expect((plan["infusionOrder"] as? String)?.contains("52.5 mg/h") == true) // 70 kg × 0.75 mg/kg/h
            #expect((plan["standingOrders"] as? [[String: Any]])?.first?["medicine"] as? String == "Ondansetron")
            let id = plan["id"] as! String
            #expect(try await client.api(.post, "/api/v1/plans/\(id)/sign", token: try await world.token(.nurse)).status == .forbidden)
            let signed = try await client.api(.post, "/api/v1/plans/\(id)/sign", token: doc).json()
            #expect(signed["status"] as? String == "active" && signed["signedBy"] as? String == world.accounts[.physician]!.id.rawValue.uuidString)
            #expect(try await client.api(.post, "/api/v1/plans/\(id)/sign", token: doc).status == .conflict)
            #expect(try await client.api(.get, "/api/v1/patients/\(p.id.rawValue.uuidString)/plans", token: try await world.token(.nurse)).jsonArray().count == 1)
            #expect(try await client.api(.get, "/api/v1/plans/\(id)", token: try await world.token(.billing)).status == .forbidden)
        }
    }

    @Test func onlyAnEligibleCurrentScreeningAllowsAPlan() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let doc = try await world.token(.physician)
            let unscreened = try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/plans", token: doc, json: planJSON())
            #expect(unscreened.status == .conflict)
            _ = try await world.clinic.screen(p.id, form: world.screeningForm(cardiovascular: .stableKnownDisease), by: world.actor(.nurse))
            let needsClearance = try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/plans", token: doc, json: planJSON())
            #expect(needsClearance.status == .conflict)
            #expect(needsClearance.text.contains("Needs clearance"))
            // expired after 90 days (clinical-reference §2 [D])
            let q = try await world.eligiblePatient()
            world.clock.advance(by: 91 * 86_400)
            let later = try await world.token(.physician)
            let expired = try await client.api(.post, "/api/v1/patients/\(q.id.rawValue.uuidString)/plans", token: later, json: planJSON())
            #expect(expired.status == .conflict)
            #expect(expired.text.contains("Expired"))
        }
    }

    @Test func nursesMayNotWritePlans() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.eligiblePatient()
            #expect(try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/plans", token: try await world.token(.nurse), json: planJSON()).status == .forbidden)
        }
    }

    @Test func aPatientSpecificRateMustStayWithinTheProtocolLimits() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.eligiblePatient()
            let doc = try await world.token(.physician)
            // 1.2 mg/kg/h is above the standard induction's soft limit of 1.0 mg/kg/h (clinical-reference §4)
            let soft = try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/plans", token: doc, json: planJSON(rate: 1.2))
            #expect(soft.status == .unprocessableContent)
            #expect(soft.text.contains("doseRateMgPerKgPerHour"))
            let ok = try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/plans", token: doc, json: planJSON(rate: 0.5))
            #expect(ok.status == .created)
        }
    }

    @Test func standingOrdersAreValidatedFieldByField() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.eligiblePatient()
            let bad = #"{"purpose":"antiemetic","medicine":"","route":"IV","minimumDoseMg":8,"maximumDoseMg":4,"maximumDosesPerSession":0,"minimumMinutesBetweenDoses":30}"#
            let r = try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/plans", token: try await world.token(.physician), json: planJSON(orders: bad))
            #expect(r.status == .unprocessableContent)
            let fields = (try r.json()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(Set(fields) == ["standingOrders[0].medicine", "standingOrders[0].maximumDoseMg", "standingOrders[0].maximumDoses"])
        }
    }

    @Test func thePlanPagesWriteAndSignAPlan() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.eligiblePatient()
            let doc = try await world.browser(.physician)
            let chart = try await client.page(.get, "/patients/\(p.id.rawValue.uuidString)", cookie: doc.cookie).text
            #expect(chart.contains("New treatment plan"))
            #expect(try await client.page(.get, "/patients/\(p.id.rawValue.uuidString)/plans/new", cookie: doc.cookie).text.contains("Standing orders"))
            let r = try await client.page(.post, "/patients/\(p.id.rawValue.uuidString)/plans/new", cookie: doc.cookie, form: [
                "csrf": doc.csrf, "conditionCode": "G90.511", "protocolID": standardInduction, "goal": "Less pain",
                "standingOrders[0].purpose": "antiemetic", "standingOrders[0].medicine": "Ondansetron", "standingOrders[0].route": "IV",
                "standingOrders[0].minimumDoseMg": "4", "standingOrders[0].maximumDoseMg": "8", "standingOrders[0].maximumDoses": "2",
                "standingOrders[0].minimumMinutesBetween": "30", "standingOrders[1].purpose": "emergenceAnxiety"])
            #expect(r.status == .seeOther)
            let planURI = r.headers[.location]!
            #expect(try await client.page(.get, planURI, cookie: doc.cookie).text.contains("Sign the orders"))
            #expect(try await client.page(.post, planURI + "/sign", cookie: doc.cookie, form: ["csrf": doc.csrf]).status == .seeOther)
            #expect(try await client.page(.get, planURI, cookie: doc.cookie).text.contains("id=\"plan-status\">active"))
            let nurse = try await world.browser(.nurse)
            #expect(try await client.page(.get, "/patients/\(p.id.rawValue.uuidString)/plans/new", cookie: nurse.cookie).status == .forbidden)
            #expect(try await client.page(.get, planURI, cookie: nurse.cookie).text.contains("Ondansetron"))
        }
    }
}

@Suite struct BoosterDueDateTests {
    @Test func boostersAreDueEveryIntervalAfterTheLastBookedInfusion() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.eligiblePatient()
            var plan = try await world.clinic.createPlan(for: p.id, TreatmentPlanForm(conditionCode: "G90.511", protocolID: standardInduction, goal: "Less pain",
                                                                                   boosterIntervalDays: "90"), by: world.actor(.physician))
            plan = try await world.clinic.signOrders(plan.id, by: world.actor(.physician))
            try await world.rosterNurse(days: 40)
            let proposal = try await world.clinic.proposeSeries(for: plan.id, earliest: world.clock.now.addingTimeInterval(86_400), preferredMinute: 9 * 60, by: world.actor(.frontDesk))
            let booked = try await world.clinic.bookSeries(for: plan.id, slots: proposal.slots, by: world.actor(.frontDesk))
            let last = CalendarDate(booked.map(\.start).max()!, in: world.clinic.settings.timeZone)
            // a local-policy interval of 90 days (clinical-reference §1 [P]: "every few months")
            let page = try await client.page(.get, "/plans/\(plan.id.rawValue.uuidString)", cookie: try await world.browser(.physician).cookie).text
            #expect(page.contains(last.adding(days: 90).description) && page.contains(last.adding(days: 180).description))
        }
    }
}
