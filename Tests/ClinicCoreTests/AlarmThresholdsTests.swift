import Foundation
import Testing
@testable import ClinicCore

@Suite("Alarm thresholds: defaults and layers (clinical-reference §3)")
struct AlarmThresholdsTests {
    typealias F = AlarmFixture

    @Test("ACC/AHA 2017 [G], modified Aldrete [G], clinical-reference §3 [D] — the defaults, with their comparisons exactly as written")
    func defaults() {
        let d = AlarmThresholds.clinicalReferenceDefaults
        // High (ACC/AHA 2017 crisis for the pressures).
        #expect(d.limit(.high, .systolic, .upper) == .above(180))
        #expect(d.limit(.high, .diastolic, .upper) == .above(120))
        #expect(d.limit(.high, .oxygenSaturation, .lower) == .below(90))
        #expect(d.limit(.high, .heartRate, .upper) == .above(130))
        #expect(d.limit(.high, .heartRate, .lower) == .below(45))
        #expect(d.limit(.high, .respiratoryRate, .lower) == .below(8))
        // Medium (modified Aldrete for SpO₂).
        #expect(d.limit(.medium, .oxygenSaturation, .lower) == .below(92))
        #expect(d.limit(.medium, .heartRate, .upper) == .above(110))
        #expect(d.limit(.medium, .heartRate, .lower) == .below(50))
        #expect(d.limit(.medium, .respiratoryRate, .lower) == .below(10))
        #expect(d.limit(.medium, .systolic, .upper) == .atOrAbove(160))
        #expect(d.limit(.medium, .diastolic, .upper) == .atOrAbove(100))
        // Advisory: > 20 % above baseline.
        #expect(d.advisoryRiseAboveBaselinePercent == 20)
        // Nothing invented: no limit for pulse rate (it uses the heart rate's), mean pressure, temperature or EtCO₂.
        #expect(d.rules.count == 12)
        #expect(Set(d.rules.map(\.parameter)) == [.systolic, .diastolic, .oxygenSaturation, .heartRate, .respiratoryRate])
    }

    @Test("clinical-reference §3 — a strict limit is not passed at its value; an inclusive one is")
    func comparisons() {
        #expect(!AlarmLimit.above(180).isPassed(by: 180))
        #expect(AlarmLimit.above(180).isPassed(by: 181))
        #expect(AlarmLimit.atOrAbove(160).isPassed(by: 160))
        #expect(!AlarmLimit.below(90).isPassed(by: 90))
        #expect(AlarmLimit.atOrBelow(90).isPassed(by: 90))
        #expect(AlarmLimit.above(120).isAtLeastAsStrict(as: .above(130)))
        #expect(AlarmLimit.atOrAbove(130).isAtLeastAsStrict(as: .above(130)))
        #expect(!AlarmLimit.above(130).isAtLeastAsStrict(as: .atOrAbove(130)))
        #expect(AlarmLimit.below(92).isAtLeastAsStrict(as: .below(90)))
        #expect(!AlarmLimit.below(88).isAtLeastAsStrict(as: .below(90)))
        #expect(!AlarmLimit.below(88).isAtLeastAsStrict(as: .above(130)))
    }

    @Test("clinical-reference §3 — layers: clinic, then protocol, then patient; the last word on a limit wins")
    func layering() {
        // given
        let clinic = ThresholdOverrides(limits: [.init(ThresholdKey(.medium, .heartRate, .upper), .above(105))])
        let protocolOverrides = ThresholdOverrides(limits: [.init(ThresholdKey(.medium, .oxygenSaturation, .lower), .below(94))])
        let patient = ThresholdOverrides(limits: [.init(ThresholdKey(.high, .heartRate, .upper), .above(120)),
                                                  .init(ThresholdKey(.medium, .heartRate, .upper), .above(100))],
                                         advisoryRiseAboveBaselinePercent: 15)
        // when
        let effective = AlarmThresholds.effective(clinic: clinic, protocol: protocolOverrides, patient: patient)
        // then
        #expect(effective.limit(.medium, .oxygenSaturation, .lower) == .below(94))
        #expect(effective.limit(.high, .heartRate, .upper) == .above(120))
        #expect(effective.limit(.medium, .heartRate, .upper) == .above(100))
        #expect(effective.limit(.high, .systolic, .upper) == .above(180))
        #expect(effective.advisoryRiseAboveBaselinePercent == 15)
        #expect(AlarmThresholds.effective() == .clinicalReferenceDefaults)
        // The monitor uses what is in force: 125 beats/min is now high for this patient.
        var monitor = F.monitor(hasMonitor: false, thresholds: effective)
        #expect(F.feed(&monitor, .heartRate, Array(repeating: 125, count: 11)).map(\.priority) == [.high])
    }

