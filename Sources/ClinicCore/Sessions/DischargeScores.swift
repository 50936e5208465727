import Foundation

/// How far one value has moved from its baseline, as an exact fraction (|current − baseline| / baseline).
public struct DeviationFromBaseline: Sendable, Hashable, Codable, Comparable {
    /// |current − baseline|.
    public var difference: Int
    /// The baseline (> 0).
    public var baseline: Int

    /// Creates the deviation of `current` from `baseline`.
    public init(current: Int, baseline: Int) {
        self.difference = abs(current - baseline)
        self.baseline = max(baseline, 1)
    }

    /// Whether the deviation is at most `percent` % (exact integer test: difference × 100 ≤ baseline × percent).
    public func isAtMost(percent: Int) -> Bool { difference * 100 <= baseline * percent }
    /// Whether the deviation is at least `percent` % (exact integer test).
    public func isAtLeast(percent: Int) -> Bool { difference * 100 >= baseline * percent }

    /// The deviation in percent, for display.
    public var percent: Double { Double(difference) * 100 / Double(baseline) }

    public static func < (a: Self, b: Self) -> Bool { a.difference * b.baseline < b.difference * a.baseline }

    /// The largest deviation of the paired values present in both readings (nil when none is).
    static func largest(_ pairs: [(Int?, Int?)]) -> DeviationFromBaseline? {
        pairs.compactMap { current, baseline in
            guard let current, let baseline, baseline > 0 else { return nil }
            return DeviationFromBaseline(current: current, baseline: baseline)
        }.max()
    }
}

/// The modified Aldrete score (Aldrete 1995; clinical-reference §6): five items, each 0–2; ≥ 9 to leave the monitored chair.
public struct ModifiedAldrete: Sendable, Hashable, Codable {
    /// Activity, 0–2, as observed.
    public var activity: Int
    /// Respiration, 0–2, as observed.
    public var respiration: Int
    /// Circulation, 0–2, computed from the blood pressure against the session's baseline.
    public var circulation: Int
    /// Consciousness, 0–2, as observed.
    public var consciousness: Int
    /// Oxygen saturation, 0–2, computed from SpO₂ and whether oxygen is given.
    public var oxygenSaturation: Int

    /// A total of 9 or more allows leaving the monitored chair (Aldrete 1995; clinical-reference §6).
    public static let leaveChairThreshold = 9
    /// The range of each item (Aldrete 1995; clinical-reference §6).
    public static let itemRange = 0...2

    /// Creates a score from item scores already known (e.g. a stored one); use `assess` to compute one.
    public init(activity: Int, respiration: Int, circulation: Int, consciousness: Int, oxygenSaturation: Int) {
        self.activity = activity
        self.respiration = respiration
        self.circulation = circulation
        self.consciousness = consciousness
        self.oxygenSaturation = oxygenSaturation
    }

    /// Scores the observed items and computes circulation and SpO₂ from the readings; throws `ClinicError.invalid` for
    /// an item outside 0–2 or a missing pressure or SpO₂.
    public static func assess(activity: Int, respiration: Int, consciousness: Int, baseline: VitalsReading,
                              current: VitalsReading, onSupplementalOxygen: Bool) throws -> ModifiedAldrete {
        var errors = FieldErrors()
        for (field, value) in [("aldrete.activity", activity), ("aldrete.respiration", respiration), ("aldrete.consciousness", consciousness)]
        where !itemRange.contains(value) {
            errors.add(field, "Must be 0, 1 or 2.")
        }
        let deviation = DeviationFromBaseline.largest([(current.systolic, baseline.systolic), (current.diastolic, baseline.diastolic)])
        if current.bloodPressure == nil { errors.add("aldrete.bloodPressure", "Record the current blood pressure.") }
        if baseline.bloodPressure == nil { errors.add("aldrete.baseline", "The session has no baseline blood pressure.") }
        if current.oxygenSaturation == nil { errors.add("aldrete.oxygenSaturation", "Record the current SpO₂.") }
        try errors.throwIfAny()
        guard let deviation else { throw ClinicError.invalid("aldrete.baseline", "The baseline blood pressure is not usable.") }
        return ModifiedAldrete(activity: activity, respiration: respiration, circulation: circulationScore(deviation),
                               consciousness: consciousness,
                               oxygenSaturation: oxygenScore(spO2: current.oxygenSaturation!, onSupplementalOxygen: onSupplementalOxygen))
    }

    /// Circulation: BP within ±20% of baseline = 2, 20–49% = 1, ≥ 50% = 0 (Aldrete 1995; clinical-reference §6).
    /// The reference does not say which pressure: the larger deviation of systolic and diastolic counts; exactly 20% scores 2.
    public static func circulationScore(_ deviation: DeviationFromBaseline) -> Int {
        if deviation.isAtMost(percent: 20) { return 2 }
        if deviation.isAtLeast(percent: 50) { return 0 }
        return 1
    }

