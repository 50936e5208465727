import ClinicCore
import Foundation

extension ClinicAPI {
    func listPlans(_ input: Operations.ListPlans.Input) async throws -> Operations.ListPlans.Output {
        .ok(.init(body: .json(try await clinic.plans(of: try patientID(input.path.patientId), by: try actor()).map(Components.Schemas.Plan.init))))
    }

    func createPlan(_ input: Operations.CreatePlan.Input) async throws -> Operations.CreatePlan.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let form = TreatmentPlanForm(
            conditionCode: b.conditionCode, protocolID: b.protocolId, doseRateMgPerKgPerHour: b.doseRateMgPerKgPerHour.map(Format.shortest) ?? "",
            durationMinutes: b.durationMinutes.map(String.init) ?? "", goal: b.goal, plannedInfusions: b.plannedInfusions.map(String.init) ?? "",
            boosterIntervalDays: b.boosterIntervalDays.map(String.init) ?? "", notes: b.notes ?? "",
            standingOrders: (b.standingOrders ?? []).map {
                .init(purpose: $0.purpose.rawValue, medicine: $0.medicine, route: $0.route, minimumDoseMg: Format.shortest($0.minimumDoseMg),
                      maximumDoseMg: Format.shortest($0.maximumDoseMg), maximumDoses: String($0.maximumDosesPerSession),
                      minimumMinutesBetween: String($0.minimumMinutesBetweenDoses))
            })
        let plan = try await clinic.createPlan(for: try patientID(input.path.patientId), form, by: try actor())
        return .created(.init(body: .json(.init(plan))))
    }

    func getPlan(_ input: Operations.GetPlan.Input) async throws -> Operations.GetPlan.Output {
        .ok(.init(body: .json(.init(try await clinic.plan(try planID(input.path.planId), by: try actor())))))
    }

    func signPlanOrders(_ input: Operations.SignPlanOrders.Input) async throws -> Operations.SignPlanOrders.Output {
        .ok(.init(body: .json(.init(try await clinic.signOrders(try planID(input.path.planId), by: try actor())))))
    }

    func planID(_ text: String) throws -> TreatmentPlan.ID {
        guard let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("plan \(text)") }
        return TreatmentPlan.ID(uuid)
    }
}

extension Components.Schemas.Plan {
    init(_ p: TreatmentPlan) {
        self.init(
            id: p.id.rawValue.uuidString, patientId: p.patientID.rawValue.uuidString, conditionCode: p.condition.code.value,
            conditionDescription: p.condition.description, protocolId: p.protocolID.rawValue.uuidString, protocolVersion: p.protocolVersion,
            protocolName: p.protocolName, doseRateMgPerKgPerHour: p.adjustments.doseRateMicrogramsPerKgPerHour.map { Double($0) / 1000 },
            durationMinutes: p.adjustments.durationMinutes, notes: p.adjustments.notes, goal: p.goal, plannedInfusions: p.plannedInfusions,
            boosterIntervalDays: p.boosterIntervalDays, status: .init(rawValue: p.status.rawValue) ?? .draft, infusionOrder: p.orders.infusionOrder,
            standingOrders: p.orders.standingOrders.map {
                .init(id: $0.id.rawValue.uuidString, summary: $0.summary, purpose: .init(rawValue: $0.purpose.rawValue) ?? .other, medicine: $0.medicine,
                      route: $0.route, minimumDoseMg: $0.minimumDose.milligrams, maximumDoseMg: $0.maximumDose.milligrams,
                      maximumDosesPerSession: $0.maximumDosesPerSession, minimumMinutesBetweenDoses: $0.minimumMinutesBetweenDoses)
            },
            signedBy: p.orders.signedBy?.rawValue.uuidString, signedAt: p.orders.signedAt, createdAt: p.createdAt, createdBy: p.createdBy.rawValue.uuidString)
    }
}
