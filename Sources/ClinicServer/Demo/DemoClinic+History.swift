import ClinicCore
import Foundation

extension DemoClinic {
    /// Whether demo patient `i` gets a past course of treatment (about a quarter of them, at most `historyLimit`).
    static func hasHistory(_ i: Int) -> Bool { i % 4 == 3 }

    /// Past courses are replayed one use case at a time, so a very large demo caps them (each course is ~80 commits).
    static let historyLimit = 300

    /// Nurse cover on the clinic's weekdays for the past `days` days, so past series could be booked.
    static func addPastShifts(_ clinic: Clinic, nurse: Actor, admin: Actor, days: Int) async throws {
        for d in 1...days {
            let day = clinic.today.adding(days: -d)
            if !day.weekday.isWeekend {
                _ = try await clinic.addShift(nurse: nurse.userID, date: day, start: 8 * 60, end: 18 * 60, by: admin)
            }
        }
    }

    /// Replays one patient's past through the real use cases with a clock set in the past: registration and an
    /// eligible screening, a signed plan, the booked series with every infusion run from check-in to discharge (pain
    /// before and after, an occasional side effect), follow-up forms on the schedule's days with a relief trajectory
    /// that fits the patient (responders and non-responders, relief that lasts or fades), sometimes a booster and an
    /// opioid taper. Everything goes through `Clinic`, so the audit trail and the analytics summaries are real.
    /// Returns the patient replayed (nil when registration did not go through).
    @discardableResult
    static func replayHistory(index i: Int, form: PatientForm, clinic: Clinic, physician: Actor, nurse: Actor, frontDesk: Actor,
                              rng: inout SeededGenerator) async throws -> Patient.ID? {
        let tz = clinic.settings.timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tz
        func at(_ day: CalendarDate, _ minute: Int) -> Date {
            calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: minute / 60, minute: minute % 60))!
        }
        let startDay = clinic.today.adding(days: -Int.random(in: 40...190, using: &rng))
        let clock = SettableClock(at(startDay, 8 * 60))
        let past = clinic.replaying(clock: clock)

        guard case .registered(let patient) = try await past.registerPatient(form, by: physician) else { return nil }
        let reading = clock.now.addingTimeInterval(-3_600)
        var screening = ScreeningForm(
            cardiovascular: CardiovascularStatus.none, psychosis: PsychosisStatus.none, hepatic: HepaticStatus.none, heavyAlcoholUse: false,
            raisedIntracranialPressure: false, raisedIntraocularPressure: false, activeSubstanceAbuse: false,
            pregnancy: patient.demographics.sex == .male ? .notApplicable : .notPregnant, ketamineHypersensitivity: false,
            priorKetamineExposure: false, notes: "")
        screening.bloodPressureReadings = [BloodPressureReading(systolic: 124, diastolic: 78, takenAt: reading, seated: true),
                                           BloodPressureReading(systolic: 122, diastolic: 80, takenAt: reading.addingTimeInterval(360), seated: true)]
        let s = try await past.screen(patient.id, form: screening, by: nurse)
        guard s.lifecycle.status(asOf: clock.now).isEligibleNow, let diagnosis = patient.clinical.diagnoses.first else { return patient.id }

        // How this patient responds: most respond, by 35–70 %, for a few weeks to months (invented, not a prediction).
        let baseline = Int.random(in: 6...9, using: &rng)
        let responds = Int.random(in: 0..<10, using: &rng) < 7
        let reduction = responds ? Double.random(in: 0.35...0.7, using: &rng) : Double.random(in: 0.0...0.2, using: &rng)
        let reliefDays = Int.random(in: 20...120, using: &rng)
        func painAfter(daysSinceSeries d: Int) -> Int {
            let fading = d > reliefDays ? min(1, Double(d - reliefDays) / 21) : 0
            let level = Double(baseline) * (1 - reduction * (1 - fading)) + Double.random(in: -0.6...0.6, using: &rng)
            return max(0, min(10, Int(level.rounded())))
        }
        func pain(_ now: Int, _ average: Int, _ worst: Int) -> [String: String] {
            ["now": "\(max(0, min(10, now)))", "average": "\(max(0, min(10, average)))", "worst": "\(max(0, min(10, worst)))"]
        }
        func record(_ timepoint: String, _ answers: [Instrument: [String: String]], session: InfusionSession.ID? = nil, source: OutcomeRecord.Source = .clinic) async throws {
            _ = try await past.recordOutcomes(for: patient.id, OutcomeEntryForm(timepoint: timepoint, source: source, sessionID: session, answers: answers), by: nurse)
        }
        func mood(_ level: Int) -> [Instrument: [String: String]] {
            var phq: [String: String] = [:]
            for k in 1...9 { phq["item\(k)"] = k == 9 ? "0" : "\(max(0, min(3, level + (k % 3) - 1)))" }
            var gad: [String: String] = [:]
            for k in 1...7 { gad["item\(k)"] = "\(max(0, min(3, level + (k % 2) - 1)))" }
            return [.phq9: phq, .gad7: gad]
        }

        // Baseline: pain, mood and sleep before anything is given.
        clock.set(at(startDay, 8 * 60 + 20))
        var baselineAnswers = mood(2)
        baselineAnswers[.painNRS] = pain(baseline, baseline, min(10, baseline + 1))
        baselineAnswers[.sleep] = ["quality": "\(Int.random(in: 2...5, using: &rng))"]
        try await record("baseline", baselineAnswers)

        // The plan and its series.
        clock.set(at(startDay, 8 * 60 + 40))
        let isCRPS = diagnosis.code.value.hasPrefix("G90.5") || diagnosis.code.value.hasPrefix("G56.4")
        let protocolID = isCRPS ? InfusionProtocol.StandardID.crpsExtended : InfusionProtocol.StandardID.standardInduction
        let plan = try await past.createPlan(for: patient.id, TreatmentPlanForm(conditionCode: diagnosis.code.value, protocolID: protocolID.uuidString,
                                                                                 goal: "At least 30% less pain; fewer opioids"), by: physician)
        _ = try await past.signOrders(plan.id, by: physician)
        let proposal = try await past.proposeSeries(for: plan.id, earliest: at(startDay.adding(days: 1), 8 * 60), preferredMinute: 9 * 60, by: frontDesk)
        // Only what would have happened by yesterday is booked and run: a busy demo clinic can push a late series into
        // today, and today's chairs belong to the live room.
        let runnable = proposal.slots.filter { $0.start < clinic.clock.now.addingTimeInterval(-86_400) }
        guard !runnable.isEmpty else { return patient.id }
        let appointments = try await past.bookSeries(for: plan.id, slots: runnable, by: frontDesk)

        let escort = patient.escorts.first ?? EscortContact(name: "Family member", relationship: "Family", phone: "555 010 0000")
        var lastInfusion = startDay
        for (n, appointment) in appointments.enumerated() where appointment.start < clinic.clock.now.addingTimeInterval(-86_400) {
            let number = n + 1
            let start = appointment.start
            clock.set(start.addingTimeInterval(-25 * 60))
            let checked = try await past.checkIn(appointment.id, by: nurse)
            let before = max(0, baseline - (n > 0 && responds ? Int((Double(baseline) * reduction * Double(n) / Double(appointments.count)).rounded()) : 0))
            try await record("pre\(number)", [.painNRS: pain(before, before, min(10, before + 1))], session: checked.id)
            clock.set(start.addingTimeInterval(-15 * 60))
            let vitals = VitalsReading(takenAt: clock.now, systolic: Int.random(in: 112...134, using: &rng), diastolic: Int.random(in: 70...84, using: &rng),
                                       heartRate: Int.random(in: 62...84, using: &rng), oxygenSaturation: 98, respiratoryRate: 14)
            let checklist = PreInfusionChecklist(
                identityConfirmed: true, consentSignedOn: startDay, lastSolidFoodAt: start.addingTimeInterval(-6 * 3600),
                lastClearFluidAt: start.addingTimeInterval(-3 * 3600), escort: escort, medicationChangesReviewed: true,
                pregnancy: patient.demographics.sex == .male ? .notApplicable : .notPregnant, mentalStatus: "Alert, oriented, calm",
                weightToday: patient.body.weight!, weightConfirmed: true, ivSite: IVSiteCheck(site: "Left forearm", condition: .patent),
                baselineVitals: vitals)
            _ = try await past.recordChecklist(checked.id, checklist, by: nurse)
            clock.set(start)
            _ = try await past.startInfusion(checked.id, rate: nil, second: nil, by: nurse)
            if Int.random(in: 0..<4, using: &rng) == 0 {
                clock.set(start.addingTimeInterval(20 * 60))
                let kinds: [SideEffectKind] = [.dissociation, .nausea, .dizziness, .raisedBloodPressure, .fatigue, .headache]
                let effect = SideEffect(observedAt: clock.now, kind: kinds[Int.random(in: 0..<kinds.count, using: &rng)], severity: .mild, action: .none)
                _ = try await past.sessionStep(checked.id, .sideEffect(effect, medicine: nil), by: nurse)
            }
            clock.set(start.addingTimeInterval(40 * 60))
            _ = try await past.sessionStep(checked.id, .complete, by: nurse)
            clock.set(start.addingTimeInterval(45 * 60))
            let after = max(0, before - (responds ? Int.random(in: 1...3, using: &rng) : Int.random(in: 0...1, using: &rng)))
            try await record("post\(number)", [.painNRS: pain(after, after, min(10, after + 1))], session: checked.id)
            let recovery = VitalsReading(takenAt: clock.now, systolic: vitals.systolic ?? 120, diastolic: vitals.diastolic ?? 78,
                                         heartRate: vitals.heartRate ?? 72, oxygenSaturation: 98, respiratoryRate: 14)
            clock.set(start.addingTimeInterval(70 * 60))
            _ = try await past.sessionStep(checked.id, .aldrete(activity: 2, respiration: 2, consciousness: 2, current: recovery, onOxygen: false), by: nurse)
            _ = try await past.sessionStep(checked.id, .leaveChair, by: nurse)
            clock.set(start.addingTimeInterval(85 * 60))
            _ = try await past.sessionStep(checked.id, .padss(activityMentalStatus: 2, painNauseaVomiting: 2, ivSiteBleeding: 2, intakeOutput: 2, current: recovery), by: nurse)
            _ = try await past.sessionStep(checked.id, .discharge(escortName: escort.name, whoToCall: "The clinic", nextAppointment: ""), by: nurse)
            lastInfusion = CalendarDate(start, in: tz)
        }
        guard proposal.isComplete, appointments.count == proposal.slots.count else { return patient.id }

        // Follow-ups after the series, on the schedule's days that have passed; some through the patient's own link.
        var moodLast = startDay
        for day in [1, 7, 14, 30, 60, 90] {
            let date = lastInfusion.adding(days: day)
            guard date < clinic.today else { break }
            clock.set(at(date, 10 * 60 + Int.random(in: 0...300, using: &rng)))
            let p = painAfter(daysSinceSeries: day)
            var answers: [Instrument: [String: String]] = [.painNRS: pain(p, p, min(10, p + 2)),
                                                           .sleep: ["quality": "\(min(10, 4 + (baseline - p)))"],
                                                           .pgic: ["change": "\(p <= baseline / 2 ? 2 : p < baseline ? 3 : 4)"]]
            if date.daysSinceEpoch - moodLast.daysSinceEpoch >= 14 {
                answers.merge(mood(p < baseline / 2 ? 0 : 1)) { $1 }
                moodLast = date
            }
            try await record("series+\(day)", answers, source: day % 2 == 0 ? .onBehalf : .clinic)
        }

        // An opioid taper for some responders a month after the series.
        if responds, lastInfusion.adding(days: 30) < clinic.today,
           let opioid = patient.clinical.medications.firstIndex(where: { $0.opioid != nil && $0.opioid != .buprenorphine && $0.dailyAmount != nil }) {
            clock.set(at(lastInfusion.adding(days: 30), 12 * 60))
            let current = try await past.chart(patient.id, by: physician, withHistory: false).patient
            var edit = PatientForm(current)
            let old = current.clinical.medications[opioid].dailyAmount!
            edit.medications[opioid].dailyAmount = Format.shortest((old * 0.5).rounded())
            edit.confirmWeight = true
            _ = try await past.updatePatient(patient.id, edit, expectedRevision: current.revision, by: physician)
        }
        return patient.id
    }

    /// The first replayed patient's medical-necessity letter (issue 6): drafted from the chart as it stands today and signed
    /// by the demo physician, so billing finds a signed letter.
    static func signNecessityLetter(_ clinic: Clinic, patient: Patient.ID, physician: Actor) async throws {
        let letter = try await clinic.draftNecessityLetter(for: patient, by: physician)
        _ = try await clinic.signNecessityLetter(letter.id, by: physician)
    }
}
