import Foundation
import Testing
@testable import ClinicCore

/// The day board and week view the scheduling pages render.
@Suite struct SchedulingBoardTests {
    typealias F = SchedulingFixture

    static func row(_ board: DayBoard, _ hhmm: String) -> DayBoard.Row {
        board.rows.first { $0.label == hhmm }!
    }

    @Test func dayBoardCellsShowInfusionRecoveryFreeAndClosed() {
        // given: Monday opens 08:00 while Tuesday opens 07:00, so Monday's 07:xx rows are closed;
        // chair 3 is out of service; one appointment 09:00 (40 min infusion, 60 min recovery)
        var hours = F.hours
        hours.week[.tuesday] = OpeningHours(opens: 7 * 60, closes: 18 * 60)
        var chairs = Array(F.chairs.prefix(3))
        chairs[2].isActive = false
        let booked = F.appointment(1, patient: 7, chair: 1, F.monday, "09:00")
        let cancelled = F.appointment(2, patient: 8, chair: 2, F.monday, "09:00", status: .cancelled)
        // when
        let board = DayBoard.build(date: F.monday, chairs: chairs, appointments: [booked, cancelled],
                                   shifts: F.shifts(nurses: 1, on: [F.monday]), hours: hours, policy: F.policy)
        // then: 07:00–18:00 at 15 minutes (local policy) = 44 rows
        #expect(board.rows.count == 44)
        #expect(board.rows.first?.label == "07:00")
        #expect(Self.row(board, "07:45").cells == [.closed, .closed, .closed])
        #expect(Self.row(board, "08:45").cells == [.free, .free, .closed])
        let start = DayBoard.Cell.appointment(.init(appointment: F.appointmentID(1), patient: F.patient(7), phase: .infusion, isFirstSlot: true))
        #expect(Self.row(board, "09:00").cells == [start, .free, .closed])
        #expect(Self.row(board, "09:30").cells[0]
                == .appointment(.init(appointment: F.appointmentID(1), patient: F.patient(7), phase: .infusion, isFirstSlot: false)))
        #expect(Self.row(board, "09:45").cells[0]
                == .appointment(.init(appointment: F.appointmentID(1), patient: F.patient(7), phase: .recovery, isFirstSlot: false)))
        #expect(Self.row(board, "10:30").cells[0]
                == .appointment(.init(appointment: F.appointmentID(1), patient: F.patient(7), phase: .recovery, isFirstSlot: false)))
        #expect(Self.row(board, "10:45").cells[0] == .free)
        #expect(Self.row(board, "09:00").occupiedChairs == 1)
        #expect(Self.row(board, "09:00").nursesOnShift == 1)
        #expect(Self.row(board, "11:00").occupiedChairs == 0)
    }

    @Test func turnoverShowsAsItsOwnPhase() {
        // given: 15 min turnover (local policy)
        let booked = F.appointment(1, patient: 7, F.monday, "09:00")
        // when
        let board = DayBoard.build(date: F.monday, chairs: [F.chairs[0]], appointments: [booked], shifts: [],
                                   hours: F.hours, policy: SchedulingPolicy(turnoverMinutes: 15))
        // then
        #expect(Self.row(board, "10:45").cells[0]
                == .appointment(.init(appointment: F.appointmentID(1), patient: F.patient(7), phase: .turnover, isFirstSlot: false)))
        #expect(Self.row(board, "11:00").cells[0] == .free)
    }

    @Test func aClosedDayIsAllClosed() {
        // when
        let board = DayBoard.build(date: F.saturday, chairs: Array(F.chairs.prefix(2)), appointments: [], shifts: [],
                                   hours: F.hours, policy: F.policy)
        // then
        #expect(board.opening == nil)
        #expect(!board.rows.isEmpty)
        #expect(board.rows.allSatisfy { $0.cells == [.closed, .closed] })
    }

    @Test func weekViewCountsAppointmentsPerChairAndDay() {
        // given
        let series = SeriesPosition(id: F.series, index: 2, count: 6, minimumSpacingHours: 48)
        let appointments = [
            F.appointment(1, chair: 1, F.monday, "09:00"),
            F.appointment(2, chair: 1, F.monday, "11:00", series: series),
            F.appointment(3, chair: 2, F.monday, "09:00"),
            F.appointment(4, chair: 2, F.wednesday, "13:00"),
            F.appointment(5, chair: 2, F.wednesday, "09:00", status: .cancelled),
        ]
        // when
        let week = WeekView.build(startingOn: F.wednesday.mondayOfWeek, chairs: Array(F.chairs.prefix(2)),
                                  appointments: appointments, shifts: F.shifts(nurses: 2, on: [F.monday]), hours: F.hours)
        // then
        #expect(week.startDate == F.monday)
        #expect(week.days.map(\.weekday) == Weekday.allCases)
        #expect(week.days.map(\.appointmentCount) == [3, 0, 1, 0, 0, 0, 0])
        #expect(week.days[0].chairs.map(\.count) == [2, 1])
        #expect(week.days[0].chairs[0].appointments.map(\.startMinute) == [540, 660])
        #expect(week.days[0].chairs[0].appointments[1].endMinute == 760)
        #expect(week.days[0].chairs[0].appointments[1].seriesLabel == "2/6")
        #expect(week.days[0].nurseCount == 2)
        #expect(week.days[2].chairs.map(\.count) == [0, 1])
        #expect(week.days[5].opening == nil)
    }
}

