import Foundation

/// An alarm's or prompt's id: the session and a sequence number the session's monitor counts up from 1, so ids are
/// deterministic (the same feed gives the same ids) and unique across sessions.
public struct AlarmID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var session: InfusionSession.ID
    public var sequence: Int

    public init(session: InfusionSession.ID, sequence: Int) {
        self.session = session
        self.sequence = sequence
    }

    public static func < (lhs: AlarmID, rhs: AlarmID) -> Bool {
        lhs.session.rawValue.uuidString == rhs.session.rawValue.uuidString
            ? lhs.sequence < rhs.sequence : lhs.session.rawValue.uuidString < rhs.session.rawValue.uuidString
    }

    public var description: String { "\(session.rawValue.uuidString.lowercased())#\(sequence)" }
}

/// What an alarm is about.
public enum AlarmKind: String, Sendable, Hashable, Codable {
    /// A value past a limit, or (advisory) risen above the session's baseline.
    case vitalSign
    /// A parameter silent past its expected cadence (clinical-reference §3, "no data").
    case noData
}

/// What made an alarm fire at its current priority.
public enum AlarmTrigger: Sendable, Hashable, Codable {
    /// A limit was passed.
    case limit(AlarmLimit)
    /// The value rose more than `percent` % above the session's `baseline` (an advisory).
    case riseAboveBaseline(baseline: Double, percent: Double)
    /// Nothing arrived for `seconds`, the parameter's expected cadence.
    case silence(seconds: Double)

    /// The number the value was compared with: the limit, the baseline-plus-rise, or the silence allowed.
    public var threshold: Double {
        switch self {
        case .limit(let limit): limit.value
        case .riseAboveBaseline(let baseline, let percent): baseline * (100 + percent) / 100
        case .silence(let seconds): seconds
        }
    }
}

/// Why an alarm stopped.
public enum AlarmClearReason: String, Sendable, Hashable, Codable {
    /// The value came back within limits (a normal sample; for a cuff, a normal next reading).
    case resolved
    /// Data arrived again after "no data".
    case dataReturned
    /// The session left the active states (infusing, paused, recovering), so "no data" no longer applies.
    case sessionNotActive
    /// The session ended (a final state): every alarm ends.
    case sessionEnded
    /// The ECG's heart rate is being received again, so the oximeter's pulse rate is no longer checked.
    case heartRateFromECG
}

/// Who acknowledged an alarm, and when.
public struct AlarmAcknowledgement: Sendable, Hashable, Codable {
    public var by: User.ID
    public var at: Date
}

/// A rise (never a fall) of an active alarm's priority.
public struct AlarmPriorityChange: Sendable, Hashable, Codable {
    public var from: AlarmPriority
    public var to: AlarmPriority
    public var at: Date
}

/// One alarm of a session, from raised to cleared; kept in the session's history after it clears.
public struct Alarm: Sendable, Hashable, Codable, Identifiable {
    public let id: AlarmID
    public let kind: AlarmKind
    /// The parameter; for the cuff's "no data", `.systolic` stands for the cuff.
    public let parameter: VitalParameter
    /// The current priority: it only rises while the alarm is active (worst wins).
    public internal(set) var priority: AlarmPriority
    /// What fired it at its current priority.
    public internal(set) var trigger: AlarmTrigger
    /// The value that fired it at its current priority (nil for "no data").
    public internal(set) var value: Double?
    /// The staff-readable description at its current priority.
    public internal(set) var message: String
    public let raisedAt: Date
    /// Every rise of priority, in order.
    public internal(set) var priorityChanges: [AlarmPriorityChange]
    /// Since when it waits for an acknowledgement: when raised, or when its priority rose from an advisory or after
    /// it had been acknowledged (a worse condition needs a new acknowledgement).
    public internal(set) var awaitingAcknowledgementSince: Date
    /// Every acknowledgement, in order.
    public internal(set) var acknowledgements: [AlarmAcknowledgement]
    /// When it escalated, in order.
    public internal(set) var escalations: [Date]
    public internal(set) var clearedAt: Date?
    public internal(set) var clearReason: AlarmClearReason?

    /// Whether the alarm is still on.
    public var isActive: Bool { clearedAt == nil }
    /// Whether someone acknowledged it since it last needed it.
    public var isAcknowledged: Bool { acknowledgements.last.map { $0.at >= awaitingAcknowledgementSince } ?? false }
    /// The latest acknowledgement.
    public var acknowledgement: AlarmAcknowledgement? { acknowledgements.last }
    /// When it last escalated.
    public var escalatedAt: Date? { escalations.last }

    /// When it escalates as of now, if it still will: an unacknowledged medium or high alarm, not yet escalated for
    /// its current wait, escalates `escalationSeconds` after it began to wait (clinical-reference §3, 60 s by default).
    public func escalationDue(after escalationSeconds: TimeInterval) -> Date? {
        guard isActive, priority.needsAcknowledgement, !isAcknowledged else { return nil }
        if let last = escalations.last, last >= awaitingAcknowledgementSince { return nil }
        return awaitingAcknowledgementSince.addingTimeInterval(escalationSeconds)
    }
}

/// A prompt to staff that is not an alarm: repeat a measurement, or take manual vitals.
public struct AlarmPrompt: Sendable, Hashable, Codable, Identifiable {
    /// What the prompt asks.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A single reading passed a limit: repeat it (clinical-reference §3, intermittent readings).
        case repeatMeasurement
        /// No manual reading within the interval in a session without a monitor (Goldberg 2005 [G]; clinical-reference §3).
        case manualVitalsDue
    }

    public let id: AlarmID
    public let kind: Kind
    /// The parameter to measure again (`.systolic` stands for the blood-pressure cuff); nil for manual vitals.
    public let parameter: VitalParameter?
    public let raisedAt: Date
    /// When the reading that prompted a repeat was taken; when manual vitals fell due.
    public let since: Date
    public let message: String
    public internal(set) var resolvedAt: Date?

    /// Whether staff still have to act on it.
    public var isOpen: Bool { resolvedAt == nil }
}

