import Foundation

/// How urgent an alarm is (clinical-reference §3): high and medium sound and escalate; an advisory is silent and
/// only shown on the board.
public enum AlarmPriority: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case advisory, medium, high

    /// Higher is worse: advisory < medium < high.
    var rank: Int {
        switch self {
        case .advisory: 0
        case .medium: 1
        case .high: 2
        }
    }

    public static func < (lhs: AlarmPriority, rhs: AlarmPriority) -> Bool { lhs.rank < rhs.rank }

    /// Whether an alarm of this priority needs someone to acknowledge it, and escalates when nobody does
    /// (clinical-reference §3: an advisory "informs, it does not alarm").
    public var needsAcknowledgement: Bool { self != .advisory }

    /// How the priority is named to staff.
    public var title: String {
        switch self {
        case .advisory: "advisory"
        case .medium: "medium priority"
        case .high: "high priority"
        }
    }
}

/// Which way a limit is passed: by a value too high or too low.
public enum LimitDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case upper, lower
}

/// One limit on a vital sign, with its comparison exactly as clinical-reference §3 writes it: "> 180" (`above`) is
/// passed by 181, not by 180; "≥ 160" (`atOrAbove`) is passed by 160.
public struct AlarmLimit: Sendable, Hashable, Codable {
    /// How a value is compared with the limit.
    public enum Comparison: String, Sendable, Hashable, Codable, CaseIterable {
        case above, atOrAbove, below, atOrBelow
    }

    /// How a value is compared.
    public var comparison: Comparison
    /// The limit, in the parameter's stored unit (`VitalParameter.ucumUnit`).
    public var value: Double

    public init(_ comparison: Comparison, _ value: Double) {
        self.comparison = comparison
        self.value = value
    }

    /// Passed by a value strictly above `value`.
    public static func above(_ value: Double) -> AlarmLimit { AlarmLimit(.above, value) }
    /// Passed by a value at or above `value`.
    public static func atOrAbove(_ value: Double) -> AlarmLimit { AlarmLimit(.atOrAbove, value) }
    /// Passed by a value strictly below `value`.
    public static func below(_ value: Double) -> AlarmLimit { AlarmLimit(.below, value) }
    /// Passed by a value at or below `value`.
    public static func atOrBelow(_ value: Double) -> AlarmLimit { AlarmLimit(.atOrBelow, value) }

    /// Whether the limit is passed by a value too high or too low.
    public var direction: LimitDirection {
        switch comparison {
        case .above, .atOrAbove: .upper
        case .below, .atOrBelow: .lower
        }
    }

    /// Whether `x` passes the limit (the alarm condition).
    @inline(__always)
    public func isPassed(by x: Double) -> Bool {
        switch comparison {
        case .above: x > value
        case .atOrAbove: x >= value
        case .below: x < value
        case .atOrBelow: x <= value
        }
    }

    /// Whether this limit fires for every value `other` fires for (same direction): a stricter or equal limit.
    /// `> 120` is stricter than `> 130`; `≥ 130` is stricter than `> 130`.
    public func isAtLeastAsStrict(as other: AlarmLimit) -> Bool {
        guard direction == other.direction else { return false }
        let inclusive = comparison == .atOrAbove || comparison == .atOrBelow
        let otherInclusive = other.comparison == .atOrAbove || other.comparison == .atOrBelow
        if value == other.value { return inclusive || !otherInclusive }
        return direction == .upper ? value < other.value : value > other.value
    }

    /// The comparison in symbols: ">", "≥", "<", "≤".
    public var symbol: String {
        switch comparison {
        case .above: ">"
        case .atOrAbove: "≥"
        case .below: "<"
        case .atOrBelow: "≤"
        }
    }

    /// The comparison in words: "above", "at or above", "below", "at or below".
    public var words: String {
        switch comparison {
        case .above: "above"
        case .atOrAbove: "at or above"
        case .below: "below"
        case .atOrBelow: "at or below"
        }
    }
}

/// Names one limit: its priority, its parameter and which way it is passed (e.g. high · heart rate · upper).
public struct ThresholdKey: Sendable, Hashable, Codable, Comparable {
    /// High or medium (advisories are relative to the baseline; see `AlarmThresholds.advisoryRiseAboveBaselinePercent`).
    public var priority: AlarmPriority
    public var parameter: VitalParameter
    public var direction: LimitDirection

    public init(_ priority: AlarmPriority, _ parameter: VitalParameter, _ direction: LimitDirection) {
        self.priority = priority
        self.parameter = parameter
        self.direction = direction
    }

    /// The field name used in errors and forms: `thresholds.high.heartRate.upper`.
    public var field: String { "thresholds.\(priority.rawValue).\(parameter.rawValue).\(direction.rawValue)" }

