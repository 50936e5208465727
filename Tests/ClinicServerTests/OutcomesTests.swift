@testable import ClinicCore
@testable import ClinicServer
import ClinicTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// PHQ-9 answers with item 9 as given and the other items at `others`.
func phq9JSON(item9: Int, others: Int = 1) -> String {
    (1...9).map { #""item\#($0)":\#($0 == 9 ? item9 : others)"# }.joined(separator: ",")
}

/// The form fields of a PHQ-9 on a page.
func phq9Form(item9: Int, others: Int = 1) -> [String: String] {
    var f: [String: String] = [:]
    for k in 1...9 { f["phq-9.item\(k)"] = "\(k == 9 ? item9 : others)" }
    return f
}

extension TestWorld {
    /// Replays whole past courses (plan, series to discharge, follow-up forms) through the real use cases, as the demo does.
    func pastCourses(_ count: Int, seed: UInt64 = 7) async throws -> [Patient.ID] {
        let chairs = try await DemoClinic.setUpRoom(clinic, admin: actor(.admin))
        #expect(chairs.count == DemoClinic.demoChairCount)
        try await DemoClinic.addPastShifts(clinic, nurse: actor(.nurse), admin: actor(.admin), days: 200)
        var rng = SeededGenerator(seed: seed)
        for i in 0..<count {
            var form = DemoClinic.makePatient(1000 + i * 4 + 3, &rng, today: clinic.today)
            form.weight = "70"
            form.weightUnit = "kg"
            try await DemoClinic.replayHistory(index: i, form: form, clinic: clinic, physician: actor(.physician), nurse: actor(.nurse),
                                               frontDesk: actor(.frontDesk), rng: &rng)
        }
        return try await clinic.store.read { try await $0.all(OutcomeSummary.self, from: .outcomeSummaries) }.map(\.patientID)
    }
}

@Suite struct OutcomeRecordingTests {
    @Test func aNurseRecordsFollowUpAndAPositiveItem9PutsAnUrgentTaskOnTheChartAtOnce() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let nurse = try await world.token(.nurse)
            let uri = "/api/v1/patients/\(p.id.rawValue.uuidString)/outcomes"
            // Bad answers name their field and store nothing.
            let bad = try await client.api(.post, uri, token: nurse, json: #"{"timepoint":"baseline","answers":{"phq-9":{"item9":4},"pain-nrs":{"average":11}}}"#)
            #expect(bad.status == .unprocessableContent || bad.status == .badRequest)
            #expect(bad.text.contains("phq-9.item9") && bad.text.contains("pain-nrs.average"))
            #expect((try await client.api(.get, uri, token: nurse).json()["records"] as? [Any])?.isEmpty == true)
            // PHQ-9 item 9 = 1 with a low total: an urgent task whatever the total (clinical-reference §7, Kroenke 2001).
            let saved = try await client.api(.post, uri, token: nurse,
                                             json: #"{"timepoint":"baseline","answers":{"pain-nrs":{"now":7,"average":7,"worst":9},"phq-9":{\#(phq9JSON(item9: 1, others: 0))}}}"#)
            #expect(saved.status == .created)
            let scores = try saved.json()["scores"] as? [[String: Any]] ?? []
            #expect(scores.contains { $0["instrument"] as? String == "phq-9" && $0["requiresSafetyAssessment"] as? Bool == true && $0["total"] as? Double == 1 })
            let tasks = try await client.api(.get, "/api/v1/tasks", token: nurse).jsonArray()
            #expect(tasks.count == 1 && tasks[0]["kind"] as? String == "phq9SafetyAssessment")
            // The chart shows it at once, to a physician opening the chart page.
            let (cookie, csrf) = try await world.browser(.physician)
            let chart = try await client.page(.get, "/patients/\(p.id.rawValue.uuidString)", cookie: cookie)
            #expect(chart.text.contains("id=\"chart-urgent\"") && chart.text.contains("PHQ-9 item 9"))
            // Acknowledging needs a note; then the task is closed and leaves the chart.
            let taskID = tasks[0]["id"] as! String
            #expect(try await client.page(.post, "/tasks/\(taskID)/acknowledge", cookie: cookie, form: ["csrf": csrf, "note": " "]).status == .unprocessableContent)
            #expect(try await client.page(.post, "/tasks/\(taskID)/acknowledge", cookie: cookie, form: ["csrf": csrf, "note": "Called the patient; safe; safety plan reviewed"]).status == .seeOther)
            #expect(try await client.api(.get, "/api/v1/tasks", token: nurse).jsonArray().isEmpty)
            #expect(!(try await client.page(.get, "/patients/\(p.id.rawValue.uuidString)", cookie: cookie).text.contains("id=\"chart-urgent\"")))
            // Every step is on the audit trail.
            let trail = try await world.audit(resource: taskID)
            #expect(trail.contains { $0.event.action == "create" && $0.event.actorRole == "system" } && trail.contains { $0.event.action == "update" && $0.event.actorRole == "physician" })
        }
    }

    @Test func billingAndFrontDeskNeverSeeOutcomesAndTheRefusalIsAudited() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            for role in [Role.billing, .frontDesk] {
                let r = try await client.api(.get, "/api/v1/patients/\(p.id.rawValue.uuidString)/outcomes", token: try await world.token(role))
                #expect(r.status == .forbidden)
                let w = try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/outcomes", token: try await world.token(role),
                                             json: #"{"timepoint":"baseline","answers":{"pain-nrs":{"average":5}}}"#)
                #expect(w.status == .forbidden)
            }
            #expect(try await client.api(.get, "/api/v1/analytics/relief", token: try await world.token(.nurse)).status == .forbidden)
            #expect(try await world.audit(resource: p.id.rawValue.uuidString).contains { $0.event.outcome == .denied && $0.event.resourceType == "outcomes" })
        }
    }
}

