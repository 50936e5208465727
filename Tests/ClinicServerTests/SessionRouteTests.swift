import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

extension TestWorld {
    /// A booked first infusion of a signed 70 kg standard-induction plan.
    func bookedAppointment() async throws -> (Patient, Appointment) {
        let (p, plan) = try await activePlan()
        try await rosterNurse()
        let proposal = try await clinic.proposeSeries(for: plan.id, earliest: clock.now.addingTimeInterval(86_400), preferredMinute: 9 * 60, by: actor(.frontDesk))
        let booked = try await clinic.bookSeries(for: plan.id, slots: proposal.slots, by: actor(.frontDesk))
        return (p, booked[0])
    }
}

extension TestWorld {
    /// A booked first infusion, checked in through the API by the nurse: the nurse's token and the session id.
    func checkedInSession(_ client: any TestClientProtocol) async throws -> (token: String, sessionID: String) {
        let (_, appointment) = try await bookedAppointment()
        let nurse = try await token(.nurse)
        let sid = try await client.api(.post, "/api/v1/appointments/\(appointment.id.rawValue.uuidString)/check-in", token: nurse).json()["id"] as! String
        return (nurse, sid)
    }
}

func checklistJSON(now: Date, systolic: Int = 122, diastolic: Int = 78, escort: Bool = true, recheck: (Int, Int)? = nil, override: String? = nil) -> String {
    let f = ISO8601DateFormatter()
    var fields = [
        #""identityConfirmed":true"#, #""consentSignedOn":"\#(CalendarDate(now, in: TimeZone(identifier: "UTC")!).adding(days: -10))""#,
        #""lastSolidFoodAt":"\#(f.string(from: now.addingTimeInterval(-5 * 3600)))""#, #""lastClearFluidAt":"\#(f.string(from: now.addingTimeInterval(-3 * 3600)))""#,
        #""medicationChangesReviewed":true"#, #""pregnancy":"notPregnant""#, #""mentalStatus":"Alert, oriented, calm""#,
        #""weightToday":70,"weightUnit":"kg""#, #""ivSite":"Left forearm","ivSiteCondition":"patent""#,
        #""baseline":{"systolic":\#(systolic),"diastolic":\#(diastolic),"heartRate":72,"oxygenSaturation":98,"respiratoryRate":14,"takenAt":"\#(f.string(from: now.addingTimeInterval(-900)))"}"#,
    ]
    if escort { fields.append(#""escortName":"Paul Able","escortPhone":"555 010 2020""#) }
    if let (s, d) = recheck { fields.append(#""recheck":{"systolic":\#(s),"diastolic":\#(d),"heartRate":72,"oxygenSaturation":98,"respiratoryRate":14,"takenAt":"\#(f.string(from: now))"}"#) }
    if let override { fields.append(#""overrideReason":"\#(override)""#) }
    return "{" + fields.joined(separator: ",") + "}"
}

let recoveryVitals = #""vitals":{"systolic":124,"diastolic":80,"heartRate":74,"oxygenSaturation":98,"respiratoryRate":14}"#

/// One whole infusion through the API: check-in, checklist, start, rate change, pause, complete, recovery, discharge.
@Suite struct SessionRouteTests {
    @Test func aNurseRunsOneWholeInfusionAndTheDeliveredDoseMatchesTheHandWorkedValue() async throws {
        try await TestWorld.with { world, client in
            let (_, appointment) = try await world.bookedAppointment()
            let nurse = try await world.token(.nurse)
            let checkedIn = try await client.api(.post, "/api/v1/appointments/\(appointment.id.rawValue.uuidString)/check-in", token: nurse)
            #expect(checkedIn.status == .created)
            let sid = try checkedIn.json()["id"] as! String
            let uri = "/api/v1/sessions/\(sid)"
            // The infusion cannot start before the checklist passes.
            #expect(try await client.api(.post, uri + "/start", token: nurse, json: "{}").status == .conflict)
            // A blood pressure at the hold threshold (160/100, clinical-reference §3 [D]) holds the infusion for a recheck.
            let heldResponse = try await client.api(.post, uri + "/checklist", token: nurse, json: checklistJSON(now: world.clock.now, systolic: 162, diastolic: 96))
            let held = try heldResponse.json()
            #expect(held["state"] as? String == "checkedIn")
            #expect((held["blockingItems"] as? [[String: Any]])?.isEmpty == false)
            // A recheck after 10 minutes' rest below the threshold passes.
            world.clock.advance(by: 11 * 60)
            let ready = try await client.api(.post, uri + "/checklist", token: nurse,
                                             json: checklistJSON(now: world.clock.now, systolic: 162, diastolic: 96, recheck: (148, 88))).json()
            #expect(ready["state"] as? String == "ready")
            // 70 kg × 0.75 mg/kg/h = 52.5 mg/h ordered (clinical-reference §4)
            #expect(ready["orderedRateMgPerHour"] as? Double == 52.5)
            // Programming above the hard limit (2.0 mg/kg/h × 70 kg = 140 mg/h) is refused; above the soft limit
            // (1.0 mg/kg/h = 70 mg/h) needs a second clinician (clinical-reference §4 [D]).
            let hard = try await client.api(.post, uri + "/start", token: nurse, json: #"{"rateMgPerHour":150}"#)
            #expect(hard.status == .unprocessableContent)
            #expect(hard.text.contains("hard limit"))
            let soft = try await client.api(.post, uri + "/start", token: nurse, json: #"{"rateMgPerHour":80}"#)
            #expect(soft.status == .unprocessableContent)
            #expect(soft.text.contains("second clinician"))
            let selfConfirmed = try await client.api(.post, uri + "/start", token: nurse,
                                                     json: #"{"rateMgPerHour":80,"confirmation":{"email":"nurse@clinic.test","password":"\#(TestWorld.password)","reason":"x"}}"#)
            #expect(selfConfirmed.status == .unprocessableContent)
            // Start at the ordered rate; 10 min later 40 mg/h; 10 min later pause 5 min; resume; 20 min; complete.
            #expect(try await client.api(.post, uri + "/start", token: nurse, json: "{}").json()["state"] as? String == "infusing")
            world.clock.advance(by: 600)
            #expect(try await client.api(.post, uri + "/rate", token: nurse, json: #"{"rateMgPerHour":40,"reason":"Dissociation"}"#).status == .ok)
            world.clock.advance(by: 600)
            #expect(try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"pause","reason":"Nausea"}"#).json()["state"] as? String == "paused")
            world.clock.advance(by: 300)
            #expect(try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"resume"}"#).status == .ok)
            world.clock.advance(by: 1200)
            let done = try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"complete"}"#).json()
            #expect(done["state"] as? String == "recovering")
            // By hand: 52.5 mg/h × 10 min = 8.75 mg; 40 mg/h × (10 + 20) min = 20 mg; the pause delivers nothing: 28.75 mg.
            #expect(done["deliveredMicrograms"] as? Int == 28_750)
            #expect(done["elapsedMinutes"] as? Double == 40)
            // Recovery: Aldrete ≥ 9 to leave the chair, then PADSS ≥ 9 and the escort to go home (clinical-reference §6).
            #expect(try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"leaveChair"}"#).status == .conflict)
            let aldrete = try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"aldrete","scores":[2,2,2],\#(recoveryVitals)}"#).json()
            #expect(aldrete["latestAldrete"] as? Int == 10)
            #expect(try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"leaveChair"}"#).status == .ok)
            let lowPADSS = try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"padss","scores":[1,1,2,2],\#(recoveryVitals)}"#).json()
            #expect(lowPADSS["latestPadss"] as? Int == 8)
            #expect(try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"discharge","escortName":"Paul Able"}"#).status == .conflict)
            #expect(try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"padss","scores":[2,1,2,2],\#(recoveryVitals)}"#).status == .ok)
            #expect(try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"discharge","escortName":" "}"#).status != .ok)
            let home = try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"discharge","escortName":"Paul Able","whoToCall":"Clinic 555 0100"}"#).json()
            #expect(home["state"] as? String == "discharged")
            // Nobody edits a finished session: only amendments.
            #expect(try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"pause","reason":"x"}"#).status == .conflict)
            #expect(try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"amend","reason":"IV site check at 10:20 was recorded late"}"#).status == .ok)
            // Billing reads times and amounts only.
            let facts = try await client.api(.get, uri + "/billing-facts", token: try await world.token(.billing)).json()
            #expect(facts["deliveredMg"] as? Double == 28.75 && facts["infusionMinutes"] as? Int == 40)
            #expect(try await client.api(.get, uri, token: try await world.token(.billing)).status == .forbidden)
        }
    }

    @Test func aRateAboveTheSoftLimitNeedsAnotherClinician() async throws {
        try await TestWorld.with { world, client in
            let (nurse, sid) = try await world.checkedInSession(client)
            let uri = "/api/v1/sessions/\(sid)"
            let c = try await client.api(.post, uri + "/checklist", token: nurse, json: checklistJSON(now: world.clock.now))
            let confirmed = try await client.api(.post, uri + "/start", token: nurse,
                                                 json: #"{"rateMgPerHour":75,"confirmation":{"email":"physician@clinic.test","password":"\#(TestWorld.password)","reason":"Tolerated 75 mg/h last series"}}"#)
            #expect(confirmed.status == .ok)
            #expect(try confirmed.json()["currentRateMgPerHour"] as? Double == 75)
            let wrongPassword = try await client.api(.post, uri + "/rate", token: nurse,
                                                     json: #"{"rateMgPerHour":78,"reason":"x","confirmation":{"email":"physician@clinic.test","password":"nope","reason":"y"}}"#)
            #expect(wrongPassword.status == .unprocessableContent)
        }
    }

    @Test func anInfusionStoppedEarlyStillGoesThroughRecoveryAndATransferEndsTheSession() async throws {
        try await TestWorld.with { world, client in
            let (nurse, sid) = try await world.checkedInSession(client)
            let uri = "/api/v1/sessions/\(sid)"
            _ = try await client.api(.post, uri + "/checklist", token: nurse, json: checklistJSON(now: world.clock.now))
            _ = try await client.api(.post, uri + "/start", token: nurse, json: "{}")
            world.clock.advance(by: 600)
            #expect(try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"stopEarly","reason":" "}"#).status == .unprocessableContent)
            let stopped = try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"stopEarly","reason":"Severe dissociation"}"#).json()
            #expect(stopped["state"] as? String == "recovering" && stopped["stoppedEarlyReason"] as? String == "Severe dissociation")
            let transferred = try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"transfer","reason":"Chest pain: to the emergency department"}"#).json()
            #expect(transferred["state"] as? String == "transferred")
            #expect(try await client.api(.post, "/api/v1/sessions/\(sid)/steps", token: try await world.token(.frontDesk), json: #"{"kind":"resume"}"#).status == .forbidden)
        }
    }

    @Test func medicinesOnlyWithinTheStandingOrders() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.eligiblePatient()
            let doc = try await world.token(.physician)
            let plan = try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/plans", token: doc, json: planJSON(orders: ondansetron)).json()
            let planID = plan["id"] as! String
            _ = try await client.api(.post, "/api/v1/plans/\(planID)/sign", token: doc)
            try await world.rosterNurse()
            let id = TreatmentPlan.ID(UUID(uuidString: planID)!)
            let proposal = try await world.clinic.proposeSeries(for: id, earliest: world.clock.now.addingTimeInterval(86_400), preferredMinute: 9 * 60, by: world.actor(.frontDesk))
            let booked = try await world.clinic.bookSeries(for: id, slots: proposal.slots, by: world.actor(.frontDesk))
            let nurse = try await world.token(.nurse)
            let session = try await client.api(.post, "/api/v1/appointments/\(booked[0].id.rawValue.uuidString)/check-in", token: nurse).json()
            let sid = session["id"] as! String
            let orderID = (session["standingOrders"] as? [[String: Any]])?.first?["id"] as! String
            _ = try await client.api(.post, "/api/v1/sessions/\(sid)/checklist", token: nurse, json: checklistJSON(now: world.clock.now))
            _ = try await client.api(.post, "/api/v1/sessions/\(sid)/start", token: nurse, json: "{}")
            let tooMuch = try await client.api(.post, "/api/v1/sessions/\(sid)/steps", token: nurse,
                                               json: #"{"kind":"sideEffect","sideEffect":"nausea","severity":"moderate","standingOrderId":"\#(orderID)","doseMg":12}"#)
            #expect(tooMuch.status == .unprocessableContent)
            #expect(tooMuch.text.contains("new order"))
            let given = try await client.api(.post, "/api/v1/sessions/\(sid)/steps", token: nurse,
                                             json: #"{"kind":"sideEffect","sideEffect":"nausea","severity":"moderate","standingOrderId":"\#(orderID)","doseMg":4}"#)
            #expect(given.status == .ok)
            #expect(((try given.json()["sideEffects"] as? [[String: Any]])?.first?["action"] as? String)?.contains("Ondansetron") == true)
        }
    }
}

@Suite struct PreparationRouteTests {
    @Test func thePreparationGivesTheConcentrationAndThePumpRate() async throws {
        try await TestWorld.with { world, client in
            let (nurse, sid) = try await world.checkedInSession(client)
            let uri = "/api/v1/sessions/\(sid)"
            _ = try await client.api(.post, uri + "/checklist", token: nurse, json: checklistJSON(now: world.clock.now))
            // 50 mg/mL × 4 mL = 200 mg, made up to 100 mL with 96 mL saline: 2 mg/mL (clinical-reference §4)
            let prepared = try await client.api(.post, uri + "/steps", token: nurse,
                                                json: #"{"kind":"preparation","vialLot":"KET-2611","vialStrengthMgPerMl":50,"volumeDrawnMl":4,"diluentMl":96}"#).json()
            #expect(prepared["concentrationMgPerMl"] as? Double == 2)
            // pump rate = 52.5 mg/h ÷ 2 mg/mL = 26.25 → 26.3 mL/h
            #expect(prepared["pumpRateMlPerHour"] as? Double == 26.3)
            let bad = try await client.api(.post, uri + "/steps", token: nurse, json: #"{"kind":"preparation","vialLot":"","vialStrengthMgPerMl":50,"volumeDrawnMl":4}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("vialLot"))
        }
    }
}

@Suite struct SessionObservationRouteTests {
    @Test func ivSiteSedationDissociationAndDeviationsAreRecorded() async throws {
        try await TestWorld.with { world, client in
            let (nurse, sid) = try await world.checkedInSession(client)
            let uri = "/api/v1/sessions/\(sid)/steps"
            _ = try await client.api(.post, "/api/v1/sessions/\(sid)/checklist", token: nurse, json: checklistJSON(now: world.clock.now))
            _ = try await client.api(.post, "/api/v1/sessions/\(sid)/start", token: nurse, json: "{}")
            #expect(try await client.api(.post, uri, token: nurse, json: #"{"kind":"ivSite","ivSite":"Left forearm","ivSiteCondition":"patent"}"#).status == .ok)
            #expect(try await client.api(.post, uri, token: nurse, json: #"{"kind":"response","reason":"Relaxed, mild floating feeling, tolerating well"}"#).status == .ok)
            #expect(try await client.api(.post, uri, token: nurse, json: #"{"kind":"response","reason":"  "}"#).status == .unprocessableContent)
            // MOAA/S is 0–5 (clinical-reference §7)
            #expect(try await client.api(.post, uri, token: nurse, json: #"{"kind":"sedation","moaas":7}"#).status == .unprocessableContent)
            #expect(try await client.api(.post, uri, token: nurse, json: #"{"kind":"sedation","moaas":4}"#).status == .ok)
            // CADSS short form: items 1, 2, 6, 7, 15, 22 (clinical-reference §7)
            #expect(try await client.api(.post, uri, token: nurse, json: #"{"kind":"dissociation","cadss":{"1":1,"2":0}}"#).status == .unprocessableContent)
            #expect(try await client.api(.post, uri, token: nurse, json: #"{"kind":"dissociation","cadss":{"1":1,"2":0,"6":2,"7":0,"15":1,"22":0}}"#).status == .ok)
            // a deviation that already happened is documented, never refused (clinical-reference §4)
            let deviation = try await client.api(.post, uri, token: nurse, json: #"{"kind":"deviation","reason":"Pump ran 5 min past its stop","pumpReading":"VTBI 0, 41.2 mL infused"}"#)
            #expect(deviation.status == .ok)
            let stored = try await world.clinic.session(InfusionSession.ID(UUID(uuidString: sid)!), by: world.actor(.physician)).session
            #expect(stored.deviations.first?.value.flaggedForReview == true)
            #expect(stored.sedationScores.count == 1 && stored.dissociationScores.count == 1 && stored.ivSiteChecks.count == 1)
        }
    }
}
