import ClinicCore
@testable import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A protocol's alarm limits (clinical-reference §3: "a physician only, with a reason, audited"; stricter, never
/// looser): the JSON API and the protocol page, each allowed and denied by role, and live sessions switching at once.
@Suite struct ProtocolThresholdsTests {
    static func limitJSON(_ priority: String, _ parameter: String, _ direction: String, _ comparison: String, _ value: Double) -> String {
        #"{"priority":"\#(priority)","parameter":"\#(parameter)","direction":"\#(direction)","comparison":"\#(comparison)","value":\#(value)}"#
    }

    @Test func aPhysicianMakesAProtocolsLimitStricterThroughTheAPIANurseIsRefusedAndAudited() async throws {
        try await TestWorld.with { world, client in
            // given: a session checked in at a monitored chair under its protocol
            let (record, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            let path = "/api/v1/protocols/\(record.protocolID.rawValue.uuidString)/alarm-thresholds"
            let stricter = #"{"limits":[\#(Self.limitJSON("high", "systolic", "upper", "above", 170))],"reason":"Older patients on this protocol"}"#
            // a nurse may read the limits (defaults) but not change them; the denial is audited
            let nurse = try await world.token(.nurse)
            let read = try await client.api(.get, path, token: nurse)
            #expect(read.status == .ok)
            #expect((try read.json()["limits"] as? [[String: Any]])?.count == 12)
            #expect(try await client.api(.put, path, token: nurse, json: stricter).status == .forbidden)
            let denied = try await world.audit(resource: "protocol:\(record.protocolID.rawValue.uuidString)/thresholds")
            #expect(denied.contains { $0.event.outcome == .denied && $0.event.actorRole == "nurse" })
            // clinical-reference §3: looser than the default (systolic > 180) is refused with the field named
            let doctor = try await world.token(.physician)
            let looser = try await client.api(.put, path, token: doctor,
                                              json: #"{"limits":[\#(Self.limitJSON("high", "systolic", "upper", "above", 190))],"reason":"wider"}"#)
            #expect(looser.status == .unprocessableContent && looser.text.contains("thresholds.high.systolic.upper"))
            let noReason = try await client.api(.put, path, token: doctor,
                                                json: #"{"limits":[\#(Self.limitJSON("high", "systolic", "upper", "above", 170))],"reason":" "}"#)
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("reason"))
            // when: a physician makes it stricter
            let ok = try await client.api(.put, path, token: doctor, json: stricter)
            // then: the limit is in force, set by the protocol, and the change is kept and audited
            #expect(ok.status == .ok)
            let body = try ok.json()
            let systolic = (body["limits"] as? [[String: Any]])?.first { $0["priority"] as? String == "high" && $0["parameter"] as? String == "systolic" }
            #expect(systolic?["value"] as? Double == 170 && systolic?["setBy"] as? String == "protocol")
            #expect((body["changes"] as? [[String: Any]])?.first?["reason"] as? String == "Older patients on this protocol")
            let audited = try await world.audit(resource: "protocol:\(record.protocolID.rawValue.uuidString)/thresholds")
            #expect(audited.contains { $0.event.outcome == .success && $0.event.action == "decide" })
            // and the live session switched at once: a cuff reading of 175/90 is now high priority (medium by default)
            try await world.withListener { port in
                let mllp = try await MLLPTestClient.connect(port: port)
                _ = try await mllp.send(oruMessage(controlID: "PT-1", heartRate: 80, spo2: 98, cuff: (175, 90), at: world.clock.now))
                await mllp.close()
            }
            let cell = try await world.clinic.roomBoard(by: world.actor(.nurse)).first { $0.chair.id == chair }
            #expect(cell?.activeAlarms.first { $0.parameter == .systolic }?.priority == .high)
            // billing may not read the limits
            #expect(try await client.api(.get, path, token: try await world.token(.billing)).status == .forbidden)
        }
    }

    @Test func theProtocolPageShowsTheLimitsAndAPhysiciansFormMakesThemStricterNeverLooser() async throws {
        try await TestWorld.with { world, client in
            let (record, _, _) = try await world.checkedInAtChair()
            let page = "/protocols/\(record.protocolID.rawValue.uuidString)"
            let post = page + "/thresholds"
            let hrField = ThresholdKey(.high, .heartRate, .upper).field
            // a nurse sees the limits in force (the clinical-reference §3 defaults) but no form, and may not post
            let nurse = try await world.browser(.nurse)
            let seen = try await client.page(.get, page, cookie: nurse.cookie)
            #expect(seen.status == .ok && seen.text.contains("Alarm limits") && seen.text.contains("&gt; 130 beats/min"))
            #expect(!seen.text.contains("action=\"\(post)\""))
            #expect(try await client.page(.post, post, cookie: nurse.cookie, form: ["csrf": nurse.csrf, hrField: "120", "thresholdReason": "x"]).status == .forbidden)
            // a physician sees the form; without the CSRF token nothing changes
            let doctor = try await world.browser(.physician)
            #expect(try await client.page(.get, page, cookie: doctor.cookie).text.contains("action=\"\(post)\""))
            #expect(try await client.page(.post, post, cookie: doctor.cookie, form: [hrField: "120", "thresholdReason": "x"]).status == .forbidden)
            // looser than the default is refused, the error next to the field
            let looser = try await client.page(.post, post, cookie: doctor.cookie, form: ["csrf": doctor.csrf, hrField: "140", "thresholdReason": "wider"])
            #expect(looser.status == .unprocessableContent && looser.text.contains("may be made stricter, never looser than"))
            #expect(try await client.page(.post, post, cookie: doctor.cookie, form: ["csrf": doctor.csrf, hrField: "abc", "thresholdReason": "x"]).status
                == .unprocessableContent)
            // stricter with a reason is accepted and listed with who, when and why
            let ok = try await client.page(.post, post, cookie: doctor.cookie,
                                           form: ["csrf": doctor.csrf, hrField: "120", "thresholdReason": "Cardiac history common in this group"])
            #expect(ok.status == .found)
            #expect(try await world.clinic.protocolThresholds(record.protocolID).effective.limit(for: ThresholdKey(.high, .heartRate, .upper)) == .above(120))
            let after = try await client.page(.get, page, cookie: doctor.cookie).text
            #expect(after.contains("&gt; 120 beats/min") && after.contains("this protocol") && after.contains("Cardiac history common in this group"))
            // the patient's layer is now judged over the protocol's: > 125 is stricter than the default but looser than the protocol
            let sessionForm = "/sessions/\(record.id.rawValue.uuidString)/thresholds"
            let patientLooser = try await client.page(.post, sessionForm, cookie: doctor.cookie,
                                                      form: ["csrf": doctor.csrf, "heartRateAbove": "125", "thresholdReason": "x"])
            #expect(patientLooser.status == .unprocessableContent)
            let patientStricter = try await client.page(.post, sessionForm, cookie: doctor.cookie,
                                                        form: ["csrf": doctor.csrf, "heartRateAbove": "115", "thresholdReason": "Known ischaemic heart disease"])
            #expect(patientStricter.status == .found)
            let (effective, _) = try await world.clinic.patientThresholds(record.session.patientID, under: record.protocolID)
            #expect(effective.limit(for: ThresholdKey(.high, .heartRate, .upper)) == .above(115))
        }
    }
}
