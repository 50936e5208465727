import Foundation

/// The alarm engine of one session: a pure value fed with observations, the time and the session's state, which
/// answers with `AlarmEvent`s and keeps the session's alarm history (clinical-reference §3). No clock, no I/O: every
/// instant is passed in. Codable, so the server can snapshot it.
///
/// How rules fire (clinical-reference §3, "how a rule fires"):
/// - **Continuous numerics** (heart rate, SpO₂, respiratory rate, EtCO₂, pulse rate): the first sample past a limit
///   starts a candidate; any sample of that parameter within limits cancels it; the alarm fires at the first *sample*
///   at or after start + 10 s still past the limit. A tick alone never confirms: a candidate whose samples stop has
///   not been seen to hold, and a silent parameter is reported as "no data" instead (artefact suppression is the
///   reason for the 10 s). A gap between samples of at least the no-data window restarts the candidate.
/// - **Intermittent readings** (cuff pressures, and every hand-entered value): one reading past a limit alarms at once
///   and opens a prompt to repeat the measurement; a reading within limits clears.
/// - Worst priority wins per parameter: one alarm per parameter, whose priority rises when a worse level is passed
///   (for continuous numerics, confirmed over 10 s at that level too) and never falls while it is active; it clears
///   when a value is within every limit. History keeps every alarm.
/// - **Advisory**: systolic or diastolic > 20 % above the baseline is the lowest level of the same per-parameter alarm:
///   silent, never escalates, needs no acknowledgement.
/// - **No data**, only while infusing, paused or recovering: a continuous parameter seen on the feed (or expected
///   because the session has a monitor, `AlarmPolicy.expectedWithMonitor`) silent for 30 s; the cuff without a reading
///   for its cycle + 2 min. The oximeter's pulse rate has no "no data" of its own: SpO₂ reports the same probe.
/// - **Escalation**: a medium or high alarm not acknowledged within 60 s escalates (to the charge nurse and the
///   physician on duty — the monitor only says so).
/// - **Pulse rate** from the oximeter is checked against the heart-rate limits while no ECG heart rate is being
///   received: the program monitors heart rate continuously (clinical-reference §1 [P]) and the §3 limits are the
///   heart rate's, which a chair with only an oximeter measures as pulse rate; with an ECG it would only repeat the
///   heart-rate alarm.
/// - Threshold rules apply in every non-final state (a monitor on the patient alarms whatever the infusion does); a
///   final state ends every alarm and prompt, and the monitor then ignores input.
public struct SessionAlarmMonitor: Sendable, Hashable, Codable {
    /// The session watched.
    public let sessionID: InfusionSession.ID
    /// The limits in force (`AlarmThresholds.effective`).
    public private(set) var thresholds: AlarmThresholds
    /// The clinic's alarm settings.
    public let policy: AlarmPolicy
    /// The baseline pressures for the advisory, if known.
    public let baseline: AlarmBaseline?
    /// Whether a bedside monitor feeds the session; without one, manual vitals are prompted.
    public let hasMonitor: Bool
    /// Manual vitals are due this long after the latest (Goldberg 2005 [G]; clinical-reference §3: 15 min).
    public let manualVitalsInterval: TimeInterval
    /// The session's state as last told.
    public private(set) var state: SessionState
    /// Since when the session has been in the active states (infusing, paused or recovering), if it is.
    public private(set) var activeSince: Date?
    /// Every alarm of the session, in the order raised, active or cleared.
    public private(set) var history: [Alarm]
    /// Every prompt of the session, in the order opened.
    public private(set) var promptHistory: [AlarmPrompt]

    private var tracks: [ParameterTrack]
    private var limits: [LevelLimits]
    private var nextSequence: Int
    private var lastManualReadingAt: Date?
    private var manualVitalsPrompt: Int?

