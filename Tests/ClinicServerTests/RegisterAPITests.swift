import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

private let receipt = #"{"ndc":"0409-2051-05","lot":"API-1","expiry":"2099-12-31","strengthMgPerMl":50,"microlitresPerVial":10000,"quantity":2,"multiDose":true,"supplier":"Demo Wholesale","invoice":"INV-9"}"#

/// The controlled-substance register through the JSON API (clinical-reference §9; issue 6): roles, draws, witnessed
/// waste, counts and discrepancies.
@Suite struct RegisterAPITests {
    @Test func rolesFollowTheAccessTable() async throws {
        try await TestWorld.with { world, client in
            #expect(try await client.api(.get, "/api/v1/register").status == .unauthorized)
            #expect(try await client.api(.post, "/api/v1/register/receipts", token: try await world.token(.billing), json: receipt).status == .forbidden)
            #expect(try await client.api(.get, "/api/v1/register", token: try await world.token(.frontDesk)).status == .forbidden)
            let created = try await client.api(.post, "/api/v1/register/receipts", token: try await world.token(.nurse), json: receipt)
            #expect(created.status == .created)
            #expect(try created.jsonArray().count == 2)
            let overview = try await client.api(.get, "/api/v1/register", token: try await world.token(.billing))
            #expect(overview.status == .ok)
            #expect((try overview.json()["vials"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test func aBadReceiptNamesEachFieldAndStoresNothing() async throws {
        try await TestWorld.with { world, client in
            let nurse = try await world.token(.nurse)
            let bad = receipt.replacingOccurrences(of: "0409-2051-05", with: "nope").replacingOccurrences(of: "2099-12-31", with: "2001-01-01")
            let r = try await client.api(.post, "/api/v1/register/receipts", token: nurse, json: bad)
            #expect(r.status == .unprocessableContent)
            let fields = Set(((try r.json()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["ndc", "expiry"])
            #expect((try await client.api(.get, "/api/v1/register", token: nurse).json()["vials"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aDrawWitnessedWasteAndACountThatDisagreesThroughTheAPI() async throws {
        try await TestWorld.with { world, client in
            let nurse = try await world.token(.nurse)
            let vials = try await client.api(.post, "/api/v1/register/receipts", token: nurse, json: receipt).jsonArray()
            let vialID = try #require(vials.first?["id"] as? String)
            // a preparation draws 2 mL (100 mg) from the vial
            let (token, sid) = try await world.checkedInSession(client)
            let api = "/api/v1/sessions/\(sid)"
            let prep = try await client.api(.post, api + "/steps", token: token,
                                            json: #"{"kind":"preparation","vialStrengthMgPerMl":50,"volumeDrawnMl":2,"diluentMl":98,"vialId":"\#(vialID)"}"#)
            #expect(prep.status == .ok)
            let vial = try await client.api(.get, "/api/v1/register/vials/\(vialID)", token: nurse).json()
            #expect((vial["vial"] as? [String: Any])?["remainingMicrolitres"] as? Int == 8_000)
            // the infusion: 52.5 mg/h for 40 min = 35 mg given; 65 mg left to waste
            #expect(try await client.api(.post, api + "/checklist", token: token, json: checklistJSON(now: world.clock.now)).status == .ok)
            #expect(try await client.api(.post, api + "/start", token: token, json: "{}").status == .ok)
            world.clock.advance(by: 40 * 60)
            let done = try await client.api(.post, api + "/steps", token: try await world.token(.nurse), json: #"{"kind":"complete"}"#)
            #expect(done.status == .ok)
            let nurse2 = try await world.token(.nurse)
            let account = try await client.api(.get, api + "/drug-account", token: nurse2).json()
            #expect(account["drawnMicrograms"] as? Int == 100_000 && account["administeredMicrograms"] as? Int == 35_000 && account["settled"] as? Bool == false)
            // the waste needs a witness who is not the nurse herself
            let selfWitness = #"{"wastedMicrograms":65000,"witness":{"email":"nurse@clinic.test","password":"\#(TestWorld.password)"}}"#
            #expect(try await client.api(.post, api + "/waste", token: nurse2, json: selfWitness).status == .unprocessableContent)
            let witnessed = #"{"wastedMicrograms":65000,"reason":"remainder","witness":{"email":"physician@clinic.test","password":"\#(TestWorld.password)"}}"#
            let wasted = try await client.api(.post, api + "/waste", token: nurse2, json: witnessed)
            #expect(wasted.status == .ok)
            #expect(try wasted.json()["settled"] as? Bool == true)
            // a count: the opened vial measured within 0.1 mL is variance; a missing sealed vial is a discrepancy that blocks draws
            let stock = "00409205105|API-1"
            let count = try await client.api(.post, "/api/v1/register/counts", token: nurse2,
                                             json: #"{"sealed":[{"stock":"\#(stock)","count":0}],"opened":[{"vialId":"\#(vialID)","measuredMicrolitres":7950}]}"#)
            #expect(count.status == .created)
            let result = try count.json()
            #expect(result["outcome"] as? String == "discrepancy")
            let outcomes = Set(((result["lines"] as? [[String: Any]]) ?? []).compactMap { $0["outcome"] as? String })
            #expect(outcomes == ["variance", "discrepancy"])
            let overview = try await client.api(.get, "/api/v1/register", token: nurse2).json()
            let discrepancy = try #require((overview["openDiscrepancies"] as? [[String: Any]])?.first?["id"] as? String)
            // the nurse may not resolve it; the physician does
            let resolution = #"{"resolution":"Vial found in the pharmacy fridge"}"#
            #expect(try await client.api(.post, "/api/v1/register/discrepancies/\(discrepancy)/resolution", token: nurse2, json: resolution).status == .forbidden)
            let resolved = try await client.api(.post, "/api/v1/register/discrepancies/\(discrepancy)/resolution", token: try await world.token(.physician), json: resolution)
            let resolvedBody = try resolved.json()
            #expect(resolved.status == .ok && resolvedBody["open"] as? Bool == false)
            // the dispensing log has every line
            // (from yesterday: the infusion's 40 minutes may cross midnight)
            let today = world.clinic.today
            let log = try await client.api(.get, "/api/v1/register/log?from=\(today.adding(days: -1))&to=\(today)", token: nurse2).jsonArray()
            let kinds = Set(log.compactMap { $0["kind"] as? String })
            #expect(kinds.isSuperset(of: ["received", "drawn", "administered", "wasted", "variance", "discrepancy", "resolved"]))
        }
    }
}
