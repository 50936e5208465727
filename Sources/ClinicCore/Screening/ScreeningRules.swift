import Foundation

/// The citations the screening rules rest on (clinical-reference §2–§3).
public enum ScreeningSource {
    /// Cohen SP et al., ASRA/AAPM/ASA consensus guidelines on IV ketamine for chronic pain.
    public static let cohen2018 = "Cohen SP et al. Reg Anesth Pain Med 2018;43(5):521–546"
    /// Schwenk 2018, the companion acute-pain ketamine guideline (pregnancy is a contraindication).
    public static let schwenk2018 = "Schwenk 2018, Reg Anesth Pain Med, doi:10.1097/AAP.0000000000000806"
    /// The clinic's mapping of guideline wording to a decision (local policy).
    public static let decisionPolicy = "clinical-reference §2 [D] (clinic policy)"
    /// The clinic's blood-pressure screening thresholds (local policy, configurable).
    public static let bloodPressurePolicy = "clinical-reference §2–§3 [D] (clinic policy, configurable)"

    /// A Cohen 2018 citation with the guideline's own wording for the finding.
    public static func cohen2018(_ wording: String) -> String { "\(cohen2018) — \(wording)" }
}

/// Blood-pressure cut-offs, reading rules and validity of a screening: clinic policy [D], configurable (clinical-reference §2–§3).
public struct ScreeningThresholds: Sendable, Hashable, Codable {
    /// Mean systolic at or above which a blood-pressure clearance is needed (default 160 mmHg, clinical-reference §3 [D]).
    public var clearanceSystolic: Int
    /// Mean diastolic at or above which a blood-pressure clearance is needed (default 100 mmHg, clinical-reference §3 [D]).
    public var clearanceDiastolic: Int
    /// Mean systolic at or above which the patient is not eligible until treated (default 180 mmHg, clinical-reference §3 [D]).
    public var notEligibleSystolic: Int
    /// Mean diastolic at or above which the patient is not eligible until treated (default 120 mmHg, clinical-reference §3 [D]).
    public var notEligibleDiastolic: Int
    /// Seated readings the mean needs (default 2, clinical-reference §2 [D]).
    public var minimumSeatedReadings: Int
    /// Minutes that must separate the readings used (default 5, clinical-reference §2 [D]).
    public var minimumMinutesBetweenReadings: Int
    /// Days an eligible result stays valid (default 90, clinical-reference §2 [D]).
    public var validityDays: Int

    /// Creates thresholds; the defaults are the clinic-policy values of clinical-reference §2–§3.
    public init(clearanceSystolic: Int = 160, clearanceDiastolic: Int = 100,
                notEligibleSystolic: Int = 180, notEligibleDiastolic: Int = 120,
                minimumSeatedReadings: Int = 2, minimumMinutesBetweenReadings: Int = 5, validityDays: Int = 90) {
        self.clearanceSystolic = clearanceSystolic
        self.clearanceDiastolic = clearanceDiastolic
        self.notEligibleSystolic = notEligibleSystolic
        self.notEligibleDiastolic = notEligibleDiastolic
        self.minimumSeatedReadings = minimumSeatedReadings
        self.minimumMinutesBetweenReadings = minimumMinutesBetweenReadings
        self.validityDays = validityDays
    }

    /// The clinic-policy defaults (clinical-reference §2–§3 [D]).
    public static let standard = ScreeningThresholds()

    /// Checks the settings are coherent, throwing `ClinicError.invalid` naming each bad field.
    public func validated() throws -> ScreeningThresholds {
        var errors = FieldErrors()
        for (field, value) in [("clearanceSystolic", clearanceSystolic), ("clearanceDiastolic", clearanceDiastolic),
                               ("notEligibleSystolic", notEligibleSystolic), ("notEligibleDiastolic", notEligibleDiastolic),
                               ("minimumSeatedReadings", minimumSeatedReadings), ("validityDays", validityDays)] where value < 1 {
            errors.add(field, "Must be at least 1.")
        }
        if minimumMinutesBetweenReadings < 0 { errors.add("minimumMinutesBetweenReadings", "Must not be negative.") }
        if notEligibleSystolic <= clearanceSystolic {
            errors.add("notEligibleSystolic", "Must be above the clearance systolic threshold.")
        }
        if notEligibleDiastolic <= clearanceDiastolic {
            errors.add("notEligibleDiastolic", "Must be above the clearance diastolic threshold.")
        }
        try errors.throwIfAny()
        return self
    }

    /// The readings that count: seated ones in time order, each kept only when taken at least
    /// `minimumMinutesBetweenReadings` after the last one kept (so every pair used is far enough apart).
    public func qualifyingReadings(_ readings: [BloodPressureReading]) -> [BloodPressureReading] {
        let gap = TimeInterval(minimumMinutesBetweenReadings * 60)
        var kept: [BloodPressureReading] = []
        for reading in readings.filter(\.seated).sorted(by: { $0.takenAt < $1.takenAt }) {
            if let last = kept.last, reading.takenAt.timeIntervalSince(last.takenAt) < gap { continue }
            kept.append(reading)
        }
        return kept
    }

