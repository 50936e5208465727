import ClinicCore
@testable import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The monitoring JSON API: monitors (admin), a monitor's `device` token and its vitals posts, the board, a session's
/// monitored record, acknowledging an alarm, the quarantine — each allowed and denied by role.
@Suite struct MonitoringAPITests {
    @Test func anAdminRegistersAMonitorAndIssuesItsTokenAndTheMonitorPostsVitals() async throws {
        try await TestWorld.with { world, client in
            let (record, _, chair) = try await world.checkedInAtChair()
            let admin = try await world.token(.admin)
            // register through the API (a nurse may not)
            let body = #"{"name":"Bay 7","sourceAddress":"10.1.2.3","sendingApplication":"MX-7","sendingFacility":"ICU","chairId":"\#(chair.rawValue.uuidString)"}"#
            #expect(try await client.api(.post, "/api/v1/monitors", token: try await world.token(.nurse), json: body).status == .forbidden)
            let created = try await client.api(.post, "/api/v1/monitors", token: admin, json: body)
            #expect(created.status == .created)
            let monitorID = try created.json()["id"] as! String
            // a bad address names the field
            let bad = try await client.api(.post, "/api/v1/monitors", token: admin,
                                           json: #"{"name":"X","sourceAddress":"nowhere","sendingApplication":"A","sendingFacility":"B"}"#)
            #expect(bad.status == .unprocessableContent && bad.text.contains("sourceAddress"))
            // the device token, shown once
            let issued = try await client.api(.post, "/api/v1/monitors/\(monitorID)/token", token: admin)
            #expect(issued.status == .created)
            let device = try issued.json()["token"] as! String
            #expect(try await client.api(.get, "/api/v1/monitors", token: admin).jsonArray().first?["hasApiToken"] as? Bool == true)
            // the monitor posts vitals: filed under the session in its chair; a resend is a duplicate
            let vitals = #"{"controlId":"API-1","observations":[{"parameter":"heartRate","value":84},{"parameter":"oxygenSaturation","value":96}]}"#
            let filed = try await client.api(.post, "/api/v1/vitals", token: device, json: vitals)
            #expect(filed.status == .ok)
            #expect(try filed.json()["outcome"] as? String == "filed")
            #expect(try filed.json()["sessionId"] as? String == record.id.rawValue.uuidString)
            #expect(try await client.api(.post, "/api/v1/vitals", token: device, json: vitals).json()["outcome"] as? String == "duplicate")
            // an empty post names the field
            let empty = try await client.api(.post, "/api/v1/vitals", token: device, json: #"{"controlId":"API-2","observations":[]}"#)
            #expect(empty.status == .unprocessableContent && empty.text.contains("observations"))
            // a nurse's token may not post as a device, and the device may read nothing else
            #expect(try await client.api(.post, "/api/v1/vitals", token: try await world.token(.nurse), json: vitals).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/board", token: device).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/patients", token: device).status == .forbidden)
            // reissuing revokes the old token
            _ = try await client.api(.post, "/api/v1/monitors/\(monitorID)/token", token: admin)
            #expect(try await client.api(.post, "/api/v1/vitals", token: device, json: vitals).status == .unauthorized)
            // the session's monitored record shows the posted values
            let monitored = try await client.api(.get, "/api/v1/sessions/\(record.id.rawValue.uuidString)/monitoring", token: try await world.token(.nurse)).json()
            #expect((monitored["observations"] as? [[String: Any]])?.count == 2)
            #expect(try await client.api(.get, "/api/v1/sessions/\(record.id.rawValue.uuidString)/monitoring", token: try await world.token(.billing)).status == .forbidden)
        }
    }

    @Test func theBoardAndAlarmsThroughTheAPI() async throws {
        try await TestWorld.with { world, client in
            let (record, _, chair) = try await world.checkedInAtChair()
            try await world.registerMonitor(chair: chair)
            try await world.withListener { port in
                let mllp = try await MLLPTestClient.connect(port: port)
                _ = try await mllp.send(oruMessage(controlID: "API-B", heartRate: 70, spo2: 98, cuff: (195, 100), at: world.clock.now))
                await mllp.close()
            }
            let nurse = try await world.token(.nurse)
            let board = try await client.api(.get, "/api/v1/board", token: nurse).jsonArray()
            let cell = try #require(board.first { $0["chairId"] as? String == chair.rawValue.uuidString })
            #expect(cell["sessionId"] as? String == record.id.rawValue.uuidString)
            let alarms = cell["alarms"] as? [[String: Any]] ?? []
            #expect(alarms.first?["priority"] as? String == "high")
            let sequence = alarms.first?["sequence"] as? Int ?? 0
            // front desk may not see the board; billing may not acknowledge
            #expect(try await client.api(.get, "/api/v1/board", token: try await world.token(.frontDesk)).status == .forbidden)
            let path = "/api/v1/sessions/\(record.id.rawValue.uuidString)/alarms/\(sequence)/acknowledge"
            #expect(try await client.api(.post, path, token: try await world.token(.billing)).status == .forbidden)
            let acked = try await client.api(.post, path, token: nurse)
            #expect(acked.status == .ok)
            #expect(try acked.json()["acknowledged"] as? Bool == true)
            #expect(try acked.json()["acknowledgedBy"] as? String == world.accounts[.nurse]!.id.rawValue.uuidString)
            // an unknown alarm is a 404, acknowledging twice a 409
            #expect(try await client.api(.post, "/api/v1/sessions/\(record.id.rawValue.uuidString)/alarms/999/acknowledge", token: nurse).status == .notFound)
            #expect(try await client.api(.post, path, token: nurse).status == .conflict)
            // the quarantine list (empty here) for a nurse, refused for billing
            #expect(try await client.api(.get, "/api/v1/monitoring/quarantine", token: nurse).status == .ok)
            #expect(try await client.api(.get, "/api/v1/monitoring/quarantine", token: try await world.token(.billing)).status == .forbidden)
        }
    }
}
