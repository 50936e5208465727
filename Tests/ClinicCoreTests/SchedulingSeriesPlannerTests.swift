import Foundation
import Testing
@testable import ClinicCore

/// The series planner: each proposed slot passes every booking rule (clinical-reference §3, §4, §10).
@Suite struct SchedulingSeriesPlannerTests {
    typealias F = SchedulingFixture

    static let weekdaysAndSaturday = ClinicHours.same(OpeningHours(opens: 8 * 60, closes: 18 * 60),
                                                      on: [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday],
                                                      timeZone: F.timeZone)

    /// Nurses on every day of the next `days` days.
    static func shifts(nurses: Int = 1, days: Int = 30) -> [StaffShift] {
        F.shifts(nurses: nurses, on: (0..<days).map { F.monday.adding(days: $0) })
    }

    static func recheck(_ proposal: SeriesProposal, patient: Int, spacing: Int, existing: [Appointment],
                        shifts: [StaffShift], hours: ClinicHours, chairs: [Chair]) -> [[SchedulingConflict]] {
        var booked = existing
        return proposal.slots.map { slot in
            let appointment = slot.appointment(id: F.appointmentID(1000 + slot.index), patient: F.patient(patient), series: F.series,
                                               count: proposal.slots.count + proposal.unplaced.count,
                                               minimumSpacingHours: spacing, at: F.t0, by: F.scheduler)
            let conflicts = SchedulingRules.check(proposed: appointment, existing: booked, shifts: shifts, hours: hours,
                                                  policy: F.policy, chairs: chairs)
            booked.append(appointment)
            return conflicts
        }
    }