    /// Starts watching a session in `state` at `startedAt`.
    public init(sessionID: InfusionSession.ID, thresholds: AlarmThresholds = .clinicalReferenceDefaults, policy: AlarmPolicy = .standard,
                baseline: AlarmBaseline? = nil, hasMonitor: Bool, state: SessionState, startedAt: Date,
                monitoring: MonitoringPolicy = .standard) {
        self.sessionID = sessionID
        self.thresholds = thresholds
        self.policy = policy
        self.baseline = baseline
        self.hasMonitor = hasMonitor
        self.manualVitalsInterval = monitoring.manualVitalsInterval
        self.state = state
        self.activeSince = Self.isActive(state) ? startedAt : nil
        self.history = []
        self.promptHistory = []
        self.tracks = Array(repeating: ParameterTrack(), count: VitalParameter.allCases.count)
        self.limits = LevelLimits.table(thresholds)
        self.nextSequence = 1
        self.lastManualReadingAt = nil
        self.manualVitalsPrompt = nil
    }

    /// Infusing, paused or recovering: the states in which "no data" and manual vitals count (clinical-reference §3).
    public static func isActive(_ state: SessionState) -> Bool {
        state == .infusing || state == .paused || state == .recovering
    }

    /// `SessionState.isFinal` without building an array on every sample.
    @inline(__always)
    static func isFinal(_ state: SessionState) -> Bool {
        switch state {
        case .discharged, .noShow, .cancelled, .transferred: true
        case .scheduled, .checkedIn, .ready, .infusing, .paused, .recovering: false
        }
    }

    /// The alarms on now, acknowledged or not, in the order raised.
    public var activeAlarms: [Alarm] { history.filter(\.isActive) }

    /// The prompts staff still have to act on.
    public var prompts: [AlarmPrompt] { promptHistory.filter(\.isOpen) }

    // MARK: - Input

    /// Takes samples from the bedside monitor, received by the server at `receivedAt`. Cheap when nothing changes:
    /// no allocation and no text unless an event is emitted. Samples of a parameter older than its latest are ignored.
    public mutating func observe(_ observations: [VitalObservation], receivedAt: Date) -> [AlarmEvent] {
        var events: [AlarmEvent] = []
        guard !Self.isFinal(state) else { return events }
        for observation in observations {
            switch observation.parameter.measurement {
            case .continuous: observeContinuous(observation, receivedAt: receivedAt, into: &events)
            case .intermittent: observeReading(observation, receivedAt: receivedAt, manual: false, into: &events)
            }
        }
        return events
    }

    /// Takes vitals a nurse entered by hand: each value is a single reading (it alarms at once and prompts a repeat),
    /// and the reading resets the manual-vitals clock.
    public mutating func recordManualVitals(_ reading: VitalsReading, receivedAt: Date) -> [AlarmEvent] {
        var events: [AlarmEvent] = []
        guard !Self.isFinal(state) else { return events }
        if lastManualReadingAt.map({ reading.takenAt > $0 }) ?? true { lastManualReadingAt = reading.takenAt }
        if let index = manualVitalsPrompt {
            manualVitalsPrompt = nil
            resolvePrompt(index, at: receivedAt, message: "Manual vitals recorded.", into: &events)
        }
        let values: [(VitalParameter, Int?)] = [(.systolic, reading.systolic), (.diastolic, reading.diastolic),
                                                (.heartRate, reading.heartRate), (.oxygenSaturation, reading.oxygenSaturation),
                                                (.respiratoryRate, reading.respiratoryRate)]
        for case let (parameter, value?) in values {
            observeReading(VitalObservation(parameter, Double(value), at: reading.takenAt), receivedAt: receivedAt, manual: true,
                           into: &events)
        }
        return events
    }