@Suite struct SchedulingPolicyTests {
    @Test func theDefaultRatioIsClinicalReferenceSection3AndTheRestLocalPolicy() {
        // given / when
        let policy = SchedulingPolicy.standard
        // then: 1 nurse per 4 occupied chairs (clinical-reference §3 [D]); no reference number for the others
        #expect(policy.occupiedChairsPerNurse == 4)
        #expect(SchedulingPolicy.minimumNursesPresent == 1)
        let sources = Dictionary(uniqueKeysWithValues: policy.described.map { ($0.key, $0.source) })
        #expect(sources["occupiedChairsPerNurse"] != .localPolicy)
        #expect(sources["defaultRecoveryMinutes"] == .localPolicy)
        #expect(sources["slotMinutes"] == .localPolicy)
        #expect(sources["turnoverMinutes"] == .localPolicy)
        #expect(sources["planningHorizonDays"] == .localPolicy)
    }

    @Test func outOfRangeSettingsAreRejected() {
        // when / then
        #expect(throws: ClinicError.invalid("occupiedChairsPerNurse", "A nurse must be allowed at least one occupied chair.")) {
            try SchedulingPolicy(occupiedChairsPerNurse: 0).validated()
        }
        #expect(throws: ClinicError.self) { try SchedulingPolicy(slotMinutes: 7).validated() }
        #expect((try? SchedulingPolicy.standard.validated()) == .standard)
    }
}

@Suite struct SchedulingCalendarTests {
    typealias F = SchedulingFixture

    @Test func weekdaysAndLocalTimesInTheClinicsZone() {
        // given / when / then
        #expect(F.monday.weekday == .monday)
        #expect(CalendarDate(year: 1970, month: 1, day: 1)!.weekday == .thursday)
        #expect(F.saturday.mondayOfWeek == F.monday)
        let nine = F.at(F.monday, "09:00")
        #expect(nine == Date(timeIntervalSince1970: TimeInterval(F.monday.daysSinceEpoch * 86_400 + 16 * 3_600)))  // UTC−7
        #expect(F.hours.minuteOfDay(of: nine) == 540)
        #expect(F.hours.date(of: nine) == F.monday)
        #expect(F.hours.describe(nine) == "Mon 2026-02-02 09:00")
    }

    @Test func shiftsMustStartBeforeTheyEnd() {
        // when / then
        #expect(throws: ClinicError.invalid("shift", "A shift must start before it ends.")) {
            try F.shift(1, on: F.monday, from: 12 * 60, to: 8 * 60).validated()
        }
    }
}
