import ClinicCore
import ClinicServer
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct SignInAPITests {
    @Test func signInReturnsAnOpaqueTokenStoredOnlyAsAHash() async throws {
        try await TestWorld.with { world, client in
            let r = try await client.api(.post, "/api/v1/auth/sign-in", json: #"{"email":"NURSE@clinic.test","password":"\#(TestWorld.password)"}"#)
            #expect(r.status == .ok)
            let token = try r.json()["token"] as! String
            #expect(token.count >= 40)
            // stored only as SHA-256
            let stored = try await world.clinic.store.read { try await $0.token(hash: Clinic.tokenHash(token)) }
            #expect(stored?.userID == world.accounts[.nurse]!.id)
            #expect(try await world.clinic.store.read { try await $0.token(hash: token) } == nil)
            #expect(try await client.api(.get, "/api/v1/me", token: token).status == .ok)
        }
    }

    @Test func wrongPasswordIsRefusedAndAuditedUnderTheAccount() async throws {
        try await TestWorld.with { world, client in
            let r = try await client.api(.post, "/api/v1/auth/sign-in", json: #"{"email":"nurse@clinic.test","password":"wrong-password-here"}"#)
            #expect(r.status == .unauthorized)
            #expect(r.headers[.contentType] == "application/problem+json")
            let entries = try await world.audit(resource: world.accounts[.nurse]!.id.rawValue.uuidString)
            #expect(entries.first?.event.action == "signIn")
            #expect(entries.first?.event.outcome == .failure)
        }
    }

    @Test func unknownAccountIsCountedNotChained() async throws {
        try await TestWorld.with { world, client in
            let before = try await world.clinic.verifyAuditChain().entriesChecked
            let r = try await client.api(.post, "/api/v1/auth/sign-in", json: #"{"email":"nobody@clinic.test","password":"whatever-password"}"#)
            #expect(r.status == .unauthorized)
            #expect(try await world.clinic.verifyAuditChain().entriesChecked == before)
            let metrics = try await client.api(.get, "/metrics").text
            #expect(metrics.contains("deeprelief_sign_in_unknown_account_total"))
        }
    }

    @Test func accountLocksAfterRepeatedFailuresAndAnAdminUnlocks() async throws {
        try await TestWorld.with { world, client in
            for _ in 0..<5 {
                try await client.api(.post, "/api/v1/auth/sign-in", json: #"{"email":"nurse@clinic.test","password":"wrong-password-here"}"#)
            }
            // now even the right password is refused while locked
            let locked = try await client.api(.post, "/api/v1/auth/sign-in", json: #"{"email":"nurse@clinic.test","password":"\#(TestWorld.password)"}"#)
            #expect(locked.status == .unauthorized)
            #expect(locked.text.contains("locked"))
            // unlocked by time …
            world.clock.advance(by: 16 * 60)
            #expect(try await client.api(.post, "/api/v1/auth/sign-in", json: #"{"email":"nurse@clinic.test","password":"\#(TestWorld.password)"}"#).status == .ok)
            // … or by an admin
            for _ in 0..<5 {
                try await client.api(.post, "/api/v1/auth/sign-in", json: #"{"email":"nurse@clinic.test","password":"wrong-password-here"}"#)
            }
            let admin = try await world.token(.admin)
            let id = world.accounts[.nurse]!.id.rawValue.uuidString
            #expect(try await client.api(.patch, "/api/v1/users/\(id)", token: admin, json: #"{"unlock":true}"#).status == .ok)
            #expect(try await client.api(.post, "/api/v1/auth/sign-in", json: #"{"email":"nurse@clinic.test","password":"\#(TestWorld.password)"}"#).status == .ok)
        }
    }

    @Test func signOutRevokesTheToken() async throws {
        try await TestWorld.with { world, client in
            let t = try await world.token(.nurse)
            #expect(try await client.api(.post, "/api/v1/auth/sign-out", token: t).status == .noContent)
            #expect(try await client.api(.get, "/api/v1/me", token: t).status == .unauthorized)
        }
    }

    @Test func tokensExpire() async throws {
        try await TestWorld.with { world, client in
            let t = try await world.token(.nurse)
            world.clock.advance(by: 9 * 3600)
            #expect(try await client.api(.get, "/api/v1/me", token: t).status == .unauthorized)
        }
    }

    @Test func meWithoutTokenIs401AndCounted() async throws {
        try await TestWorld.with { _, client in
            let r = try await client.api(.get, "/api/v1/patients")
            #expect(r.status == .unauthorized)
            #expect(try r.json()["title"] as? String == "Sign-in required")
            #expect(try await client.api(.get, "/metrics").text.contains("deeprelief_refused_anonymous_total"))
        }
    }

    @Test func changeOwnPassword() async throws {
        try await TestWorld.with { world, client in
            let t = try await world.token(.nurse)
            let other = try await world.token(.nurse)
            let bad = try await client.api(.post, "/api/v1/me/password", token: t, json: #"{"currentPassword":"nope","newPassword":"a-brand-new-password"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("currentPassword"))
            let short = try await client.api(.post, "/api/v1/me/password", token: t, json: #"{"currentPassword":"\#(TestWorld.password)","newPassword":"short"}"#)
            #expect(short.text.contains("newPassword"))
            let ok = try await client.api(.post, "/api/v1/me/password", token: t, json: #"{"currentPassword":"\#(TestWorld.password)","newPassword":"a-brand-new-password"}"#)
            #expect(ok.status == .noContent)
            // this session stays, the user's other sessions end
            #expect(try await client.api(.get, "/api/v1/me", token: t).status == .ok)
            #expect(try await client.api(.get, "/api/v1/me", token: other).status == .unauthorized)
        }
    }

    @Test func firstAdminMustChangeGeneratedPasswordBeforeAnythingElse() async throws {
        try await TestWorld.with { world, client in
            let admin = Actor(userID: world.accounts[.admin]!.id, role: .admin)
            _ = try await world.clinic.createUser(NewUserForm(email: "new@clinic.test", displayName: "New", role: "nurse", password: "temporary-password-1"), by: admin)
            let t = try await world.clinic.signIn(email: "new@clinic.test", password: "temporary-password-1", kind: .api, client: "t").token
            let blocked = try await client.api(.get, "/api/v1/patients", token: t)
            #expect(blocked.status == .forbidden)
            #expect(blocked.text.contains("Password change required"))
            #expect(try await client.api(.post, "/api/v1/me/password", token: t, json: #"{"currentPassword":"temporary-password-1","newPassword":"my-own-password-2"}"#).status == .noContent)
            #expect(try await client.api(.get, "/api/v1/patients", token: t).status == .ok)
        }
    }
}

@Suite struct UsersAPITests {
    @Test func adminManagesUsersOthersMayNot() async throws {
        try await TestWorld.with { world, client in
            let admin = try await world.token(.admin)
            let physician = try await world.token(.physician)
            #expect(try await client.api(.get, "/api/v1/users", token: admin).jsonArray().count == 5)
            #expect(try await client.api(.get, "/api/v1/users", token: physician).status == .forbidden)
            let body = #"{"email":"rn2@clinic.test","displayName":"RN Two","role":"nurse","password":"temporary-password-1"}"#
            #expect(try await client.api(.post, "/api/v1/users", token: physician, json: body).status == .forbidden)
            let created = try await client.api(.post, "/api/v1/users", token: admin, json: body)
            #expect(created.status == .created)
            #expect(try created.json()["mustChangePassword"] as? Bool == true)
            let dup = try await client.api(.post, "/api/v1/users", token: admin, json: body)
            #expect(dup.status == .unprocessableContent)
            #expect(dup.text.contains("already used"))
            let id = try created.json()["id"] as! String
            let changed = try await client.api(.patch, "/api/v1/users/\(id)", token: admin, json: #"{"role":"physician"}"#)
            #expect(try changed.json()["role"] as? String == "physician")
            #expect(try await client.api(.patch, "/api/v1/users/\(id)", token: physician, json: #"{"role":"admin"}"#).status == .forbidden)
        }
    }

    @Test func disablingAUserEndsTheirSessionsAtOnce() async throws {
        try await TestWorld.with { world, client in
            let nurse = try await world.token(.nurse)
            #expect(try await client.api(.get, "/api/v1/me", token: nurse).status == .ok)
            let admin = try await world.token(.admin)
            let id = world.accounts[.nurse]!.id.rawValue.uuidString
            #expect(try await client.api(.patch, "/api/v1/users/\(id)", token: admin, json: #"{"disabled":true}"#).status == .ok)
            #expect(try await client.api(.get, "/api/v1/me", token: nurse).status == .unauthorized)
            let again = try await client.api(.post, "/api/v1/auth/sign-in", json: #"{"email":"nurse@clinic.test","password":"\#(TestWorld.password)"}"#)
            #expect(again.status == .unauthorized)
        }
    }

    @Test func resetPasswordForcesAChange() async throws {
        try await TestWorld.with { world, client in
            let admin = try await world.token(.admin)
            let id = world.accounts[.billing]!.id.rawValue.uuidString
            #expect(try await client.api(.patch, "/api/v1/users/\(id)", token: admin, json: #"{"resetPassword":"temporary-password-9"}"#).status == .ok)
            let t = try await world.clinic.signIn(email: "billing@clinic.test", password: "temporary-password-9", kind: .api, client: "t")
            #expect(t.user.mustChangePassword)
        }
    }
}

@Suite struct AuditAPITests {
    @Test func adminReadsTheAuditLogOthersMayNot() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient()
            let admin = try await world.token(.admin)
            let entries = try await client.api(.get, "/api/v1/audit?resourceId=\(p.id.rawValue.uuidString)", token: admin).jsonArray()
            #expect(entries.first?["action"] as? String == "create")
            #expect(try await client.api(.get, "/api/v1/audit", token: try await world.token(.nurse)).status == .forbidden)
        }
    }
}

@Suite struct OperationalRoutesTests {
    @Test func healthReportsTheDatabase() async throws {
        try await TestWorld.with { world, client in
            let r = try await client.api(.get, "/health")
            #expect(r.status == .ok)
            #expect(r.text.contains("\"reachable\":true"))
            #expect(r.text.contains(world.clinic.store.engine))
        }
    }

    @Test func metricsCountRequestsByRouteWithoutPatientData() async throws {
        try await TestWorld.with { world, client in
            let p = try await world.patient("Zelda", "Quixote")
            let t = try await world.token(.physician)
            try await client.api(.get, "/api/v1/patients/\(p.id.rawValue.uuidString)", token: t)
            let m = try await client.api(.get, "/metrics").text
            #expect(m.contains("deeprelief_http_requests_total"))
            #expect(m.contains("route=\"/api/v1/patients/{patientId}\""))
            #expect(m.contains("deeprelief_http_request_duration_seconds_bucket"))
            #expect(!m.contains(p.id.rawValue.uuidString))
            #expect(!m.contains("Quixote"))
        }
    }

    @Test func livezAnswersWithoutTheDatabaseAndEveryResponseCarriesServerTiming() async throws {
        try await TestWorld.with { _, client in
            let r = try await client.api(.get, "/livez")
            #expect(r.status == .ok && r.text == "ok\n")
            #expect(r.headers[HTTPField.Name("Server-Timing")!]?.hasPrefix("app;dur=") == true)
            #expect(try await client.api(.get, "/api/v1/patients").headers[HTTPField.Name("Server-Timing")!] != nil)
        }
    }

    @Test func openAPIDocumentIsServed() async throws {
        try await TestWorld.with { _, client in
            let doc = try await client.api(.get, "/openapi.json").json()
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = doc["paths"] as? [String: Any] ?? [:]
            #expect(paths["/api/v1/patients/{patientId}"] != nil)
            #expect(paths["/api/v1/screenings/{screeningId}/override"] != nil)
        }
    }
}
