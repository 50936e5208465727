import Foundation
import Testing
@testable import ClinicCore

@Suite("Protocol alarm limits (clinical-reference §3: a physician only, with a reason, audited; stricter, never looser)")
struct ProtocolThresholdsTests {
    typealias F = AlarmFixture
    static let hrHigh = ThresholdKey(.high, .heartRate, .upper)
    static let spo2High = ThresholdKey(.high, .oxygenSaturation, .lower)

    static func protocolChange(_ proposed: ThresholdOverrides, current: ThresholdOverrides = .none, by actor: Actor = F.physicianActor,
                               reason: String = "Older patients on this protocol") throws -> ThresholdChange {
        try ThresholdChange(layer: .infusionProtocol(F.protocolID), from: current, to: proposed, over: .clinicalReferenceDefaults,
                            by: actor, at: F.minute(1), reason: reason)
    }

    @Test("clinical-reference §3 — a protocol's limit stricter than the defaults is accepted and records the layer, who, when and why")
    func protocolStricterAccepted() throws {
        // given: the default high heart-rate limit is > 130 (clinical-reference §3)
        let proposed = ThresholdOverrides(limits: [.init(Self.hrHigh, .above(120))])
        // when
        let change = try Self.protocolChange(proposed)
        // then
        #expect(change.layer == .infusionProtocol(F.protocolID))
        #expect(change.changedBy == F.physician)
        #expect(change.changedAt == F.minute(1))
        #expect(change.reason == "Older patients on this protocol")
        #expect(change.limitEdits == [.init(key: Self.hrHigh, before: .above(130), after: .above(120))])
    }

    @Test("clinical-reference §3 — a protocol's limit looser than the defaults is refused, naming the field")
    func protocolLooserRefused() {
        // given: SpO₂ high priority is < 90 % by default (clinical-reference §3); < 88 % would alarm later
        let looser = ThresholdOverrides(limits: [.init(Self.spo2High, .below(88))])
        // when / then
        #expect(SessionFixture.invalidFields { _ = try Self.protocolChange(looser) } == ["thresholds.high.oxygenSaturation.lower"])
        #expect(SessionFixture.invalidFields { _ = try Self.protocolChange(ThresholdOverrides(limits: [.init(Self.hrHigh, .above(120))]), reason: " ") }
            == ["reason"])
    }

    @Test("clinical-reference §3 — a nurse may not change a protocol's limits")
    func nurseRefused() {
        #expect(throws: ClinicError.forbidden("only a physician may change alarm thresholds (clinical-reference §3)")) {
            try Self.protocolChange(ThresholdOverrides(limits: [.init(Self.hrHigh, .above(120))]), by: F.nurseActor)
        }
    }

    @Test("clinical-reference §3 — a patient's override must be stricter than the defaults with the protocol's layer on top")
    func patientOverProtocol() throws {
        // given: the protocol made high heart rate > 120 (default > 130)
        let protocolLayer = ThresholdOverrides(limits: [.init(Self.hrHigh, .above(120))])
        let beneath = AlarmThresholds.effective(protocol: protocolLayer)
        func patientChange(_ limit: AlarmLimit) throws -> ThresholdChange {
            try ThresholdChange(layer: .patient(F.patient), from: .none, to: ThresholdOverrides(limits: [.init(Self.hrHigh, limit)]),
                                over: beneath, by: F.physicianActor, at: F.minute(2), reason: "Known ischaemic heart disease")
        }
        // when / then: > 125 is stricter than the default but looser than the protocol
        #expect(SessionFixture.invalidFields { _ = try patientChange(.above(125)) } == ["thresholds.high.heartRate.upper"])
        // > 115 is stricter than both; the edit is recorded against the protocol's limit
        #expect(try patientChange(.above(115)).limitEdits == [.init(key: Self.hrHigh, before: .above(120), after: .above(115))])
    }

    @Test("clinical-reference §3 — a session under the protocol alarms at the protocol's stricter limit; the patient's layer goes on top")
    func sessionAlarmsAtProtocolLimit() {
        // given: the protocol made high heart rate > 120 (default > 130); the patient tightened SpO₂ high to < 92
        let protocolLayer = ThresholdOverrides(limits: [.init(Self.hrHigh, .above(120))])
        let patientLayer = ThresholdOverrides(limits: [.init(Self.spo2High, .below(92))])
        let effective = AlarmThresholds.effective(protocol: protocolLayer, patient: patientLayer)
        #expect(effective.limit(for: Self.hrHigh) == .above(120))
        #expect(effective.limit(for: Self.spo2High) == .below(92))
        // when: 125 beats/min held for the 10 s confirmation (clinical-reference §3)
        var underProtocol = F.monitor(hasMonitor: false, thresholds: effective)
        var underDefaults = F.monitor(hasMonitor: false)
        // then: high priority under the protocol; only medium (> 110) under the defaults
        #expect(F.feed(&underProtocol, .heartRate, Array(repeating: 125, count: 11)).map(\.priority) == [.high])
        #expect(F.feed(&underDefaults, .heartRate, Array(repeating: 125, count: 11)).map(\.priority) == [.medium])
    }

    @Test("clinical-reference §3 — a live monitor switches to the protocol's new limits at once")
    func liveMonitorSwitches() {
        // given: a session running at 125 beats/min under the defaults (medium only)
        var monitor = F.monitor(hasMonitor: false)
        #expect(F.feed(&monitor, .heartRate, Array(repeating: 125, count: 11)).map(\.priority) == [.medium])
        // when: the protocol's high limit becomes > 120
        monitor.thresholdsChanged(to: AlarmThresholds.effective(protocol: ThresholdOverrides(limits: [.init(Self.hrHigh, .above(120))])))
        // then: the next 10 s at 125 raise the high-priority alarm
        #expect(F.feed(&monitor, .heartRate, Array(repeating: 125, count: 11), from: 11).map(\.priority).contains(.high))
    }
}