    @Test("clinical-reference §3 — thresholds round-trip through JSON")
    func codable() throws {
        let t = AlarmThresholds.clinicalReferenceDefaults
        #expect(try JSONDecoder().decode(AlarmThresholds.self, from: JSONEncoder().encode(t)) == t)
    }
}

@Suite("Threshold changes (clinical-reference §3: a physician only, with a reason, audited; stricter, never looser)")
struct AlarmThresholdChangeTests {
    typealias F = AlarmFixture
    static let hrHigh = ThresholdKey(.high, .heartRate, .upper)
    static let spo2Medium = ThresholdKey(.medium, .oxygenSaturation, .lower)

    static func change(_ proposed: ThresholdOverrides, current: ThresholdOverrides = .none, over beneath: AlarmThresholds = .clinicalReferenceDefaults,
                       by actor: Actor = F.physicianActor, reason: String = "Known ischaemic heart disease") throws -> ThresholdChange {
        try ThresholdChange(layer: .patient(F.patient), from: current, to: proposed, over: beneath, by: actor, at: F.minute(1), reason: reason)
    }

    @Test("clinical-reference §3 — a physician may make a high-priority limit stricter for a patient; the change records who, when, why, before and after")
    func physicianStricter() throws {
        // given
        let proposed = ThresholdOverrides(limits: [.init(Self.hrHigh, .above(120))])
        // when
        let change = try Self.change(proposed)
        // then
        #expect(change.layer == .patient(F.patient))
        #expect(change.changedBy == F.physician)
        #expect(change.changedAt == F.minute(1))
        #expect(change.reason == "Known ischaemic heart disease")
        #expect(change.before == .none)
        #expect(change.after == proposed)
        #expect(change.limitEdits == [.init(key: Self.hrHigh, before: .above(130), after: .above(120))])
    }

    @Test("clinical-reference §3 — a nurse may not change thresholds")
    func nurseRefused() {
        #expect(throws: ClinicError.forbidden("only a physician may change alarm thresholds (clinical-reference §3)")) {
            try Self.change(ThresholdOverrides(limits: [.init(Self.hrHigh, .above(120))]), by: F.nurseActor)
        }
    }

    @Test("clinical-reference §3 — never looser: a physician's looser high limit is refused, naming the field")
    func physicianLooserRefused() {
        let fields = SessionFixture.invalidFields { _ = try Self.change(ThresholdOverrides(limits: [.init(Self.hrHigh, .above(140))])) }
        #expect(fields == ["thresholds.high.heartRate.upper"])
        // > 130 → ≥ 130 is stricter; ≥ 130 → > 131 is looser.
        #expect((try? Self.change(ThresholdOverrides(limits: [.init(Self.hrHigh, .atOrAbove(130))]))) != nil)
        // Switching a high rule off is the loosest change of all.
        #expect(SessionFixture.invalidFields { _ = try Self.change(ThresholdOverrides(limits: [.init(Self.hrHigh, nil)])) }
            == ["thresholds.high.heartRate.upper"])
        // Medium limits and the advisory may not be loosened either.
        #expect(SessionFixture.invalidFields { _ = try Self.change(ThresholdOverrides(limits: [.init(Self.spo2Medium, .below(90))])) }
            == ["thresholds.medium.oxygenSaturation.lower"])
        #expect(SessionFixture.invalidFields { _ = try Self.change(ThresholdOverrides(advisoryRiseAboveBaselinePercent: 25)) }
            == [ThresholdChange.advisoryField])
        #expect((try? Self.change(ThresholdOverrides(advisoryRiseAboveBaselinePercent: 15)))?.advisoryRiseAfter == 15)
    }

    @Test("clinical-reference §3 — a reason is required")
    func reasonRequired() {
        let proposed = ThresholdOverrides(limits: [.init(Self.hrHigh, .above(120))])
        #expect(SessionFixture.invalidFields { _ = try Self.change(proposed, reason: "") } == ["reason"])
        #expect(SessionFixture.invalidFields { _ = try Self.change(proposed, reason: "  \n") } == ["reason"])
    }

    @Test("clinical-reference §3 — a patient's override is judged against the protocol's limits beneath it")
    func judgedAgainstLayerBeneath() throws {
        // given: the protocol tightened SpO₂ medium to < 94
        let protocolLevel = AlarmThresholds.effective(protocol: ThresholdOverrides(limits: [.init(Self.spo2Medium, .below(94))]))
        // when / then: < 93 is stricter than the default but looser than the protocol
        #expect(SessionFixture.invalidFields {
            _ = try Self.change(ThresholdOverrides(limits: [.init(Self.spo2Medium, .below(93))]), over: protocolLevel)
        } == ["thresholds.medium.oxygenSaturation.lower"])
        // A patient override may be relaxed back towards the layer beneath, never past it.
        let current = ThresholdOverrides(limits: [.init(Self.hrHigh, .above(110))])
        let relaxed = try Self.change(ThresholdOverrides(limits: [.init(Self.hrHigh, .above(120))]), current: current)
        #expect(relaxed.limitEdits == [.init(key: Self.hrHigh, before: .above(110), after: .above(120))])
    }

    @Test("clinical-reference §3 — malformed or empty changes are refused")
    func malformed() {
        #expect(SessionFixture.invalidFields { _ = try Self.change(.none) } == ["thresholds"])
        #expect(SessionFixture.invalidFields { _ = try Self.change(ThresholdOverrides(limits: [.init(Self.hrHigh, .below(120))])) }
            == ["thresholds.high.heartRate.upper"])
        #expect(SessionFixture.invalidFields { _ = try Self.change(ThresholdOverrides(limits: [.init(Self.spo2Medium, .below(101))])) }
            == ["thresholds.medium.oxygenSaturation.lower"])
        #expect(SessionFixture.invalidFields { _ = try Self.change(ThresholdOverrides(limits: [.init(Self.hrHigh, .above(.nan))])) }
            == ["thresholds.high.heartRate.upper"])
    }
}

