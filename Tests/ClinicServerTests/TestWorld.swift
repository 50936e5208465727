import ClinicCore
import ClinicServer
import ClinicTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// One staff account of each role with a known password, on a fresh database, behind the real app.
struct TestWorld: Sendable {
    let db: TestDatabase
    let clinic: Clinic
    let app: ClinicApp
    let clock: TestClock
    let accounts: [Role: User]
    static let password = "correct-horse-battery-staple"

    static func email(_ role: Role) -> String { "\(role.rawValue.lowercased())@clinic.test" }

    /// Runs `body` with a fresh world and an in-process client of the real app.
    static func with(_ body: @Sendable (TestWorld, any TestClientProtocol) async throws -> Void) async throws {
        try await TestDatabase.with { db in
            let world = try await make(db)
            let application = Application(router: try world.app.router())
            try await application.test(.router) { client in
                try await body(world, client)
            }
        }
    }

    /// A world on `db`: the accounts, the protocol library and the app, without a client.
    static func make(_ db: TestDatabase) async throws -> TestWorld {
        let clock = TestClock(Date())
        // Real bcrypt, at the lowest cost so the suite stays fast.
        let clinic = Clinic(store: db.store, auditKey: testAuditKey, passwords: BcryptPasswordHasher(cost: 4, threads: 1), clock: clock)
        _ = try await clinic.bootstrapAdmin(email: email(.admin), password: password, mustChange: false)
        let admin = try await clinic.store.read { try await $0.user(email: email(.admin)) }!.0
        var accounts: [Role: User] = [.admin: admin]
        let adminActor = Actor(userID: admin.id, role: .admin)
        for role in [Role.physician, .nurse, .frontDesk, .billing] {
            accounts[role] = try await clinic.createUser(NewUserForm(email: email(role), displayName: "Test \(role.title)", role: role.rawValue,
                                                                     password: password), by: adminActor, mustChangePassword: false)
        }
        try await clinic.seedProtocolLibrary()
        let app = ClinicApp(clinic: clinic, pages: try await PageRenderer.load())
        return TestWorld(db: db, clinic: clinic, app: app, clock: clock, accounts: accounts)
    }

    func actor(_ role: Role) -> Actor { Actor(userID: accounts[role]!.id, role: role, client: "test") }

    /// A bearer token for a role (through the real sign-in).
    func token(_ role: Role) async throws -> String {
        try await clinic.signIn(email: Self.email(role), password: Self.password, kind: .api, client: "test").token
    }

    /// A browser session (cookie value and CSRF token) for a role.
    func browser(_ role: Role) async throws -> (cookie: String, csrf: String) {
        let s = try await clinic.signIn(email: Self.email(role), password: Self.password, kind: .browser, client: "test")
        return (s.token, s.csrf)
    }

    /// Registers a patient directly through `Clinic` (as a physician).
    func patient(_ given: String = "Ann", _ family: String = "Able", dob: String = "1980-04-12", meds: Bool = true) async throws -> Patient {
        var f = PatientForm()
        f.givenName = given
        f.familyName = family
        f.dateOfBirth = dob
        f.phone = "555 010 \(Int.random(in: 1000...9999))"
        f.diagnoses = [.init(code: "G90.511", description: "CRPS I right upper limb", isPrimary: true)]
        if meds { f.medications = [.init(name: "Oxycodone 10 mg", opioid: "oxycodone", route: "oral", dailyAmount: "30")] }
        f.confirmDuplicate = true
        guard case .registered(let p) = try await clinic.registerPatient(f, by: actor(.physician)) else { throw ClinicError.conflict("dup") }
        return p
    }

    /// A screening with every answer "all clear" and the given blood pressure.
    func screeningForm(systolic: Int = 120, diastolic: Int = 80, cardiovascular: CardiovascularStatus = .none) -> ScreeningForm {
        let t = clock.now.addingTimeInterval(-900)
        return ScreeningForm(
            bloodPressureReadings: [BloodPressureReading(systolic: systolic, diastolic: diastolic, takenAt: t),
                                    BloodPressureReading(systolic: systolic, diastolic: diastolic, takenAt: t.addingTimeInterval(360))],
            cardiovascular: cardiovascular, psychosis: PsychosisStatus.none, hepatic: HepaticStatus.none, heavyAlcoholUse: false,
            raisedIntracranialPressure: false, raisedIntraocularPressure: false, activeSubstanceAbuse: false, pregnancy: .notPregnant,
            ketamineHypersensitivity: false, priorKetamineExposure: false, notes: "")
    }

    /// The audit entries about one resource, newest first.
    func audit(resource id: String) async throws -> [AuditEntry] {
        try await clinic.store.read { try await $0.auditEntries(AuditQuery(resourceID: id, limit: 500)) }
    }
}

extension TestClientProtocol {
    /// A JSON API call with an optional bearer token.
    @discardableResult
    func api(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.accept: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { $0 }
    }

    /// A page request with a session cookie; `form` is sent url-encoded.
    @discardableResult
    func page(_ method: HTTPRequest.Method, _ uri: String, cookie: String? = nil, form: [String: String]? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = "dr_session=\(cookie)" }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            body = ByteBuffer(string: form.map { "\($0.key.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
                .joined(separator: "&"))
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { $0 }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }
    func jsonArray() throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? []
    }
}
