import ClinicCore
import Foundation
import OpenAPIRuntime

/// The JSON API: each handler decodes the generated input, calls one `Clinic` method and encodes the output.
/// No business rule lives here.
struct ClinicAPI: APIProtocol {
    let clinic: Clinic
    let metrics: ClinicMetrics

    func actor() throws -> Actor { try RequestScope.actor() }

    // MARK: Auth

    func signIn(_ input: Operations.SignIn.Input) async throws -> Operations.SignIn.Output {
        guard case .json(let body) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let client = RequestScope.current?.client ?? ""
        do {
            let s = try await clinic.signIn(email: body.email, password: body.password, kind: .api, client: client)
            return .ok(.init(body: .json(.init(token: s.token, expiresAt: s.expiresAt, user: .init(s.user)))))
        } catch .unknownAccount {
            metrics.unknownAccountSignIn(client: client)
            throw ClinicError.unauthenticated
        } catch .rejected(let e) {
            throw e
        }
    }

    func signOut(_ input: Operations.SignOut.Input) async throws -> Operations.SignOut.Output {
        guard let raw = RequestScope.current?.rawToken else { throw ClinicError.unauthenticated }
        try await clinic.signOut(token: raw, actor: try actor())
        return .noContent(.init())
    }

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let a = try actor()
        return .ok(.init(body: .json(.init(try await clinic.user(a.userID, by: a)))))
    }

    func changeOwnPassword(_ input: Operations.ChangeOwnPassword.Input) async throws -> Operations.ChangeOwnPassword.Output {
        guard case .json(let body) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        try await clinic.changeOwnPassword(try actor(), current: body.currentPassword, new: body.newPassword, keepToken: RequestScope.current?.rawToken)
        return .noContent(.init())
    }

    // MARK: Patients

    func searchPatients(_ input: Operations.SearchPatients.Input) async throws -> Operations.SearchPatients.Output {
        let q = PatientQuery(text: input.query.q ?? "", limit: input.query.limit ?? 50, offset: input.query.offset ?? 0)
        let (page, statuses) = try await clinic.searchPatients(q, by: try actor())
        let rows = page.patients.map { p in
            Components.Schemas.PatientSummary(p, status: statuses[p.id], showStatus: clinic.access.allows(try! actor(), AccessRequest(.read, .screeningStatus)))
        }
        return .ok(.init(body: .json(.init(total: page.total, patients: rows))))
    }

    func registerPatient(_ input: Operations.RegisterPatient.Input) async throws -> Operations.RegisterPatient.Output {
        guard case .json(let body) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let a = try actor()
        switch try await clinic.registerPatient(PatientForm(body), by: a) {
        case .registered(let p):
            let chart = try await clinic.chart(p.id, by: a, withHistory: false)
            return .created(.init(body: .json(.init(chart))))
        case .possibleDuplicates(let list):
            return .conflict(.init(body: .json(.init(
                title: "Possible duplicate patients: check them, then resend with confirmDuplicate true to register anyway",
                candidates: list.map { .init($0, status: nil, showStatus: false) }))))
        }
    }

    func getPatient(_ input: Operations.GetPatient.Input) async throws -> Operations.GetPatient.Output {
        let chart = try await clinic.chart(try patientID(input.path.patientId), by: try actor(), withHistory: false)
        return .ok(.init(body: .json(.init(chart))))
    }

    func updatePatient(_ input: Operations.UpdatePatient.Input) async throws -> Operations.UpdatePatient.Output {
        guard case .json(let body) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let a = try actor()
        let id = try patientID(input.path.patientId)
        _ = try await clinic.updatePatient(id, PatientForm(body), expectedRevision: body.expectedRevision, by: a)
        return .ok(.init(body: .json(.init(try await clinic.chart(id, by: a, withHistory: false)))))
    }

    func getPatientHistory(_ input: Operations.GetPatientHistory.Input) async throws -> Operations.GetPatientHistory.Output {
        let chart = try await clinic.chart(try patientID(input.path.patientId), by: try actor())
        guard let history = chart.history else { throw ClinicError.forbidden("Your role may not read the chart's history.") }
        return .ok(.init(body: .json(history.map {
            .init(revision: $0.revision, changedAt: $0.changedAt, changedBy: $0.changedBy.rawValue.uuidString, changedFields: $0.changedFields)
        })))
    }

    // MARK: Screening

    func screenPatient(_ input: Operations.ScreenPatient.Input) async throws -> Operations.ScreenPatient.Output {
        guard case .json(let body) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let s = try await clinic.screen(try patientID(input.path.patientId), form: ScreeningForm(body), by: try actor())
        return .created(.init(body: .json(.init(s, now: clinic.clock.now, timeZone: clinic.settings.timeZone))))
    }

    func getScreeningStatus(_ input: Operations.GetScreeningStatus.Input) async throws -> Operations.GetScreeningStatus.Output {
        let status = try await clinic.screeningStatus(of: try patientID(input.path.patientId), by: try actor())
        return .ok(.init(body: .json(.init(status, timeZone: clinic.settings.timeZone))))
    }

    func getScreening(_ input: Operations.GetScreening.Input) async throws -> Operations.GetScreening.Output {
        let s = try await clinic.screening(try screeningID(input.path.screeningId), by: try actor())
        return .ok(.init(body: .json(.init(s, now: clinic.clock.now, timeZone: clinic.settings.timeZone))))
    }

    func recordClearance(_ input: Operations.RecordClearance.Input) async throws -> Operations.RecordClearance.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        guard let kind = ClearanceKind(rawValue: b.kind.rawValue) else { throw ClinicError.invalid("kind", "is not a clearance kind") }
        guard let date = CalendarDate(b.date) else { throw ClinicError.invalid("date", "must be a date as YYYY-MM-DD") }
        let form = ClearanceForm(kind: kind, specialty: b.specialty, clinician: b.clinician, date: date, note: b.note)
        let s = try await clinic.decide(.recordClearance(form), on: try screeningID(input.path.screeningId), by: try actor())
        return .ok(.init(body: .json(.init(s, now: clinic.clock.now, timeZone: clinic.settings.timeZone))))
    }

    func signOffClearance(_ input: Operations.SignOffClearance.Input) async throws -> Operations.SignOffClearance.Output {
        guard let kind = ClearanceKind(rawValue: input.path.kind.rawValue) else { throw ClinicError.invalid("kind", "is not a clearance kind") }
        let s = try await clinic.decide(.signOff(kind), on: try screeningID(input.path.screeningId), by: try actor())
        return .ok(.init(body: .json(.init(s, now: clinic.clock.now, timeZone: clinic.settings.timeZone))))
    }

    func overrideScreening(_ input: Operations.OverrideScreening.Input) async throws -> Operations.OverrideScreening.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let decision = ScreeningDecision(rawValue: b.decision.rawValue) ?? .incomplete
        let s = try await clinic.decide(.override(decision, reason: b.reason), on: try screeningID(input.path.screeningId), by: try actor())
        return .ok(.init(body: .json(.init(s, now: clinic.clock.now, timeZone: clinic.settings.timeZone))))
    }

    // MARK: Users

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        .ok(.init(body: .json(try await clinic.listUsers(by: try actor()).map { .init($0) })))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let u = try await clinic.createUser(NewUserForm(email: b.email, displayName: b.displayName, role: b.role.rawValue, password: b.password), by: try actor())
        return .created(.init(body: .json(.init(u))))
    }

    func changeUser(_ input: Operations.ChangeUser.Input) async throws -> Operations.ChangeUser.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        guard let uuid = UUID(uuidString: input.path.userId) else { throw ClinicError.notFound("user \(input.path.userId)") }
        let id = User.ID(uuid)
        let a = try actor()
        var changes: [Clinic.UserChange] = []
        if let r = b.role { changes.append(.role(r.rawValue)) }
        if let d = b.disabled { changes.append(d ? .disable : .enable) }
        if b.unlock == true { changes.append(.unlock) }
        if let pw = b.resetPassword { changes.append(.resetPassword(pw)) }
        if changes.isEmpty { throw ClinicError.invalid("body", "name at least one of role, disabled, unlock, resetPassword") }
        var user: User?
        for c in changes { user = try await clinic.changeUser(id, c, by: a) }
        return .ok(.init(body: .json(.init(user!))))
    }

    // MARK: Audit

    func listAuditEntries(_ input: Operations.ListAuditEntries.Input) async throws -> Operations.ListAuditEntries.Output {
        let q = input.query
        let query = AuditQuery(actorID: q.actorId, resourceType: q.resourceType, resourceID: q.resourceId,
                               outcome: q.outcome.flatMap { AuditOutcome(rawValue: $0.rawValue) }, limit: q.limit ?? 100, offset: q.offset ?? 0)
        let entries = try await clinic.auditLog(query, by: try actor())
        return .ok(.init(body: .json(entries.map {
            .init(sequence: $0.sequence, at: $0.event.at, actorId: $0.event.actorID, actorRole: $0.event.actorRole, action: $0.event.action,
                  resourceType: $0.event.resourceType, resourceId: $0.event.resourceID,
                  outcome: .init(rawValue: $0.event.outcome.rawValue) ?? .failure, client: $0.event.client, detail: $0.event.detail)
        })))
    }

    // MARK: Ids

    func patientID(_ text: String) throws -> Patient.ID {
        guard let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("patient \(text)") }
        return Patient.ID(uuid)
    }

    func screeningID(_ text: String) throws -> Screening.ID {
        guard let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("screening \(text)") }
        return Screening.ID(uuid)
    }
}
