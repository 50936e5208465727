import Foundation
import Testing
@testable import ClinicCore

/// One threshold rule at one value: the priority it must give (nil: no alarm).
struct AlarmRuleCase: Sendable, CustomTestStringConvertible {
    var parameter: VitalParameter
    var value: Double
    var expected: AlarmPriority?
    var limit: AlarmLimit?
    var source: String

    init(_ parameter: VitalParameter, _ value: Double, _ expected: AlarmPriority?, _ limit: AlarmLimit?, _ source: String) {
        self.parameter = parameter
        self.value = value
        self.expected = expected
        self.limit = limit
        self.source = source
    }

    var testDescription: String { "\(parameter.rawValue) \(value) → \(expected?.rawValue ?? "none") (\(source))" }
}

@Suite("Alarm rules of continuous numerics (clinical-reference §3: held for 10 s)")
struct AlarmContinuousRuleTests {
    typealias F = AlarmFixture

    static let cases: [AlarmRuleCase] = [
        // SpO₂: high < 90 % (clinical-reference §3), medium < 92 % (modified Aldrete [G], Aldrete 1995).
        AlarmRuleCase(.oxygenSaturation, 89, .high, .below(90), "clinical-reference §3, high SpO₂ < 90"),
        AlarmRuleCase(.oxygenSaturation, 90, .medium, .below(92), "clinical-reference §3 / modified Aldrete, 90 is not < 90"),
        AlarmRuleCase(.oxygenSaturation, 91, .medium, .below(92), "clinical-reference §3 / modified Aldrete, medium SpO₂ < 92"),
        AlarmRuleCase(.oxygenSaturation, 92, nil, nil, "modified Aldrete, 92 is not < 92"),
        // Heart rate: high > 130 or < 45, medium > 110 or < 50 (clinical-reference §3 [D]).
        AlarmRuleCase(.heartRate, 131, .high, .above(130), "clinical-reference §3, high HR > 130"),
        AlarmRuleCase(.heartRate, 130, .medium, .above(110), "clinical-reference §3, 130 is not > 130"),
        AlarmRuleCase(.heartRate, 111, .medium, .above(110), "clinical-reference §3, medium HR > 110"),
        AlarmRuleCase(.heartRate, 110, nil, nil, "clinical-reference §3, 110 is not > 110"),
        AlarmRuleCase(.heartRate, 50, nil, nil, "clinical-reference §3, 50 is not < 50"),
        AlarmRuleCase(.heartRate, 49, .medium, .below(50), "clinical-reference §3, medium HR < 50"),
        AlarmRuleCase(.heartRate, 45, .medium, .below(50), "clinical-reference §3, 45 is not < 45"),
        AlarmRuleCase(.heartRate, 44, .high, .below(45), "clinical-reference §3, high HR < 45"),
        // Respiratory rate: high < 8, medium < 10 (clinical-reference §3 [D]).
        AlarmRuleCase(.respiratoryRate, 7, .high, .below(8), "clinical-reference §3, high RR < 8"),
        AlarmRuleCase(.respiratoryRate, 8, .medium, .below(10), "clinical-reference §3, 8 is not < 8"),
        AlarmRuleCase(.respiratoryRate, 9, .medium, .below(10), "clinical-reference §3, medium RR < 10"),
        AlarmRuleCase(.respiratoryRate, 10, nil, nil, "clinical-reference §3, 10 is not < 10"),
        // No limit in the reference: none invented.
        AlarmRuleCase(.endTidalCO2, 80, nil, nil, "clinical-reference §3 gives no EtCO₂ limit"),
    ]