@Suite struct FollowUpLinkTests {
    /// Issues a link through the API; returns its path.
    func issue(_ client: any TestClientProtocol, _ world: TestWorld, _ p: Patient, timepoint: String = "baseline") async throws -> String {
        let r = try await client.api(.post, "/api/v1/patients/\(p.id.rawValue.uuidString)/follow-up-links", token: try await world.token(.nurse),
                                     json: #"{"timepoint":"\#(timepoint)"}"#)
        #expect(r.status == .created)
        return try r.json()["path"] as! String
    }

    @Test func aLinkOpensTheDueFormOnceThenRefusesReuseAndExpiry() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let path = try await issue(client, world, p)
            let form = try await client.page(.get, path)
            #expect(form.status == .ok)
            #expect(form.text.contains("Hello Ann") && form.text.contains("name=\"pain-nrs.average\"") && form.text.contains("name=\"phq-9.item9\""))
            // An answer out of range comes back next to its field; nothing is stored and the link stays open.
            let bad = try await client.page(.post, path, form: ["pain-nrs.average": "12"])
            #expect(bad.status == .unprocessableContent && bad.text.contains("role=\"alert\""))
            let sent = try await client.page(.post, path, form: ["pain-nrs.average": "4", "pain-nrs.now": "3", "sleep.quality": "6"])
            #expect(sent.status == .ok && sent.text.contains("id=\"thanks\"") && !sent.text.contains("crisis-resources"))
            // Reuse gets a clear page, not an error.
            let again = try await client.page(.get, path)
            #expect(again.status == .gone && again.text.contains("already used"))
            #expect(try await client.page(.post, path, form: ["pain-nrs.average": "2"]).status == .gone)
            let records = try await client.api(.get, "/api/v1/patients/\(p.id.rawValue.uuidString)/outcomes", token: try await world.token(.nurse)).json()["records"] as? [[String: Any]]
            #expect(records?.count == 1 && records?.first?["source"] as? String == "link")
            // The submission is attributed to the link, not to staff.
            let trail = try await world.audit(resource: p.id.rawValue.uuidString)
            #expect(trail.contains { $0.event.actorID.hasPrefix("follow-up-link:") && $0.event.action == "create" && $0.event.outcome == .success })
            // An expired link (local policy: 7 days) gets its own page.
            let second = try await issue(client, world, p)
            world.clock.advance(by: 7 * 24 * 3600 + 1)
            let expired = try await client.page(.get, second)
            #expect(expired.status == .gone && expired.text.contains("expired"))
        }
    }

    @Test func aTamperedOrMadeUpTokenIsNotRecognised() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let path = try await issue(client, world, p)
            var token = Array(path.dropFirst(3))
            token[5] = token[5] == "A" ? "B" : "A"
            for bad in ["/f/" + String(token), "/f/short", "/f/" + String(repeating: "x", count: 43), "/f/%3Cscript%3E"] {
                let r = try await client.page(.get, bad)
                #expect(r.status == .notFound && r.text.contains("not recognised"))
            }
            #expect(try await client.page(.get, path).status == .ok)
        }
    }

    @Test func item9AboveZeroOnALinkShowsCrisisResourcesAlertsOnCallAndEscalatesAfter15Minutes() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            // The clinic routes urgent tasks to the on-call physician and escalates to the medical director (a nurse here).
            _ = try await world.clinic.saveOutcomeSettings(onCall: world.accounts[.physician]!.id.rawValue.uuidString,
                                                           medicalDirector: world.accounts[.nurse]!.id.rawValue.uuidString,
                                                           escalationMinutes: "15", linkLifetimeHours: "168",
                                                           crisisResources: OutcomeSettings.usCrisisResources, by: world.actor(.physician))
            let path = try await issue(client, world, p)
            var form = phq9Form(item9: 2, others: 0)
            form["pain-nrs.average"] = "6"
            let sent = try await client.page(.post, path, form: form)
            // clinical-reference §7: crisis resources at once (US default: 988) on a form filled away from the clinic.
            #expect(sent.status == .ok && sent.text.contains("id=\"crisis-resources\"") && sent.text.contains("988"))
            let tasks = try await world.clinic.openClinicianTasks(by: world.actor(.physician))
            #expect(tasks.count == 1 && tasks[0].0.alerted == world.accounts[.physician]!.id && tasks[0].0.awayFromClinic)
            let inbox = try await world.clinic.clinicianMessages(for: world.actor(.physician))
            #expect(inbox.count == 1 && inbox[0].reason == .urgentTask && !inbox[0].text.contains("Ann"))
            // Not yet at 14 minutes; at 15 minutes unacknowledged it escalates to the medical director (clinical-reference §7 [D]).
            world.clock.advance(by: 14 * 60)
            #expect(try await world.clinic.escalateUnacknowledgedTasks().isEmpty)
            world.clock.advance(by: 60)
            let escalated = try await world.clinic.escalateUnacknowledgedTasks()
            #expect(escalated.count == 1 && escalated[0].escalatedTo == world.accounts[.nurse]!.id)
            #expect(try await world.clinic.clinicianMessages(for: world.actor(.nurse)).contains { $0.reason == .escalation })
            #expect(try await world.clinic.escalateUnacknowledgedTasks().isEmpty)  // once only
        }
    }

    @Test func theIssuedLinkPageShowsTheURLAndAQRCodeOfIt() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let (cookie, csrf) = try await world.browser(.nurse)
            let page = try await client.page(.post, "/patients/\(p.id.rawValue.uuidString)/follow-up-links", cookie: cookie,
                                             form: ["csrf": csrf, "timepoint": "baseline"])
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"follow-up-url\"") && page.text.contains("/f/"))
            #expect(page.text.contains("<svg") && page.text.contains("QR code of the follow-up link"))
        }
    }
}