    public static func < (lhs: ThresholdKey, rhs: ThresholdKey) -> Bool {
        if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }   // high first
        let l = lhs.parameter.ordinal, r = rhs.parameter.ordinal
        if l != r { return l < r }
        return lhs.direction == .upper && rhs.direction == .lower
    }
}

/// One limit in force: "high priority when heart rate > 130".
public struct ThresholdRule: Sendable, Hashable, Codable {
    public var priority: AlarmPriority
    public var parameter: VitalParameter
    public var limit: AlarmLimit

    public init(_ priority: AlarmPriority, _ parameter: VitalParameter, _ limit: AlarmLimit) {
        self.priority = priority
        self.parameter = parameter
        self.limit = limit
    }

    /// Which limit this is.
    public var key: ThresholdKey { ThresholdKey(priority, parameter, limit.direction) }
}

/// The alarm limits in force for a session, at each priority (clinical-reference §3 [D], configurable, shown as local
/// policy). Resolved in layers: clinical-reference §3 defaults → clinic settings → protocol override → patient override
/// (`effective`).
///
/// Parameters without a limit here never raise a threshold alarm: the reference gives none for EtCO₂, temperature or
/// mean pressure, and none is invented. The oximeter's pulse rate is checked against the heart-rate limits when no
/// ECG heart rate is being received (see `SessionAlarmMonitor`).
public struct AlarmThresholds: Sendable, Hashable, Codable {
    /// The limits, at most one per key, sorted by key (high first).
    public private(set) var rules: [ThresholdRule]
    /// Advisory when systolic or diastolic pressure is more than this many percent above the session's baseline
    /// (clinical-reference §3 [D]: "> 20% above the session's baseline ... it informs, it does not alarm").
    public var advisoryRiseAboveBaselinePercent: Double

    /// Creates a set from rules; a later rule for the same key replaces an earlier one.
    public init(rules: [ThresholdRule], advisoryRiseAboveBaselinePercent: Double) {
        self.rules = []
        self.advisoryRiseAboveBaselinePercent = advisoryRiseAboveBaselinePercent
        for rule in rules { setLimit(rule.limit, for: rule.key) }
    }

    // Defaults: clinical-reference §3 "alarm, high priority" / "alarm, medium priority" / "advisory", exactly as written.

    /// High: systolic > 180 mmHg (ACC/AHA 2017 hypertensive crisis [G]; clinical-reference §2, §3).
    public static let highSystolic = AlarmLimit.above(180)
    /// High: diastolic > 120 mmHg (ACC/AHA 2017 hypertensive crisis [G]; clinical-reference §2, §3).
    public static let highDiastolic = AlarmLimit.above(120)
    /// High: SpO₂ < 90 % (clinical-reference §3 [D]; the modified Aldrete scores < 90 % as 0, Aldrete 1995 [G], §6).
    public static let highOxygenSaturation = AlarmLimit.below(90)
    /// High: heart rate > 130 beats/min (clinical-reference §3 [D]).
    public static let highHeartRateUpper = AlarmLimit.above(130)
    /// High: heart rate < 45 beats/min (clinical-reference §3 [D]).
    public static let highHeartRateLower = AlarmLimit.below(45)
    /// High: respiratory rate < 8 breaths/min (clinical-reference §3 [D]).
    public static let highRespiratoryRate = AlarmLimit.below(8)
    /// Medium: SpO₂ < 92 % (modified Aldrete [G], Aldrete 1995: > 92 % on room air scores 2; clinical-reference §3, §6).
    public static let mediumOxygenSaturation = AlarmLimit.below(92)
    /// Medium: heart rate > 110 beats/min (clinical-reference §3 [D]).
    public static let mediumHeartRateUpper = AlarmLimit.above(110)
    /// Medium: heart rate < 50 beats/min (clinical-reference §3 [D]).
    public static let mediumHeartRateLower = AlarmLimit.below(50)
    /// Medium: respiratory rate < 10 breaths/min (clinical-reference §3 [D]).
    public static let mediumRespiratoryRate = AlarmLimit.below(10)
    /// Medium: systolic ≥ 160 mmHg (clinical-reference §3 [D], the pre-infusion hold's cut-off).
    public static let mediumSystolic = AlarmLimit.atOrAbove(160)
    /// Medium: diastolic ≥ 100 mmHg (clinical-reference §3 [D], the pre-infusion hold's cut-off).
    public static let mediumDiastolic = AlarmLimit.atOrAbove(100)
    /// Advisory: > 20 % above the session's baseline, systolic or diastolic (clinical-reference §3 [D]; the mean rise
    /// with ketamine is +16/+11 mmHg, Gen Hosp Psychiatry 2024, §2).
    public static let advisoryRisePercent: Double = 20