    @Test("clinical-reference §3 [D], modified Aldrete [G] — each continuous rule and its boundary, confirmed at 10 s", arguments: cases)
    func ruleConfirmedAtTenSeconds(_ c: AlarmRuleCase) throws {
        // given
        var monitor = F.monitor(hasMonitor: false)
        // when: one sample a second for 9 s, then the 10th second
        let early = F.feed(&monitor, c.parameter, Array(repeating: c.value, count: 10))
        let atTen = F.feed(&monitor, c.parameter, [c.value], from: 10)
        // then
        #expect(early.isEmpty)
        guard let expected = c.expected else { #expect(atTen.isEmpty); return }
        let event = try #require(atTen.first)
        #expect(atTen.count == 1)
        #expect(event.kind == .raised)
        #expect(event.alarmKind == .vitalSign)
        #expect(event.parameter == c.parameter)
        #expect(event.priority == expected)
        #expect(event.value == c.value)
        #expect(event.trigger == c.limit.map(AlarmTrigger.limit))
        #expect(event.at == F.at(10))
        #expect(event.action == AlarmActions.neutralDefault)
    }

    @Test("clinical-reference §3 — the message says what, how far, how long and how urgent")
    func message() {
        var monitor = F.monitor(hasMonitor: false)
        let events = F.feed(&monitor, .oxygenSaturation, Array(repeating: 88, count: 11))
        #expect(events.map(\.message) == ["SpO₂ 88 % below 90 % for 10 s — high priority"])
        let hr = F.feed(&monitor, .heartRate, Array(repeating: 115, count: 11), from: 20)
        #expect(hr.map(\.message) == ["Heart rate 115 beats/min above 110 beats/min for 10 s — medium priority"])
    }

    @Test("clinical-reference §3 (artefact suppression) — a normal sample at 9 s cancels the candidate")
    func cancelledByNormalSample() {
        // given
        var monitor = F.monitor(hasMonitor: false)
        // when: 88 % from 0 to 8 s, 95 % at 9 s, 88 % again from 10 s
        var events = F.feed(&monitor, .oxygenSaturation, Array(repeating: 88, count: 9))
        events += F.feed(&monitor, .oxygenSaturation, [95], from: 9)
        events += F.feed(&monitor, .oxygenSaturation, Array(repeating: 88, count: 10), from: 10)
        // then: nothing until 10 s after the new start
        #expect(events.isEmpty)
        let confirmed = F.feed(&monitor, .oxygenSaturation, [88], from: 20)
        #expect(confirmed.map(\.kind) == [.raised])
        #expect(confirmed.first?.message == "SpO₂ 88 % below 90 % for 10 s — high priority")
    }

    @Test("clinical-reference §3 — a tick alone never confirms; samples that stop become 'no data' instead")
    func tickDoesNotConfirm() {
        // given: a monitored session; SpO₂ 88 % at 0 and 5 s, then silence
        var monitor = F.monitor()
        F.feed(&monitor, .oxygenSaturation, [88, 88], every: 5)
        // when / then: ticks past 10 s raise nothing
        #expect(monitor.tick(at: F.at(10)).isEmpty)
        #expect(monitor.tick(at: F.at(34)).isEmpty)
        // 30 s after the last sample: no data (clinical-reference §3)
        let noData = monitor.tick(at: F.at(35))
        #expect(noData.map(\.alarmKind) == [.noData])
        #expect(noData.first?.parameter == .oxygenSaturation)
        // Data returns after a gap ≥ the no-data window: the stale candidate restarts.
        let back = F.feed(&monitor, .oxygenSaturation, [88], from: 36)
        #expect(back.map(\.kind) == [.cleared])
        #expect(back.first?.clearReason == .dataReturned)
        #expect(F.feed(&monitor, .oxygenSaturation, Array(repeating: 88, count: 9), from: 37).isEmpty)
        #expect(F.feed(&monitor, .oxygenSaturation, [88], from: 46).map(\.kind) == [.raised])
    }

    @Test("clinical-reference §3 — a sample every 5 s confirms at the first sample at or after 10 s")
    func sparseSamples() {
        var monitor = F.monitor(hasMonitor: false)
        let events = F.feed(&monitor, .heartRate, [135, 135, 135], every: 5)
        #expect(events.map(\.at) == [F.at(10)])
    }

    @Test("clinical-reference §3 — worst priority wins: medium first, then high once the worse level has held 10 s")
    func priorityRises() {
        // given
        var monitor = F.monitor(hasMonitor: false)
        // when: 91 % (medium) from 0 s, 88 % (high) from 5 s
        var events = F.feed(&monitor, .oxygenSaturation, Array(repeating: 91, count: 5))
        events += F.feed(&monitor, .oxygenSaturation, Array(repeating: 88, count: 11), from: 5)
        // then
        #expect(events.map(\.kind) == [.raised, .priorityChanged])
        #expect(events.map(\.priority) == [.medium, .high])
        #expect(events.map(\.at) == [F.at(10), F.at(15)])
        #expect(events.last?.previousPriority == .medium)
        #expect(events.last?.message == "SpO₂ 88 % below 90 % for 10 s — high priority (was medium priority)")
        #expect(Set(events.map(\.id)).count == 1)
        // A less bad value keeps the alarm at its worst; a normal one clears it.
        #expect(F.feed(&monitor, .oxygenSaturation, [91], from: 16).isEmpty)
        let cleared = F.feed(&monitor, .oxygenSaturation, [96], from: 17)
        #expect(cleared.map(\.kind) == [.cleared])
        #expect(cleared.first?.message == "SpO₂ back within limits (96 %) — cleared.")
        #expect(monitor.activeAlarms.isEmpty)
    }

    @Test("clinical-reference §1, §3 — pulse rate is checked against the heart-rate limits only while no ECG heart rate arrives")
    func pulseRate() {
        // given: no ECG
        var oximeterOnly = F.monitor(hasMonitor: false)
        // when / then
        let events = F.feed(&oximeterOnly, .pulseRate, Array(repeating: 135, count: 11))
        #expect(events.map(\.priority) == [.high])
        #expect(events.first?.parameter == .pulseRate)
        // given: an ECG heart rate received alongside
        var withECG = F.monitor(hasMonitor: false)
        var quiet: [AlarmEvent] = []
        for s in 0...15 {
            let t = F.at(Double(s))
            quiet += withECG.observe([VitalObservation(.heartRate, 80, at: t), VitalObservation(.pulseRate, 135, at: t)], receivedAt: t)
        }
        #expect(quiet.isEmpty)
    }

    @Test("clinical-reference §3 — out-of-order samples are ignored")
    func outOfOrder() {
        var monitor = F.monitor(hasMonitor: false)
        F.feed(&monitor, .oxygenSaturation, Array(repeating: 88, count: 9))
        // A late normal sample from before the run does not cancel it.
        #expect(monitor.observe([VitalObservation(.oxygenSaturation, 97, at: F.at(-5))], receivedAt: F.at(9)).isEmpty)
        #expect(F.feed(&monitor, .oxygenSaturation, [88], from: 10).map(\.kind) == [.raised])
    }
}

@Suite("Alarm rules of cuff readings (clinical-reference §3: one reading alarms at once and prompts a repeat)")
struct AlarmIntermittentRuleTests {
    typealias F = AlarmFixture