    /// Advances time: "no data", manual vitals due and escalation. Confirms no continuous candidate (see the type's
    /// documentation): only a sample does.
    public mutating func tick(at now: Date) -> [AlarmEvent] {
        var events: [AlarmEvent] = []
        guard !Self.isFinal(state) else { return events }
        if let since = activeSince {
            for channel in Self.noDataChannels {
                checkNoData(channel, now: now, activeSince: since, into: &events)
            }
            if !hasMonitor, manualVitalsPrompt == nil {
                let due = max(lastManualReadingAt ?? since, since).addingTimeInterval(manualVitalsInterval)
                if now >= due { openManualVitalsPrompt(due: due, at: now, into: &events) }
            }
        }
        for index in history.indices where history[index].isActive {
            guard let due = history[index].escalationDue(after: policy.escalationSeconds), now >= due else { continue }
            history[index].escalations.append(now)
            let alarm = history[index]
            events.append(event(.escalated, alarm, at: now, message: "Escalate to the charge nurse and the physician on duty: not "
                + "acknowledged within \(AlarmText.seconds(policy.escalationSeconds)). \(alarm.message)"))
        }
        return events
    }

    /// Tells the monitor the session moved to `newState`. Leaving the active states ends "no data" and manual-vitals
    /// prompts; a final state ends every alarm and prompt.
    public mutating func sessionStateChanged(to newState: SessionState, at: Date) -> [AlarmEvent] {
        var events: [AlarmEvent] = []
        guard !Self.isFinal(state) else { return events }
        state = newState
        if newState.isFinal {
            activeSince = nil
            for index in history.indices where history[index].isActive {
                clear(index, at: at, reason: .sessionEnded, message: "Session \(newState.title): alarm ended.", into: &events)
            }
            for index in promptHistory.indices where promptHistory[index].isOpen {
                resolvePrompt(index, at: at, message: "Session \(newState.title): prompt closed.", into: &events)
            }
            manualVitalsPrompt = nil
            for i in tracks.indices {
                tracks[i].alarm = nil
                tracks[i].noDataAlarm = nil
                tracks[i].repeatPrompt = nil
            }
            return events
        }
        let active = Self.isActive(newState)
        if active, activeSince == nil { activeSince = at }
        if !active, activeSince != nil {
            activeSince = nil
            for i in tracks.indices {
                if let index = tracks[i].noDataAlarm {
                    tracks[i].noDataAlarm = nil
                    clear(index, at: at, reason: .sessionNotActive, message: "Session \(newState.title): no-data alarm ended.", into: &events)
                }
            }
            if let index = manualVitalsPrompt {
                manualVitalsPrompt = nil
                resolvePrompt(index, at: at, message: "Session \(newState.title): manual vitals no longer due.", into: &events)
            }
        }
        return events
    }

    /// Records that `user` acknowledged an active alarm at `at`: escalation stops; the alarm stays on until it clears.
    /// Throws `notFound` for an unknown id, `conflict` for an alarm already cleared or already acknowledged.
    public mutating func acknowledge(_ id: AlarmID, by user: User.ID, at: Date) throws -> AlarmEvent {
        guard let index = history.firstIndex(where: { $0.id == id }) else { throw ClinicError.notFound("alarm \(id)") }
        guard history[index].isActive else { throw ClinicError.conflict("The alarm has already cleared.") }
        guard !history[index].isAcknowledged else { throw ClinicError.conflict("The alarm is already acknowledged.") }
        history[index].acknowledgements.append(AlarmAcknowledgement(by: user, at: at))
        var e = event(.acknowledged, history[index], at: at, message: "Acknowledged: \(history[index].message)")
        e.acknowledgedBy = user
        return e
    }

    /// Puts new limits in force (a physician changed them during the session); the next sample is judged by them.
    public mutating func thresholdsChanged(to newThresholds: AlarmThresholds) {
        thresholds = newThresholds
        limits = LevelLimits.table(newThresholds)
    }

    // MARK: - Continuous numerics

