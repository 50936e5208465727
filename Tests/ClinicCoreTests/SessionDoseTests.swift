import Foundation
import Testing
@testable import ClinicCore

@Suite("Infusion session rate history and delivered dose (clinical-reference §4)")
struct SessionDoseTests {
    typealias F = SessionFixture

    /// Ready at 5 min; then the events at the given minutes.
    static func session(_ events: [(Double, SessionEvent)]) throws -> InfusionSession {
        var session = F.session(in: .ready)
        for (minute, event) in events { try session.apply(event, at: F.at(minute), by: F.nurse) }
        return session
    }

    static func rate(_ mgPerHour: Int64) -> DoseRate { DoseRate(microgramsPerHour: mgPerHour * 1_000) }

    /// Worked by hand (clinical-reference §4: delivered dose = ∫ rate dt, exact µg):
    ///   10:00–20:00 at 30 mg/h: 30,000 µg/h × 600,000 ms / 3,600,000 = 5,000 µg
    ///   20:00–35:00 at 45 mg/h: 45,000 × 900,000 / 3,600,000          = 11,250 µg
    ///   35:00–40:00 paused                                            = 0 µg
    ///   40:00–50:00 at 45 mg/h: 45,000 × 600,000 / 3,600,000          = 7,500 µg
    ///   50:00–62:30 at 20 mg/h: 20,000 × 750,000 / 3,600,000 = 4,166.67 → 4,167 µg (half up, once per segment)
    ///   total 27,917 µg; pump running 10 + 15 + 10 + 12.5 = 47.5 min.
    static func workedSession() throws -> InfusionSession {
        try session([
            (10, .started(rate: rate(30))),
            (20, .rateChanged(to: rate(45), reason: "Pain unchanged at 10 min", confirmedBy: nil)),
            (35, .paused(reason: "Nausea")),
            (40, .resumed),
            (50, .rateChanged(to: rate(20), reason: "Dissociation, patient uneasy", confirmedBy: nil)),
            (62.5, .infusionCompleted),
        ])
    }

    @Test("clinical-reference §4 — delivered dose of a session with two rate changes and a pause, to the µg")
    func handWorkedDose() throws {
        // given
        let session = try Self.workedSession()
        // when
        let segments = session.rateSegments(until: F.at(120))
        // then
        #expect(segments == [
            RateSegment(start: F.at(10), end: F.at(20), rate: Self.rate(30)),
            RateSegment(start: F.at(20), end: F.at(35), rate: Self.rate(45)),
            RateSegment(start: F.at(40), end: F.at(50), rate: Self.rate(45)),
            RateSegment(start: F.at(50), end: F.at(62.5), rate: Self.rate(20)),
        ])
        #expect(segments.map(\.delivered.micrograms) == [5_000, 11_250, 7_500, 4_167])
        #expect(session.deliveredDose(until: F.at(120)) == DrugAmount(micrograms: 27_917))
        #expect(session.elapsedInfusionTime(until: F.at(120)) == 47.5 * 60)
        #expect(session.infusionStartedAt == F.at(10))
        #expect(session.infusionEndedAt == F.at(62.5))
        #expect(session.state == .recovering)
    }

    @Test("clinical-reference §4 — the dose up to a moment cuts the open segment there")
    func doseUntilMidSegment() throws {
        // given
        let session = try Self.workedSession()
        // when / then: 5,000 + 11,250 + 45,000 × 300,000 / 3,600,000 (3,750) = 20,000 µg; 30 min running
        #expect(session.deliveredDose(until: F.at(45)) == DrugAmount(micrograms: 20_000))
        #expect(session.elapsedInfusionTime(until: F.at(45)) == 30 * 60)
        // During the pause nothing is added.
        #expect(session.deliveredDose(until: F.at(37)) == DrugAmount(micrograms: 16_250))
        #expect(session.deliveredDose(until: F.at(10)) == .zero)
    }

    @Test("brief — each segment is rounded half up once, in exact integer arithmetic")
    func roundingHalfUp() throws {
        // given: 1 µg/h for exactly 30 min is 0.5 µg
        let half = try Self.session([(10, .started(rate: DoseRate(microgramsPerHour: 1))), (40, .infusionCompleted)])
        // given: 1 µg/h for 29 min 59.999 s is just under 0.5 µg
        var under = F.session(in: .ready)
        try under.apply(.started(rate: DoseRate(microgramsPerHour: 1)), at: F.at(10), by: F.nurse)
        try under.apply(.infusionCompleted, at: F.at(40).addingTimeInterval(-0.001), by: F.nurse)
        // when / then
        #expect(half.deliveredDose(until: F.at(60)) == DrugAmount(micrograms: 1))
        #expect(under.deliveredDose(until: F.at(60)) == .zero)
    }

    @Test("brief — a very long, fast infusion does not overflow")
    func noOverflow() throws {
        // 2,000 mg/h for 10 h: 20,000,000 µg, with 36,000,000 ms × 2,000,000 µg/h = 7.2e13 inside Int64.
        let session = try Self.session([(10, .started(rate: Self.rate(2_000))), (610, .infusionCompleted)])
        #expect(session.deliveredDose(until: F.at(700)) == DrugAmount(micrograms: 20_000_000))
    }

    @Test("brief — a rate changed while paused applies from the resume")
    func rateChangedWhilePaused() throws {
        // 10–20 at 30 mg/h = 5,000; paused 20–30 and set to 60 mg/h; 30–40 at 60 mg/h = 10,000
        let session = try Self.session([
            (10, .started(rate: Self.rate(30))), (20, .paused(reason: "Anxiety")),
            (25, .rateChanged(to: Self.rate(60), reason: "Resume higher once settled", confirmedBy: F.physician)),
            (30, .resumed), (40, .infusionCompleted),
        ])
        #expect(session.rateSegments(until: F.at(60)).map(\.rate) == [Self.rate(30), Self.rate(60)])
        #expect(session.deliveredDose(until: F.at(60)) == DrugAmount(micrograms: 15_000))
    }

    @Test("clinical-reference §4 — a documented deviation is recorded, flagged and never refused, and not integrated")
    func deviationNeverRefused() throws {
        // given
        var session = try Self.workedSession()
        let before = session.deliveredDose(until: F.at(120))
        // when
        try session.apply(.deviationDocumented(PumpDeviation(occurredAt: F.at(63), whatHappened: "Pump ran 6 min past its stop at 999 mL/h",
                                                               pumpReading: "Volume infused 140 mL")), at: F.at(70), by: F.nurse)
        // then
        #expect(session.deviations.count == 1)
        #expect(session.deviationsFlaggedForReview.count == 1)
        #expect(session.deviations[0].value.flaggedForReview)
        #expect(session.deliveredDose(until: F.at(120)) == before)
        #expect(F.invalidFields {
            try session.apply(.deviationDocumented(PumpDeviation(occurredAt: F.at(63), whatHappened: " ", pumpReading: "")), at: F.at(71), by: F.nurse)
        } == ["deviation.whatHappened"])
    }
}