@Suite struct OutcomeAnalyticsTests {
    @Test func pastCoursesShowTheirTrajectoryBoosterAdviceAndTheClinicKaplanMeierTable() async throws {
        try await TestWorld.with { world, client in
            let patients = try await world.pastCourses(4)
            #expect(patients.count >= 3)
            let physician = try await world.token(.physician)
            // A patient's follow-up: infusions given, relief measured against baseline, booster advice in words.
            let o = try await client.api(.get, "/api/v1/patients/\(patients[0].rawValue.uuidString)/outcomes", token: physician).json()
            #expect((o["records"] as? [Any])?.count ?? 0 >= 10)
            #expect(o["baselinePain"] as? Double != nil)
            #expect(((o["booster"] as? [String: Any])?["reasons"] as? [String])?.isEmpty == false)
            let (cookie, _) = try await world.browser(.physician)
            let page = try await client.page(.get, "/patients/\(patients[0].rawValue.uuidString)/outcomes", cookie: cookie)
            #expect(page.status == .ok && page.text.contains("id=\"pain-chart\"") && page.text.contains("<svg"))
            #expect(page.text.contains("id=\"booster-advice\""))
            // The plan's booster date stays the default until a physician accepts one; a nurse may not, and not in the past.
            let pid = patients[0].rawValue.uuidString
            let date = world.clinic.today.adding(days: 10).description
            let (nurseCookie, nurseCSRF) = try await world.browser(.nurse)
            #expect(try await client.page(.post, "/patients/\(pid)/booster", cookie: nurseCookie, form: ["csrf": nurseCSRF, "date": date]).status == .forbidden)
            let (physicianCookie, csrf) = try await world.browser(.physician)
            #expect(try await client.page(.post, "/patients/\(pid)/booster", cookie: physicianCookie,
                                          form: ["csrf": csrf, "date": world.clinic.today.adding(days: -1).description]).status == .unprocessableContent)
            #expect(try await client.page(.post, "/patients/\(pid)/booster", cookie: physicianCookie, form: ["csrf": csrf, "date": date, "note": "Relief fading"]).status == .seeOther)
            let accepted = try await client.api(.get, "/api/v1/patients/\(pid)/outcomes", token: physician).json()["booster"] as? [String: Any]
            #expect(accepted?["acceptedDate"] as? String == date && accepted?["plannedDate"] as? String == date)
            // The clinic's Kaplan–Meier table is the estimator's on the summaries' episodes.
            let a = try await client.api(.get, "/api/v1/analytics/relief", token: physician).json()
            let overall = a["overall"] as? [String: Any]
            #expect(overall?["patients"] as? Int == patients.count)
            let summaries = try await world.clinic.store.read { try await $0.all(OutcomeSummary.self, from: .outcomeSummaries) }
            let episodes = summaries.compactMap { s in s.episodeDays.map { ($0, s.episodeEnded!) } }
            if let all = (a["survival"] as? [[String: Any]])?.first, !episodes.isEmpty {
                let expected = try KaplanMeier.fit(durations: episodes.map(\.0), events: episodes.map(\.1))
                #expect(all["times"] as? [Int] == expected.times)
                // Compared to 1e-12: Foundation's JSON reader on Linux may round the last digit of a double.
                let survival = all["survival"] as? [Double] ?? []
                #expect(survival.count == expected.survival.count && zip(survival, expected.survival).allSatisfy { abs($0 - $1) < 1e-12 })
            }
            // The page and every CSV table.
            #expect(try await client.page(.get, "/analytics", cookie: cookie).status == .ok)
            for table in WebRoutes.analyticsTables {
                let csv = try await client.page(.get, "/analytics/\(table).csv", cookie: cookie)
                #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true && csv.text.hasSuffix("\r\n"))
            }
            #expect(try await client.page(.get, "/analytics?from=2026-13-01", cookie: cookie).status == .unprocessableContent)
        }
    }

    @Test func csvFieldsWithCommasQuotesAndFormulaStartsAreQuotedSafely() {
        let a = ClinicAnalytics(filter: AnalyticsFilter(), definitions: [], byCondition: [ResponderRate(group: "=HYPERLINK(\"x\"), a", patients: 1, assessed: 1, responders: 1)],
                                byProtocol: [], overall: ResponderRate(group: "All", patients: 1, assessed: 1, responders: 1), survival: [], infusions: 0,
                                sideEffects: [], mme: MMEChangeSummary(patients: 0, withUncounted: 0), protocols: [])
        let csv = WebRoutes.analyticsCSV("responders-by-condition", a)
        #expect(csv.contains("\"'=HYPERLINK(\"\"x\"\"), a\",1,1,1,1.0\r\n"))
    }

    @Test func staffPagesOfFollowUpRenderForTheRolesThatUseThem() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            for role in [Role.physician, .nurse] {
                let (cookie, _) = try await world.browser(role)
                for uri in ["/patients/\(p.id.rawValue.uuidString)/outcomes", "/patients/\(p.id.rawValue.uuidString)/outcomes/new?timepoint=baseline",
                            "/patients/\(p.id.rawValue.uuidString)/progress", "/tasks", "/follow-ups"] {
                    let r = try await client.page(.get, uri, cookie: cookie)
                    #expect(r.status == .ok, "\(role) \(uri)")
                }
            }
            for role in [Role.admin, .physician] {
                let (cookie, _) = try await world.browser(role)
                #expect(try await client.page(.get, "/settings/outcomes", cookie: cookie).status == .ok, "\(role)")
            }
            let (billing, _) = try await world.browser(.billing)
            #expect(try await client.page(.get, "/patients/\(p.id.rawValue.uuidString)/outcomes", cookie: billing).status == .forbidden)
        }
    }
}