    private mutating func observeContinuous(_ o: VitalObservation, receivedAt: Date, into events: inout [AlarmEvent]) {
        let p = o.parameter
        let i = p.ordinal
        if let last = tracks[i].lastObservedAt {
            if o.observedAt < last { return }
            if o.observedAt.timeIntervalSince(last) >= policy.continuousNoDataSeconds { tracks[i].resetCandidates() }
        }
        tracks[i].lastObservedAt = o.observedAt
        dataArrived(channel: i, at: receivedAt, fromMonitor: true, into: &events)

        // The oximeter's pulse rate is checked only while no ECG heart rate is being received.
        if p == .pulseRate, let ecg = tracks[VitalParameter.heartRate.ordinal].lastReceivedAt,
           receivedAt.timeIntervalSince(ecg) < policy.continuousNoDataSeconds {
            tracks[i].resetCandidates()
            if let index = tracks[i].alarm {
                tracks[i].alarm = nil
                clear(index, at: receivedAt, reason: .heartRateFromECG,
                      message: "Pulse rate no longer checked: the ECG heart rate is received — cleared.", into: &events)
            }
            return
        }

        let level = worstLevel(p, o.value)
        let t = o.observedAt
        tracks[i].note(level, at: t)
        guard level != nil else {
            if let index = tracks[i].alarm {
                tracks[i].alarm = nil
                clear(index, at: receivedAt, reason: .resolved, message: resolvedMessage(p, o.value), into: &events)
            }
            return
        }
        // The worst level held for the confirmation window, if any.
        let window = policy.confirmationSeconds
        let confirmed: AlarmPriority
        let since: Date
        if let s = tracks[i].highSince, t.timeIntervalSince(s) >= window { (confirmed, since) = (.high, s) }
        else if let s = tracks[i].mediumSince, t.timeIntervalSince(s) >= window { (confirmed, since) = (.medium, s) }
        else if let s = tracks[i].advisorySince, t.timeIntervalSince(s) >= window { (confirmed, since) = (.advisory, s) }
        else { return }
        if let index = tracks[i].alarm, history[index].priority >= confirmed { return }   // already at this level or worse
        guard let trigger = trigger(p, o.value, at: confirmed) else { return }
        raiseOrRise(p, value: o.value, priority: confirmed, trigger: trigger, heldFor: t.timeIntervalSince(since), at: receivedAt,
                    into: &events)
    }

    // MARK: - Intermittent readings

    private mutating func observeReading(_ o: VitalObservation, receivedAt: Date, manual: Bool, into events: inout [AlarmEvent]) {
        let p = o.parameter
        let i = p.ordinal
        if !manual {
            if let last = tracks[i].lastObservedAt, o.observedAt < last { return }
            tracks[i].lastObservedAt = o.observedAt
        }
        // Every cuff reading, from the monitor or entered by hand, counts for the cuff's cadence.
        let cuff = VitalParameter.systolic.ordinal
        if p.isPressure { dataArrived(channel: cuff, at: receivedAt, fromMonitor: !manual, into: &events) }
        // A newer reading answers an open "repeat the measurement" prompt (one per cuff, else per parameter).
        let promptTrack = p.isPressure ? cuff : i
        if let index = tracks[promptTrack].repeatPrompt, o.observedAt > promptHistory[index].since {
            tracks[promptTrack].repeatPrompt = nil
            resolvePrompt(index, at: receivedAt, message: "Measurement repeated.", into: &events)
        }
        guard let level = worstLevel(p, o.value), let trigger = trigger(p, o.value, at: level) else {
            if let index = tracks[i].alarm {
                tracks[i].alarm = nil
                clear(index, at: receivedAt, reason: .resolved, message: resolvedMessage(p, o.value), into: &events)
            }
            return
        }
        raiseOrRise(p, value: o.value, priority: level, trigger: trigger, heldFor: nil, at: receivedAt, into: &events)
        if level.needsAcknowledgement, tracks[promptTrack].repeatPrompt == nil {
            let what = AlarmText.measurementName(p)
            let prompt = AlarmPrompt(id: nextID(), kind: .repeatMeasurement, parameter: p.isPressure ? .systolic : p,
                                     raisedAt: receivedAt, since: o.observedAt,
                                     message: "Repeat the \(what) measurement: \(p.title) \(AlarmText.reading(p, value: o.value, trigger: trigger)).")
            tracks[promptTrack].repeatPrompt = promptHistory.count
            promptHistory.append(prompt)
            events.append(promptEvent(.prompted, prompt, at: receivedAt, message: prompt.message))
        }
    }

