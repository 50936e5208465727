import Foundation
import Testing
@testable import ClinicCore

/// Series spacing between infusion starts — clinical-reference §4: standard induction ≥ 48 h apart [D];
/// CRPS extended outpatient on 10 consecutive weekdays (Schwartzman 2009).
@Suite struct SchedulingSeriesSpacingTests {
    typealias F = SchedulingFixture

    static func standard(_ index: Int) -> SeriesPosition {
        SeriesPosition(id: F.series, index: index, count: 6, minimumSpacingHours: 48)
    }

    @Test func fortySevenHoursAfterTheLastInfusionIsRefused() {
        // given: infusion 1 on Monday 09:00
        let first = F.appointment(1, patient: 1, F.monday, "09:00", series: Self.standard(1))
        // when: Wednesday 08:00 is 47 h later
        let conflicts = F.check(F.appointment(2, patient: 1, F.wednesday, "08:00", series: Self.standard(2)), existing: [first])
        // then
        #expect(conflicts.kinds == ["seriesSpacingTooShort"])
        #expect(conflicts[0].kind == .seriesSpacingTooShort(with: F.appointmentID(1), hoursApart: 47, minimumHours: 48))
        #expect(conflicts[0].reason.contains("47 h"))
    }

    @Test func fortyEightHoursAfterTheLastInfusionIsAllowed() {
        // given
        let first = F.appointment(1, patient: 1, F.monday, "09:00", series: Self.standard(1))
        // when
        let conflicts = F.check(F.appointment(2, patient: 1, F.wednesday, "09:00", series: Self.standard(2)), existing: [first])
        // then
        #expect(conflicts.isEmpty)
    }

    @Test func theNextInfusionOfTheSeriesIsCheckedToo() {
        // given: infusions on Monday and Friday; moving Monday's to Thursday would sit 24 h before Friday's
        let first = F.appointment(1, patient: 1, F.monday, "09:00", series: Self.standard(1))
        let second = F.appointment(2, patient: 1, F.friday, "09:00", series: Self.standard(2))
        var moved = first
        moved.start = F.at(F.thursday, "09:00")
        // when
        let conflicts = F.check(moved, existing: [first, second])
        // then
        #expect(conflicts.kinds == ["seriesSpacingTooShort"])
        #expect(conflicts[0].kind == .seriesSpacingTooShort(with: F.appointmentID(2), hoursApart: 24, minimumHours: 48))
    }

    @Test func aCancelledInfusionDoesNotCountForSpacing() {
        // given
        let cancelled = F.appointment(1, patient: 1, F.monday, "09:00", status: .cancelled, series: Self.standard(1))
        // when
        let conflicts = F.check(F.appointment(2, patient: 1, F.tuesday, "09:00", series: Self.standard(1)), existing: [cancelled])
        // then
        #expect(conflicts.isEmpty)
    }

    @Test func anotherSeriesIsNotSpacedAgainst() {
        // given: another patient's series at the same times
        let other = SeriesPosition(id: AppointmentSeriesID(rawValue: F.uuid(0xE1, 2)), index: 1, count: 6, minimumSpacingHours: 48)
        let first = F.appointment(1, patient: 2, chair: 2, F.monday, "09:00", series: other)
        // when
        let conflicts = F.check(F.appointment(2, patient: 1, F.tuesday, "09:00", series: Self.standard(1)), existing: [first])
        // then
        #expect(conflicts.isEmpty)
    }

    @Test func crpsInfusionsOnConsecutiveWeekdaysAreTwentyFourHoursApart() {
        // given: CRPS extended outpatient, 4 h daily (240 min), 24 h between starts (clinical-reference §4)
        let crps = { (i: Int) in SeriesPosition(id: F.series, index: i, count: 10, minimumSpacingHours: 24) }
        let monday = F.appointment(1, patient: 1, F.monday, "09:00", infusion: 240, series: crps(1))
        // when
        let tuesday = F.check(F.appointment(2, patient: 1, F.tuesday, "09:00", infusion: 240, series: crps(2)), existing: [monday])
        let earlyTuesday = F.check(F.appointment(2, patient: 1, F.tuesday, "08:45", infusion: 240, series: crps(2)), existing: [monday])
        // then
        #expect(tuesday.isEmpty)
        #expect(earlyTuesday.kinds == ["seriesSpacingTooShort"])
    }
}