    /// The defaults of clinical-reference §3, the floor no layer may loosen.
    public static let clinicalReferenceDefaults = AlarmThresholds(rules: [
        ThresholdRule(.high, .systolic, highSystolic),
        ThresholdRule(.high, .diastolic, highDiastolic),
        ThresholdRule(.high, .oxygenSaturation, highOxygenSaturation),
        ThresholdRule(.high, .heartRate, highHeartRateUpper),
        ThresholdRule(.high, .heartRate, highHeartRateLower),
        ThresholdRule(.high, .respiratoryRate, highRespiratoryRate),
        ThresholdRule(.medium, .oxygenSaturation, mediumOxygenSaturation),
        ThresholdRule(.medium, .heartRate, mediumHeartRateUpper),
        ThresholdRule(.medium, .heartRate, mediumHeartRateLower),
        ThresholdRule(.medium, .respiratoryRate, mediumRespiratoryRate),
        ThresholdRule(.medium, .systolic, mediumSystolic),
        ThresholdRule(.medium, .diastolic, mediumDiastolic),
    ], advisoryRiseAboveBaselinePercent: advisoryRisePercent)

    /// The limit for a key, if any.
    public func limit(for key: ThresholdKey) -> AlarmLimit? {
        rules.first { $0.key == key }?.limit
    }

    /// The limit at `priority` for `parameter` in `direction`, if any.
    public func limit(_ priority: AlarmPriority, _ parameter: VitalParameter, _ direction: LimitDirection) -> AlarmLimit? {
        limit(for: ThresholdKey(priority, parameter, direction))
    }

    /// Sets (or with nil removes) the limit for a key; a limit whose direction differs from the key's is ignored.
    public mutating func setLimit(_ limit: AlarmLimit?, for key: ThresholdKey) {
        rules.removeAll { $0.key == key }
        guard let limit, limit.direction == key.direction else { return }
        rules.append(ThresholdRule(key.priority, key.parameter, limit))
        rules.sort { $0.key < $1.key }
    }

    /// Every key that has a limit in this set or in `other`.
    func keys(unionWith other: AlarmThresholds) -> [ThresholdKey] {
        Array(Set(rules.map(\.key)).union(other.rules.map(\.key))).sorted()
    }

    /// This set with `overrides` applied on top.
    public func applying(_ overrides: ThresholdOverrides?) -> AlarmThresholds {
        guard let overrides else { return self }
        var result = self
        for entry in overrides.limits { result.setLimit(entry.limit, for: entry.key) }
        if let percent = overrides.advisoryRiseAboveBaselinePercent { result.advisoryRiseAboveBaselinePercent = percent }
        return result
    }

    /// The set in force for one session: the defaults of clinical-reference §3, then the clinic's settings, then the
    /// protocol's override, then the patient's.
    public static func effective(clinic: ThresholdOverrides? = nil, protocol protocolOverrides: ThresholdOverrides? = nil,
                                 patient: ThresholdOverrides? = nil) -> AlarmThresholds {
        clinicalReferenceDefaults.applying(clinic).applying(protocolOverrides).applying(patient)
    }
}

/// Changes one layer (the clinic's settings, a protocol's or a patient's override) makes to the layer beneath it:
/// only what differs is listed.
public struct ThresholdOverrides: Sendable, Hashable, Codable {
    /// One overridden limit; a nil limit switches the rule off (which only a rule the layer beneath lacks allows).
    public struct Entry: Sendable, Hashable, Codable {
        public var key: ThresholdKey
        public var limit: AlarmLimit?

        public init(_ key: ThresholdKey, _ limit: AlarmLimit?) {
            self.key = key
            self.limit = limit
        }
    }

    /// The overridden limits.
    public var limits: [Entry]
    /// The advisory's rise above baseline in %, when overridden.
    public var advisoryRiseAboveBaselinePercent: Double?

    public init(limits: [Entry] = [], advisoryRiseAboveBaselinePercent: Double? = nil) {
        self.limits = limits
        self.advisoryRiseAboveBaselinePercent = advisoryRiseAboveBaselinePercent
    }

    /// No override.
    public static let none = ThresholdOverrides()
}

/// Where a set of limits is configured.
public enum ThresholdLayer: Sendable, Hashable, Codable {
    /// The clinic's settings, over the defaults of clinical-reference §3.
    case clinic
    /// A protocol's override of the clinic's settings.
    case infusionProtocol(InfusionProtocol.ID)
    /// A patient's override of the protocol's limits.
    case patient(Patient.ID)
}

extension VitalParameter {
    /// The parameter's position in `allCases`, for fixed-size tables on the hot path.
    @inline(__always)
    var ordinal: Int {
        switch self {
        case .heartRate: 0
        case .pulseRate: 1
        case .systolic: 2
        case .diastolic: 3
        case .meanPressure: 4
        case .oxygenSaturation: 5
        case .respiratoryRate: 6
        case .temperature: 7
        case .endTidalCO2: 8
        }
    }
}