    // MARK: - Rules

    /// The worst level `value` passes for `parameter`, if any.
    @inline(__always)
    private func worstLevel(_ parameter: VitalParameter, _ value: Double) -> AlarmPriority? {
        let l = limits[parameter.limitOrdinal]
        if l.passes(.high, value) { return .high }
        if l.passes(.medium, value) { return .medium }
        if let base = baseline?.value(for: parameter), value * 100 > base * (100 + thresholds.advisoryRiseAboveBaselinePercent) {
            return .advisory
        }
        return nil
    }

    /// What `value` passes at `level`: that level's limit (or, for an advisory, the rise above baseline), else a worse
    /// level's limit.
    private func trigger(_ parameter: VitalParameter, _ value: Double, at level: AlarmPriority) -> AlarmTrigger? {
        let l = limits[parameter.limitOrdinal]
        if level == .advisory, let base = baseline?.value(for: parameter),
           value * 100 > base * (100 + thresholds.advisoryRiseAboveBaselinePercent) {
            return .riseAboveBaseline(baseline: base, percent: thresholds.advisoryRiseAboveBaselinePercent)
        }
        if level <= .medium, let limit = l.passed(.medium, value) { return .limit(limit) }
        if let limit = l.passed(.high, value) { return .limit(limit) }
        return nil
    }

    private mutating func raiseOrRise(_ p: VitalParameter, value: Double, priority: AlarmPriority, trigger: AlarmTrigger, heldFor: Double?,
                                      at: Date, into events: inout [AlarmEvent]) {
        let i = p.ordinal
        if let index = tracks[i].alarm {
            let old = history[index].priority
            guard priority > old else { return }
            var alarm = history[index]
            alarm.priorityChanges.append(AlarmPriorityChange(from: old, to: priority, at: at))
            if !old.needsAcknowledgement || alarm.isAcknowledged { alarm.awaitingAcknowledgementSince = at }
            alarm.priority = priority
            alarm.trigger = trigger
            alarm.value = value
            alarm.message = AlarmText.vitalSign(p, value: value, trigger: trigger, priority: priority, heldFor: heldFor)
            history[index] = alarm
            var e = event(.priorityChanged, alarm, at: at, message: "\(alarm.message) (was \(old.title))")
            e.previousPriority = old
            events.append(e)
        } else {
            let message = AlarmText.vitalSign(p, value: value, trigger: trigger, priority: priority, heldFor: heldFor)
            let alarm = Alarm(id: nextID(), kind: .vitalSign, parameter: p, priority: priority, trigger: trigger, value: value,
                              message: message, raisedAt: at, priorityChanges: [], awaitingAcknowledgementSince: at,
                              acknowledgements: [], escalations: [], clearedAt: nil, clearReason: nil)
            tracks[i].alarm = history.count
            history.append(alarm)
            events.append(event(.raised, alarm, at: at, message: message))
        }
    }

    // MARK: - No data

    /// The parameters with a "no data" rule; `.systolic` stands for the cuff (systolic, diastolic or mean).
    static let noDataChannels: [VitalParameter] = [.heartRate, .systolic, .oxygenSaturation, .respiratoryRate, .endTidalCO2]

    /// The no-data channel a parameter feeds, as an ordinal: the cuff's pressures share systolic's; pulse rate and
    /// temperature have none.
    static func channel(_ p: VitalParameter) -> Int? {
        switch p {
        case .systolic, .diastolic, .meanPressure: VitalParameter.systolic.ordinal
        case .heartRate, .oxygenSaturation, .respiratoryRate, .endTidalCO2: p.ordinal
        case .pulseRate, .temperature: nil
        }
    }

