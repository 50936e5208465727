import Foundation
import Tagged

extension PlanAdjustments {
    /// The protocol with the patient-specific dose rate and duration applied.
    public func applied(to p: InfusionProtocol) -> InfusionProtocol {
        var q = p
        if let rate = doseRateMicrogramsPerKgPerHour { q.dosing = .weightBasedRate(WeightBasedRate(microgramsPerKilogramPerHour: rate)) }
        if let minutes = durationMinutes { q.durationMinutes = minutes }
        return q
    }
}

extension TreatmentPlan {
    /// The protocol as this plan runs it: the exact version with the patient-specific adjustments applied.
    public func adjusted(_ p: InfusionProtocol) -> InfusionProtocol { adjustments.applied(to: p) }
}

extension Clinic {
    /// Writes a plan (draft) for a patient whose latest screening is eligible now — after any clearance, or by a
    /// physician's override — and still valid (clinical-reference §2). The orders are signed in a second step.
    public func createPlan(for patientID: Patient.ID, _ form: TreatmentPlanForm, by actor: Actor) async throws -> TreatmentPlan {
        try await require(actor, AccessRequest(.create, .treatmentPlan, patient: patientID))
        let now = clock.now
        let loaded: (Patient, Screening?)? = try await store.read { tx in
            guard let p = try await tx.patient(patientID) else { return nil }
            return (p, try await tx.screenings(of: patientID).first)
        }
        guard let (patient, latest) = loaded else { throw ClinicError.notFound("patient \(patientID.rawValue)") }
        guard let screening = latest else {
            throw ClinicError.conflict("\(patient.demographics.displayName) has not been screened: screen first, then plan")
        }
        let status = screening.lifecycle.status(asOf: now)
        guard status.isEligibleNow else {
            throw ClinicError.conflict("A plan needs an eligible, current screening; the latest is “\(status.label(in: settings.timeZone))”")
        }
        var errors = FieldErrors()
        let code = form.conditionCode.trimmingCharacters(in: .whitespaces).uppercased()
        let condition = patient.clinical.diagnoses.first { $0.code.value == code }
        if condition == nil { errors.add("conditionCode", "must be one of the chart's diagnoses (\(patient.clinical.diagnoses.map(\.code.value).joined(separator: ", ")))") }
        let protocolUUID = UUID(uuidString: form.protocolID)
        if protocolUUID == nil { errors.add("protocolID", "choose a protocol from the library") }
        let goal = form.goal.trimmingCharacters(in: .whitespacesAndNewlines)
        if goal.isEmpty { errors.add("goal", "is required (e.g. ≥ 30 % less pain, fewer opioids)") }
        if goal.count > 1000 { errors.add("goal", "must be at most 1000 characters") }
        func whole(_ text: String, _ field: String, _ range: ClosedRange<Int>) -> Int? {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return nil }
            guard let v = Int(t), range.contains(v) else {
                errors.add(field, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return v
        }
        let infusions = whole(form.plannedInfusions, "plannedInfusions", 1...30)
        let duration = whole(form.durationMinutes, "durationMinutes", 10...600)
        let booster = whole(form.boosterIntervalDays, "boosterIntervalDays", 7...730)
        var rateOverride: Int64?
        let rateText = form.doseRateMgPerKgPerHour.trimmingCharacters(in: .whitespaces)
        if !rateText.isEmpty {
            if let v = Double(rateText), v.isFinite, v > 0, v < 100 { rateOverride = Int64((v * 1000).rounded()) }
            else { errors.add("doseRateMgPerKgPerHour", "must be a positive number of mg/kg/h") }
        }
        let standing: [StandingOrder]
        do { standing = try form.validatedStandingOrders(ids: { self.ids.next() }) } catch ClinicError.invalid(let list) {
            for e in list { errors.add(e.field, e.reason) }
            standing = []
        }
        try errors.throwIfAny()
        let latestProtocols = try await protocols(by: actor)
        guard let base = latestProtocols.first(where: { $0.id.rawValue == protocolUUID! }) else {
            throw ClinicError.invalid("protocolID", "is not in the protocol library")
        }
        let adjustments = PlanAdjustments(doseRateMicrogramsPerKgPerHour: rateOverride, durationMinutes: duration, notes: form.notes)
        // A patient-specific rate must stay within the protocol's limits for the charted weight (clinical-reference §4):
        // the order is a programmed rate, so above a hard limit it is refused, and above a soft limit it is not ordered here.
        if rateOverride != nil || duration != nil {
            let probe = adjustments.applied(to: base)
            if let weight = patient.body.weight {
                let dose = try probe.orderedDose(for: weight)
                let verdict = LimitCheck.check(rate: dose.rate, plannedTotal: dose.plannedTotal, weight: weight, protocol: base)
                if !verdict.breaches.isEmpty {
                    throw ClinicError.invalid("doseRateMgPerKgPerHour", verdict.breaches.map(\.explanation).joined(separator: "; ")
                                              + (verdict.isRefused ? "" : " — order within the soft limits; a rate above them needs a second clinician at the session"))
                }
            } else {
                throw ClinicError.invalid("doseRateMgPerKgPerHour", "record the patient's weight on the chart before adjusting the dose, so the limits can be checked")
            }
        }
        let adjusted = adjustments.applied(to: base)
        var orderText = "Ketamine IV per \(base.name) v\(base.version): \(adjusted.dosing.summary) over \(adjusted.durationMinutes) min"
        if let cap = adjusted.absoluteRateCap { orderText += ", never above \(cap)" }
        if let weight = patient.body.weight, let dose = try? adjusted.orderedDose(for: weight) {
            orderText += " (\(dose.rate) at the charted \(weight.display); dose from today's weight at each session)"
        }
        let plan = TreatmentPlan(
            id: TreatmentPlan.ID(ids.next()), patientID: patientID, condition: condition!, protocolID: base.id, protocolVersion: base.version,
            protocolName: base.name, adjustments: adjustments, goal: goal, plannedInfusions: infusions ?? base.inductionInfusions,
            boosterIntervalDays: booster ?? base.boosterIntervalDays,
            orders: OrderSet(infusionOrder: orderText, standingOrders: standing), status: .draft, screeningID: screening.id,
            createdAt: now, createdBy: actor.userID)
        try await store.write { tx in
            try await tx.put(plan, in: .treatmentPlans, id: plan.id.rawValue.uuidString,
                             index: DocumentIndex(patientID: patientID.rawValue.uuidString, refID: plan.protocolID.rawValue.uuidString, status: plan.status.rawValue))
            try await self.audit(tx, actor, AccessRequest(.create, .treatmentPlan, patient: patientID, id: plan.id.rawValue.uuidString))
        }
        return plan
    }

    /// A physician signs the order set: the plan becomes active and its series can be booked.
    public func signOrders(_ planID: TreatmentPlan.ID, by actor: Actor) async throws -> TreatmentPlan {
        guard access.table[actor.role]?[.treatmentPlan]?.contains(.decide) == true else {
            try await require(actor, AccessRequest(.decide, .treatmentPlan, id: planID.rawValue.uuidString))
            throw ClinicError.forbidden("")
        }
        let now = clock.now
        return try await store.write { tx in
            guard var plan = try await tx.get(TreatmentPlan.self, from: .treatmentPlans, id: planID.rawValue.uuidString) else {
                throw ClinicError.notFound("plan \(planID.rawValue)")
            }
            let request = AccessRequest(.decide, .treatmentPlan, patient: plan.patientID, id: planID.rawValue.uuidString)
            guard self.access.allows(actor, request) else { throw ClinicError.forbidden("") }
            guard plan.status == .draft else { throw ClinicError.conflict("These orders are already signed (plan is \(plan.status.rawValue))") }
            // The screening must still be current when the orders are signed.
            if let s = try await tx.screening(plan.screeningID), !s.lifecycle.status(asOf: now).isEligibleNow {
                throw ClinicError.conflict("The patient's screening is no longer current (“\(s.lifecycle.status(asOf: now).label(in: self.settings.timeZone))”): re-screen before signing")
            }
            plan.orders.signedBy = actor.userID
            plan.orders.signedAt = now
            plan.status = .active
            try await tx.put(plan, in: .treatmentPlans, id: planID.rawValue.uuidString,
                             index: DocumentIndex(patientID: plan.patientID.rawValue.uuidString, refID: plan.protocolID.rawValue.uuidString, status: plan.status.rawValue))
            try await self.audit(tx, actor, request, detail: "sign-orders")
            try await self.refreshOutcomeSummary(plan.patientID, tx)
            return plan
        }
    }

    /// A patient's plans, newest first (audited read).
    public func plans(of patientID: Patient.ID, by actor: Actor) async throws -> [TreatmentPlan] {
        let request = AccessRequest(.list, .treatmentPlan, patient: patientID)
        try await require(actor, request)
        let plans = try await store.read { try await $0.all(TreatmentPlan.self, from: .treatmentPlans, DocumentQuery(patientID: patientID.rawValue.uuidString)) }
        try await recordRead(actor, request)
        return plans.sorted { $0.createdAt > $1.createdAt }
    }

    /// One plan (audited read).
    public func plan(_ id: TreatmentPlan.ID, by actor: Actor) async throws -> TreatmentPlan {
        guard access.table[actor.role]?[.treatmentPlan]?.contains(.read) == true else {
            try await require(actor, AccessRequest(.read, .treatmentPlan, id: id.rawValue.uuidString))
            throw ClinicError.forbidden("")
        }
        guard let plan = try await store.read({ try await $0.get(TreatmentPlan.self, from: .treatmentPlans, id: id.rawValue.uuidString) }) else {
            throw ClinicError.notFound("plan \(id.rawValue)")
        }
        let request = AccessRequest(.read, .treatmentPlan, patient: plan.patientID, id: id.rawValue.uuidString)
        try await require(actor, request)
        try await recordRead(actor, request)
        return plan
    }
}