    static let cases: [AlarmRuleCase] = [
        // High: systolic > 180 or diastolic > 120 (ACC/AHA 2017 hypertensive crisis [G]).
        AlarmRuleCase(.systolic, 181, .high, .above(180), "ACC/AHA 2017, systolic > 180"),
        AlarmRuleCase(.systolic, 180, .medium, .atOrAbove(160), "ACC/AHA 2017: 180 is not > 180; §3 medium ≥ 160"),
        AlarmRuleCase(.diastolic, 121, .high, .above(120), "ACC/AHA 2017, diastolic > 120"),
        AlarmRuleCase(.diastolic, 120, .medium, .atOrAbove(100), "ACC/AHA 2017: 120 is not > 120; §3 medium ≥ 100"),
        // Medium: systolic ≥ 160 or diastolic ≥ 100 (clinical-reference §3 [D]).
        AlarmRuleCase(.systolic, 160, .medium, .atOrAbove(160), "clinical-reference §3, systolic ≥ 160"),
        AlarmRuleCase(.systolic, 159, nil, nil, "clinical-reference §3, 159 is below 160"),
        AlarmRuleCase(.diastolic, 100, .medium, .atOrAbove(100), "clinical-reference §3, diastolic ≥ 100"),
        AlarmRuleCase(.diastolic, 99, nil, nil, "clinical-reference §3, 99 is below 100"),
        AlarmRuleCase(.meanPressure, 150, nil, nil, "clinical-reference §3 gives no mean-pressure limit"),
    ]