    /// The mean of the qualifying readings, or nil when fewer than `minimumSeatedReadings` qualify.
    public func meanBloodPressure(of readings: [BloodPressureReading]) -> MeanBloodPressure? {
        let used = qualifyingReadings(readings)
        guard !used.isEmpty, used.count >= minimumSeatedReadings else { return nil }
        return MeanBloodPressure(systolic: Self.roundedHalfUpMean(used.map(\.systolic)),
                                 diastolic: Self.roundedHalfUpMean(used.map(\.diastolic)),
                                 readingsUsed: used.count)
    }

    static func roundedHalfUpMean(_ values: [Int]) -> Int {
        Int((Double(values.reduce(0, +)) / Double(values.count) + 0.5).rounded(.down))
    }
}

/// A versioned set of screening rules and the thresholds they use.
public struct ScreeningRuleSet: Sendable, Hashable, Codable {
    /// The rule-set version stored with every result, e.g. "2026.11-1".
    public var version: String
    /// The thresholds in force.
    public var thresholds: ScreeningThresholds

    /// Creates a rule set.
    public init(version: String, thresholds: ScreeningThresholds) {
        self.version = version
        self.thresholds = thresholds
    }

    /// The current rules with the clinic-policy default thresholds.
    public static let standard = ScreeningRuleSet(version: "2026.11-1", thresholds: .standard)

    /// Applies the decision table of clinical-reference §2 to a form and the chart.
    ///
    /// The blood-pressure mean is compared after rounding half-up, so the decision matches the mean staff see.
    public func evaluate(form: ScreeningForm, chart: ScreeningChartFacts) -> ScreeningEvaluation {
        var reasons: [ScreeningReason] = []
        func unanswered(_ field: String, _ question: String) {
            reasons.append(ScreeningReason(
                ruleID: "\(field).unanswered", finding: "Not answered: \(question)", decision: .incomplete,
                source: "\(ScreeningSource.decisionPolicy) — every screening question must be answered", field: field))
        }

        switch form.cardiovascular {
        case nil: unanswered("cardiovascular", "cardiovascular disease")
        case .none?: break
        case .stableKnownDisease?:
            reasons.append(ScreeningReason(
                ruleID: "cardiovascular.stableKnownDisease",
                finding: "Stable known heart disease (coronary disease, heart failure, arrhythmia): cardiology clearance needed",
                decision: .needsClearance, clearance: .cardiology,
                source: "\(ScreeningSource.cohen2018("cardiac risk")); \(ScreeningSource.decisionPolicy)",
                field: "cardiovascular"))
        case .poorlyControlled?:
            reasons.append(ScreeningReason(
                ruleID: "cardiovascular.poorlyControlled", finding: "Poorly controlled cardiovascular disease",
                decision: .notEligible, source: ScreeningSource.cohen2018("do not use"), field: "cardiovascular"))
        }

        let pressureWording = "do not use, or lower doses with extreme caution"
        switch form.raisedIntracranialPressure {
        case nil: unanswered("raisedIntracranialPressure", "raised intracranial pressure")
        case false?: break
        case true?:
            reasons.append(ScreeningReason(
                ruleID: "intracranialPressure.raised", finding: "Raised intracranial pressure", decision: .notEligible,
                source: ScreeningSource.cohen2018(pressureWording), field: "raisedIntracranialPressure"))
        }
        switch form.raisedIntraocularPressure {
        case nil: unanswered("raisedIntraocularPressure", "raised intraocular pressure")
        case false?: break
        case true?:
            reasons.append(ScreeningReason(
                ruleID: "intraocularPressure.raised", finding: "Raised intraocular pressure", decision: .notEligible,
                source: ScreeningSource.cohen2018(pressureWording), field: "raisedIntraocularPressure"))
        }

        switch form.psychosis {
        case nil: unanswered("psychosis", "psychosis")
        case .none?, .historyWellControlled?: break
        case .poorlyControlled?:
            reasons.append(ScreeningReason(
                ruleID: "psychosis.poorlyControlled", finding: "Poorly controlled psychosis", decision: .notEligible,
                source: ScreeningSource.cohen2018("avoid"), field: "psychosis"))
        }

        switch form.hepatic {
        case nil: unanswered("hepatic", "liver disease")
        case .none?, .mild?: break
        case .moderate?:
            reasons.append(ScreeningReason(
                ruleID: "hepatic.moderate", finding: "Moderate liver disease: liver tests must be reviewed",
                decision: .needsClearance, clearance: .liverTests,
                source: ScreeningSource.cohen2018("use with caution and monitoring, liver tests"), field: "hepatic"))
        case .severe?:
            reasons.append(ScreeningReason(
                ruleID: "hepatic.severe", finding: "Severe liver disease", decision: .notEligible,
                source: ScreeningSource.cohen2018("avoid"), field: "hepatic"))
        }
        switch form.heavyAlcoholUse {
        case nil: unanswered("heavyAlcoholUse", "heavy alcohol use")
        case false?: break
        case true?:
            reasons.append(ScreeningReason(
                ruleID: "alcohol.heavyUse", finding: "Heavy alcohol use: liver tests must be reviewed",
                decision: .needsClearance, clearance: .liverTests,
                source: ScreeningSource.cohen2018("liver tests if liver disease or heavy alcohol use (unverified)"),
                field: "heavyAlcoholUse"))
        }

        switch form.activeSubstanceAbuse {
        case nil: unanswered("activeSubstanceAbuse", "active substance abuse")
        case false?: break
        case true?:
            reasons.append(ScreeningReason(
                ruleID: "substanceAbuse.active", finding: "Active substance abuse", decision: .notEligible,
                source: ScreeningSource.cohen2018("no serial infusions"), field: "activeSubstanceAbuse"))
        }

        let pregnancySource = "\(ScreeningSource.schwenk2018) — contraindicated; \(ScreeningSource.decisionPolicy)"
        switch form.pregnancy {
        case nil: unanswered("pregnancy", "pregnancy")
        case .notApplicable?, .notPregnant?: break
        case .pregnant?:
            reasons.append(ScreeningReason(
                ruleID: "pregnancy.reported", finding: "Pregnancy", decision: .notEligible,
                source: pregnancySource, field: "pregnancy"))
        }
        let pregnancyCodes = chart.pregnancyCodes
        if !pregnancyCodes.isEmpty {
            reasons.append(ScreeningReason(
                ruleID: "pregnancy.charted",
                finding: "Pregnancy recorded on the chart (\(pregnancyCodes.joined(separator: ", ")))",
                decision: .notEligible, source: pregnancySource))
        }

        switch form.ketamineHypersensitivity {
        case nil: unanswered("ketamineHypersensitivity", "known hypersensitivity to ketamine")
        case false?: break
        case true?:
            reasons.append(ScreeningReason(
                ruleID: "hypersensitivity.reported", finding: "Known hypersensitivity to ketamine", decision: .notEligible,
                source: ScreeningSource.decisionPolicy, field: "ketamineHypersensitivity"))
        }
        let ketamineAllergies = chart.ketamineAllergies
        if !ketamineAllergies.isEmpty {
            reasons.append(ScreeningReason(
                ruleID: "hypersensitivity.chartedAllergy",
                finding: "Ketamine allergy recorded on the chart (\(ketamineAllergies.joined(separator: "; ")))",
                decision: .notEligible, source: ScreeningSource.decisionPolicy))
        }

        if form.priorKetamineExposure == nil { unanswered("priorKetamineExposure", "prior exposure to ketamine") }
        if form.priorKetamineExposure == true, form.priorSevereKetamineReaction == nil {
            unanswered("priorSevereKetamineReaction", "a prior severe reaction to ketamine")
        }
        if form.priorSevereKetamineReaction == true {
            reasons.append(ScreeningReason(
                ruleID: "ketamineReaction.priorSevere",
                finding: "Prior severe reaction to ketamine (e.g. emergence reaction): physician review needed",
                decision: .needsClearance, clearance: .physicianReview,
                source: ScreeningSource.decisionPolicy, field: "priorSevereKetamineReaction"))
        }

        let mean = thresholds.meanBloodPressure(of: form.bloodPressureReadings)
        if let reason = bloodPressureReason(mean) { reasons.append(reason) }

        return ScreeningEvaluation(combining: reasons, ruleSet: self, meanBloodPressure: mean)
    }

