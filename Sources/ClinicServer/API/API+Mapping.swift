import ClinicCore
import Foundation

// Maps between the generated API types and ClinicCore values, at the edge only.

extension Components.Schemas.User {
    init(_ u: User) {
        self.init(id: u.id.rawValue.uuidString, email: u.email, displayName: u.displayName,
                  role: .init(rawValue: u.role.rawValue) ?? .nurse, disabled: u.isDisabled,
                  locked: (u.lockedUntil ?? .distantPast) > Date(), mustChangePassword: u.mustChangePassword, createdAt: u.createdAt)
    }
}

extension Components.Schemas.ScreeningStatus {
    init(_ status: ScreeningStatus?, timeZone: TimeZone) {
        guard let status else {
            self.init(code: .none, label: "Not screened")
            return
        }
        let label = status.label(in: timeZone)
        switch status {
        case .eligible(let until): self.init(code: .eligible, label: label, validUntil: until)
        case .needsClearance(let kinds):
            self.init(code: .needsClearance, label: label, pendingClearances: kinds.compactMap { .init(rawValue: $0.rawValue) })
        case .notEligible: self.init(code: .notEligible, label: label)
        case .incomplete: self.init(code: .incomplete, label: label)
        case .expired: self.init(code: .expired, label: label)
        case .rescreenRequired: self.init(code: .rescreenRequired, label: label)
        }
    }
}

extension Components.Schemas.PatientSummary {
    init(_ p: PatientSummary, status: ScreeningStatus?, showStatus: Bool, timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.init(id: p.id.rawValue.uuidString, mrn: p.mrn.value, givenName: p.givenName, familyName: p.familyName,
                  dateOfBirth: p.dateOfBirth.description, primaryDiagnosis: p.primaryDiagnosis,
                  screeningStatus: showStatus ? .init(status, timeZone: timeZone) : nil)
    }
}

extension Components.Schemas.PatientChart {
    init(_ chart: PatientChart) {
        let p = chart.patient
        self.init(
            id: p.id.rawValue.uuidString, mrn: p.mrn.value, givenName: p.demographics.givenName, familyName: p.demographics.familyName,
            dateOfBirth: p.demographics.dateOfBirth.description, sex: .init(rawValue: p.demographics.sex.rawValue) ?? .unknown,
            phone: p.contact.phone, email: p.contact.email, address: p.contact.address,
            escorts: p.escorts.map { .init(name: $0.name, relationship: $0.relationship, phone: $0.phone) },
            weight: p.body.weight.map { w in
                .init(value: w.enteredUnit == .kg ? w.kilograms : (w.pounds * 10).rounded() / 10, unit: .init(rawValue: w.enteredUnit.rawValue)!,
                      kilograms: w.kilograms, display: w.display)
            },
            height: p.body.height.map { h in
                .init(value: h.enteredUnit == .cm ? h.centimetres : (h.inches * 10).rounded() / 10, unit: .init(rawValue: h.enteredUnit.rawValue)!,
                      centimetres: h.centimetres, display: h.display)
            },
            revision: p.revision, createdAt: p.createdAt, updatedAt: p.updatedAt,
            diagnoses: chart.diagnoses?.map { .init(code: $0.code.value, description: $0.description, isPrimary: $0.isPrimary) },
            medications: chart.clinical?.medications.map { m in
                var perDay: Double?
                if case .value(let v) = m.mme { perDay = v }
                return .init(name: m.name, opioid: m.opioid.flatMap { .init(rawValue: $0.rawValue) }, route: .init(rawValue: m.route.rawValue) ?? .other,
                             dailyAmount: m.dailyAmount, dailyUnit: m.dailyUnit, sig: m.sig, mme: m.mme.display, mmePerDay: perDay)
            },
            mmeTotal: chart.mme.map { .init(total: $0.total, display: $0.display, uncounted: $0.uncounted) },
            allergies: chart.clinical?.allergies.map { .init(substance: $0.substance, reaction: $0.reaction) },
            painHistory: chart.clinical.map { c in
                .init(onset: c.painHistory.onset?.description, monthsOfPain: c.painHistory.monthsOfPain,
                      treatmentsTried: c.painHistory.treatmentsTried.map { .init(treatment: $0.treatment, result: .init(rawValue: $0.result.rawValue) ?? .noRelief) })
            },
            screeningStatus: chart.screeningStatus.map { .init($0, timeZone: TimeZone(identifier: "UTC")!) },
            latestScreeningId: chart.screenings?.first?.id.rawValue.uuidString
        )
    }
}

extension PatientForm {
    /// The API's typed body as the form the domain validates (numbers become the text a person would type).
    init(_ b: Components.Schemas.PatientInput) {
        self.init()
        givenName = b.givenName
        familyName = b.familyName
        dateOfBirth = b.dateOfBirth
        sex = b.sex?.rawValue ?? "unknown"
        phone = b.phone ?? ""
        email = b.email ?? ""
        address = b.address ?? ""
        escorts = (b.escorts ?? []).map { EscortContact(name: $0.name, relationship: $0.relationship ?? "", phone: $0.phone) }
        if let w = b.weight {
            weight = String(w.value)
            weightUnit = w.unit.rawValue
        }
        if let h = b.height {
            height = String(h.value)
            heightUnit = h.unit.rawValue
        }
        diagnoses = (b.diagnoses ?? []).map { DiagnosisEntry(code: $0.code, description: $0.description ?? "", isPrimary: $0.isPrimary ?? false) }
        medications = (b.medications ?? []).map {
            MedicationEntry(name: $0.name, opioid: $0.opioid?.rawValue ?? "", route: $0.route?.rawValue ?? "oral",
                            dailyAmount: $0.dailyAmount.map { String($0) } ?? "", sig: $0.sig ?? "")
        }
        allergies = (b.allergies ?? []).map { Allergy(substance: $0.substance, reaction: $0.reaction ?? "") }
        painOnset = b.painHistory?.onset ?? ""
        monthsOfPain = b.painHistory?.monthsOfPain.map(String.init) ?? ""
        treatmentsTried = (b.painHistory?.treatmentsTried ?? []).map { TreatmentEntry(treatment: $0.treatment, result: $0.result.rawValue) }
        keepsClinicalHistory = b.diagnoses == nil && b.medications == nil && b.allergies == nil && b.painHistory == nil
        confirmDuplicate = b.confirmDuplicate ?? false
        confirmWeight = b.confirmWeight ?? false
    }
}

