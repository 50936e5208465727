import Foundation
import Testing
@testable import ClinicCore

@Suite("During the infusion: vitals, scores, side effects (clinical-reference §3, §7, §10)")
struct SessionMonitoringTests {
    typealias F = SessionFixture

    @Test("Goldberg 2005, clinical-reference §3 — manual vitals are due every 15 min from the start or the latest reading")
    func nextManualVitalsDue() throws {
        // given
        var session = F.session(in: .ready)
        #expect(session.nextManualVitalsDue(after: F.at(6)) == nil)
        try session.apply(.started(rate: F.orderedRate), at: F.at(10), by: F.nurse)
        // when / then: none since the start → 15 min after the start
        #expect(session.nextManualVitalsDue(after: F.at(12)) == F.at(25))
        try session.apply(.vitalsRecorded(VitalsReading(takenAt: F.at(24), systolic: 132, diastolic: 84, heartRate: 78)), at: F.at(26), by: F.nurse)
        #expect(session.nextManualVitalsDue(after: F.at(30)) == F.at(39))
        // Overdue: the due time lies before now.
        #expect(session.nextManualVitalsDue(after: F.at(45))! < F.at(45))
        // Also in recovery (every 15 min in recovery, clinical-reference §3).
        try session.apply(.infusionCompleted, at: F.at(50), by: F.nurse)
        try session.apply(.vitalsRecorded(VitalsReading(takenAt: F.at(52), systolic: 128, diastolic: 80)), at: F.at(52), by: F.nurse)
        #expect(session.nextManualVitalsDue(after: F.at(53)) == F.at(67))
        // Configurable.
        #expect(session.nextManualVitalsDue(after: F.at(53), policy: MonitoringPolicy(manualVitalsIntervalMinutes: 5)) == F.at(57))
        #expect(F.session(in: .discharged).nextManualVitalsDue(after: F.at(80)) == nil)
    }

    @Test("brief — hand-entered vitals are checked for plausibility")
    func vitalsPlausibility() {
        var session = F.session(in: .infusing)
        func fields(_ reading: VitalsReading) -> [String]? {
            F.invalidFields { try session.apply(.vitalsRecorded(reading), at: F.at(20), by: F.nurse) }
        }
        #expect(fields(VitalsReading(takenAt: F.at(19))) == ["vitals"])
        #expect(fields(VitalsReading(takenAt: F.at(19), systolic: 130)) == ["vitals.bloodPressure"])
        #expect(fields(VitalsReading(takenAt: F.at(19), systolic: 400, diastolic: 80)) == ["vitals.systolic"])
        #expect(fields(VitalsReading(takenAt: F.at(19), systolic: 80, diastolic: 90)) == ["vitals.diastolic"])
        #expect(fields(VitalsReading(takenAt: F.at(19), oxygenSaturation: 101)) == ["vitals.oxygenSaturation"])
        #expect(fields(VitalsReading(takenAt: F.at(19), heartRate: 900)) == ["vitals.heartRate"])
        #expect(fields(VitalsReading(takenAt: F.at(21), heartRate: 80)) == ["vitals.takenAt"])
        #expect(session.vitals.isEmpty)
    }

    @Test("clinical-reference §7 — MOAA/S runs 0–5")
    func moaas() throws {
        var session = F.session(in: .infusing)
        try session.apply(.sedationScored(MOAASScore(0)), at: F.at(20), by: F.nurse)
        try session.apply(.sedationScored(MOAASScore(5)), at: F.at(21), by: F.nurse)
        #expect(F.invalidFields { try session.apply(.sedationScored(MOAASScore(6)), at: F.at(22), by: F.nurse) } == ["moaas"])
        #expect(session.sedationScores.map(\.value.score) == [0, 5])
    }