    private mutating func dataArrived(channel i: Int, at: Date, fromMonitor: Bool, into events: inout [AlarmEvent]) {
        if tracks[i].lastReceivedAt.map({ at > $0 }) ?? true { tracks[i].lastReceivedAt = at }
        if fromMonitor { tracks[i].fedByMonitor = true }
        if let index = tracks[i].noDataAlarm {
            tracks[i].noDataAlarm = nil
            let what = i == VitalParameter.systolic.ordinal ? "Cuff blood pressure reading" : "\(AlarmText.title(VitalParameter.allCases[i])) data"
            clear(index, at: at, reason: .dataReturned, message: "\(what) received again — cleared.", into: &events)
        }
    }

    private mutating func checkNoData(_ channel: VitalParameter, now: Date, activeSince: Date, into events: inout [AlarmEvent]) {
        let i = channel.ordinal
        guard tracks[i].noDataAlarm == nil else { return }
        let expected = hasMonitor && policy.expectedWithMonitor.contains { Self.channel($0) == i }
        guard expected || tracks[i].fedByMonitor else { return }
        let window = channel == .systolic ? policy.cuffNoDataSeconds : policy.continuousNoDataSeconds
        let silentSince = max(tracks[i].lastReceivedAt ?? activeSince, activeSince)
        guard now.timeIntervalSince(silentSince) >= window else { return }
        let priority = policy.noDataPriority
        let message = AlarmText.noData(channel, silentFor: window, policy: policy, priority: priority)
        let alarm = Alarm(id: nextID(), kind: .noData, parameter: channel, priority: priority, trigger: .silence(seconds: window), value: nil,
                          message: message, raisedAt: now, priorityChanges: [], awaitingAcknowledgementSince: now,
                          acknowledgements: [], escalations: [], clearedAt: nil, clearReason: nil)
        tracks[i].noDataAlarm = history.count
        history.append(alarm)
        events.append(event(.raised, alarm, at: now, message: message))
    }

    // MARK: - Prompts and bookkeeping

    private mutating func openManualVitalsPrompt(due: Date, at now: Date, into events: inout [AlarmEvent]) {
        let minutes = AlarmText.seconds(manualVitalsInterval)
        let prompt = AlarmPrompt(id: nextID(), kind: .manualVitalsDue, parameter: nil, raisedAt: now, since: due,
                                 message: "Manual vitals due: none recorded for \(minutes) (every \(minutes), Goldberg 2005; clinical-reference §3).")
        manualVitalsPrompt = promptHistory.count
        promptHistory.append(prompt)
        events.append(promptEvent(.prompted, prompt, at: now, message: prompt.message))
    }

    private mutating func resolvePrompt(_ index: Int, at: Date, message: String, into events: inout [AlarmEvent]) {
        promptHistory[index].resolvedAt = at
        events.append(promptEvent(.promptResolved, promptHistory[index], at: at, message: message))
    }

    private mutating func clear(_ index: Int, at: Date, reason: AlarmClearReason, message: String, into events: inout [AlarmEvent]) {
        history[index].clearedAt = at
        history[index].clearReason = reason
        var e = event(.cleared, history[index], at: at, message: message)
        e.clearReason = reason
        e.action = ""
        events.append(e)
    }

    private func resolvedMessage(_ p: VitalParameter, _ value: Double) -> String {
        "\(AlarmText.title(p)) back within limits (\(AlarmText.value(value, p))) — cleared."
    }

    private mutating func nextID() -> AlarmID {
        defer { nextSequence += 1 }
        return AlarmID(session: sessionID, sequence: nextSequence)
    }

    private func event(_ kind: AlarmEvent.Kind, _ alarm: Alarm, at: Date, message: String) -> AlarmEvent {
        AlarmEvent(kind: kind, id: alarm.id, at: at, alarmKind: alarm.kind, promptKind: nil, parameter: alarm.parameter,
                   priority: alarm.priority, previousPriority: nil, value: alarm.value, trigger: alarm.trigger, acknowledgedBy: nil,
                   clearReason: nil, message: message,
                   action: policy.actions.text(for: alarm.kind, parameter: alarm.parameter, priority: alarm.priority))
    }

