import Foundation
import Testing
@testable import ClinicCore

@Suite("Recovery scores and the discharge gate (clinical-reference §6)")
struct DischargeScoreTests {
    typealias F = SessionFixture

    static func deviation(_ current: Int, from baseline: Int) -> DeviationFromBaseline {
        DeviationFromBaseline(current: current, baseline: baseline)
    }

    @Test("Aldrete 1995 — circulation: within ±20% = 2, 20–49% = 1, ≥ 50% = 0")
    func aldreteCirculationBoundaries() {
        #expect(ModifiedAldrete.circulationScore(Self.deviation(144, from: 120)) == 2)   // +20%
        #expect(ModifiedAldrete.circulationScore(Self.deviation(96, from: 120)) == 2)    // −20%
        #expect(ModifiedAldrete.circulationScore(Self.deviation(145, from: 120)) == 1)   // +20.8%
        #expect(ModifiedAldrete.circulationScore(Self.deviation(179, from: 120)) == 1)   // +49.2%
        #expect(ModifiedAldrete.circulationScore(Self.deviation(180, from: 120)) == 0)   // +50%
        #expect(ModifiedAldrete.circulationScore(Self.deviation(60, from: 120)) == 0)    // −50%
    }

    @Test("Aldrete 1995 — SpO₂: > 92% on room air = 2; needs O₂ to stay > 90% = 1; < 90% with O₂ = 0")
    func aldreteOxygenBoundaries() {
        #expect(ModifiedAldrete.oxygenScore(spO2: 93, onSupplementalOxygen: false) == 2)
        #expect(ModifiedAldrete.oxygenScore(spO2: 92, onSupplementalOxygen: false) == 1)
        #expect(ModifiedAldrete.oxygenScore(spO2: 98, onSupplementalOxygen: true) == 1)
        #expect(ModifiedAldrete.oxygenScore(spO2: 91, onSupplementalOxygen: true) == 1)
        #expect(ModifiedAldrete.oxygenScore(spO2: 90, onSupplementalOxygen: true) == 0)
        #expect(ModifiedAldrete.oxygenScore(spO2: 89, onSupplementalOxygen: true) == 0)
        #expect(ModifiedAldrete.oxygenScore(spO2: 89, onSupplementalOxygen: false) == 0)
    }