    @Test("ACC/AHA 2017 [G], clinical-reference §3 — one cuff reading alarms at once, with a prompt to repeat", arguments: cases)
    func singleReading(_ c: AlarmRuleCase) throws {
        // given
        var monitor = F.monitor(hasMonitor: false)
        // when
        let events = monitor.observe([VitalObservation(c.parameter, c.value, at: F.at(0))], receivedAt: F.at(1))
        // then
        guard let expected = c.expected else { #expect(events.isEmpty); return }
        #expect(events.map(\.kind) == [.raised, .prompted])
        let alarm = try #require(events.first)
        #expect(alarm.priority == expected)
        #expect(alarm.trigger == c.limit.map(AlarmTrigger.limit))
        #expect(alarm.at == F.at(1))
        #expect(events.last?.promptKind == .repeatMeasurement)
        #expect(monitor.prompts.map(\.kind) == [.repeatMeasurement])
    }

    @Test("ACC/AHA 2017 [G] — 181/80 reads in words, and a normal next reading clears and answers the prompt")
    func clearsOnNormalNextReading() {
        // given
        var monitor = F.monitor(hasMonitor: false)
        // when
        let first = F.cuff(&monitor, 181, 80, at: 0)
        // then
        #expect(first.map(\.message) == [
            "Systolic pressure 181 mmHg above 180 mmHg (one reading) — high priority",
            "Repeat the cuff blood pressure measurement: systolic pressure 181 mmHg above 180 mmHg.",
        ])
        #expect(first.map(\.id) == [F.id(1), F.id(2)])
        let next = F.cuff(&monitor, 150, 85, at: 120)
        #expect(next.map(\.kind) == [.promptResolved, .cleared])
        #expect(next.last?.clearReason == .resolved)
        #expect(monitor.activeAlarms.isEmpty)
        #expect(monitor.prompts.isEmpty)
        // History keeps the alarm with its times.
        #expect(monitor.history.count == 1)
        #expect(monitor.history[0].raisedAt == F.at(0))
        #expect(monitor.history[0].clearedAt == F.at(120))
        #expect(monitor.history[0].clearReason == .resolved)
        #expect(monitor.promptHistory.map(\.resolvedAt) == [F.at(120)])
    }

    @Test("clinical-reference §3 — worst wins per parameter: 165 then 185 raises the priority; 170 keeps it; both pressures alarm apart")
    func worstWins() {
        var monitor = F.monitor(hasMonitor: false)
        #expect(F.cuff(&monitor, 165, 90, at: 0).map(\.kind) == [.raised, .prompted])
        let worse = F.cuff(&monitor, 185, 125, at: 300)
        #expect(worse.map(\.kind) == [.promptResolved, .priorityChanged, .prompted, .raised])
        #expect(worse.map(\.parameter) == [.systolic, .systolic, .systolic, .diastolic])
        #expect(worse[1].previousPriority == .medium && worse[1].priority == .high)
        let better = F.cuff(&monitor, 170, 90, at: 600)
        #expect(better.map(\.kind) == [.promptResolved, .prompted, .cleared])
        #expect(monitor.activeAlarms.map(\.priority) == [.high])
    }

    @Test("clinical-reference §3 — values entered by hand are single readings: they alarm at once")
    func manualReading() {
        var monitor = F.monitor(hasMonitor: false)
        let events = monitor.recordManualVitals(VitalsReading(takenAt: F.at(0), heartRate: 135), receivedAt: F.at(30))
        #expect(events.map(\.kind) == [.raised, .prompted])
        #expect(events.first?.message == "Heart rate 135 beats/min above 130 beats/min (one reading) — high priority")
    }
}

@Suite("Advisory above the session's baseline (clinical-reference §3)")
struct AlarmAdvisoryTests {
    typealias F = AlarmFixture
    static let baseline = AlarmBaseline(systolic: 120, diastolic: 80)

    @Test("clinical-reference §3 [D] — systolic or diastolic > 20 % above baseline is a silent advisory: no prompt, no escalation")
    func advisory() throws {
        // given: baseline 120/80, so > 144 / > 96
        var monitor = F.monitor(hasMonitor: false, baseline: Self.baseline)
        // when / then: exactly 20 % is not more than 20 %
        #expect(F.cuff(&monitor, 144, 96, at: 0).isEmpty)
        let rise = F.cuff(&monitor, 145, 97, at: 60)
        #expect(rise.map(\.kind) == [.raised, .raised])
        #expect(rise.map(\.priority) == [.advisory, .advisory])
        #expect(rise.first?.trigger == .riseAboveBaseline(baseline: 120, percent: 20))
        #expect(rise.first?.message == "Systolic pressure 145 mmHg more than 20 % above the baseline of 120 mmHg (one reading) — advisory")
        #expect(rise.first?.action == AlarmActions.advisoryDefault)
        #expect(monitor.prompts.isEmpty)
        #expect(monitor.tick(at: F.at(600)).isEmpty)
        #expect(monitor.activeAlarms.count == 2)
        // A medium reading raises the same alarm's priority; now it escalates 60 s later if not acknowledged.
        let medium = F.cuff(&monitor, 165, 90, at: 700)
        #expect(medium.map(\.kind) == [.priorityChanged, .prompted, .cleared])
        #expect(monitor.tick(at: F.at(759)).isEmpty)
        #expect(monitor.tick(at: F.at(760)).map(\.kind) == [.escalated])
    }