/// What a test webhook received.
actor ReceivedHooks {
    var bodies: [String] = []
    func add(_ body: String) { bodies.append(body) }
}

@Suite struct ClinicianWebhookTests {
    @Test func anUrgentTaskIsAlsoPostedToTheClinicsWebhookWithoutPatientDataAndAFailedDeliveryIsRecorded() async throws {
        let received = ReceivedHooks()
        let router = Router()
        router.post("/hook") { request, context -> HTTPResponse.Status in
            var request = request
            await received.add(String(buffer: try await request.collectBody(upTo: 65_536)))
            return .ok
        }
        router.post("/down") { _, _ -> HTTPResponse.Status in .serviceUnavailable }
        let hookApp = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await hookApp.test(.live) { hook in
            let port = try #require(hook.port)
            try await TestWorld.with { world, client in
                world.clinic.clinicianMessages.use(WebhookClinicianMessageSender(url: URL(string: "http://127.0.0.1:\(port)/hook")!))
                _ = try await world.clinic.saveOutcomeSettings(onCall: world.accounts[.physician]!.id.rawValue.uuidString, medicalDirector: "",
                                                               escalationMinutes: "15", linkLifetimeHours: "168",
                                                               crisisResources: OutcomeSettings.usCrisisResources, by: world.actor(.physician))
                let p = try await world.patient()
                let issued = try await world.clinic.issueFollowUpLink(for: p.id, timepoint: "baseline", by: world.actor(.nurse))
                #expect(try await client.page(.post, issued.path, form: phq9Form(item9: 1, others: 0)).status == .ok)
                let bodies = await received.bodies
                #expect(bodies.count == 1)
                let hookJSON = try JSONSerialization.jsonObject(with: Data(bodies[0].utf8)) as? [String: Any]
                #expect(hookJSON?["reason"] as? String == "urgentTask" && hookJSON?["to"] as? String == world.accounts[.physician]!.id.rawValue.uuidString)
                #expect(!bodies[0].contains("Ann") && !bodies[0].contains("Able") && !bodies[0].contains("PHQ-9 item 9 answered"))
                let delivered = try await world.clinic.clinicianMessages(for: world.actor(.physician))
                #expect(delivered.count == 1 && delivered[0].deliveredAt != nil && delivered[0].route == "in-app+webhook")
                // A webhook that fails: the in-app message and the task stay, the failure is on the message.
                world.clinic.clinicianMessages.use(WebhookClinicianMessageSender(url: URL(string: "http://127.0.0.1:\(port)/down")!))
                world.clock.advance(by: 15 * 86_400)  // PHQ-9 is asked again only after its 14-day recall period (clinical-reference §7)
                let second = try await world.clinic.issueFollowUpLink(for: p.id, timepoint: "series+30", by: world.actor(.nurse))
                #expect(try await client.page(.post, second.path, form: phq9Form(item9: 3, others: 0)).status == .ok)
                let inbox = try await world.clinic.clinicianMessages(for: world.actor(.physician))
                #expect(inbox.count == 2 && inbox[0].deliveredAt == nil && inbox[0].deliveryError?.hasPrefix("webhook") == true)
                #expect(try await world.clinic.openClinicianTasks(by: world.actor(.physician)).count == 2)
            }
        }
    }
}

