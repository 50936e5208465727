import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

let standardInduction = InfusionProtocol.StandardID.standardInduction.uuidString

func protocolJSON(name: String = "Standard induction", hardRatePerKg: Double = 2.0, reason: String = "Local review", expectedVersion: Int = 1) -> String {
    """
    {"name":"\(name)","dosingKind":"weightBasedRate","doseValue":0.75,"durationMinutes":40,"inductionInfusions":6,"minimumSpacingHours":48,
     "limits":{"softRateMgPerKgPerHour":1.0,"hardRateMgPerKgPerHour":\(hardRatePerKg),"softTotalMgPerKg":1.0,"hardTotalMgPerKg":1.5},
     "reason":"\(reason)","expectedVersion":\(expectedVersion)}
    """
}

/// The protocol library through the API and the pages (clinical-reference §4).
@Suite struct ProtocolLibraryRouteTests {
    @Test func theShippedLibraryIsListedWithItsLimits() async throws {
        try await TestWorld.with { world, client in
            let list = try await client.api(.get, "/api/v1/protocols", token: try await world.token(.nurse)).jsonArray()
            #expect(list.count == 4)
            let standard = list.first { $0["id"] as? String == standardInduction }
            // Standard induction 0.75 mg/kg/h; soft > 1.0, hard > 2.0 mg/kg/h; totals 1.0 / 1.5 mg/kg (clinical-reference §4)
            #expect(standard?["doseValue"] as? Double == 0.75)
            let limits = standard?["limits"] as? [String: Any]
            #expect(limits?["softRateMgPerKgPerHour"] as? Double == 1.0 && limits?["hardRateMgPerKgPerHour"] as? Double == 2.0)
            #expect(limits?["softTotalMgPerKg"] as? Double == 1.0 && limits?["hardTotalMgPerKg"] as? Double == 1.5)
            let crps = list.first { ($0["name"] as? String)?.contains("CRPS") == true }
            #expect(crps?["absoluteRateCapMgPerHour"] as? Double == 25) // Schwartzman 2009: never above 25 mg/h
            #expect(try await client.api(.get, "/api/v1/protocols", token: try await world.token(.billing)).status == .forbidden)
        }
    }

    @Test func aPhysicianChangesLimitsAsANewSignedVersion() async throws {
        try await TestWorld.with { world, client in
            let t = try await world.token(.physician)
            let r = try await client.api(.put, "/api/v1/protocols/\(standardInduction)", token: t, json: protocolJSON(hardRatePerKg: 1.8))
            #expect(r.status == .ok)
            let v2 = try r.json()
            #expect(v2["version"] as? Int == 2)
            #expect(v2["signedOffBy"] as? String == world.accounts[.physician]!.id.rawValue.uuidString)
            #expect(v2["changedSettings"] as? [String] == ["limits"])
            let versions = try await client.api(.get, "/api/v1/protocols/\(standardInduction)/versions", token: t).jsonArray()
            #expect(versions.map { $0["version"] as? Int } == [1, 2])
            // a stale edit is refused
            #expect(try await client.api(.put, "/api/v1/protocols/\(standardInduction)", token: t, json: protocolJSON(hardRatePerKg: 1.7)).status == .conflict)
        }
    }

    @Test func anAdminMayRenameButNotChangeLimits() async throws {
        try await TestWorld.with { world, client in
            let admin = try await world.token(.admin)
            #expect(try await client.api(.put, "/api/v1/protocols/\(standardInduction)", token: admin, json: protocolJSON(hardRatePerKg: 1.8)).status == .forbidden)
            let renamed = try await client.api(.put, "/api/v1/protocols/\(standardInduction)", token: admin, json: protocolJSON(name: "Standard induction (clinic A)"))
            #expect(renamed.status == .ok)
            #expect(try renamed.json()["signedOffBy"] == nil)
            #expect(try await client.api(.put, "/api/v1/protocols/\(standardInduction)", token: try await world.token(.nurse), json: protocolJSON(name: "x", expectedVersion: 2)).status == .forbidden)
        }
    }

    @Test func limitsNeverGoBeyondTheOuterBounds() async throws {
        try await TestWorld.with { world, client in
            // hard rate ≤ 2.0 mg/kg/h for any protocol (clinical-reference §4)
            let r = try await client.api(.put, "/api/v1/protocols/\(standardInduction)", token: try await world.token(.physician), json: protocolJSON(hardRatePerKg: 2.5))
            #expect(r.status == .unprocessableContent)
            #expect(r.text.contains("2.0 mg/kg/h") || r.text.contains("outer"))
            let noReason = try await client.api(.put, "/api/v1/protocols/\(standardInduction)", token: try await world.token(.physician), json: protocolJSON(hardRatePerKg: 1.8, reason: " "))
            #expect(noReason.text.contains("reason"))
        }
    }

    @Test func pagesListAndEditProtocols() async throws {
        try await TestWorld.with { world, client in
            let nurse = try await world.browser(.nurse)
            let list = try await client.page(.get, "/protocols", cookie: nurse.cookie).text
            #expect(list.contains("Standard induction") && list.contains("&gt; 2 mg/kg/h"))
            let detail = try await client.page(.get, "/protocols/\(standardInduction)", cookie: nurse.cookie).text
            #expect(detail.contains("Versions") && !detail.contains("Change this protocol"))
            let doc = try await world.browser(.physician)
            var form = ["csrf": doc.csrf, "expectedVersion": "1", "name": "Standard induction", "dosingKind": "weightBasedRate", "doseValue": "0.75",
                        "durationMinutes": "40", "inductionInfusions": "6", "minimumSpacingHours": "48", "softRateMgPerKgPerHour": "1",
                        "hardRateMgPerKgPerHour": "1.9", "softTotalMgPerKg": "1", "hardTotalMgPerKg": "1.5", "reason": "Clinic review 2026"]
            #expect(try await client.page(.post, "/protocols/\(standardInduction)", cookie: doc.cookie, form: form).status == .seeOther)
            form["expectedVersion"] = "2"
            form["hardRateMgPerKgPerHour"] = "abc"
            let bad = try await client.page(.post, "/protocols/\(standardInduction)", cookie: doc.cookie, form: form)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("must be a number"))
            #expect(try await client.page(.get, "/protocols", cookie: try await world.browser(.billing).cookie).status == .forbidden)
        }
    }
}
