import ClinicCore
import ClinicHL7
@testable import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The monitoring pages: registering monitors (admin), the quarantine (nurse files or sets aside), and the session
/// screen's monitoring section with its vitals chart and alarms.
@Suite struct MonitoringPagesTests {
    @Test func anAdminRegistersAMonitorAndAssignsItToAChairAndANurseMayOnlyLook() async throws {
        try await TestWorld.with { world, client in
            let admin = try await world.browser(.admin)
            let chair = try await world.clinic.clinicSetup(by: world.actor(.admin)).chairs[0]
            // when the admin registers a monitor with a bad address, the field is named
            let bad = try await client.page(.post, "/monitoring/devices", cookie: admin.cookie,
                                            form: ["csrf": admin.csrf, "name": "Bay 1", "sourceAddress": "10.0.0.300", "sendingApplication": "MX450",
                                                   "sendingFacility": "ICU", "chairID": chair.id.rawValue.uuidString])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("Not an IPv4 or IPv6 address"))
            // and with a good one it is registered at the chair
            let ok = try await client.page(.post, "/monitoring/devices", cookie: admin.cookie,
                                           form: ["csrf": admin.csrf, "name": "Bay 1", "sourceAddress": "10.0.0.30", "sendingApplication": "MX450",
                                                  "sendingFacility": "ICU", "chairID": chair.id.rawValue.uuidString])
            #expect(ok.status == .ok)
            #expect(ok.text.contains("Registered Bay 1"))
            let devices = try await world.clinic.monitorDevices(by: world.actor(.admin))
            #expect(devices.count == 1 && devices[0].chairID == chair.id && devices[0].sourceAddress == "10.0.0.30")
            // a nurse sees the list but has no form, and may not register
            let nurse = try await world.browser(.nurse)
            let list = try await client.page(.get, "/monitoring/devices", cookie: nurse.cookie)
            #expect(list.status == .ok && list.text.contains("MX450") && !list.text.contains("Register a monitor"))
            let refused = try await client.page(.post, "/monitoring/devices", cookie: nurse.cookie,
                                                form: ["csrf": nurse.csrf, "name": "X", "sourceAddress": "10.0.0.31", "sendingApplication": "A", "sendingFacility": "B"])
            #expect(refused.status == .forbidden)
            // a second monitor for the same chair is refused with the reason next to the chair field
            let twice = try await client.page(.post, "/monitoring/devices", cookie: admin.cookie,
                                              form: ["csrf": admin.csrf, "name": "Bay 1b", "sourceAddress": "10.0.0.32", "sendingApplication": "MX450",
                                                     "sendingFacility": "ICU", "chairID": chair.id.rawValue.uuidString])
            #expect(twice.status == .unprocessableContent && twice.text.contains("already stands at this chair"))
        }
    }

    @Test func aNurseFilesAQuarantinedMessageUnderTheSessionOrSetsOneAside() async throws {
        try await TestWorld.with { world, client in
            let (record, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            try await world.withListener { port in
                let mllp = try await MLLPTestClient.connect(port: port)
                _ = try await mllp.send(oruMessage(controlID: "QA-1", application: "MON-1", patient: "SOMEONE-ELSE", heartRate: 81, at: world.clock.now))
                _ = try await mllp.send(oruMessage(controlID: "QA-2", application: "MON-1", patient: "SOMEONE-ELSE", heartRate: 82, at: world.clock.now))
                await mllp.close()
            }
            let nurse = try await world.browser(.nurse)
            let page = try await client.page(.get, "/monitoring/quarantine", cookie: nurse.cookie)
            #expect(page.text.contains("QA-1") && page.text.contains("another patient") && page.text.contains("heart rate 81"))
            // the board shows a banner
            #expect(try await client.page(.get, "/board", cookie: nurse.cookie).text.contains("2 monitor message(s) in quarantine"))
            // file one under the session, set the other aside (a reason is required)
            let filed = try await client.page(.post, "/monitoring/quarantine", cookie: nurse.cookie,
                                              form: ["csrf": nurse.csrf, "action": "assign", "sender": "MON-1|TESTCLINIC", "controlID": "QA-1",
                                                     "sessionID": record.id.rawValue.uuidString])
            #expect(filed.status == .ok && filed.text.contains("Filed QA-1"))
            let noReason = try await client.page(.post, "/monitoring/quarantine", cookie: nurse.cookie,
                                                 form: ["csrf": nurse.csrf, "action": "dismiss", "sender": "MON-1|TESTCLINIC", "controlID": "QA-2", "reason": " "])
            #expect(noReason.status == .unprocessableContent || noReason.status == .badRequest)
            let aside = try await client.page(.post, "/monitoring/quarantine", cookie: nurse.cookie,
                                              form: ["csrf": nurse.csrf, "action": "dismiss", "sender": "MON-1|TESTCLINIC", "controlID": "QA-2", "reason": "test message"])
            #expect(aside.status == .ok && aside.text.contains("Nothing in quarantine"))
            let observations = try await world.clinic.store.read { try await $0.vitalObservations(session: record.id, since: nil) }
            #expect(observations.map(\.value).contains(81) && !observations.map(\.value).contains(82))
            // billing never sees the quarantine
            let billing = try await world.browser(.billing)
            #expect(try await client.page(.get, "/monitoring/quarantine", cookie: billing.cookie).status == .forbidden)
        }
    }

    @Test func theSessionScreenShowsTheVitalsChartAndItsAlarmsWithAnAcknowledgeButton() async throws {
        try await TestWorld.with { world, client in
            let (record, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            try await world.withListener { port in
                let mllp = try await MLLPTestClient.connect(port: port)
                _ = try await mllp.send(oruMessage(controlID: "C-1", heartRate: 75, spo2: 97, cuff: (190, 125), at: world.clock.now))
                await mllp.close()
            }
            let nurse = try await world.browser(.nurse)
            let page = try await client.page(.get, "/sessions/\(record.id.rawValue.uuidString)", cookie: nurse.cookie)
            #expect(page.text.contains("<svg class=\"vitals-chart\""))
            #expect(page.text.contains("Alarm history"))
            #expect(page.text.contains("name=\"back\" value=\"session\""))
            #expect(page.text.contains("Systolic pressure 190"))
        }
    }

    @Test func aPhysicianMakesAPatientsLimitStricterNeverLooserAndTheLiveSessionUsesItAtOnce() async throws {
        try await TestWorld.with { world, client in
            let (record, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            let path = "/sessions/\(record.id.rawValue.uuidString)/thresholds"
            // clinical-reference §3: "a physician only, with a reason, audited; high-priority thresholds may be made
            // stricter for a patient, never looser"
            let nurse = try await world.browser(.nurse)
            #expect(try await client.page(.post, path, cookie: nurse.cookie, form: ["csrf": nurse.csrf, "systolicAbove": "170", "thresholdReason": "x"]).status == .forbidden)
            let doctor = try await world.browser(.physician)
            let looser = try await client.page(.post, path, cookie: doctor.cookie, form: ["csrf": doctor.csrf, "systolicAbove": "190", "thresholdReason": "wider"])
            #expect(looser.status == .unprocessableContent)
            let noReason = try await client.page(.post, path, cookie: doctor.cookie, form: ["csrf": doctor.csrf, "systolicAbove": "170", "thresholdReason": ""])
            #expect(noReason.status == .unprocessableContent)
            let stricter = try await client.page(.post, path, cookie: doctor.cookie,
                                                 form: ["csrf": doctor.csrf, "systolicAbove": "170", "thresholdReason": "Known aortic aneurysm"])
            #expect(stricter.status == .found)
            let changes = try await world.clinic.thresholdChanges(of: record.session.patientID, by: world.actor(.physician))
            #expect(changes.first?.reason == "Known aortic aneurysm")
            // a cuff reading of 175/90 is now a high-priority alarm for this patient (it would be medium by default)
            try await world.withListener { port in
                let mllp = try await MLLPTestClient.connect(port: port)
                _ = try await mllp.send(oruMessage(controlID: "T-1", heartRate: 80, spo2: 98, cuff: (175, 90), at: world.clock.now))
                await mllp.close()
            }
            let cell = try await world.clinic.roomBoard(by: world.actor(.nurse)).first { $0.chair.id == chair }
            #expect(cell?.activeAlarms.first { $0.parameter == .systolic }?.priority == .high)
        }
    }

    @Test func aPhysicianSetsTheClinicsAlarmTextsAndEscalationWhichCannotBeSwitchedOff() async throws {
        try await TestWorld.with { world, client in
            let doctor = try await world.browser(.physician)
            let form = ["csrf": doctor.csrf, "high": "Stop the pump, call Dr on duty (ext 22).", "medium": "Recheck in 2 minutes.",
                        "noData": "Check the sensors.", "escalationSeconds": "0"]
            // escalation off is refused (clinical-reference §3: "never off")
            let off = try await client.page(.post, "/monitoring/alarm-settings", cookie: doctor.cookie, form: form)
            #expect(off.status == .unprocessableContent && off.text.contains("never off"))
            var ok = form
            ok["escalationSeconds"] = "45"
            #expect(try await client.page(.post, "/monitoring/alarm-settings", cookie: doctor.cookie, form: ok).status == .ok)
            #expect(try await world.clinic.alarmPolicy().escalationSeconds == 45)
            // a nurse reads them but may not change them
            let nurse = try await world.browser(.nurse)
            let page = try await client.page(.get, "/monitoring/devices", cookie: nurse.cookie)
            #expect(page.text.contains("Stop the pump, call Dr on duty (ext 22)."))
            #expect(try await client.page(.post, "/monitoring/alarm-settings", cookie: nurse.cookie, form: ["csrf": nurse.csrf] .merging(ok) { a, _ in a }).status == .forbidden)
            // and a new session's alarms show the clinic's text
            let (_, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            try await world.withListener { port in
                let mllp = try await MLLPTestClient.connect(port: port)
                _ = try await mllp.send(oruMessage(controlID: "P-1", heartRate: 80, spo2: 98, cuff: (190, 110), at: world.clock.now))
                await mllp.close()
            }
            let board = try await client.page(.get, "/board", cookie: nurse.cookie)
            #expect(board.text.contains("Stop the pump, call Dr on duty (ext 22)."))
        }
    }
}
