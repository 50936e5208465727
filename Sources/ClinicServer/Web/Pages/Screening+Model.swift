import ClinicCore
import Foundation
import Hummingbird

extension WebRoutes {
    /// A yes/no/unanswered (or multi-choice) question on the screening form.
    struct Question {
        struct Choice {
            let value: String
            let label: String
            let checked: Bool
            let id: String
        }
        let name: String
        let label: String
        let hint: String
        let choices: [Choice]
        let error: String

        init(_ name: String, _ label: String, hint: String = "", value: String, choices: [(String, String)], errors: [String: String]) {
            self.name = name
            self.label = label
            self.hint = hint
            self.error = errors[name] ?? ""
            self.choices = ([("", "Not asked yet")] + choices).map {
                Choice(value: $0.0, label: $0.1, checked: $0.0 == value, id: "q-\(name)-\($0.0.isEmpty ? "unanswered" : $0.0)")
            }
        }
    }

    struct ScreeningFormPage {
        struct Reading {
            let index: Int
            let systolic: FormField
            let diastolic: FormField
            let takenAt: FormField
            let seated: FormField
        }
        let chrome: PageChrome
        let patientID: String
        let patientName: String
        let mrn: String
        let readings: [Reading]
        let questions: [Question]
        let notes: FormField
        let errorSummary: [FieldError]
        let hasErrors: Bool
        let allergyNote: String
        let thresholdsNote: String
    }

    static let yesNo = [("no", "No"), ("yes", "Yes")]
    static let cardiovascularChoices = [("none", "None known"), ("stableKnownDisease", "Stable known heart disease (coronary disease, heart failure, arrhythmia)"),
                                        ("poorlyControlled", "Poorly controlled cardiovascular disease")]
    static let psychosisChoices = [("none", "None"), ("historyWellControlled", "History, well controlled"), ("poorlyControlled", "Poorly controlled psychosis")]
    static let hepaticChoices = [("none", "None"), ("mild", "Mild"), ("moderate", "Moderate"), ("severe", "Severe")]
    static let pregnancyChoices = [("notApplicable", "Not applicable"), ("notPregnant", "Not pregnant"), ("pregnant", "Pregnant")]

    /// The label of a stored answer, as the form offered it.
    static func label(_ value: String?, in choices: [(String, String)]) -> String {
        guard let value else { return "Not answered" }
        return choices.first { $0.0 == value }?.1 ?? value
    }

