import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The session screen a nurse runs from a tablet, through the real pages.
@Suite struct SessionPagesTests {
    @Test func aNurseRunsAnInfusionOnTheSessionScreen() async throws {
        try await TestWorld.with { world, client in
            let (_, appointment) = try await world.bookedAppointment()
            var n = try await world.browser(.nurse)
            let checkIn = try await client.page(.post, "/appointments/\(appointment.id.rawValue.uuidString)/check-in", cookie: n.cookie, form: ["csrf": n.csrf])
            #expect(checkIn.status == .seeOther)
            let uri = checkIn.headers[.location]!
            #expect(try await client.page(.get, uri, cookie: n.cookie).text.contains("Pre-infusion checklist"))
            let local = DateFormatter()
            local.locale = Locale(identifier: "en_US_POSIX")
            local.timeZone = TimeZone(identifier: "UTC")
            local.dateFormat = "yyyy-MM-dd'T'HH:mm"
            var checklist = ["csrf": n.csrf, "identityConfirmed": "true", "consentSignedOn": world.clinic.today.adding(days: -3).description,
                             "lastSolidFoodAt": local.string(from: world.clock.now.addingTimeInterval(-6 * 3600)),
                             "lastClearFluidAt": local.string(from: world.clock.now.addingTimeInterval(-3 * 3600)),
                             "escortName": "Paul Able", "escortPhone": "555 010 2020", "medicationChangesReviewed": "true", "pregnancy": "notPregnant",
                             "mentalStatus": "Alert", "weightToday": "70", "weightUnit": "kg", "ivSite": "Left forearm", "ivSiteCondition": "patent",
                             "baseline.systolic": "120", "baseline.diastolic": "78", "baseline.heartRate": "70", "baseline.oxygenSaturation": "98",
                             "baseline.respiratoryRate": "14"]
            // a missing fasting time fails the checklist and the reason is shown
            checklist["lastSolidFoodAt"] = ""
            let failed = try await client.page(.post, uri + "/checklist", cookie: n.cookie, form: checklist)
            #expect(failed.status == .seeOther)
            #expect(try await client.page(.get, uri, cookie: n.cookie).text.contains("Fasting"))
            checklist["lastSolidFoodAt"] = local.string(from: world.clock.now.addingTimeInterval(-6 * 3600))
            #expect(try await client.page(.post, uri + "/checklist", cookie: n.cookie, form: checklist).status == .seeOther)
            #expect(try await client.page(.get, uri, cookie: n.cookie).text.contains("Start infusion"))
            // the hard limit is refused on the page as on the API (2.0 mg/kg/h × 70 kg = 140 mg/h, clinical-reference §4)
            let hard = try await client.page(.post, uri + "/start", cookie: n.cookie, form: ["csrf": n.csrf, "rate": "150"])
            #expect(hard.status == .unprocessableContent)
            #expect(hard.text.contains("hard limit"))
            #expect(try await client.page(.post, uri + "/start", cookie: n.cookie, form: ["csrf": n.csrf, "rate": ""]).status == .seeOther)
            world.clock.advance(by: 40 * 60)
            n = try await world.browser(.nurse) // the 15-minute idle sign-out ended the first session
            #expect(try await client.page(.post, uri + "/complete", cookie: n.cookie, form: ["csrf": n.csrf]).status == .seeOther)
            let recovering = try await client.page(.get, uri, cookie: n.cookie).text
            // 52.5 mg/h × 40 min = 35 mg
            #expect(recovering.contains("id=\"delivered\">35.00 mg"))
            let vitals = ["recovery.systolic": "122", "recovery.diastolic": "80", "recovery.heartRate": "72", "recovery.oxygenSaturation": "98", "recovery.respiratoryRate": "14"]
            #expect(try await client.page(.post, uri + "/aldrete", cookie: n.cookie, form: ["csrf": n.csrf, "aldrete.activity": "2", "aldrete.respiration": "2", "aldrete.consciousness": "2"].merging(vitals) { a, _ in a }).status == .seeOther)
            #expect(try await client.page(.post, uri + "/leave-chair", cookie: n.cookie, form: ["csrf": n.csrf]).status == .seeOther)
            #expect(try await client.page(.post, uri + "/padss", cookie: n.cookie, form: ["csrf": n.csrf, "padss.activity": "2", "padss.painNausea": "2", "padss.bleeding": "2", "padss.intakeOutput": "2"].merging(vitals) { a, _ in a }).status == .seeOther)
            let noEscort = try await client.page(.post, uri + "/discharge", cookie: n.cookie, form: ["csrf": n.csrf, "escortName": "", "whoToCall": "Clinic"])
            #expect(noEscort.status != .seeOther)
            #expect(try await client.page(.post, uri + "/discharge", cookie: n.cookie, form: ["csrf": n.csrf, "escortName": "Paul Able", "whoToCall": "Clinic 555 0100"]).status == .seeOther)
            let instructions = try await client.page(.get, uri + "/instructions", cookie: n.cookie).text
            #expect(instructions.contains("Do not drive or use machinery for 24 hours") && instructions.contains("35.00 mg"))
            #expect(try await client.page(.get, uri, cookie: try await world.browser(.billing).cookie).status == .forbidden)
        }
    }
}