    @Test("clinical-reference §7 — CADSS short form is items 1, 2, 6, 7, 15, 22; the item range (0–4 default) is configurable, not from the reference")
    func cadss() throws {
        let full = CADSSShortForm(items: [1: 4, 2: 3, 6: 2, 7: 1, 15: 0, 22: 4])
        #expect(try full.validated().total == 14)
        #expect(F.invalidFields { _ = try CADSSShortForm(items: [1: 1, 2: 1, 6: 1, 7: 1, 15: 1]).validated() } == ["cadss.item22"])
        #expect(F.invalidFields { _ = try CADSSShortForm(items: [1: 1, 2: 1, 3: 1, 6: 1, 7: 1, 15: 1, 22: 1]).validated() } == ["cadss.item3"])
        let five = CADSSShortForm(items: [1: 5, 2: 0, 6: 0, 7: 0, 15: 0, 22: 0])
        #expect(F.invalidFields { _ = try five.validated() } == ["cadss.item1"])
        #expect(try five.validated(policy: MonitoringPolicy(cadssItemRange: 0...8)).total == 5)
        #expect(MonitoringPolicy.standard.cadssShortFormItems == [1, 2, 6, 7, 15, 22])
    }

    @Test("clinical-reference §1 [P], §10 — side effects with severity and action are appended with time and who")
    func sideEffects() throws {
        // given
        var session = F.session(in: .infusing)
        let order = UUID(uuidString: "00000000-0000-0000-0000-0000000000B7")!
        let nausea = SideEffect(observedAt: F.at(18), kind: .nausea, severity: .moderate,
                                action: .medicineGiven(name: "Ondansetron", dose: "4 mg IV", standingOrderID: order))
        // when
        try session.apply(.sideEffectObserved(nausea), at: F.at(20), by: F.nurse)
        try session.apply(.sideEffectObserved(SideEffect(observedAt: F.at(21), kind: .other("Tingling lips"), severity: .mild, action: .none)),
                          at: F.at(22), by: F.secondNurse)
        // then
        #expect(session.sideEffects == [SessionEntry(nausea, at: F.at(20), by: F.nurse),
                                        SessionEntry(SideEffect(observedAt: F.at(21), kind: .other("Tingling lips"), severity: .mild, action: .none),
                                                     at: F.at(22), by: F.secondNurse)])
        #expect(F.invalidFields {
            try session.apply(.sideEffectObserved(SideEffect(observedAt: F.at(22), kind: .other(" "), severity: .mild,
                                                             action: .medicineGiven(name: "", dose: "", standingOrderID: nil))), at: F.at(23), by: F.nurse)
        } == ["sideEffect.kind", "sideEffect.medicine", "sideEffect.dose"])
    }

    @Test("clinical-reference §10 — IV site checks, response notes and the preparation are recorded")
    func otherRecords() throws {
        var session = F.session(in: .checkedIn)
        try session.apply(SessionFixture.sample(.preparationRecorded), at: F.at(4), by: F.nurse)
        #expect(session.preparation?.concentrationMicrogramsPerMillilitre == 1_000)
        #expect(F.invalidFields {
            try session.apply(.preparationRecorded(PreparationRecord(vialLot: "", vialStrength: "50 mg/mL", drawn: .zero,
                                                                     finalVolumeMillilitres: 0, concentrationMicrogramsPerMillilitre: 1_000)),
                              at: F.at(4), by: F.nurse)
        } == ["preparation.vialLot", "preparation.drawn", "preparation.finalVolume"])
        try session.apply(.ivSiteChecked(IVSiteCheck(site: "Left forearm", condition: .patent)), at: F.at(5), by: F.nurse)
        try session.apply(.responseNoted("Calm, pain 6/10 before start"), at: F.at(6), by: F.nurse)
        #expect(session.ivSiteChecks.count == 1)
        #expect(session.responseNotes.map(\.value) == ["Calm, pain 6/10 before start"])
        #expect(F.invalidFields { try session.apply(.responseNoted("  "), at: F.at(7), by: F.nurse) } == ["note"])
    }
}