    @Test("clinical-reference §3 — without a baseline there is no advisory")
    func noBaseline() {
        var monitor = F.monitor(hasMonitor: false)
        #expect(F.cuff(&monitor, 155, 95, at: 0).isEmpty)
    }
}

@Suite("Escalation and acknowledgement (clinical-reference §3: 60 s, never off)")
struct AlarmEscalationTests {
    typealias F = AlarmFixture
    // The feeds stop after each run, so "no data" alarms follow 30 s later (AlarmNoDataTests); `F.vital` leaves them out.

    /// A monitor with a high SpO₂ alarm raised at 10 s.
    static func alarmed() -> SessionAlarmMonitor {
        var monitor = F.monitor(hasMonitor: false)
        F.feed(&monitor, .oxygenSaturation, Array(repeating: 88, count: 11))
        return monitor
    }

    @Test("clinical-reference §3 — an alarm not acknowledged within 60 s escalates, once")
    func escalatesAtSixtySeconds() {
        // given
        var monitor = Self.alarmed()
        // when / then
        #expect(F.vital(monitor.tick(at: F.at(69))).isEmpty)
        let escalated = F.vital(monitor.tick(at: F.at(70)))
        #expect(escalated.map(\.kind) == [.escalated])
        #expect(escalated.first?.id == F.id(1))
        #expect(escalated.first?.message
            == "Escalate to the charge nurse and the physician on duty: not acknowledged within 60 s. SpO₂ 88 % below 90 % for 10 s — high priority")
        #expect(F.vital(monitor.tick(at: F.at(200))).isEmpty)
        #expect(monitor.history[0].escalatedAt == F.at(70))
    }

    @Test("clinical-reference §3 — a nurse's acknowledgement records who and when, stops escalation, and the alarm stays on")
    func acknowledgement() throws {
        // given
        var monitor = Self.alarmed()
        // when
        let event = try monitor.acknowledge(F.id(1), by: F.nurse, at: F.at(30))
        // then
        #expect(event.kind == .acknowledged)
        #expect(event.acknowledgedBy == F.nurse)
        #expect(event.at == F.at(30))
        #expect(monitor.history[0].acknowledgement == AlarmAcknowledgement(by: F.nurse, at: F.at(30)))
        #expect(F.vital(monitor.tick(at: F.at(70))).isEmpty)
        #expect(F.vital(monitor.tick(at: F.at(500))).isEmpty)
        #expect(monitor.activeAlarms.filter { $0.kind == .vitalSign }.map(\.id) == [F.id(1)])
        #expect(monitor.activeAlarms.first?.isAcknowledged == true)
        #expect(throws: ClinicError.conflict("The alarm is already acknowledged.")) {
            try monitor.acknowledge(F.id(1), by: F.nurse, at: F.at(31))
        }
        #expect(throws: ClinicError.notFound("alarm \(F.id(9))")) { try monitor.acknowledge(F.id(9), by: F.nurse, at: F.at(31)) }
        // Cleared, it can no longer be acknowledged, and history keeps it.
        F.feed(&monitor, .oxygenSaturation, [97], from: 40)
        #expect(throws: ClinicError.conflict("The alarm has already cleared.")) {
            try monitor.acknowledge(F.id(1), by: F.nurse, at: F.at(41))
        }
        #expect(monitor.history[0].clearedAt == F.at(40))
        #expect(monitor.history[0].acknowledgement?.by == F.nurse)
    }

    @Test("clinical-reference §3 — a worse priority after an acknowledgement needs a new one, and escalates 60 s after the rise")
    func riseAfterAcknowledgement() throws {
        var monitor = F.monitor(hasMonitor: false)
        F.feed(&monitor, .oxygenSaturation, Array(repeating: 91, count: 11))
        _ = try monitor.acknowledge(F.id(1), by: F.nurse, at: F.at(12))
        F.feed(&monitor, .oxygenSaturation, Array(repeating: 88, count: 11), from: 13)   // high at 23 s
        #expect(monitor.history[0].priority == .high)
        #expect(monitor.history[0].isAcknowledged == false)
        #expect(F.vital(monitor.tick(at: F.at(82))).isEmpty)
        #expect(F.vital(monitor.tick(at: F.at(83))).map(\.kind) == [.escalated])
    }

    @Test("clinical-reference §3 — a medium alarm that turns high keeps its escalation clock")
    func riseKeepsClock() {
        var monitor = F.monitor(hasMonitor: false)
        F.feed(&monitor, .oxygenSaturation, Array(repeating: 91, count: 11))                 // medium at 10 s
        F.feed(&monitor, .oxygenSaturation, Array(repeating: 88, count: 11), from: 11)       // high at 21 s
        #expect(F.vital(monitor.tick(at: F.at(70))).map(\.kind) == [.escalated])
    }

    @Test("clinical-reference §3 — escalation time is configurable")
    func configurable() throws {
        var monitor = F.monitor(hasMonitor: false, policy: try AlarmPolicy(escalationSeconds: 30).validated())
        F.feed(&monitor, .heartRate, Array(repeating: 140, count: 11))
        #expect(F.vital(monitor.tick(at: F.at(39))).isEmpty)
        #expect(F.vital(monitor.tick(at: F.at(40))).map(\.kind) == [.escalated])
    }
}

