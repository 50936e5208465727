import Foundation

/// The clinic's alarm settings: how rules fire, when silence counts as "no data", when an alarm escalates, and the
/// suggested action staff see (clinical-reference §3 [D]: configurable defaults, shown as local policy).
/// Escalation cannot be switched off: the field is not optional and `validated()` refuses 0 or less.
public struct AlarmPolicy: Sendable, Hashable, Codable {
    /// A continuous numeric must pass a limit for this long before it alarms: 10 s (clinical-reference §3, "artefact
    /// suppression").
    public var confirmationSeconds: Double
    /// A continuous numeric silent this long in an active session raises "no data": 30 s (clinical-reference §3).
    public var continuousNoDataSeconds: Double
    /// The cuff's cycle: 15 min by default, the manual blood-pressure cadence (Goldberg 2005 [G]; clinical-reference §3),
    /// unless the clinic sets another.
    public var cuffCycleMinutes: Int
    /// No cuff reading within the cycle plus this grace raises "no data": 2 min (clinical-reference §3).
    public var cuffGraceMinutes: Int
    /// An alarm not acknowledged this long escalates to the charge nurse and the physician on duty: 60 s
    /// (clinical-reference §3; configurable, never off).
    public var escalationSeconds: Double
    /// The priority of a "no data" alarm: medium by default. The reference gives none; lost monitoring must not be
    /// silent (an advisory is, §3) and must escalate (§3), yet it is not itself a confirmed crisis, so medium.
    public var noDataPriority: AlarmPriority
    /// The parameters a session with a monitor is expected to report from the moment it becomes active, so silence
    /// counts as "no data" even before the first value; the cuff is named by `.systolic`. Default: SpO₂ (two of the
    /// §3 rules; its probe also gives the pulse rate) and the cuff (blood pressure is monitored throughout,
    /// clinical-reference §1 [P]). Every other continuous parameter counts once it has been seen.
    public var expectedWithMonitor: [VitalParameter]
    /// The suggested actions staff see with each alarm (local policy).
    public var actions: AlarmActions

    public init(confirmationSeconds: Double = 10, continuousNoDataSeconds: Double = 30,
                cuffCycleMinutes: Int = MonitoringPolicy.standard.manualVitalsIntervalMinutes, cuffGraceMinutes: Int = 2,
                escalationSeconds: Double = 60, noDataPriority: AlarmPriority = .medium,
                expectedWithMonitor: [VitalParameter] = [.oxygenSaturation, .systolic],
                actions: AlarmActions = .standard) {
        self.confirmationSeconds = confirmationSeconds
        self.continuousNoDataSeconds = continuousNoDataSeconds
        self.cuffCycleMinutes = cuffCycleMinutes
        self.cuffGraceMinutes = cuffGraceMinutes
        self.escalationSeconds = escalationSeconds
        self.noDataPriority = noDataPriority
        self.expectedWithMonitor = expectedWithMonitor
        self.actions = actions
    }

    /// The defaults of clinical-reference §3.
    public static let standard = AlarmPolicy()

    /// No cuff reading for this long raises "no data": the cycle plus the grace.
    public var cuffNoDataSeconds: TimeInterval { TimeInterval(cuffCycleMinutes + cuffGraceMinutes) * 60 }

    /// Checks every setting, throwing `ClinicError.invalid` naming each bad field (`alarmPolicy.<name>`).
    public func validated() throws -> AlarmPolicy {
        var errors = FieldErrors()
        func positive(_ value: Double, _ name: String, _ unit: String) {
            if !value.isFinite || value <= 0 { errors.add("alarmPolicy.\(name)", "Must be more than 0 \(unit).") }
        }
        positive(confirmationSeconds, "confirmationSeconds", "s")
        positive(continuousNoDataSeconds, "continuousNoDataSeconds", "s")
        if escalationSeconds.isNaN || escalationSeconds <= 0 || escalationSeconds == .infinity {
            errors.add("alarmPolicy.escalationSeconds", "Escalation cannot be switched off: must be more than 0 s (clinical-reference §3).")
        }
        if cuffCycleMinutes < 1 { errors.add("alarmPolicy.cuffCycleMinutes", "Must be 1 min or more.") }
        if cuffGraceMinutes < 0 { errors.add("alarmPolicy.cuffGraceMinutes", "Must be 0 min or more.") }
        if noDataPriority == .advisory {
            errors.add("alarmPolicy.noDataPriority", "Lost monitoring must sound and escalate: medium or high.")
        }
        if expectedWithMonitor.contains(where: { $0 == .temperature || $0 == .pulseRate }) {
            errors.add("alarmPolicy.expectedWithMonitor", "Temperature has no expected cadence; the pulse rate's probe is watched through SpO₂.")
        }
        for (name, text) in [("high", actions.high), ("medium", actions.medium), ("advisory", actions.advisory),
                             ("noData", actions.noData)] where text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.add("alarmPolicy.actions.\(name)", "Required: the suggested action staff see.")
        }
        for entry in actions.perParameter where entry.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.add("alarmPolicy.actions.\(entry.parameter.rawValue).\(entry.priority.rawValue)", "Required, or remove the entry.")
        }
        try errors.throwIfAny()
        return self
    }
}

/// The clinic's own suggested action per alarm (clinical-reference §3 [D]: "the clinic's own protocol text per alarm,
/// configurable; ship neutral defaults ... marked as local policy"). Every text here is local policy, never guidance.
public struct AlarmActions: Sendable, Hashable, Codable {
    /// A text for one parameter at one priority, which replaces the priority's text.
    public struct ParameterText: Sendable, Hashable, Codable {
        public var parameter: VitalParameter
        public var priority: AlarmPriority
        public var text: String

        public init(_ parameter: VitalParameter, _ priority: AlarmPriority, _ text: String) {
            self.parameter = parameter
            self.priority = priority
            self.text = text
        }
    }

    public var high: String
    public var medium: String
    public var advisory: String
    /// For a "no data" alarm.
    public var noData: String
    /// Texts for particular parameters, first match wins.
    public var perParameter: [ParameterText]

    public init(high: String = AlarmActions.neutralDefault, medium: String = AlarmActions.neutralDefault,
                advisory: String = AlarmActions.advisoryDefault, noData: String = AlarmActions.noDataDefault,
                perParameter: [ParameterText] = []) {
        self.high = high
        self.medium = medium
        self.advisory = advisory
        self.noData = noData
        self.perParameter = perParameter
    }

    /// The neutral default of clinical-reference §3 [D], local policy.
    public static let neutralDefault = "Pause the infusion, assess the patient, call the physician."
    /// An advisory informs, it does not alarm (clinical-reference §3 [D]), so its default asks for no action.
    public static let advisoryDefault = "For information: a rise of this size is common with ketamine; assess the patient as usual."
    /// Lost monitoring: look at the patient and the monitor (local policy).
    public static let noDataDefault = "Assess the patient and check the monitor and its sensors."
    /// How staff are told the suggested actions are the clinic's own (clinical-reference §3: "marked as local policy").
    public static let localPolicyLabel = "Local policy"

    /// The shipped defaults.
    public static let standard = AlarmActions()

    /// The text for an alarm of `kind` on `parameter` at `priority`.
    public func text(for kind: AlarmKind, parameter: VitalParameter, priority: AlarmPriority) -> String {
        if kind == .noData { return noData }
        if let entry = perParameter.first(where: { $0.parameter == parameter && $0.priority == priority }) { return entry.text }
        switch priority {
        case .high: return high
        case .medium: return medium
        case .advisory: return advisory
        }
    }
}
