import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

extension TestWorld {
    /// An eligible patient with a signed standard-induction plan.
    func activePlan() async throws -> (Patient, TreatmentPlan) {
        let p = try await eligiblePatient()
        let plan = try await clinic.createPlan(for: p.id, TreatmentPlanForm(conditionCode: "G90.511", protocolID: standardInduction, goal: "Less pain"),
                                               by: actor(.physician))
        return (p, try await clinic.signOrders(plan.id, by: actor(.physician)))
    }

    /// The nurse on shift 08:00–18:00 on each of the next `days` days.
    func rosterNurse(days: Int = 40) async throws {
        for d in 0..<days {
            _ = try await clinic.addShift(nurse: accounts[.nurse]!.id, date: clinic.today.adding(days: d), start: 8 * 60, end: 18 * 60, by: actor(.frontDesk))
        }
    }
}

@Suite struct SchedulingRouteTests {
    @Test func frontDeskBooksAWholeSeriesInOneStep() async throws {
        try await TestWorld.with { world, client in
            let (_, plan) = try await world.activePlan()
            try await world.rosterNurse()
            let fd = try await world.token(.frontDesk)
            let earliest = ISO8601DateFormatter().string(from: world.clock.now.addingTimeInterval(86_400))
            let proposal = try await client.api(.post, "/api/v1/plans/\(plan.id.rawValue.uuidString)/series/proposal", token: fd,
                                                json: #"{"earliest":"\#(earliest)","preferredTime":"09:00"}"#).json()
            let slots = proposal["slots"] as? [[String: Any]] ?? []
            #expect(slots.count == 6)
            // Standard induction: ≥ 48 h between infusions (clinical-reference §4 [D])
            let f = ISO8601DateFormatter()
            let starts = slots.compactMap { ($0["start"] as? String).flatMap(f.date(from:)) }
            #expect(zip(starts, starts.dropFirst()).allSatisfy { $1.timeIntervalSince($0) >= 48 * 3600 })
            let body = try JSONSerialization.data(withJSONObject: ["slots": slots])
            let booked = try await client.api(.post, "/api/v1/plans/\(plan.id.rawValue.uuidString)/series", token: fd, json: String(decoding: body, as: UTF8.self))
            #expect(booked.status == .created)
            #expect(try booked.jsonArray().count == 6)
            // booking the same slots again conflicts, and nothing more is booked
            let again = try await client.api(.post, "/api/v1/plans/\(plan.id.rawValue.uuidString)/series", token: fd, json: String(decoding: body, as: UTF8.self))
            #expect(again.status == .conflict)
            #expect(again.text.contains("Infusion 1"))
            let day = String(slots[0]["start"] as! String).prefix(10)
            let schedule = try await client.api(.get, "/api/v1/schedule/days/\(day)", token: fd).json()
            #expect((schedule["appointments"] as? [[String: Any]])?.count == 1)
            // chair time is infusion plus recovery (clinical-reference §10): 40 min + 60 min
            let a = (schedule["appointments"] as? [[String: Any]])?.first
            #expect(a.flatMap { ($0["start"] as? String).flatMap(f.date(from:)) }.map { s in a.flatMap { ($0["end"] as? String).flatMap(f.date(from:)) }!.timeIntervalSince(s) } == Double(100 * 60))
        }
    }

    @Test func withoutANurseOnShiftNothingCanBeBooked() async throws {
        try await TestWorld.with { world, client in
            let (_, plan) = try await world.activePlan()
            let earliest = ISO8601DateFormatter().string(from: world.clock.now.addingTimeInterval(86_400))
            let proposal = try await client.api(.post, "/api/v1/plans/\(plan.id.rawValue.uuidString)/series/proposal", token: try await world.token(.frontDesk),
                                                json: #"{"earliest":"\#(earliest)"}"#).json()
            #expect((proposal["slots"] as? [Any])?.isEmpty == true)
            #expect((proposal["reason"] as? String)?.isEmpty == false)
        }
    }

    @Test func onlySchedulersBookAndUnsignedPlansCannotBeBooked() async throws {
        try await TestWorld.with { world, client in
            let (_, plan) = try await world.activePlan()
            let earliest = ISO8601DateFormatter().string(from: world.clock.now.addingTimeInterval(86_400))
            #expect(try await client.api(.post, "/api/v1/plans/\(plan.id.rawValue.uuidString)/series/proposal", token: try await world.token(.nurse),
                                         json: #"{"earliest":"\#(earliest)"}"#).status == .forbidden)
            let p = try await world.eligiblePatient()
            let draft = try await world.clinic.createPlan(for: p.id, TreatmentPlanForm(conditionCode: "G90.511", protocolID: standardInduction, goal: "x"),
                                                          by: world.actor(.physician))
            let r = try await client.api(.post, "/api/v1/plans/\(draft.id.rawValue.uuidString)/series/proposal", token: try await world.token(.frontDesk),
                                         json: #"{"earliest":"\#(earliest)"}"#)
            #expect(r.status == .conflict)
            #expect(r.text.contains("not signed"))
            #expect(try await client.api(.get, "/api/v1/schedule/days/2026-01-05", token: try await world.token(.billing)).status == .forbidden)
        }
    }

    @Test func cancelAndNoShowFreeTheChair() async throws {
        try await TestWorld.with { world, client in
            let (_, plan) = try await world.activePlan()
            try await world.rosterNurse()
            let proposal = try await world.clinic.proposeSeries(for: plan.id, earliest: world.clock.now.addingTimeInterval(86_400), preferredMinute: 9 * 60, by: world.actor(.frontDesk))
            let booked = try await world.clinic.bookSeries(for: plan.id, slots: proposal.slots, by: world.actor(.frontDesk))
            let fd = try await world.token(.frontDesk)
            let noReason = try await client.api(.patch, "/api/v1/appointments/\(booked[0].id.rawValue.uuidString)", token: fd, json: #"{"action":"cancel","reason":" "}"#)
            #expect(noReason.status == .unprocessableContent)
            let cancelled = try await client.api(.patch, "/api/v1/appointments/\(booked[0].id.rawValue.uuidString)", token: fd, json: #"{"action":"cancel","reason":"Patient unwell"}"#)
            #expect(try cancelled.json()["status"] as? String == "cancelled")
            let noShow = try await client.api(.patch, "/api/v1/appointments/\(booked[1].id.rawValue.uuidString)", token: fd, json: #"{"action":"noShow"}"#)
            #expect(try noShow.json()["status"] as? String == "noShow")
            #expect(try await client.api(.patch, "/api/v1/appointments/\(booked[1].id.rawValue.uuidString)", token: fd, json: #"{"action":"noShow"}"#).status == .conflict)
        }
    }

    @Test func theBookingAndBoardPagesWork() async throws {
        try await TestWorld.with { world, client in
            let (p, plan) = try await world.activePlan()
            let fd = try await world.browser(.frontDesk)
            // roster a nurse on the set-up page
            let setup = try await client.page(.get, "/schedule/setup", cookie: fd.cookie).text
            #expect(setup.contains("Nurses on shift"))
            for d in 0..<30 {
                #expect(try await client.page(.post, "/schedule/shifts", cookie: fd.cookie, form: ["csrf": fd.csrf, "nurse": world.accounts[.nurse]!.id.rawValue.uuidString,
                                                                                               "date": world.clinic.today.adding(days: d).description, "start": "08:00", "end": "18:00"]).status == .seeOther)
            }
            let book = try await client.page(.get, "/plans/\(plan.id.rawValue.uuidString)/book", cookie: fd.cookie)
            #expect(book.text.contains("Book all in one step"))
            // post back exactly the proposed slots, as the browser would
            var form = ["csrf": fd.csrf]
            for line in book.text.components(separatedBy: "<input type=\"hidden\" name=\"slots[").dropFirst() {
                let name = "slots[" + line.prefix { $0 != "\"" }
                let value = line.components(separatedBy: "value=\"")[1].prefix { $0 != "\"" }
                form[String(name)] = String(value).replacingOccurrences(of: "&#43;", with: "+")
            }
            let booked = try await client.page(.post, "/plans/\(plan.id.rawValue.uuidString)/book", cookie: fd.cookie, form: form)
            #expect(booked.status == .seeOther)
            let board = try await client.page(.get, booked.headers[.location]!, cookie: fd.cookie).text
            #expect(board.contains("\(p.demographics.familyName), \(p.demographics.givenName)"))
            #expect(board.contains("1/6"))
            #expect(try await client.page(.get, "/schedule/week", cookie: fd.cookie).status == .ok)
            #expect(try await client.page(.get, "/schedule", cookie: try await world.browser(.billing).cookie).status == .forbidden)
        }
    }
}

@Suite struct ReschedulePageTests {
    @Test func frontDeskMovesAnAppointmentAndAConflictIsRefusedWithItsReason() async throws {
        try await TestWorld.with { world, client in
            let (_, plan) = try await world.activePlan()
            try await world.rosterNurse(days: 60)
            let proposal = try await world.clinic.proposeSeries(for: plan.id, earliest: world.clock.now.addingTimeInterval(86_400), preferredMinute: 9 * 60, by: world.actor(.frontDesk))
            let booked = try await world.clinic.bookSeries(for: plan.id, slots: proposal.slots, by: world.actor(.frontDesk))
            let setup = try await world.clinic.clinicSetup(by: world.actor(.frontDesk))
            let fd = try await world.browser(.frontDesk)
            let last = booked.last!
            let day = setup.hours.date(of: last.start)
            var target = day.adding(days: 7)
            while target.weekday.isWeekend { target = target.adding(days: 1) }
            let moved = try await client.page(.post, "/appointments/\(last.id.rawValue.uuidString)", cookie: fd.cookie, form: [
                "csrf": fd.csrf, "action": "reschedule", "date": target.description, "time": "10:00", "chair": last.chair.rawValue.uuidString, "reason": "Patient's request"])
            #expect(moved.status == .seeOther)
            let board = try await client.page(.get, "/schedule?date=\(target)", cookie: fd.cookie).text
            #expect(board.contains("6/6"))
            // moving infusion 2 to within 48 h of infusion 1 breaks the series spacing (clinical-reference §4 [D])
            let firstDay = setup.hours.date(of: booked[0].start)
            let tooClose = try await client.page(.post, "/appointments/\(booked[1].id.rawValue.uuidString)", cookie: fd.cookie, form: [
                "csrf": fd.csrf, "action": "reschedule", "date": firstDay.adding(days: 1).description, "time": "09:00", "chair": booked[1].chair.rawValue.uuidString,
                "reason": "Earlier"])
            #expect(tooClose.status == .conflict)
            #expect(tooClose.text.contains("48"))
        }
    }
}

@Suite struct ClinicSetupRouteTests {
    @Test func frontDeskSetsHoursChairsAndCoverAndReadsTheWeek() async throws {
        try await TestWorld.with { world, client in
            let fd = try await world.token(.frontDesk)
            let setup = try await client.api(.get, "/api/v1/clinic/setup", token: fd).json()
            // one nurse per 4 occupied chairs by default (clinical-reference §3 [D])
            #expect(setup["occupiedChairsPerNurse"] as? Int == 4)
            let saved = try await client.api(.put, "/api/v1/clinic/setup", token: fd, json: """
                {"weekdays":["monday","tuesday","wednesday","thursday","friday","saturday"],"opens":"07:30","closes":"19:00",
                 "chairs":[{"name":"Bay 1"},{"name":"Bay 2"},{"name":"Bay 3"}],"occupiedChairsPerNurse":3,"recoveryMinutes":45}
                """).json()
            #expect((saved["chairs"] as? [[String: Any]])?.count == 3 && saved["opens"] as? String == "07:30" && saved["recoveryMinutes"] as? Int == 45)
            let bad = try await client.api(.put, "/api/v1/clinic/setup", token: fd, json: #"{"weekdays":[],"opens":"07:30","closes":"19:00","chairs":[{"name":"A"}],"occupiedChairsPerNurse":0,"recoveryMinutes":45}"#)
            #expect(bad.status == .unprocessableContent)
            // found by fuzzing: a day named twice counts once (it used to stop the server)
            let twice = try await client.api(.put, "/api/v1/clinic/setup", token: fd, json: #"{"weekdays":["monday","monday"],"opens":"08:00","closes":"17:00","chairs":[{"name":"A"}],"occupiedChairsPerNurse":4,"recoveryMinutes":60}"#)
            #expect(try twice.json()["weekdays"] as? [String] == ["monday"])
            #expect(try await client.api(.put, "/api/v1/clinic/setup", token: try await world.token(.physician), json: #"{"weekdays":["monday","monday"],"opens":"08:00","closes":"17:00","chairs":[{"name":"A"}],"occupiedChairsPerNurse":4,"recoveryMinutes":60}"#).status == .forbidden)
            #expect(try await client.api(.put, "/api/v1/clinic/setup", token: try await world.token(.billing), json: "{}").status != .ok)
            let week = try await client.api(.get, "/api/v1/schedule/weeks/\(world.clinic.today)", token: fd).jsonArray()
            #expect(week.count == 7)
        }
    }
}

@Suite struct SoftLimitPageTests {
    @Test func aRateAboveTheSoftLimitNeedsASecondClinicianOnThePageToo() async throws {
        try await TestWorld.with { world, client in
            let (nurseToken, sid) = try await world.checkedInSession(client)
            _ = try await client.api(.post, "/api/v1/sessions/\(sid)/checklist", token: nurseToken, json: checklistJSON(now: world.clock.now))
            let n = try await world.browser(.nurse)
            // 80 mg/h for 70 kg is above the soft limit of 1.0 mg/kg/h (clinical-reference §4 [D])
            let refused = try await client.page(.post, "/sessions/\(sid)/start", cookie: n.cookie, form: ["csrf": n.csrf, "rate": "80"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("second clinician"))
            let confirmed = try await client.page(.post, "/sessions/\(sid)/start", cookie: n.cookie, form: [
                "csrf": n.csrf, "rate": "80", "secondEmail": "physician@clinic.test", "secondPassword": TestWorld.password, "secondReason": "Tolerated before"])
            #expect(confirmed.status == .seeOther)
            #expect(try await client.page(.get, "/sessions/\(sid)", cookie: n.cookie).text.contains("id=\"current-rate\">80.0 mg/h"))
        }
    }
}
