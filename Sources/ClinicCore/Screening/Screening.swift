import Foundation

/// One candidacy screening of a patient as stored: the answers, the rules' result and what followed.
public struct Screening: Sendable, Hashable, Codable, Identifiable {
    public var id: ID
    public var patientID: Patient.ID
    public var form: ScreeningForm
    /// The chart facts the rules saw (allergies, diagnosis codes) at the time.
    public var chartFacts: ScreeningChartFacts
    public var lifecycle: ScreeningLifecycle

    public init(id: ID, patientID: Patient.ID, form: ScreeningForm, chartFacts: ScreeningChartFacts, lifecycle: ScreeningLifecycle) {
        self.id = id
        self.patientID = patientID
        self.form = form
        self.chartFacts = chartFacts
        self.lifecycle = lifecycle
    }

    public var screenedAt: Date { lifecycle.screenedAt }
    public var evaluation: ScreeningEvaluation { lifecycle.evaluation }
}

extension ScreeningChartFacts {
    /// What the chart tells the rules.
    public init(_ patient: Patient) {
        self.init(allergies: patient.clinical.allergies.map { "\($0.substance) \($0.reaction)" },
                  diagnosisCodes: patient.clinical.diagnoses.map(\.code.value))
    }
}

/// A physician's step on a screening.
public enum ScreeningDecisionStep: Sendable, Hashable {
    case recordClearance(ClearanceForm)
    case signOff(ClearanceKind)
    case override(ScreeningDecision, reason: String)
}

extension Clinic {
    /// Screens a patient: the rules engine evaluates the chart and the form; the result is stored with the rule-set
    /// version and thresholds in force.
    public func screen(_ patientID: Patient.ID, form: ScreeningForm, by actor: Actor) async throws -> Screening {
        try await require(actor, AccessRequest(.create, .screening, patient: patientID))
        let checked = try form.validated()
        let now = clock.now
        let id = Screening.ID(ids.next())
        let rules = settings.screeningRules
        defer { charts.remove(patientID) }  // again after the commit
        return try await store.write { tx in
            guard let patient = try await tx.patient(patientID) else { throw ClinicError.notFound("patient \(patientID.rawValue)") }
            let facts = ScreeningChartFacts(patient)
            let evaluation = rules.evaluate(form: checked, chart: facts)
            let screening = Screening(id: id, patientID: patientID, form: checked, chartFacts: facts,
                                      lifecycle: ScreeningLifecycle(evaluation: evaluation, screenedAt: now, screenedBy: actor.userID))
            try await tx.insert(screening)
            self.charts.remove(patientID)
            try await self.audit(tx, actor, AccessRequest(.create, .screening, patient: patientID, id: id.rawValue.uuidString),
                                 detail: "decision:\(evaluation.decision.rawValue)")
            return screening
        }
    }

    /// One screening with its answers and reasons (audited).
    public func screening(_ id: Screening.ID, by actor: Actor) async throws -> Screening {
        // Refuse roles that may never read screenings before looking anything up.
        guard access.table[actor.role]?[.screening]?.contains(.read) == true else {
            try await require(actor, AccessRequest(.read, .screening, id: id.rawValue.uuidString))
            throw ClinicError.forbidden("")
        }
        guard let s = try await store.read({ try await $0.screening(id) }) else {
            throw ClinicError.notFound("screening \(id.rawValue)")
        }
        let request = AccessRequest(.read, .screening, patient: s.patientID, id: id.rawValue.uuidString)
        try await require(actor, request)
        try await recordRead(actor, request)
        return s
    }

    /// The latest screening status of a patient (front desk sees only this).
    public func screeningStatus(of patientID: Patient.ID, by actor: Actor) async throws -> ScreeningStatus? {
        let request = AccessRequest(.read, .screeningStatus, patient: patientID)
        try await require(actor, request)
        let latest = try await store.read { tx -> Screening?? in
            guard try await tx.patient(patientID) != nil else { return nil }
            return .some(try await tx.screenings(of: patientID).first)
        }
        guard let latest else { throw ClinicError.notFound("patient \(patientID.rawValue)") }
        try await recordRead(actor, request)
        return latest?.lifecycle.status(asOf: clock.now)
    }

    /// Records a clearance (nurse or physician), signs one off, or overrides the decision (physician only).
    public func decide(_ step: ScreeningDecisionStep, on id: Screening.ID, by actor: Actor) async throws -> Screening {
        let kind: ResourceKind
        let action: AccessAction
        switch step {
        case .recordClearance: (kind, action) = (.screening, .update)
        case .signOff, .override: (kind, action) = (.screeningDecision, .decide)
        }
        guard access.table[actor.role]?[kind]?.contains(action) == true else {
            try await require(actor, AccessRequest(action, kind, id: id.rawValue.uuidString))
            throw ClinicError.forbidden("")
        }
        let now = clock.now
        let tz = settings.timeZone
        let decided: Screening = try await store.write { tx in
            guard var s = try await tx.screening(id) else { throw ClinicError.notFound("screening \(id.rawValue)") }
            let request = AccessRequest(action, kind, patient: s.patientID, id: id.rawValue.uuidString)
            guard self.access.allows(actor, request) else { throw ClinicError.forbidden("not this patient's record") }
            let detail: String
            switch step {
            case .recordClearance(let form):
                try s.lifecycle.recordClearance(form, at: now, in: tz, by: actor.userID)
                detail = "clearance:\(form.kind.rawValue)"
            case .signOff(let k):
                try s.lifecycle.signOff(kind: k, by: actor.userID, at: now)
                detail = "sign-off:\(k.rawValue)"
            case .override(let decision, let reason):
                try s.lifecycle.overrideDecision(decision, reason: reason, at: now, by: actor.userID)
                detail = "override:\(decision.rawValue)"
            }
            try await tx.update(s)
            self.charts.remove(s.patientID)
            try await self.audit(tx, actor, request, detail: detail)
            return s
        }
        charts.remove(decided.patientID)  // again after the commit
        return decided
    }
}