    /// SpO₂: > 92% on room air = 2; needs O₂ to stay > 90% = 1; < 90% with O₂ = 0 (Aldrete 1995; clinical-reference §6).
    /// The bands leave 91–92% on room air and exactly 90% unassigned: 91–92% on room air scores 1 (above 90% but not
    /// above 92%), and 90% or less scores 0 in either case (it does not stay above 90%).
    public static func oxygenScore(spO2: Int, onSupplementalOxygen: Bool) -> Int {
        if !onSupplementalOxygen && spO2 > 92 { return 2 }
        if spO2 > 90 { return 1 }
        return 0
    }

    /// The sum of the five items, 0–10.
    public var total: Int { activity + respiration + circulation + consciousness + oxygenSaturation }

    /// Whether the patient may leave the monitored chair: total ≥ 9 (Aldrete 1995; clinical-reference §6).
    public var allowsLeavingChair: Bool { total >= Self.leaveChairThreshold }

    /// Throws `ClinicError.invalid` when an item is outside 0–2.
    public func validated() throws -> ModifiedAldrete {
        var errors = FieldErrors()
        for (field, value) in [("aldrete.activity", activity), ("aldrete.respiration", respiration), ("aldrete.circulation", circulation),
                               ("aldrete.consciousness", consciousness), ("aldrete.oxygenSaturation", oxygenSaturation)]
        where !Self.itemRange.contains(value) {
            errors.add(field, "Must be 0, 1 or 2.")
        }
        try errors.throwIfAny()
        return self
    }
}

/// The Post-Anaesthetic Discharge Scoring System (Chung; clinical-reference §6), adapted for infusions: five items, each 0–2;
/// ≥ 9 and a responsible adult escort to go home.
public struct PADSS: Sendable, Hashable, Codable {
    /// Vital signs, 0–2, computed from blood pressure and heart rate against the session's baseline.
    public var vitalSigns: Int
    /// Activity and mental status, 0–2, as observed.
    public var activityMentalStatus: Int
    /// Pain and nausea/vomiting, 0–2, as observed.
    public var painNauseaVomiting: Int
    /// Bleeding, adapted for infusions: bleeding at the IV site after the cannula is removed, 0–2 (2 = none or minimal).
    public var ivSiteBleeding: Int
    /// Intake and output, 0–2, as observed.
    public var intakeOutput: Int

    /// A total of 9 or more (with an escort present) allows going home (Chung; clinical-reference §6).
    public static let goHomeThreshold = 9
    /// The range of each item (Chung; clinical-reference §6).
    public static let itemRange = 0...2

    /// Creates a score from item scores already known; use `assess` to compute one.
    public init(vitalSigns: Int, activityMentalStatus: Int, painNauseaVomiting: Int, ivSiteBleeding: Int, intakeOutput: Int) {
        self.vitalSigns = vitalSigns
        self.activityMentalStatus = activityMentalStatus
        self.painNauseaVomiting = painNauseaVomiting
        self.ivSiteBleeding = ivSiteBleeding
        self.intakeOutput = intakeOutput
    }

    /// Scores the observed items and computes vital signs from the readings; throws `ClinicError.invalid` for an item
    /// outside 0–2 or a missing pressure or heart rate.
    public static func assess(activityMentalStatus: Int, painNauseaVomiting: Int, ivSiteBleeding: Int, intakeOutput: Int,
                              baseline: VitalsReading, current: VitalsReading) throws -> PADSS {
        var errors = FieldErrors()
        for (field, value) in [("padss.activityMentalStatus", activityMentalStatus), ("padss.painNauseaVomiting", painNauseaVomiting),
                               ("padss.ivSiteBleeding", ivSiteBleeding), ("padss.intakeOutput", intakeOutput)]
        where !itemRange.contains(value) {
            errors.add(field, "Must be 0, 1 or 2.")
        }
        if current.bloodPressure == nil || current.heartRate == nil {
            errors.add("padss.vitalSigns", "Record the current blood pressure and heart rate.")
        }
        if baseline.bloodPressure == nil || baseline.heartRate == nil {
            errors.add("padss.baseline", "The session has no baseline blood pressure and heart rate.")
        }
        try errors.throwIfAny()
        guard let deviation = DeviationFromBaseline.largest([(current.systolic, baseline.systolic), (current.diastolic, baseline.diastolic),
                                                            (current.heartRate, baseline.heartRate)]) else {
            throw ClinicError.invalid("padss.baseline", "The baseline vital signs are not usable.")
        }
        return PADSS(vitalSigns: vitalSignsScore(deviation), activityMentalStatus: activityMentalStatus,
                     painNauseaVomiting: painNauseaVomiting, ivSiteBleeding: ivSiteBleeding, intakeOutput: intakeOutput)
    }