    @Test("Aldrete 1995 — assessed from the session's baseline: the larger of the systolic and diastolic deviations counts")
    func aldreteAssess() throws {
        // given: baseline 120/80; now 140/97 — systolic +16.7%, diastolic +21.3%
        let now = VitalsReading(takenAt: F.at(60), systolic: 140, diastolic: 97, heartRate: 80, oxygenSaturation: 97)
        // when
        let score = try ModifiedAldrete.assess(activity: 2, respiration: 2, consciousness: 2, baseline: F.baseline, current: now,
                                               onSupplementalOxygen: false)
        // then
        #expect(score == ModifiedAldrete(activity: 2, respiration: 2, circulation: 1, consciousness: 2, oxygenSaturation: 2))
        #expect(score.total == 9)
        #expect(score.allowsLeavingChair)
        #expect(F.invalidFields {
            _ = try ModifiedAldrete.assess(activity: 3, respiration: 2, consciousness: 2, baseline: F.baseline,
                                           current: VitalsReading(takenAt: F.at(60), heartRate: 80), onSupplementalOxygen: false)
        } == ["aldrete.activity", "aldrete.bloodPressure", "aldrete.oxygenSaturation"])
    }

    @Test("Aldrete 1995 — a total of 9 allows leaving the chair, 8 does not")
    func aldreteThreshold() {
        #expect(F.aldrete9.total == 9 && F.aldrete9.allowsLeavingChair)
        #expect(F.aldrete8.total == 8 && !F.aldrete8.allowsLeavingChair)
    }

    @Test("Chung PADSS — vital signs: within 20% = 2, 20–40% = 1, > 40% = 0")
    func padssVitalSignsBoundaries() {
        #expect(PADSS.vitalSignsScore(Self.deviation(84, from: 70)) == 2)    // +20%
        #expect(PADSS.vitalSignsScore(Self.deviation(85, from: 70)) == 1)    // +21.4%
        #expect(PADSS.vitalSignsScore(Self.deviation(98, from: 70)) == 1)    // +40%
        #expect(PADSS.vitalSignsScore(Self.deviation(99, from: 70)) == 0)    // +41.4%
        #expect(PADSS.vitalSignsScore(Self.deviation(42, from: 70)) == 1)    // −40%
        #expect(PADSS.vitalSignsScore(Self.deviation(41, from: 70)) == 0)    // −41.4%
    }

    @Test("Chung PADSS — assessed from blood pressure and heart rate against baseline; 9 allows going home, 8 does not")
    func padssAssess() throws {
        // given: baseline 120/80, 70/min; now 126/82 and 99/min — heart rate +41.4%
        let now = VitalsReading(takenAt: F.at(75), systolic: 126, diastolic: 82, heartRate: 99)
        // when
        let score = try PADSS.assess(activityMentalStatus: 2, painNauseaVomiting: 2, ivSiteBleeding: 2, intakeOutput: 2,
                                     baseline: F.baseline, current: now)
        // then
        #expect(score.vitalSigns == 0)
        #expect(score.total == 8)
        #expect(!score.allowsGoingHome)
        #expect(F.padss9.allowsGoingHome)
        #expect(F.invalidFields { _ = try PADSS(vitalSigns: 2, activityMentalStatus: 2, painNauseaVomiting: -1, ivSiteBleeding: 2, intakeOutput: 2).validated() }
                == ["padss.painNauseaVomiting"])
    }

    @Test("Aldrete 1995 — leaving the monitored chair needs the latest Aldrete ≥ 9")
    func leftChairGate() throws {
        // given
        var session = F.session(in: .recovering)
        // when / then
        #expect(F.conflict { try session.apply(.leftChair, at: F.at(56), by: F.nurse) }?.contains("none is recorded") == true)
        try session.apply(.aldreteRecorded(F.aldrete8), at: F.at(60), by: F.nurse)
        #expect(F.conflict { try session.apply(.leftChair, at: F.at(61), by: F.nurse) }?.contains("the latest is 8") == true)
        #expect(session.recoveryPhase == .monitoredChair)
        try session.apply(.aldreteRecorded(F.aldrete9), at: F.at(70), by: F.nurse)
        try session.apply(.leftChair, at: F.at(71), by: F.nurse)
        #expect(session.recoveryPhase == .leftChair)
        #expect(session.leftChair == SessionEntry(F.aldrete9, at: F.at(71), by: F.nurse))
        #expect(session.state == .recovering)
        #expect(F.conflict { try session.apply(.leftChair, at: F.at(72), by: F.nurse) }?.contains("already left") == true)
    }

    @Test("clinical-reference §6 — PADSS is scored only after the patient has left the monitored chair")
    func padssAfterChair() {
        var session = F.session(in: .recovering)
        #expect(F.conflict { try session.apply(.padssRecorded(F.padss9), at: F.at(60), by: F.nurse) }?.contains("left the monitored chair") == true)
    }

    static func outOfChair() throws -> InfusionSession {
        var session = F.session(in: .recovering)
        try session.apply(.aldreteRecorded(F.aldrete10), at: F.at(60), by: F.nurse)
        try session.apply(.leftChair, at: F.at(61), by: F.nurse)
        return session
    }

    @Test("Chung PADSS, clinical-reference §6 — PADSS 8 refuses discharge")
    func padss8Refused() throws {
        var session = try Self.outOfChair()
        try session.apply(.padssRecorded(F.padss8), at: F.at(75), by: F.nurse)
        let message = F.conflict { try session.apply(.discharged(escortName: "Sam Rivera", instructions: F.instructions), at: F.at(76), by: F.nurse) }
        #expect(message?.contains("a PADSS of 9 or more (latest 8)") == true)
        #expect(message?.contains("escort") == false)
        #expect(session.state == .recovering)
    }

    @Test("Chung PADSS, clinical-reference §6 — PADSS 9 without the escort refuses discharge")
    func padss9WithoutEscortRefused() throws {
        var session = try Self.outOfChair()
        try session.apply(.padssRecorded(F.padss9), at: F.at(75), by: F.nurse)
        let message = F.conflict { try session.apply(.discharged(escortName: "  ", instructions: F.instructions), at: F.at(76), by: F.nurse) }
        #expect(message?.contains("the escort confirmed present, by name") == true)
        #expect(message?.contains("a PADSS of 9") == false)
        #expect(session.state == .recovering)
    }

    @Test("Aldrete 1995, Chung PADSS, clinical-reference §6 — Aldrete ≥ 9, then PADSS ≥ 9 and the escort: discharged")
    func bothDischarge() throws {
        var session = try Self.outOfChair()
        try session.apply(.padssRecorded(F.padss9), at: F.at(75), by: F.nurse)
        try session.apply(.discharged(escortName: "Sam Rivera", instructions: F.instructions), at: F.at(76), by: F.nurse)
        #expect(session.state == .discharged)
        #expect(session.discharge?.value.instructions == F.instructions)
    }

    @Test("clinical-reference §6 — a refusal from the monitored chair names everything missing")
    func refusalNamesEverything() {
        var session = F.session(in: .recovering)
        let message = F.conflict { try session.apply(.discharged(escortName: "", instructions: F.instructions), at: F.at(56), by: F.nurse) }
        #expect(message == "The patient cannot be discharged yet; missing: a modified Aldrete score of 9 or more (none recorded); "
                + "the patient leaving the monitored chair; a PADSS of 9 or more (none recorded); the escort confirmed present, by name "
                + "(session is recovering; Aldrete 1995, Chung PADSS, clinical-reference §6).")
    }

    @Test("clinical-reference §6 — an Aldrete below 9 recorded after leaving the chair blocks discharge")
    func laterLowAldreteBlocks() throws {
        var session = try Self.outOfChair()
        try session.apply(.padssRecorded(F.padss9), at: F.at(75), by: F.nurse)
        try session.apply(.aldreteRecorded(F.aldrete8), at: F.at(76), by: F.nurse)
        #expect(F.conflict { try session.apply(.discharged(escortName: "Sam Rivera", instructions: F.instructions), at: F.at(77), by: F.nurse) }?
            .contains("latest 8") == true)
    }

    @Test("clinical-reference §6 [P] — instructions: no driving or machinery for 24 h, released only to a responsible adult")
    func instructions() {
        #expect(F.instructions.lines.contains("Do not drive or operate machinery for 24 hours."))
        #expect(F.instructions.lines.contains("You may leave only with a responsible adult who takes you home."))
        #expect(F.instructions.lines.contains("If you have a concern, call the clinic on 555-0199."))
        #expect(F.invalidFields { _ = try DischargeInstructions(whoToCall: " ", nextAppointment: "", noDrivingOrMachineryHours: 12).validated() }
                == ["instructions.whoToCall", "instructions.noDrivingOrMachineryHours"])
    }
}