@Suite("No data (clinical-reference §3: continuous 30 s, cuff cycle + 2 min, in active sessions)")
struct AlarmNoDataTests {
    typealias F = AlarmFixture
    /// A monitored session where no parameter is expected before it is seen.
    static let nothingExpected = AlarmPolicy(expectedWithMonitor: [])

    @Test("clinical-reference §3 — a continuous parameter seen once and silent for 30 s raises 'no data' (medium) in every active state",
          arguments: [SessionState.infusing, .paused, .recovering])
    func continuous(_ state: SessionState) throws {
        // given: nothing expected from the start, so only the heart rate seen counts
        var monitor = F.monitor(state, policy: Self.nothingExpected)
        F.feed(&monitor, .heartRate, [80])
        // when / then
        #expect(monitor.tick(at: F.at(29)).isEmpty)
        let events = monitor.tick(at: F.at(30)).filter { $0.alarmKind == .noData }
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.parameter == .heartRate)
        #expect(event.priority == .medium)
        #expect(event.message == "No heart rate data for 30 s — medium priority")
        #expect(event.action == AlarmActions.noDataDefault)
        #expect(monitor.tick(at: F.at(45)).isEmpty)
        // It escalates like any medium alarm, and clears when data returns.
        #expect(monitor.tick(at: F.at(90)).map(\.kind) == [.escalated])
        let back = F.feed(&monitor, .heartRate, [82], from: 95)
        #expect(back.map(\.kind) == [.cleared])
        #expect(back.first?.message == "Heart rate data received again — cleared.")
        #expect(monitor.history.first?.clearReason == .dataReturned)
    }

    @Test("clinical-reference §3 — no cuff reading within the cycle (15 min) + 2 min raises 'no data' in every active state",
          arguments: [SessionState.infusing, .paused, .recovering])
    func cuff(_ state: SessionState) {
        var monitor = F.monitor(state, policy: Self.nothingExpected)
        F.cuff(&monitor, 120, 80, at: 0)
        #expect(monitor.tick(at: F.minute(17).addingTimeInterval(-1)).isEmpty)
        let events = monitor.tick(at: F.minute(17))
        #expect(events.map(\.alarmKind) == [.noData])
        #expect(events.first?.message == "No cuff blood pressure reading for 17 min (cycle 15 min + 2 min) — medium priority")
        #expect(F.cuff(&monitor, 122, 78, at: 18 * 60).map(\.clearReason) == [.dataReturned])
    }

    @Test("clinical-reference §3 — a clinic's own cuff cycle sets the window")
    func cuffCycle() throws {
        var monitor = F.monitor(policy: try AlarmPolicy(cuffCycleMinutes: 5, expectedWithMonitor: []).validated())
        F.cuff(&monitor, 120, 80, at: 0)
        #expect(monitor.tick(at: F.minute(6)).isEmpty)
        #expect(monitor.tick(at: F.minute(7)).map(\.alarmKind) == [.noData])
    }

    @Test("clinical-reference §3 — with a monitor, SpO₂ and the cuff are expected from the start of the active session")
    func expectedWithMonitor() {
        var monitor = F.monitor(.infusing, hasMonitor: true)
        #expect(monitor.tick(at: F.at(29)).isEmpty)
        #expect(monitor.tick(at: F.at(30)).map(\.parameter) == [.oxygenSaturation])
        #expect(F.raised(monitor.tick(at: F.minute(17))).map(\.parameter) == [.systolic])
    }

    @Test("clinical-reference §3 — no 'no data' outside the active states", arguments: [SessionState.checkedIn, .ready, .discharged])
    func notOutsideActiveStates(_ state: SessionState) {
        var monitor = F.monitor(state, hasMonitor: true)
        F.feed(&monitor, .heartRate, [80])
        F.cuff(&monitor, 120, 80, at: 0)
        #expect(monitor.tick(at: F.minute(60)).isEmpty)
    }

    @Test("clinical-reference §3 — silence counts from the start of infusion, not from data seen before it")
    func countsFromActivation() {
        var monitor = F.monitor(.ready, hasMonitor: true)
        F.feed(&monitor, .heartRate, [80])
        #expect(monitor.tick(at: F.at(100)).isEmpty)
        #expect(monitor.sessionStateChanged(to: .infusing, at: F.at(100)).isEmpty)
        #expect(monitor.tick(at: F.at(129)).isEmpty)
        #expect(Set(monitor.tick(at: F.at(130)).compactMap(\.parameter)) == [.heartRate, .oxygenSaturation])
    }

    @Test("clinical-reference §3 — a final state ends every alarm and prompt; input after it is ignored")
    func finalStateEndsAlarms() {
        // given
        var monitor = F.monitor(.recovering, hasMonitor: true)
        F.cuff(&monitor, 185, 90, at: 0)
        _ = monitor.tick(at: F.at(30))    // SpO₂ no data
        #expect(monitor.activeAlarms.count == 2)
        // when
        let ended = monitor.sessionStateChanged(to: .discharged, at: F.at(40))
        // then
        #expect(ended.map(\.kind) == [.cleared, .cleared, .promptResolved])
        #expect(ended.filter { $0.kind == .cleared }.allSatisfy { $0.clearReason == .sessionEnded })
        #expect(monitor.activeAlarms.isEmpty)
        #expect(monitor.prompts.isEmpty)
        #expect(monitor.history.count == 2)
        #expect(F.cuff(&monitor, 190, 90, at: 50).isEmpty)
        #expect(monitor.tick(at: F.minute(60)).isEmpty)
    }
}