extension ScreeningForm {
    init(_ b: Components.Schemas.ScreeningInput) {
        self.init(
            bloodPressureReadings: (b.bloodPressureReadings ?? []).map {
                BloodPressureReading(systolic: $0.systolic, diastolic: $0.diastolic, takenAt: $0.takenAt, seated: $0.seated ?? true)
            },
            cardiovascular: b.cardiovascular.flatMap { CardiovascularStatus(rawValue: $0.rawValue) },
            psychosis: b.psychosis.flatMap { PsychosisStatus(rawValue: $0.rawValue) },
            hepatic: b.hepatic.flatMap { HepaticStatus(rawValue: $0.rawValue) },
            heavyAlcoholUse: b.heavyAlcoholUse,
            raisedIntracranialPressure: b.raisedIntracranialPressure,
            raisedIntraocularPressure: b.raisedIntraocularPressure,
            activeSubstanceAbuse: b.activeSubstanceAbuse,
            pregnancy: b.pregnancy.flatMap { PregnancyStatus(rawValue: $0.rawValue) },
            ketamineHypersensitivity: b.ketamineHypersensitivity,
            priorKetamineExposure: b.priorKetamineExposure,
            priorSevereKetamineReaction: b.priorSevereKetamineReaction,
            notes: b.notes ?? ""
        )
    }
}

extension Components.Schemas.ScreeningInput {
    init(_ f: ScreeningForm) {
        self.init(
            bloodPressureReadings: f.bloodPressureReadings.map { .init(systolic: $0.systolic, diastolic: $0.diastolic, takenAt: $0.takenAt, seated: $0.seated) },
            cardiovascular: f.cardiovascular.flatMap { .init(rawValue: $0.rawValue) },
            psychosis: f.psychosis.flatMap { .init(rawValue: $0.rawValue) },
            hepatic: f.hepatic.flatMap { .init(rawValue: $0.rawValue) },
            heavyAlcoholUse: f.heavyAlcoholUse,
            raisedIntracranialPressure: f.raisedIntracranialPressure,
            raisedIntraocularPressure: f.raisedIntraocularPressure,
            activeSubstanceAbuse: f.activeSubstanceAbuse,
            pregnancy: f.pregnancy.flatMap { .init(rawValue: $0.rawValue) },
            ketamineHypersensitivity: f.ketamineHypersensitivity,
            priorKetamineExposure: f.priorKetamineExposure,
            priorSevereKetamineReaction: f.priorSevereKetamineReaction,
            notes: f.notes
        )
    }
}

extension Components.Schemas.Screening {
    init(_ s: Screening, now: Date, timeZone: TimeZone) {
        let l = s.lifecycle
        let e = l.evaluation
        let t = e.thresholds
        self.init(
            id: s.id.rawValue.uuidString, patientId: s.patientID.rawValue.uuidString, screenedAt: l.screenedAt,
            screenedBy: l.screenedBy.rawValue.uuidString,
            decision: .init(rawValue: l.effectiveDecision.rawValue)!, evaluatedDecision: .init(rawValue: e.decision.rawValue)!,
            status: .init(l.status(asOf: now), timeZone: timeZone),
            reasons: e.reasons.map {
                .init(ruleId: $0.ruleID, finding: $0.finding, decision: .init(rawValue: $0.decision.rawValue)!,
                      clearance: $0.clearance.flatMap { .init(rawValue: $0.rawValue) }, source: $0.source, field: $0.field)
            },
            requiredClearances: e.requiredClearances.compactMap { .init(rawValue: $0.rawValue) },
            clearances: l.clearances.map {
                .init(kind: .init(rawValue: $0.kind.rawValue)!, specialty: $0.specialty, clinician: $0.clinician, date: $0.date.description,
                      note: $0.note, recordedBy: $0.recordedBy.rawValue.uuidString, recordedAt: $0.recordedAt,
                      signedOffBy: $0.signedOffBy?.rawValue.uuidString, signedOffAt: $0.signedOffAt)
            },
            override: l.override.map { .init(decision: .init(rawValue: $0.decision.rawValue)!, reason: $0.reason, by: $0.by.rawValue.uuidString, at: $0.at) },
            rescreenReason: l.rescreenRequired?.reason,
            ruleSetVersion: e.ruleSetVersion,
            thresholds: .init(clearanceSystolic: t.clearanceSystolic, clearanceDiastolic: t.clearanceDiastolic,
                              notEligibleSystolic: t.notEligibleSystolic, notEligibleDiastolic: t.notEligibleDiastolic,
                              minimumSeatedReadings: t.minimumSeatedReadings, minimumMinutesBetweenReadings: t.minimumMinutesBetweenReadings,
                              validityDays: t.validityDays),
            meanSystolic: e.meanBloodPressure?.systolic, meanDiastolic: e.meanBloodPressure?.diastolic,
            answers: .init(s.form)
        )
    }
}