    /// Vital signs: within 20% of baseline = 2, 20–40% = 1, > 40% = 0 (Chung; clinical-reference §6). Chung's item covers
    /// blood pressure and pulse: the largest deviation of systolic, diastolic and heart rate counts; exactly 20% scores 2,
    /// exactly 40% scores 1.
    public static func vitalSignsScore(_ deviation: DeviationFromBaseline) -> Int {
        if deviation.isAtMost(percent: 20) { return 2 }
        if deviation.isAtMost(percent: 40) { return 1 }
        return 0
    }

    /// The sum of the five items, 0–10.
    public var total: Int { vitalSigns + activityMentalStatus + painNauseaVomiting + ivSiteBleeding + intakeOutput }

    /// Whether the score allows going home: total ≥ 9 (Chung; clinical-reference §6); the escort is checked at discharge.
    public var allowsGoingHome: Bool { total >= Self.goHomeThreshold }

    /// Throws `ClinicError.invalid` when an item is outside 0–2.
    public func validated() throws -> PADSS {
        var errors = FieldErrors()
        for (field, value) in [("padss.vitalSigns", vitalSigns), ("padss.activityMentalStatus", activityMentalStatus),
                               ("padss.painNauseaVomiting", painNauseaVomiting), ("padss.ivSiteBleeding", ivSiteBleeding),
                               ("padss.intakeOutput", intakeOutput)]
        where !Self.itemRange.contains(value) {
            errors.add(field, "Must be 0, 1 or 2.")
        }
        try errors.throwIfAny()
        return self
    }
}

/// The written post-treatment instructions a patient leaves with (clinical-reference §1, §6 [P]); the page is rendered elsewhere.
public struct DischargeInstructions: Sendable, Hashable, Codable {
    /// No driving or operating machinery for 24 h (clinical-reference §6 [P]).
    public var noDrivingOrMachineryHours: Int
    /// Released only to a responsible adult (clinical-reference §6 [P]).
    public var releasedOnlyToResponsibleAdult: Bool
    /// Who to call with a concern, e.g. "Clinic on-call: 555-0100".
    public var whoToCall: String
    /// The next appointment, as text, e.g. "Infusion 3 of 6, Thursday 4 December, 09:00".
    public var nextAppointment: String

    /// No driving or machinery for 24 h after an infusion (clinical-reference §6 [P]).
    public static let programNoDrivingOrMachineryHours = 24

    /// The clinic's standard instructions (clinical-reference §6 [P]) with the contact and next appointment filled in.
    public init(whoToCall: String, nextAppointment: String, noDrivingOrMachineryHours: Int = DischargeInstructions.programNoDrivingOrMachineryHours,
                releasedOnlyToResponsibleAdult: Bool = true) {
        self.whoToCall = whoToCall
        self.nextAppointment = nextAppointment
        self.noDrivingOrMachineryHours = noDrivingOrMachineryHours
        self.releasedOnlyToResponsibleAdult = releasedOnlyToResponsibleAdult
    }

    /// The instructions as sentences for the patient, in order.
    public var lines: [String] {
        var lines = ["Rest until the effects of the infusion have worn off.",
                     "Do not drive or operate machinery for \(noDrivingOrMachineryHours) hours."]
        if releasedOnlyToResponsibleAdult { lines.append("You may leave only with a responsible adult who takes you home.") }
        lines.append("If you have a concern, call \(whoToCall).")
        if !nextAppointment.isEmpty { lines.append("Your next appointment: \(nextAppointment).") }
        return lines
    }

    /// Requires who to call and keeps the 24-hour rule from being shortened below the program's (clinical-reference §6 [P]).
    public func validated() throws -> DischargeInstructions {
        var i = self
        i.whoToCall = whoToCall.trimmingCharacters(in: .whitespacesAndNewlines)
        i.nextAppointment = nextAppointment.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FieldErrors()
        if i.whoToCall.isEmpty { errors.add("instructions.whoToCall", "Required: who the patient calls with a concern.") }
        if noDrivingOrMachineryHours < Self.programNoDrivingOrMachineryHours {
            errors.add("instructions.noDrivingOrMachineryHours", "Must be at least \(Self.programNoDrivingOrMachineryHours) hours (the clinic's program).")
        }
        if !releasedOnlyToResponsibleAdult { errors.add("instructions.releasedOnlyToResponsibleAdult", "The patient is released only to a responsible adult (the clinic's program).") }
        try errors.throwIfAny()
        return i
    }
}