@Suite("Alarm policy (clinical-reference §3 [D], local policy)")
struct AlarmPolicyTests {
    @Test("clinical-reference §3 — defaults: 10 s confirmation, 30 s no data, cuff 15 + 2 min (Goldberg 2005 cadence), escalation 60 s")
    func defaults() throws {
        let p = try AlarmPolicy.standard.validated()
        #expect(p.confirmationSeconds == 10)
        #expect(p.continuousNoDataSeconds == 30)
        #expect(p.cuffCycleMinutes == 15)
        #expect(p.cuffGraceMinutes == 2)
        #expect(p.cuffNoDataSeconds == 17 * 60)
        #expect(p.escalationSeconds == 60)
        #expect(p.noDataPriority == .medium)
        #expect(p.actions.high == "Pause the infusion, assess the patient, call the physician.")
        #expect(p.actions.text(for: .vitalSign, parameter: .heartRate, priority: .medium) == AlarmActions.neutralDefault)
        #expect(AlarmActions.localPolicyLabel == "Local policy")
    }

    @Test("clinical-reference §3 — escalation is never off: 0, negative, infinite or missing is refused", arguments: [0.0, -5, .infinity, .nan])
    func escalationNeverOff(_ seconds: Double) throws {
        let fields = SessionFixture.invalidFields { _ = try AlarmPolicy(escalationSeconds: seconds).validated() }
        #expect(fields == ["alarmPolicy.escalationSeconds"])
    }

    @Test("clinical-reference §3 — a stored policy without an escalation time does not decode")
    func missingEscalation() throws {
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(AlarmPolicy.standard)) as! [String: Any]
        var stripped = json
        stripped["escalationSeconds"] = nil
        let data = try JSONSerialization.data(withJSONObject: stripped)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(AlarmPolicy.self, from: data) }
        #expect(try JSONDecoder().decode(AlarmPolicy.self, from: JSONSerialization.data(withJSONObject: json)) == .standard)
    }

    @Test("clinical-reference §3 — the clinic's own action text, per priority and per parameter")
    func actions() throws {
        let actions = AlarmActions(high: "Stop the pump; call Dr on duty.", perParameter: [.init(.oxygenSaturation, .high, "Give O₂ per standing order.")])
        var monitor = SessionAlarmMonitor(sessionID: AlarmFixture.sessionID, policy: try AlarmPolicy(actions: actions).validated(),
                                          hasMonitor: false, state: .infusing, startedAt: AlarmFixture.t0)
        #expect(AlarmFixture.feed(&monitor, .oxygenSaturation, Array(repeating: 85, count: 11)).map(\.action) == ["Give O₂ per standing order."])
        #expect(AlarmFixture.feed(&monitor, .heartRate, Array(repeating: 140, count: 11)).map(\.action) == ["Stop the pump; call Dr on duty."])
        #expect(SessionFixture.invalidFields { _ = try AlarmPolicy(actions: AlarmActions(medium: " ")).validated() } == ["alarmPolicy.actions.medium"])
        #expect(SessionFixture.invalidFields { _ = try AlarmPolicy(noDataPriority: .advisory).validated() } == ["alarmPolicy.noDataPriority"])
    }
}