@Suite("Manual vitals due without a monitor (Goldberg 2005 [G]; clinical-reference §3: every 15 min)")
struct AlarmManualVitalsTests {
    typealias F = AlarmFixture

    @Test("Goldberg 2005, clinical-reference §3 — manual vitals are prompted 15 min after the start or the latest reading",
          arguments: [SessionState.infusing, .paused, .recovering])
    func due(_ state: SessionState) {
        // given
        var monitor = F.monitor(state, hasMonitor: false)
        // when / then
        #expect(monitor.tick(at: F.minute(15).addingTimeInterval(-1)).isEmpty)
        let prompt = monitor.tick(at: F.minute(15))
        #expect(prompt.map(\.promptKind) == [.manualVitalsDue])
        #expect(prompt.first?.message == "Manual vitals due: none recorded for 15 min (every 15 min, Goldberg 2005; clinical-reference §3).")
        #expect(monitor.tick(at: F.minute(16)).isEmpty)
        let recorded = monitor.recordManualVitals(VitalsReading(takenAt: F.minute(16), systolic: 125, diastolic: 80, heartRate: 76),
                                                  receivedAt: F.minute(17))
        #expect(recorded.map(\.kind) == [.promptResolved])
        #expect(monitor.prompts.isEmpty)
        #expect(monitor.tick(at: F.minute(31).addingTimeInterval(-1)).isEmpty)
        #expect(monitor.tick(at: F.minute(31)).map(\.promptKind) == [.manualVitalsDue])
    }

    @Test("Goldberg 2005 — never with a monitor, nor outside infusing, paused and recovering")
    func notDue() {
        var monitored = F.monitor(.infusing, hasMonitor: true)
        #expect(monitored.tick(at: F.minute(15)).allSatisfy { $0.promptKind == nil })
        var checkedIn = F.monitor(.checkedIn, hasMonitor: false)
        #expect(checkedIn.tick(at: F.minute(60)).isEmpty)
    }

    @Test("Goldberg 2005 — the interval follows the monitoring policy")
    func interval() {
        var monitor = SessionAlarmMonitor(sessionID: F.sessionID, hasMonitor: false, state: .infusing, startedAt: F.t0,
                                          monitoring: MonitoringPolicy(manualVitalsIntervalMinutes: 5))
        #expect(monitor.tick(at: F.minute(5)).map(\.promptKind) == [.manualVitalsDue])
    }
}

@Suite("Session alarm monitor: ids, snapshots, history")
struct AlarmMonitorSnapshotTests {
    typealias F = AlarmFixture

