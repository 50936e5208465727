import Foundation
import Testing
@testable import ClinicCore

@Suite struct DosingDeliveredDoseTests {
    typealias F = DosingFixture

    /// 10 min at 52.5 mg/h, a 5-min pause (the rate set to 40 mg/h during it), 20 min at 40 mg/h, 10 min at 52.5 mg/h.
    static let session: [PumpEvent] = [
        PumpEvent(at: F.minutes(0), .started(F.mgPerHour(52_500))),
        PumpEvent(at: F.minutes(10), .paused),
        PumpEvent(at: F.minutes(12), .rateChanged(F.mgPerHour(40_000))),
        PumpEvent(at: F.minutes(15), .resumed),
        PumpEvent(at: F.minutes(35), .rateChanged(F.mgPerHour(52_500))),
        PumpEvent(at: F.minutes(45), .stopped),
    ]

    @Test func deliveredDoseIsTheIntegralOfTheRateWorkedToTheMicrogram() throws {
        // clinical-reference §4: delivered dose = ∫ rate dt
        //   52 500 µg/h × 600 000 ms   = 31 500 000 000 µg·ms/h  (8 750 µg)
        //   paused 5 min                =              0
        //   40 000 µg/h × 1 200 000 ms = 48 000 000 000 µg·ms/h  (13 333.333… µg)
        //   52 500 µg/h × 600 000 ms   = 31 500 000 000 µg·ms/h  (8 750 µg)
        //   sum 111 000 000 000 / 3 600 000 ms/h = 30 833.333… µg → 30 833 µg (half up, once)
        #expect(try DeliveredDose.total(of: Self.session) == F.mg(30_833))
        #expect(try DeliveredDose.total(of: Self.session).description == "30.8 mg")
    }

    @Test func theEventListAndItsIntervalsGiveTheSameTotal() throws {
        // given the same session written as rate intervals
        let intervals = [
            RateInterval(start: F.minutes(0), end: F.minutes(10), rate: F.mgPerHour(52_500)),
            RateInterval(start: F.minutes(15), end: F.minutes(35), rate: F.mgPerHour(40_000)),
            RateInterval(start: F.minutes(35), end: F.minutes(45), rate: F.mgPerHour(52_500)),
        ]
        // then the event list reads back as those intervals, and both total 30 833 µg
        #expect(try DeliveredDose.intervals(from: Self.session) == intervals)
        #expect(try DeliveredDose.total(of: intervals) == F.mg(30_833))
    }

    @Test func aRunningInfusionIsCountedUpToNow() throws {
        // 52.5 mg/h for 30 min = 26.25 mg = 26 250 µg
        let events = [PumpEvent(at: F.t0, .started(F.mgPerHour(52_500)))]
        #expect(try DeliveredDose.total(of: events, until: F.minutes(30)) == F.mg(26_250))
        #expect(F.invalidFields { _ = try DeliveredDose.total(of: events) } == ["until"])
    }

    @Test func roundingIsHalfUpToTheMicrogram() throws {
        // 1 mg/h for 1.8 s = 1 000 µg/h × 1 800 ms / 3 600 000 = 0.5 µg → 1 µg; for 1.799 s = 0.4997 µg → 0 µg
        let half = RateInterval(start: F.t0, end: F.t0.addingTimeInterval(1.8), rate: F.mgPerHour(1_000))
        let less = RateInterval(start: F.t0, end: F.t0.addingTimeInterval(1.799), rate: F.mgPerHour(1_000))
        #expect(try DeliveredDose.total(of: [half]) == F.mg(1))
        #expect(try DeliveredDose.total(of: [less]) == .zero)
    }

    @Test func eventsThatCannotFollowEachOtherAreNamed() {
        // a resume without a pause, then an event earlier than the one before it
        let events = [
            PumpEvent(at: F.minutes(0), .started(F.mgPerHour(52_500))),
            PumpEvent(at: F.minutes(5), .resumed),
            PumpEvent(at: F.minutes(4), .stopped),
            PumpEvent(at: F.minutes(6), .stopped),
        ]
        #expect(throws: ClinicError.invalid([FieldError("events[1]", "a resume cannot follow a running infusion"),
                                             FieldError("events[2].at", "the event is earlier than the one before it")])) {
            try DeliveredDose.total(of: events)
        }
        #expect(F.invalidFields { _ = try DeliveredDose.total(of: [PumpEvent(at: F.t0, .paused)]) } == ["events[0]"])
    }

    @Test func overlappingOrBackwardIntervalsAreNamed() {
        let intervals = [
            RateInterval(start: F.minutes(0), end: F.minutes(10), rate: F.mgPerHour(52_500)),
            RateInterval(start: F.minutes(5), end: F.minutes(15), rate: F.mgPerHour(52_500)),
            RateInterval(start: F.minutes(30), end: F.minutes(20), rate: F.mgPerHour(-1)),
        ]
        #expect(F.invalidFields { _ = try DeliveredDose.total(of: intervals) }
                == ["intervals[1].start", "intervals[2].end", "intervals[2].rate"])
    }

    @Test func aStopWhilePausedEndsTheInfusionWithoutMoreDrug() throws {
        // 52.5 mg/h for 20 min = 17.5 mg, then paused and stopped
        let events = [PumpEvent(at: F.minutes(0), .started(F.mgPerHour(52_500))), PumpEvent(at: F.minutes(20), .paused),
                      PumpEvent(at: F.minutes(30), .stopped)]
        #expect(try DeliveredDose.total(of: events, until: F.minutes(90)) == F.mg(17_500))
    }
}