    @Test func sixStandardInductionInfusionsOnWeekdaysAtLeast48HoursApartAroundExistingBookings() throws {
        // given: standard induction — 6 infusions ≥ 48 h apart [D], 40 min (clinical-reference §4) + 60 min recovery (local policy);
        // the clinic is open on Saturday but the series is weekdays only; both chairs are taken Wednesday 09:00–10:40
        let chairs = Array(F.chairs.prefix(2))
        let existing = [F.appointment(1, chair: 1, F.wednesday, "09:00"), F.appointment(2, chair: 2, F.wednesday, "09:00")]
        let shifts = Self.shifts()
        // when
        let proposal = try SeriesPlanner.propose(
            patient: F.patient(50), count: 6, infusionMinutes: 40, recoveryMinutes: 60, minimumSpacingHours: 48,
            earliestStart: F.at(F.monday, "08:00"), preferredTimeOfDay: 9 * 60, weekdaysOnly: true,
            existing: existing, chairs: chairs, shifts: shifts, hours: Self.weekdaysAndSaturday, policy: F.policy)
        // then
        #expect(proposal.isComplete)
        #expect(proposal.slots.map(\.index) == [1, 2, 3, 4, 5, 6])
        #expect(proposal.slots.map(\.date) == [F.monday, F.wednesday, F.friday, F.monday.adding(days: 7),
                                               F.monday.adding(days: 9), F.monday.adding(days: 11)])
        #expect(proposal.slots.map { ClinicHours.clockText($0.startMinute) } == ["09:00", "10:45", "10:45", "09:00", "09:00", "09:00"])
        #expect(proposal.slots.allSatisfy { !$0.date.weekday.isWeekend })
        for (a, b) in zip(proposal.slots, proposal.slots.dropFirst()) {
            #expect(b.start.timeIntervalSince(a.start) >= 48 * 3600)
        }
        #expect(Self.recheck(proposal, patient: 50, spacing: 48, existing: existing, shifts: shifts,
                             hours: Self.weekdaysAndSaturday, chairs: chairs).allSatisfy { $0.isEmpty })
    }

    @Test func theSameChairIsPreferredThroughTheSeries() throws {
        // given: chair 1 is busy Monday 09:00, so the series starts in chair 2 and stays there
        let existing = [F.appointment(1, chair: 1, F.monday, "09:00")]
        // when
        let proposal = try SeriesPlanner.propose(
            patient: F.patient(50), count: 3, infusionMinutes: 40, recoveryMinutes: 60, minimumSpacingHours: 48,
            earliestStart: F.at(F.monday, "08:00"), preferredTimeOfDay: 9 * 60, weekdaysOnly: true,
            existing: existing, chairs: Array(F.chairs.prefix(3)), shifts: Self.shifts(), hours: F.hours, policy: F.policy)
        // then
        #expect(proposal.slots.map(\.chair) == [F.chairID(2), F.chairID(2), F.chairID(2)])
        #expect(proposal.slots.map(\.startMinute) == [540, 540, 540])
    }

    @Test func aCrpsSeriesTakesTenConsecutiveWeekdays() throws {
        // given: CRPS extended outpatient — 4 h daily on 10 consecutive weekdays (clinical-reference §4, Schwartzman 2009)
        let shifts = Self.shifts()
        // when
        let proposal = try SeriesPlanner.propose(
            patient: F.patient(60), count: 10, infusionMinutes: 240, recoveryMinutes: 60, minimumSpacingHours: 24,
            earliestStart: F.at(F.monday, "07:00"), preferredTimeOfDay: 9 * 60, weekdaysOnly: true,
            existing: [], chairs: Array(F.chairs.prefix(2)), shifts: shifts, hours: F.hours, policy: F.policy)
        // then
        let weekdays = [0, 1, 2, 3, 4, 7, 8, 9, 10, 11].map { F.monday.adding(days: $0) }
        #expect(proposal.isComplete)
        #expect(proposal.slots.map(\.date) == weekdays)
        #expect(proposal.slots.allSatisfy { $0.startMinute == 9 * 60 && $0.chair == F.chairID(1) })
        #expect(Self.recheck(proposal, patient: 60, spacing: 24, existing: [], shifts: shifts, hours: F.hours,
                             chairs: Array(F.chairs.prefix(2))).allSatisfy { $0.isEmpty })
    }

    @Test func withoutAPreferredTimeTheEarliestStartIsTaken() throws {
        // when
        let proposal = try SeriesPlanner.propose(
            patient: F.patient(50), count: 1, infusionMinutes: 40, recoveryMinutes: 60, minimumSpacingHours: 0,
            earliestStart: F.at(F.monday, "10:07"), preferredTimeOfDay: nil, weekdaysOnly: false,
            existing: [], chairs: F.chairs, shifts: Self.shifts(), hours: F.hours, policy: F.policy)
        // then: the next 15-minute slot (local policy)
        #expect(proposal.slots.map { ClinicHours.clockText($0.startMinute) } == ["10:15"])
    }

    @Test func whatCannotBePlacedIsReturnedWithAReason() throws {
        // given: nurses only in the first week, a 7-day horizon (local policy)
        let policy = SchedulingPolicy(planningHorizonDays: 7)
        let shifts = F.shifts(nurses: 1, on: (0..<5).map { F.monday.adding(days: $0) })
        // when
        let proposal = try SeriesPlanner.propose(
            patient: F.patient(50), count: 6, infusionMinutes: 40, recoveryMinutes: 60, minimumSpacingHours: 48,
            earliestStart: F.at(F.monday, "08:00"), preferredTimeOfDay: 9 * 60, weekdaysOnly: true,
            existing: [], chairs: F.chairs, shifts: shifts, hours: F.hours, policy: policy)
        // then
        #expect(!proposal.isComplete)
        #expect(proposal.slots.map(\.date) == [F.monday, F.wednesday, F.friday])
        #expect(proposal.unplaced == [4, 5, 6])
        #expect(proposal.reason?.contains("infusion 4 of 6") == true)
    }

    @Test func inactiveChairsAreNeverProposed() throws {
        // given
        var chairs = Array(F.chairs.prefix(2))
        chairs[0].isActive = false
        // when
        let proposal = try SeriesPlanner.propose(
            patient: F.patient(50), count: 2, infusionMinutes: 40, recoveryMinutes: 60, minimumSpacingHours: 48,
            earliestStart: F.at(F.monday, "08:00"), preferredTimeOfDay: 9 * 60, weekdaysOnly: true,
            existing: [], chairs: chairs, shifts: Self.shifts(), hours: F.hours, policy: F.policy)
        // then
        #expect(proposal.slots.map(\.chair) == [F.chairID(2), F.chairID(2)])
    }

    @Test func outOfRangeInputsAreRejected() {
        // when / then
        #expect(throws: ClinicError.self) {
            try SeriesPlanner.propose(
                patient: F.patient(50), count: 0, infusionMinutes: 0, recoveryMinutes: -1, minimumSpacingHours: 48,
                earliestStart: F.t0, preferredTimeOfDay: 9 * 60, weekdaysOnly: true,
                existing: [], chairs: F.chairs, shifts: [], hours: F.hours, policy: F.policy)
        }
    }
}
