import Foundation

/// The outcome of a candidacy screening (clinical-reference §2).
public enum ScreeningDecision: String, Sendable, Hashable, Codable, CaseIterable {
    /// No contraindication found; every question answered.
    case eligible
    /// Eligible once the listed clearances are recorded and signed off by a physician.
    case needsClearance
    /// A contraindication rules out infusions.
    case notEligible
    /// Questions unanswered or blood pressure not measured as required.
    case incomplete

    /// How the decision is named to staff.
    public var title: String {
        switch self {
        case .eligible: "Eligible"
        case .needsClearance: "Needs clearance"
        case .notEligible: "Not eligible"
        case .incomplete: "Incomplete"
        }
    }

    /// Precedence when findings are combined: not eligible, then incomplete, then needs clearance, then eligible.
    public var precedence: Int {
        switch self {
        case .eligible: 0
        case .needsClearance: 1
        case .incomplete: 2
        case .notEligible: 3
        }
    }
}

/// A clearance that must be recorded and signed off before a patient becomes eligible (clinical-reference §2).
public enum ClearanceKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Cardiology clearance for stable known heart disease.
    case cardiology
    /// Liver tests reviewed, for moderate liver disease or heavy alcohol use.
    case liverTests
    /// Physician review after a prior severe reaction to ketamine.
    case physicianReview
    /// Blood pressure cleared after a raised screening mean.
    case bloodPressure

    /// How the clearance is named to staff.
    public var title: String {
        switch self {
        case .cardiology: "Cardiology"
        case .liverTests: "Liver tests reviewed"
        case .physicianReview: "Physician review"
        case .bloodPressure: "Blood pressure"
        }
    }
}

/// One finding of a screening: the rule that fired, what it found, what it decides and its source.
public struct ScreeningReason: Sendable, Hashable, Codable {
    /// Stable rule id, e.g. `cardiovascular.poorlyControlled`.
    public var ruleID: String
    /// A plain sentence for staff.
    public var finding: String
    /// What this finding alone decides.
    public var decision: ScreeningDecision
    /// The clearance required, when `decision` is `needsClearance`.
    public var clearance: ClearanceKind?
    /// The citation the rule rests on.
    public var source: String
    /// The form field concerned (for `incomplete`: the unanswered field); nil for chart findings.
    public var field: String?

    /// Creates a reason.
    public init(ruleID: String, finding: String, decision: ScreeningDecision, clearance: ClearanceKind? = nil,
                source: String, field: String? = nil) {
        self.ruleID = ruleID
        self.finding = finding
        self.decision = decision
        self.clearance = clearance
        self.source = source
        self.field = field
    }
}

/// The mean of the qualifying seated readings, each value rounded half-up to whole mmHg.
public struct MeanBloodPressure: Sendable, Hashable, Codable {
    /// Mean systolic pressure in mmHg.
    public var systolic: Int
    /// Mean diastolic pressure in mmHg.
    public var diastolic: Int
    /// How many readings the mean was taken over.
    public var readingsUsed: Int

    /// Creates a mean.
    public init(systolic: Int, diastolic: Int, readingsUsed: Int) {
        self.systolic = systolic
        self.diastolic = diastolic
        self.readingsUsed = readingsUsed
    }

    /// The mean for staff, e.g. "152/94 mmHg (mean of 2 seated readings)".
    public var label: String {
        "\(systolic)/\(diastolic) mmHg (mean of \(readingsUsed) seated readings)"
    }
}

/// The result of evaluating a screening form against a rule set; stored with the rule-set version and thresholds.
public struct ScreeningEvaluation: Sendable, Hashable, Codable {
    /// The combined decision.
    public var decision: ScreeningDecision
    /// Every finding, in rule order; empty when eligible.
    public var reasons: [ScreeningReason]
    /// The distinct clearances required before the patient is eligible; empty unless `decision` is `needsClearance`.
    public var requiredClearances: [ClearanceKind]
    /// The version of the rule set that produced this result.
    public var ruleSetVersion: String
    /// The thresholds in force when this result was produced.
    public var thresholds: ScreeningThresholds
    /// The screening blood-pressure mean, when enough qualifying readings were taken.
    public var meanBloodPressure: MeanBloodPressure?

    /// Creates an evaluation (the rule set builds these; stores rebuild them).
    public init(decision: ScreeningDecision, reasons: [ScreeningReason], requiredClearances: [ClearanceKind],
                ruleSetVersion: String, thresholds: ScreeningThresholds, meanBloodPressure: MeanBloodPressure?) {
        self.decision = decision
        self.reasons = reasons
        self.requiredClearances = requiredClearances
        self.ruleSetVersion = ruleSetVersion
        self.thresholds = thresholds
        self.meanBloodPressure = meanBloodPressure
    }

    /// Combines findings: any not-eligible wins, then incomplete, then needs clearance, else eligible.
    public init(combining reasons: [ScreeningReason], ruleSet: ScreeningRuleSet, meanBloodPressure: MeanBloodPressure?) {
        let decision = reasons.map(\.decision).max { $0.precedence < $1.precedence } ?? .eligible
        let needed = Set(reasons.compactMap(\.clearance))
        self.init(
            decision: decision,
            reasons: reasons,
            requiredClearances: decision == .needsClearance ? ClearanceKind.allCases.filter(needed.contains) : [],
            ruleSetVersion: ruleSet.version,
            thresholds: ruleSet.thresholds,
            meanBloodPressure: meanBloodPressure
        )
    }

    /// The fields left unanswered (from the `incomplete` reasons).
    public var missingFields: [String] {
        reasons.filter { $0.decision == .incomplete }.compactMap(\.field)
    }
}