/// Something the monitor tells staff: an alarm raised, changed, escalated, acknowledged or cleared, or a prompt opened or
/// resolved. Events carry the words shown to staff and the suggested action (local policy, clinical-reference §3).
public struct AlarmEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case raised, priorityChanged, escalated, acknowledged, cleared, prompted, promptResolved
    }

    public var kind: Kind
    /// The alarm's id, or the prompt's.
    public var id: AlarmID
    public var at: Date
    /// The alarm's kind (nil for a prompt).
    public var alarmKind: AlarmKind?
    /// The prompt's kind (nil for an alarm).
    public var promptKind: AlarmPrompt.Kind?
    public var parameter: VitalParameter?
    /// The alarm's priority after the event.
    public var priority: AlarmPriority?
    /// For `priorityChanged`: the priority before.
    public var previousPriority: AlarmPriority?
    /// The value that fired it.
    public var value: Double?
    /// What it was compared with.
    public var trigger: AlarmTrigger?
    /// For `acknowledged`: who.
    public var acknowledgedBy: User.ID?
    /// Why it cleared.
    public var clearReason: AlarmClearReason?
    /// What happened, in words ("SpO₂ 88 % below 90 % for 10 s — high priority").
    public var message: String
    /// The clinic's suggested action (local policy); empty for prompts and clearing.
    public var action: String

    /// The number the value was compared with.
    public var threshold: Double? { trigger?.threshold }
}

/// The session's baseline blood pressure, for the advisory (clinical-reference §3).
public struct AlarmBaseline: Sendable, Hashable, Codable {
    public var systolic: Double?
    public var diastolic: Double?

    public init(systolic: Double?, diastolic: Double?) {
        self.systolic = systolic
        self.diastolic = diastolic
    }

    /// The pressures of the checklist's baseline vitals (`InfusionSession.baselineVitals`).
    public init(_ reading: VitalsReading) {
        self.init(systolic: reading.systolic.map(Double.init), diastolic: reading.diastolic.map(Double.init))
    }

    func value(for parameter: VitalParameter) -> Double? {
        switch parameter {
        case .systolic: systolic
        case .diastolic: diastolic
        default: nil
        }
    }
}

/// Words for values and alarms; built only when an event is emitted, never on the per-sample path.
enum AlarmText {
    /// 88 → "88", 37.25 → "37.3": whole numbers without a decimal point, else one decimal.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let tenths = (value * 10).rounded()
        if tenths.truncatingRemainder(dividingBy: 10) == 0, abs(tenths) < 1e15 { return String(Int64(tenths / 10)) }
        return String(tenths / 10)
    }

    /// "88 %", "135 beats/min".
    static func value(_ value: Double, _ parameter: VitalParameter) -> String { "\(number(value)) \(parameter.displayUnit)" }

    /// "Heart rate", "SpO₂".
    static func title(_ parameter: VitalParameter) -> String {
        let title = parameter.title
        return title.prefix(1).uppercased() + title.dropFirst()
    }

    /// The name of what is measured: the cuff for the pressures, else the parameter.
    static func measurementName(_ parameter: VitalParameter) -> String {
        switch parameter {
        case .systolic, .diastolic, .meanPressure: "cuff blood pressure"
        default: parameter.title
        }
    }

    static func seconds(_ seconds: Double) -> String {
        seconds >= 120 && seconds.truncatingRemainder(dividingBy: 60) == 0 ? "\(number(seconds / 60)) min" : "\(number(seconds.rounded(.down))) s"
    }

    /// "SpO₂ 88 % below 90 % for 10 s — high priority"; "Systolic pressure 185 mmHg above 180 mmHg (one reading) — high
    /// priority"; "Systolic pressure 150 mmHg more than 20 % above the baseline of 120 mmHg (one reading) — advisory".
    static func vitalSign(_ parameter: VitalParameter, value: Double, trigger: AlarmTrigger, priority: AlarmPriority,
                          heldFor: Double?) -> String {
        let span = heldFor.map { " for \(seconds($0))" } ?? " (one reading)"
        return "\(title(parameter)) \(reading(parameter, value: value, trigger: trigger))\(span) — \(priority.title)"
    }

    /// "181 mmHg above 180 mmHg".
    static func reading(_ parameter: VitalParameter, value: Double, trigger: AlarmTrigger) -> String {
        let how: String
        switch trigger {
        case .limit(let limit): how = "\(limit.words) \(Self.value(limit.value, parameter))"
        case .riseAboveBaseline(let baseline, let percent):
            how = "more than \(number(percent)) % above the baseline of \(Self.value(baseline, parameter))"
        case .silence(let s): how = "silent for \(seconds(s))"
        }
        return "\(Self.value(value, parameter)) \(how)"
    }

    /// "No SpO₂ data for 30 s — medium priority"; "No cuff blood pressure reading for 17 min (cycle 15 min + 2 min) — …".
    static func noData(_ parameter: VitalParameter, silentFor: Double, policy: AlarmPolicy, priority: AlarmPriority) -> String {
        if parameter == .systolic {
            return "No cuff blood pressure reading for \(seconds(silentFor)) (cycle \(policy.cuffCycleMinutes) min + "
                + "\(policy.cuffGraceMinutes) min) — \(priority.title)"
        }
        return "No \(parameter.title) data for \(seconds(silentFor)) — \(priority.title)"
    }
}