    @Test("ids count up from 1 per session; a snapshot decodes to the same monitor and carries on mid-candidate")
    func snapshot() throws {
        // given: a candidate 5 s old
        var monitor = F.monitor(hasMonitor: false)
        F.feed(&monitor, .oxygenSaturation, Array(repeating: 88, count: 6))
        // when
        let data = try JSONEncoder().encode(monitor)
        var restored = try JSONDecoder().decode(SessionAlarmMonitor.self, from: data)
        // then
        #expect(restored == monitor)
        let events = F.feed(&restored, .oxygenSaturation, Array(repeating: 88, count: 5), from: 6)
        #expect(events.map(\.id) == [F.id(1)])
        #expect(F.cuff(&restored, 190, 80, at: 20).map(\.id) == [F.id(2), F.id(3)])
    }

    @Test("clinical-reference §3 — history keeps raised, escalated, acknowledged and cleared times")
    func history() throws {
        var monitor = F.monitor(hasMonitor: false)
        F.feed(&monitor, .heartRate, Array(repeating: 40, count: 11))     // high at 10 s
        _ = monitor.tick(at: F.at(70))
        _ = try monitor.acknowledge(F.id(1), by: F.physician, at: F.at(75))
        F.feed(&monitor, .heartRate, [70], from: 80)
        let alarm = try #require(monitor.history.first)
        #expect(alarm.raisedAt == F.at(10))
        #expect(alarm.escalatedAt == F.at(70))
        #expect(alarm.acknowledgement == AlarmAcknowledgement(by: F.physician, at: F.at(75)))
        #expect(alarm.clearedAt == F.at(80))
        #expect(!alarm.isActive)
        #expect(monitor.activeAlarms.isEmpty)
    }
}

/// Fixed times, people and monitors for the alarm tests.
enum AlarmFixture {
    /// 2026-11-25T09:00:00Z.
    static let t0 = SessionFixture.t0
    static let sessionID = SessionFixture.sessionID
    static let nurse = SessionFixture.nurse
    static let physician = SessionFixture.physician
    static let patient = SessionFixture.patient
    static let protocolID = InfusionProtocol.ID(UUID(uuidString: "00000000-0000-0000-0000-0000000000A1")!)
    static let nurseActor = Actor(userID: nurse, role: .nurse)
    static let physicianActor = Actor(userID: physician, role: .physician)

    /// `t0` plus `s` seconds.
    static func at(_ s: Double) -> Date { t0.addingTimeInterval(s) }
    /// `t0` plus `m` minutes.
    static func minute(_ m: Double) -> Date { t0.addingTimeInterval(m * 60) }

    /// The id of the `n`th alarm or prompt of the fixture session.
    static func id(_ n: Int) -> AlarmID { AlarmID(session: sessionID, sequence: n) }

    /// A monitor started at `t0`.
    static func monitor(_ state: SessionState = .infusing, hasMonitor: Bool = true, thresholds: AlarmThresholds = .clinicalReferenceDefaults,
                        policy: AlarmPolicy = .standard, baseline: AlarmBaseline? = nil) -> SessionAlarmMonitor {
        SessionAlarmMonitor(sessionID: sessionID, thresholds: thresholds, policy: policy, baseline: baseline, hasMonitor: hasMonitor,
                            state: state, startedAt: t0)
    }

    /// Feeds one sample of `parameter` per value, `every` seconds from `from` seconds, each received when observed;
    /// returns every event.
    @discardableResult
    static func feed(_ monitor: inout SessionAlarmMonitor, _ parameter: VitalParameter, _ values: [Double], from: Double = 0,
                     every step: Double = 1) -> [AlarmEvent] {
        var events: [AlarmEvent] = []
        for (k, value) in values.enumerated() {
            let t = at(from + Double(k) * step)
            events += monitor.observe([VitalObservation(parameter, value, at: t)], receivedAt: t)
        }
        return events
    }

    /// A cuff reading at `s` seconds.
    @discardableResult
    static func cuff(_ monitor: inout SessionAlarmMonitor, _ systolic: Double, _ diastolic: Double, at s: Double) -> [AlarmEvent] {
        monitor.observe([VitalObservation(.systolic, systolic, at: at(s)), VitalObservation(.diastolic, diastolic, at: at(s))],
                        receivedAt: at(s))
    }

    static func raised(_ events: [AlarmEvent]) -> [AlarmEvent] { events.filter { $0.kind == .raised } }

    /// The events about vital-sign alarms (not "no data", not prompts).
    static func vital(_ events: [AlarmEvent]) -> [AlarmEvent] { events.filter { $0.alarmKind == .vitalSign } }
}