@Suite struct OutcomeRulesTests {
    static let rules: [String: String] = [
        "followUpDays": "1, 7, 14, 30, 60, 90", "moodMinimumIntervalDays": "14", "overdueAfterDays": "3",
        "responderReductionPercent": "30", "responderWindowDays": "14", "onsetReductionPercent": "30", "durationReductionPercent": "30",
        "reliefReductionPercent": "30", "risingPoints": "2", "leadDays": "7", "pushBackReductionPercent": "50", "lookbackDays": "14",
        "pushBackDays": "30",
    ]

    @Test func aPhysicianChangesTheRulesWithinClinicalReferenceBoundsAndEveryPatientsFiguresFollow() async throws {
        try await TestWorld.with { world, client in
            _ = try await world.pastCourses(3, seed: 11)
            let physician = try await world.token(.physician)
            let before = try await client.api(.get, "/api/v1/analytics/relief", token: physician).json()["overall"] as? [String: Any]
            let (cookie, csrf) = try await world.browser(.physician)
            // PHQ-9/GAD-7 ask about 2 weeks: never more often than every 14 days (clinical-reference §7).
            var form = Self.rules
            form["csrf"] = csrf
            form["moodMinimumIntervalDays"] = "10"
            form["followUpDays"] = "1, 7, x"
            let refused = try await client.page(.post, "/settings/outcome-rules", cookie: cookie, form: form)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("moodMinimumIntervalDays") && refused.text.contains("followUpDays"))
            // A stricter responder definition (≥ 90 % reduction): nobody in the demo courses responds that much.
            form = Self.rules
            form["csrf"] = csrf
            form["responderReductionPercent"] = "90"
            #expect(try await client.page(.post, "/settings/outcome-rules", cookie: cookie, form: form).status == .ok)
            let after = try await client.api(.get, "/api/v1/analytics/relief", token: physician).json()["overall"] as? [String: Any]
            #expect(after?["responders"] as? Int == 0)
            #expect((before?["assessed"] as? Int ?? 0) > 0 && after?["assessed"] as? Int == before?["assessed"] as? Int)
            // A nurse reads the settings but may not change the rules.
            let (nurseCookie, nurseCSRF) = try await world.browser(.nurse)
            var nurseForm = Self.rules
            nurseForm["csrf"] = nurseCSRF
            #expect(try await client.page(.post, "/settings/outcome-rules", cookie: nurseCookie, form: nurseForm).status == .forbidden)
        }
    }
}
