import ClinicCore
import Foundation

/// Payers, coverages, eligibility checks and prior authorisations through the JSON API: the same `Clinic` calls as the pages.
extension ClinicAPI {
    func listPayers(_ input: Operations.ListPayers.Input) async throws -> Operations.ListPayers.Output {
        .ok(.init(body: .json(try await clinic.payers(by: try actor()).map(Components.Schemas.Payer.init))))
    }

    func addPayer(_ input: Operations.AddPayer.Input) async throws -> Operations.AddPayer.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let plans = (b.plans ?? []).map { "\($0.name):\($0._type)" }.joined(separator: "\n")
        let p = try await clinic.addPayer(name: b.name, electronicID: b.electronicId ?? "", phone: b.phone ?? "", plans: plans, by: try actor())
        return .created(.init(body: .json(.init(p))))
    }

    func getPatientCoverage(_ input: Operations.GetPatientCoverage.Input) async throws -> Operations.GetPatientCoverage.Output {
        let id = try patientID(input.path.patientId)
        let a = try actor()
        let file = try await clinic.patientCoverage(id, by: a)
        let warnings = try await clinic.coverageWarnings(for: id, by: a)
        let today = clinic.today
        return .ok(.init(body: .json(.init(coverages: file.coverages.map { .init($0, today: today) }, eligibilityChecks: file.checks.map(Components.Schemas.EligibilityCheck.init),
                                           authorizations: file.authorizations.map(Components.Schemas.Authorization.init), warnings: warnings.map(\.message)))))
    }

    func addCoverage(_ input: Operations.AddCoverage.Input) async throws -> Operations.AddCoverage.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let form = ["payerID": b.payerId, "planName": b.planName ?? "", "memberID": b.memberId, "groupNumber": b.groupNumber ?? "",
                    "subscriberName": b.subscriberName ?? "", "relationship": b.relationship?.rawValue ?? "self", "effectiveFrom": b.effectiveFrom,
                    "effectiveTo": b.effectiveTo ?? "", "priority": String(b.priority)]
        let c = try await clinic.addCoverage(for: try patientID(input.path.patientId), form, by: try actor())
        return .created(.init(body: .json(.init(c, today: clinic.today))))
    }

    func recordEligibilityCheck(_ input: Operations.RecordEligibilityCheck.Input) async throws -> Operations.RecordEligibilityCheck.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        guard let id = UUID(uuidString: input.path.coverageId) else { throw ClinicError.notFound("coverage") }
        let c = try await clinic.recordEligibilityCheck(id, ["result": b.result.rawValue, "checkedOn": b.checkedOn ?? "", "method": b.method?.rawValue ?? "portal",
                                                             "reference": b.reference ?? "", "note": b.note ?? ""], by: try actor())
        return .created(.init(body: .json(.init(c))))
    }

    func addAuthorization(_ input: Operations.AddAuthorization.Input) async throws -> Operations.AddAuthorization.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let a = try await clinic.addAuthorization(for: try patientID(input.path.patientId), [
            "coverageID": b.coverageId, "number": b.number, "codes": b.codes.joined(separator: ","), "unit": b.unit.rawValue, "approved": String(b.approved),
            "validFrom": b.validFrom, "validTo": b.validTo], by: try actor())
        return .created(.init(body: .json(.init(a))))
    }
}

extension Components.Schemas.Payer {
    init(_ p: Payer) {
        self.init(id: p.id.uuidString, name: p.name, electronicId: p.electronicID, phone: p.phone, plans: p.plans.map { .init(name: $0.name, _type: $0.type) })
    }
}

extension Components.Schemas.Coverage {
    init(_ c: Coverage, today: CalendarDate) {
        self.init(id: c.id.uuidString, payerId: c.payerID.uuidString, payerName: c.payerName, planName: c.planName, memberId: c.memberID, groupNumber: c.groupNumber,
                  subscriberName: c.subscriberName, relationship: c.relationship.rawValue, effectiveFrom: c.effectiveFrom.description,
                  effectiveTo: c.effectiveTo?.description, priority: c.priority.rawValue, inEffect: c.isEffective(on: today))
    }
}

extension Components.Schemas.EligibilityCheck {
    init(_ e: EligibilityCheck) {
        self.init(id: e.id.uuidString, coverageId: e.coverageID.uuidString, checkedOn: e.checkedOn.description, result: e.result.rawValue, method: e.method,
                  reference: e.reference, note: e.note, checkedBy: e.checkedBy.rawValue.uuidString, at: e.at)
    }
}

extension Components.Schemas.Authorization {
    init(_ a: PriorAuthorization) {
        self.init(id: a.id.uuidString, coverageId: a.coverageID.uuidString, number: a.number, codes: a.codes, unit: a.unit.rawValue, approved: a.approved,
                  used: a.used, remaining: a.remaining, validFrom: a.validFrom.description, validTo: a.validTo.description,
                  sessions: a.usages.map { .init(sessionId: $0.sessionID.rawValue.uuidString, serviceDate: $0.serviceDate.description, quantity: $0.quantity) })
    }
}