    /// The blood-pressure row of the table: the mean of enough seated readings far enough apart (clinical-reference §2–§3 [D]).
    func bloodPressureReason(_ mean: MeanBloodPressure?) -> ScreeningReason? {
        let t = thresholds
        guard let mean else {
            return ScreeningReason(
                ruleID: "bloodPressure.recheck",
                finding: "Fewer than \(t.minimumSeatedReadings) seated blood-pressure readings at least \(t.minimumMinutesBetweenReadings) minutes apart: recheck",
                decision: .incomplete, source: ScreeningSource.bloodPressurePolicy, field: "bloodPressureReadings")
        }
        if mean.systolic >= t.notEligibleSystolic || mean.diastolic >= t.notEligibleDiastolic {
            return ScreeningReason(
                ruleID: "bloodPressure.notEligible",
                finding: "Blood pressure \(mean.label) at or above \(t.notEligibleSystolic)/\(t.notEligibleDiastolic): not eligible until treated",
                decision: .notEligible, source: ScreeningSource.bloodPressurePolicy, field: "bloodPressureReadings")
        }
        if mean.systolic >= t.clearanceSystolic || mean.diastolic >= t.clearanceDiastolic {
            return ScreeningReason(
                ruleID: "bloodPressure.needsClearance",
                finding: "Blood pressure \(mean.label) at or above \(t.clearanceSystolic)/\(t.clearanceDiastolic): clearance needed",
                decision: .needsClearance, clearance: .bloodPressure,
                source: ScreeningSource.bloodPressurePolicy, field: "bloodPressureReadings")
        }
        return nil
    }
}