    private func promptEvent(_ kind: AlarmEvent.Kind, _ prompt: AlarmPrompt, at: Date, message: String) -> AlarmEvent {
        AlarmEvent(kind: kind, id: prompt.id, at: at, alarmKind: nil, promptKind: prompt.kind, parameter: prompt.parameter, priority: nil,
                   previousPriority: nil, value: nil, trigger: nil, acknowledgedBy: nil, clearReason: nil, message: message, action: "")
    }
}

/// What the monitor remembers of one parameter between samples.
private struct ParameterTrack: Sendable, Hashable, Codable {
    /// The monitor's time of the latest sample.
    var lastObservedAt: Date?
    /// For a no-data channel: the server's time of the latest data.
    var lastReceivedAt: Date?
    /// For a no-data channel: whether the monitor feed has sent it.
    var fedByMonitor = false
    /// Since when the samples have passed a limit at each level or worse (the continuous candidates).
    var highSince: Date?
    var mediumSince: Date?
    var advisorySince: Date?
    /// The active vital-sign alarm, as an index into the history.
    var alarm: Int?
    /// For a no-data channel: the active "no data" alarm.
    var noDataAlarm: Int?
    /// The open "repeat the measurement" prompt, as an index into the prompt history.
    var repeatPrompt: Int?

    func since(_ level: AlarmPriority) -> Date? {
        switch level {
        case .high: highSince
        case .medium: mediumSince
        case .advisory: advisorySince
        }
    }

    /// Starts or keeps the candidate at every level the sample passes (its worst level and below); cancels the rest.
    mutating func note(_ worst: AlarmPriority?, at t: Date) {
        let rank = worst?.rank ?? -1
        highSince = rank >= 2 ? (highSince ?? t) : nil
        mediumSince = rank >= 1 ? (mediumSince ?? t) : nil
        advisorySince = rank >= 0 ? (advisorySince ?? t) : nil
    }

    mutating func resetCandidates() {
        highSince = nil
        mediumSince = nil
        advisorySince = nil
    }
}

/// One parameter's limits at high and medium priority, looked up by ordinal on the hot path.
private struct LevelLimits: Sendable, Hashable, Codable {
    var highUpper: AlarmLimit?
    var highLower: AlarmLimit?
    var mediumUpper: AlarmLimit?
    var mediumLower: AlarmLimit?

    static func table(_ thresholds: AlarmThresholds) -> [LevelLimits] {
        VitalParameter.allCases.map { p in
            LevelLimits(highUpper: thresholds.limit(.high, p, .upper), highLower: thresholds.limit(.high, p, .lower),
                        mediumUpper: thresholds.limit(.medium, p, .upper), mediumLower: thresholds.limit(.medium, p, .lower))
        }
    }

    /// The limit at `priority` that `value` passes, if any.
    @inline(__always)
    func passed(_ priority: AlarmPriority, _ value: Double) -> AlarmLimit? {
        let (upper, lower) = priority == .high ? (highUpper, highLower) : (mediumUpper, mediumLower)
        if let upper, upper.isPassed(by: value) { return upper }
        if let lower, lower.isPassed(by: value) { return lower }
        return nil
    }

    @inline(__always)
    func passes(_ priority: AlarmPriority, _ value: Double) -> Bool { passed(priority, value) != nil }
}

extension VitalParameter {
    /// Whether a cuff measures it.
    var isPressure: Bool { self == .systolic || self == .diastolic || self == .meanPressure }

    /// Whose limits apply: the oximeter's pulse rate is checked against the heart rate's.
    @inline(__always)
    var limitOrdinal: Int { self == .pulseRate ? VitalParameter.heartRate.ordinal : ordinal }
}