    func screeningFormPage(_ context: ClinicRequestContext, form: WebForm?, errors: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let id = try patientID(context)
        guard clinic.access.allows(actor, AccessRequest(.create, .screening, patient: id)) else {
            try await clinic.chart(id, by: actor) // audits the read or the denial
            throw ClinicError.forbidden("\(actor.role.title) may not record screenings")
        }
        let chart = try await clinic.chart(id, by: actor)
        let p = chart.patient
        let f = form ?? WebForm(values: [:])
        let e = errors
        let nowText: String = {
            let df = DateFormatter()
            df.locale = Locale(identifier: "en_US_POSIX")
            df.timeZone = clinic.settings.timeZone
            df.dateFormat = "yyyy-MM-dd'T'HH:mm"
            return df.string(from: clinic.clock.now)
        }()
        let readings = (0..<3).map { i in
            ScreeningFormPage.Reading(
                index: i + 1,
                systolic: FormField("bp[\(i)].systolic", "Systolic (mmHg)", value: f["bp[\(i)].systolic"], type: "number", errors: e),
                diastolic: FormField("bp[\(i)].diastolic", "Diastolic (mmHg)", value: f["bp[\(i)].diastolic"], type: "number", errors: e),
                takenAt: FormField("bp[\(i)].takenAt", "Taken at", value: form == nil ? (i == 0 ? nowText : "") : f["bp[\(i)].takenAt"], type: "datetime-local", errors: e),
                seated: FormField("bp[\(i)].seated", "Seated", value: form == nil ? "true" : f["bp[\(i)].seated"], errors: e, checkbox: true))
        }
        let t = clinic.settings.screeningRules.thresholds
        let questions: [Question] = [
            Question("cardiovascular", "Heart and blood-vessel disease", value: f["cardiovascular"],
                     choices: Self.cardiovascularChoices, errors: e),
            Question("psychosis", "Psychosis", value: f["psychosis"],
                     choices: Self.psychosisChoices, errors: e),
            Question("hepatic", "Liver disease", value: f["hepatic"],
                     choices: Self.hepaticChoices, errors: e),
            Question("heavyAlcoholUse", "Heavy alcohol use", value: f["heavyAlcoholUse"], choices: Self.yesNo, errors: e),
            Question("raisedIntracranialPressure", "Raised intracranial pressure", value: f["raisedIntracranialPressure"], choices: Self.yesNo, errors: e),
            Question("raisedIntraocularPressure", "Raised intraocular pressure (e.g. uncontrolled glaucoma)", value: f["raisedIntraocularPressure"], choices: Self.yesNo, errors: e),
            Question("activeSubstanceAbuse", "Active substance abuse", value: f["activeSubstanceAbuse"], choices: Self.yesNo, errors: e),
            Question("pregnancy", "Pregnancy", value: f["pregnancy"],
                     choices: Self.pregnancyChoices, errors: e),
            Question("ketamineHypersensitivity", "Known hypersensitivity to ketamine", value: f["ketamineHypersensitivity"], choices: Self.yesNo, errors: e),
            Question("priorKetamineExposure", "Has had ketamine before", value: f["priorKetamineExposure"], choices: Self.yesNo, errors: e),
            Question("priorSevereKetamineReaction", "A severe reaction to ketamine before (e.g. emergence reaction)",
                     hint: "Answer only when the patient has had ketamine before.", value: f["priorSevereKetamineReaction"], choices: Self.yesNo, errors: e),
        ]
        let summary = errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }
        let allergies = chart.clinical?.allergies.map(\.substance).joined(separator: ", ") ?? ""
        let model = ScreeningFormPage(
            chrome: chrome("Screen \(p.demographics.displayName)", context, active: "patients"),
            patientID: p.id.rawValue.uuidString, patientName: p.demographics.sortName, mrn: p.mrn.value,
            readings: readings, questions: questions,
            notes: FormField("notes", "Notes", value: f["notes"], errors: e, textarea: true),
            errorSummary: summary, hasErrors: !summary.isEmpty,
            allergyNote: allergies.isEmpty ? "No allergies charted." : "Charted allergies: \(allergies).",
            thresholdsNote: "Blood pressure: the mean of at least \(t.minimumSeatedReadings) seated readings taken at least \(t.minimumMinutesBetweenReadings) minutes apart. Mean ≥ \(t.clearanceSystolic)/\(t.clearanceDiastolic) mmHg needs clearance; ≥ \(t.notEligibleSystolic)/\(t.notEligibleDiastolic) mmHg is not eligible until treated (clinic policy, clinical-reference §2–§3).")
        return pages.render("screening-form", model, status: status)
    }

    /// Reads the screening page's answers into the domain form (times in the clinic's time zone).
    func screeningForm(from w: WebForm) throws -> ScreeningForm {
        var errors = FieldErrors()
        var readings: [BloodPressureReading] = []
        let df = DateFormatter()
        df.locale = Locale(identifier: "en_US_POSIX")
        df.timeZone = clinic.settings.timeZone
        df.dateFormat = "yyyy-MM-dd'T'HH:mm"
        for i in 0..<3 {
            let s = w["bp[\(i)].systolic"].trimmingCharacters(in: .whitespaces)
            let d = w["bp[\(i)].diastolic"].trimmingCharacters(in: .whitespaces)
            let t = w["bp[\(i)].takenAt"].trimmingCharacters(in: .whitespaces)
            if s.isEmpty && d.isEmpty { continue }
            guard let sys = Int(s) else { errors.add("bp[\(i)].systolic", "must be a whole number of mmHg"); continue }
            guard let dia = Int(d) else { errors.add("bp[\(i)].diastolic", "must be a whole number of mmHg"); continue }
            guard let at = df.date(from: t) else { errors.add("bp[\(i)].takenAt", "must be a date and time"); continue }
            readings.append(BloodPressureReading(systolic: sys, diastolic: dia, takenAt: at, seated: w.bool("bp[\(i)].seated")))
        }
        try errors.throwIfAny()
        func yesNo(_ key: String) -> Bool? { w[key] == "yes" ? true : w[key] == "no" ? false : nil }
        return ScreeningForm(
            bloodPressureReadings: readings,
            cardiovascular: CardiovascularStatus(rawValue: w["cardiovascular"]),
            psychosis: PsychosisStatus(rawValue: w["psychosis"]),
            hepatic: HepaticStatus(rawValue: w["hepatic"]),
            heavyAlcoholUse: yesNo("heavyAlcoholUse"),
            raisedIntracranialPressure: yesNo("raisedIntracranialPressure"),
            raisedIntraocularPressure: yesNo("raisedIntraocularPressure"),
            activeSubstanceAbuse: yesNo("activeSubstanceAbuse"),
            pregnancy: PregnancyStatus(rawValue: w["pregnancy"]),
            ketamineHypersensitivity: yesNo("ketamineHypersensitivity"),
            priorKetamineExposure: yesNo("priorKetamineExposure"),
            priorSevereKetamineReaction: yesNo("priorSevereKetamineReaction"),
            notes: w["notes"])
    }

    func screen(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        do {
            let form = try screeningForm(from: w)
            let s = try await clinic.screen(try patientID(context), form: form, by: try context.actor())
            return .redirect(to: "/screenings/\(s.id.rawValue.uuidString)")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            // Field names from the domain (bloodPressureReadings[0].systolic) map onto the page's (bp[0].systolic).
            var mapped: [String: String] = [:]
            for (k, v) in errors { mapped[k.replacingOccurrences(of: "bloodPressureReadings", with: "bp")] = v }
            return try await screeningFormPage(context, form: w, errors: mapped, status: .unprocessableContent)
        }
    }

    // MARK: - Result

    struct ScreeningPage {
        struct ReasonRow {
            let finding: String
            let decision: String
            let badge: String
            let ruleID: String
            let source: String
            let clearance: String
        }
        struct ClearanceRow {
            let kind: String
            let kindTitle: String
            let specialty: String
            let clinician: String
            let date: String
            let note: String
            let recordedBy: String
            let signedOff: String
            let canSignOff: Bool
        }
        struct Answer {
            let question: String
            let answer: String
        }
        let chrome: PageChrome
        let id: String
        let patientID: String
        let decision: String
        let decisionClass: String
        let status: String
        let evaluatedDecision: String
        let overridden: Bool
        let overrideText: String
        let reasons: [ReasonRow]
        let hasReasons: Bool
        let meanBP: String
        let ruleSet: String
        let thresholds: String
        let screened: String
        let clearances: [ClearanceRow]
        let pendingKinds: [FormField.Option]
        let canRecordClearance: Bool
        let canDecide: Bool
        let clearanceFields: [FormField]
        let overrideFields: [FormField]
        let answers: [Answer]
        let rescreen: String
        let errorSummary: [FieldError]
        let hasErrors: Bool
    }

    func screeningPage(_ context: ClinicRequestContext, errors: [String: String], flash: String, status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let s = try await clinic.screening(try screeningID(context), by: actor)
        let l = s.lifecycle
        let e = l.evaluation
        let tz = clinic.settings.timeZone
        let now = clinic.clock.now
        let st = l.status(asOf: now)
        let names = try await clinic.staffNames(for: [l.screenedBy] + l.clearances.flatMap { [$0.recordedBy] + ($0.signedOffBy.map { [$0] } ?? []) } + (l.override.map { [$0.by] } ?? []))
        let canDecide = clinic.access.allows(actor, AccessRequest(.decide, .screeningDecision, patient: s.patientID))
        let canRecord = clinic.access.allows(actor, AccessRequest(.update, .screening, patient: s.patientID))
        let pending = l.evaluation.requiredClearances.filter { k in !l.clearances.contains { $0.kind == k } }
        let f = errors
        let t = e.thresholds
        func answer(_ b: Bool?) -> String { b.map { $0 ? "Yes" : "No" } ?? "Not answered" }
        let form = s.form
        let answers: [ScreeningPage.Answer] = [
            .init(question: "Blood-pressure readings", answer: form.bloodPressureReadings.isEmpty ? "None" :
                    form.bloodPressureReadings.map { "\($0.systolic)/\($0.diastolic) at \(Self.time($0.takenAt, tz))\($0.seated ? "" : " (not seated)")" }.joined(separator: "; ")),
            .init(question: "Heart and blood-vessel disease", answer: Self.label(form.cardiovascular?.rawValue, in: Self.cardiovascularChoices)),
            .init(question: "Psychosis", answer: Self.label(form.psychosis?.rawValue, in: Self.psychosisChoices)),
            .init(question: "Liver disease", answer: Self.label(form.hepatic?.rawValue, in: Self.hepaticChoices)),
            .init(question: "Heavy alcohol use", answer: answer(form.heavyAlcoholUse)),
            .init(question: "Raised intracranial pressure", answer: answer(form.raisedIntracranialPressure)),
            .init(question: "Raised intraocular pressure", answer: answer(form.raisedIntraocularPressure)),
            .init(question: "Active substance abuse", answer: answer(form.activeSubstanceAbuse)),
            .init(question: "Pregnancy", answer: Self.label(form.pregnancy?.rawValue, in: Self.pregnancyChoices)),
            .init(question: "Known hypersensitivity to ketamine", answer: answer(form.ketamineHypersensitivity)),
            .init(question: "Has had ketamine before", answer: answer(form.priorKetamineExposure)),
            .init(question: "Severe reaction to ketamine before", answer: answer(form.priorSevereKetamineReaction)),
            .init(question: "Notes", answer: form.notes.isEmpty ? "—" : form.notes),
        ]
        let summary = errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }
        let model = ScreeningPage(
            chrome: chrome("Screening result", context, active: "patients", flash: flash),
            id: s.id.rawValue.uuidString, patientID: s.patientID.rawValue.uuidString,
            decision: l.effectiveDecision.title, decisionClass: "decision " + l.effectiveDecision.rawValue,
            status: st.label(in: tz), evaluatedDecision: e.decision.title, overridden: l.override != nil,
            overrideText: l.override.map { "Overridden to \($0.decision.title) by \(names[$0.by] ?? "a physician") on \(Self.time($0.at, tz)): \($0.reason)" } ?? "",
            reasons: e.reasons.map {
                .init(finding: $0.finding, decision: $0.decision.title, badge: "badge " + Self.decisionBadge($0.decision), ruleID: $0.ruleID,
                      source: $0.source, clearance: $0.clearance?.title ?? "")
            },
            hasReasons: !e.reasons.isEmpty,
            meanBP: e.meanBloodPressure.map { "\($0.systolic)/\($0.diastolic) mmHg (mean of \($0.readingsUsed) readings)" } ?? "not enough qualifying readings",
            ruleSet: e.ruleSetVersion,
            thresholds: "needs clearance at ≥ \(t.clearanceSystolic)/\(t.clearanceDiastolic) mmHg; not eligible at ≥ \(t.notEligibleSystolic)/\(t.notEligibleDiastolic) mmHg; ≥ \(t.minimumSeatedReadings) seated readings ≥ \(t.minimumMinutesBetweenReadings) min apart; eligibility valid \(t.validityDays) days",
            screened: "\(Self.time(l.screenedAt, tz)) by \(names[l.screenedBy] ?? "unknown")",
            clearances: l.clearances.map { c in
                .init(kind: c.kind.rawValue, kindTitle: c.kind.title, specialty: c.specialty, clinician: c.clinician, date: c.date.description,
                      note: c.note, recordedBy: names[c.recordedBy] ?? "unknown",
                      signedOff: c.signedOffAt.map { "Signed off by \(names[c.signedOffBy!] ?? "a physician") on \(Self.time($0, tz))" } ?? "",
                      canSignOff: canDecide && c.signedOffAt == nil && l.rescreenRequired == nil)
            },
            pendingKinds: pending.map { FormField.Option(value: $0.rawValue, label: $0.title, selected: false) },
            canRecordClearance: canRecord && !pending.isEmpty && l.rescreenRequired == nil,
            canDecide: canDecide && l.override == nil && l.rescreenRequired == nil,
            clearanceFields: [
                FormField("specialty", "Specialty", errors: f, hint: "e.g. Cardiology"),
                FormField("clinician", "Clinician", errors: f),
                FormField("date", "Date of the clearance", value: clinic.today.description, type: "date", errors: f),
                FormField("note", "Letter or note", errors: f, textarea: true),
            ],
            overrideFields: [
                FormField("decision", "New decision", errors: f, options: [("eligible", "Eligible"), ("notEligible", "Not eligible")]),
                FormField("reason", "Reason", errors: f, required: true, textarea: true),
            ],
            answers: answers,
            rescreen: l.rescreenRequired?.reason ?? "",
            errorSummary: summary, hasErrors: !summary.isEmpty)
        return pages.render("screening-result", model, status: status)
    }

    static func decisionBadge(_ d: ScreeningDecision) -> String {
        switch d {
        case .eligible: "ok"
        case .needsClearance, .incomplete: "warn"
        case .notEligible: "bad"
        }
    }

    func screeningStep(_ request: Request, _ context: ClinicRequestContext, step: String) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let id = try screeningID(context)
        do {
            let decision: ScreeningDecisionStep
            switch step {
            case "clearance":
                guard let kind = ClearanceKind(rawValue: w["kind"]) else { throw ClinicError.invalid("kind", "choose which clearance this is") }
                guard let date = CalendarDate(w["date"]) else { throw ClinicError.invalid("date", "must be a date as YYYY-MM-DD") }
                decision = .recordClearance(ClearanceForm(kind: kind, specialty: w["specialty"], clinician: w["clinician"], date: date, note: w["note"]))
            case "sign-off":
                guard let kind = ClearanceKind(rawValue: w["kind"]) else { throw ClinicError.invalid("kind", "is not a clearance kind") }
                decision = .signOff(kind)
            default:
                guard let d = ScreeningDecision(rawValue: w["decision"]) else { throw ClinicError.invalid("decision", "choose eligible or not eligible") }
                decision = .override(d, reason: w["reason"])
            }
            _ = try await clinic.decide(decision, on: id, by: try context.actor())
            return .redirect(to: "/screenings/\(id.rawValue.uuidString)")
        } catch let e as ClinicError {
            if case .conflict(let why) = e { return try await screeningPage(context, errors: ["form": why], flash: "", status: .conflict) }
            guard let errors = Self.errorMap(e) else { throw e }
            return try await screeningPage(context, errors: errors, flash: "", status: .unprocessableContent)
        }
    }
}
