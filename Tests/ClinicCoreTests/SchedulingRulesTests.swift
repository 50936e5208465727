import Foundation
import Tagged
import Testing
@testable import ClinicCore

// MARK: - Fixtures shared by the Scheduling*Tests files

/// Fixed dates, chairs, nurses and hours for the scheduling tests, in America/Denver.
enum SchedulingFixture {
    static let timeZone = TimeZone(identifier: "America/Denver")!
    /// Monday 2026-02-02 (no daylight-saving change in the weeks used here).
    static let monday = CalendarDate(year: 2026, month: 2, day: 2)!
    static let tuesday = monday.adding(days: 1)
    static let wednesday = monday.adding(days: 2)
    static let thursday = monday.adding(days: 3)
    static let friday = monday.adding(days: 4)
    static let saturday = monday.adding(days: 5)

    /// Monday–Friday 08:00–18:00; closed at the weekend.
    static let hours = ClinicHours.same(OpeningHours(opens: 8 * 60, closes: 18 * 60),
                                        on: [.monday, .tuesday, .wednesday, .thursday, .friday], timeZone: timeZone)
    static let policy = SchedulingPolicy.standard

    static func uuid(_ group: UInt8, _ n: Int) -> UUID {
        UUID(uuid: (group, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, UInt8(n / 256), UInt8(n % 256)))
    }
    /// Chair n (1-based), "Chair n".
    static func chairID(_ n: Int) -> Chair.ID { Chair.ID(rawValue: uuid(0xC1, n)) }
    static let chairs = (1...10).map { Chair(id: chairID($0), name: "Chair \($0)") }
    static func patient(_ n: Int) -> Patient.ID { Patient.ID(rawValue: uuid(0xA1, n)) }
    static func nurse(_ n: Int) -> User.ID { User.ID(rawValue: uuid(0xB1, n)) }
    static let scheduler = User.ID(rawValue: uuid(0xB2, 1))
    static func appointmentID(_ n: Int) -> Appointment.ID { Appointment.ID(rawValue: uuid(0xD1, n)) }
    static let series = AppointmentSeriesID(rawValue: uuid(0xE1, 1))
    static let t0 = hours.instant(on: monday.adding(days: -7), minute: 12 * 60)

    /// The instant of "HH:MM" on a date in the clinic's zone.
    static func at(_ date: CalendarDate, _ hhmm: String) -> Date {
        let parts = hhmm.split(separator: ":").map { Int($0)! }
        return hours.instant(on: date, minute: parts[0] * 60 + parts[1])
    }

    /// A nurse's shift, 08:00–18:00 unless given.
    static func shift(_ nurse: Int, on date: CalendarDate, from: Int = 8 * 60, to: Int = 18 * 60) -> StaffShift {
        StaffShift(id: StaffShift.ID(rawValue: uuid(0xF1, nurse * 1000 + date.daysSinceEpoch % 1000)),
                   nurse: SchedulingFixture.nurse(nurse), date: date, start: from, end: to)
    }

    /// `count` nurses on 08:00–18:00 shifts on each date.
    static func shifts(nurses count: Int, on dates: [CalendarDate]) -> [StaffShift] {
        dates.flatMap { date in (1...max(1, count)).prefix(count).map { shift($0, on: date) } }
    }

    /// A booked appointment: 40 min infusion (clinical-reference §4 standard induction) and 60 min recovery (local policy default).
    static func appointment(_ n: Int, patient p: Int? = nil, chair c: Int = 1, _ date: CalendarDate, _ hhmm: String,
                            infusion: Int = 40, recovery: Int = 60, status: AppointmentStatus = .booked,
                            series: SeriesPosition? = nil) -> Appointment {
        Appointment(id: appointmentID(n), patient: patient(p ?? n), chair: chairID(c), start: at(date, hhmm),
                    infusionMinutes: infusion, recoveryMinutes: recovery, status: status, series: series)
    }

    /// `check` with the fixture's hours and policy, and one nurse on Monday–Friday unless given.
    static func check(_ proposed: Appointment, existing: [Appointment] = [],
                      shifts: [StaffShift]? = nil, policy: SchedulingPolicy = policy, chairs: [Chair]? = nil) -> [SchedulingConflict] {
        SchedulingRules.check(proposed: proposed, existing: existing,
                              shifts: shifts ?? SchedulingFixture.shifts(nurses: 1, on: (0..<5).map { monday.adding(days: $0) }),
                              hours: hours, policy: policy, chairs: chairs)
    }
}

extension SchedulingConflict.Kind {
    var name: String {
        switch self {
        case .invalidTimes: "invalidTimes"
        case .chairUnavailable: "chairUnavailable"
        case .clinicClosed: "clinicClosed"
        case .outsideHours: "outsideHours"
        case .chairTaken: "chairTaken"
        case .patientDoubleBooked: "patientDoubleBooked"
        case .noNurseOnShift: "noNurseOnShift"
        case .nurseRatioExceeded: "nurseRatioExceeded"
        case .seriesSpacingTooShort: "seriesSpacingTooShort"
        }
    }
}

extension Array where Element == SchedulingConflict {
    var kinds: [String] { map(\.kind.name) }
}

// MARK: - Chairs, hours and patients

@Suite struct SchedulingChairRulesTests {
    typealias F = SchedulingFixture

    @Test func anAppointmentStartingWhenTheLastOneEndsIsNoConflict() {
        // given: 09:00 + 40 min infusion + 60 min recovery ends at 10:40 (half-open chair time)
        let first = F.appointment(1, F.monday, "09:00")
        // when
        let conflicts = F.check(F.appointment(2, F.monday, "10:40"), existing: [first])
        // then
        #expect(conflicts.isEmpty)
    }

    @Test func overlappingByOneMinuteTakesTheChair() {
        // given
        let first = F.appointment(1, F.monday, "09:00")
        // when
        let conflicts = F.check(F.appointment(2, F.monday, "10:39"), existing: [first])
        // then
        #expect(conflicts.kinds == ["chairTaken"])
        #expect(conflicts[0].kind == .chairTaken(by: F.appointmentID(1)))
        #expect(conflicts[0].reason.contains("10:40"))
    }

    @Test func anAppointmentEndingWhenTheNextStartsIsNoConflict() {
        // given
        let later = F.appointment(1, F.monday, "11:00")
        // when: 09:20 + 100 min ends at 11:00
        let conflicts = F.check(F.appointment(2, F.monday, "09:20"), existing: [later])
        // then
        #expect(conflicts.isEmpty)
    }

    @Test func recoveryTimeBlocksTheChair() {
        // given: infusion 09:00–09:40, recovery until 10:40 (clinical-reference §10: chair time is infusion plus recovery)
        let first = F.appointment(1, F.monday, "09:00")
        // when: the infusion is over but the patient is still recovering
        let conflicts = F.check(F.appointment(2, F.monday, "09:45"), existing: [first])
        // then
        #expect(conflicts.kinds == ["chairTaken"])
        #expect(first.chairTime == F.at(F.monday, "09:00") ..< F.at(F.monday, "10:40"))
    }

    @Test(arguments: [AppointmentStatus.cancelled, .noShow])
    func cancelledOrNoShowFreesTheChair(status: AppointmentStatus) {
        // given
        let gone = F.appointment(1, F.monday, "09:00", status: status)
        // when
        let conflicts = F.check(F.appointment(2, F.monday, "09:00"), existing: [gone])
        // then
        #expect(conflicts.isEmpty)
    }

    @Test func aCompletedAppointmentStillHeldItsChair() {
        // given
        let done = F.appointment(1, F.monday, "09:00", status: .completed)
        // when
        let conflicts = F.check(F.appointment(2, F.monday, "09:30"), existing: [done])
        // then
        #expect(conflicts.kinds == ["chairTaken"])
    }

    @Test func turnoverMinutesBlockTheChairAfterRecoveryWhenConfigured() {
        // given: 15 min turnover (local policy; default 0)
        let policy = SchedulingPolicy(turnoverMinutes: 15)
        let first = F.appointment(1, F.monday, "09:00")
        // when / then
        #expect(F.check(F.appointment(2, F.monday, "10:40"), existing: [first], policy: policy).kinds == ["chairTaken"])
        #expect(F.check(F.appointment(2, F.monday, "10:55"), existing: [first], policy: policy).isEmpty)
    }

    @Test func anotherChairAtTheSameTimeIsFine() {
        // given
        let first = F.appointment(1, chair: 1, F.monday, "09:00")
        // when
        let conflicts = F.check(F.appointment(2, chair: 2, F.monday, "09:00"), existing: [first])
        // then
        #expect(conflicts.isEmpty)
    }

    @Test func anInactiveOrUnknownChairIsRefused() {
        // given
        var chairs = Array(F.chairs.prefix(2))
        chairs[1].isActive = false
        // when / then
        #expect(F.check(F.appointment(1, chair: 2, F.monday, "09:00"), chairs: chairs).kinds == ["chairUnavailable"])
        #expect(F.check(F.appointment(1, chair: 9, F.monday, "09:00"), chairs: chairs).kinds == ["chairUnavailable"])
        #expect(F.check(F.appointment(1, chair: 1, F.monday, "09:00"), chairs: chairs).isEmpty)
    }

    @Test func impossibleDurationsAreRefused() {
        // when / then
        #expect(F.check(F.appointment(1, F.monday, "09:00", infusion: 0)).kinds == ["invalidTimes"])
        #expect(F.check(F.appointment(1, F.monday, "09:00", recovery: -5)).kinds == ["invalidTimes"])
    }
}

@Suite struct SchedulingHoursRulesTests {
    typealias F = SchedulingFixture

    @Test func theWholeChairTimeMustFitOpeningHours() {
        // given: hours 08:00–18:00; chair time 40 + 60 min (clinical-reference §10)
        // when / then
        #expect(F.check(F.appointment(1, F.monday, "08:00")).isEmpty)
        #expect(F.check(F.appointment(1, F.monday, "16:20")).isEmpty)              // ends 18:00 exactly
        let lateNurse = [F.shift(1, on: F.monday, from: 8 * 60, to: 20 * 60)]
        #expect(F.check(F.appointment(1, F.monday, "16:21"), shifts: lateNurse).kinds == ["outsideHours"])  // recovery past closing
        #expect(F.check(F.appointment(1, F.monday, "07:45")).kinds.contains("outsideHours"))
    }

    @Test func theInfusionAloneFittingIsNotEnough() {
        // given: the infusion ends 17:40, recovery would run to 18:40
        let proposed = F.appointment(1, F.monday, "17:00")
        // when
        let conflicts = F.check(proposed)
        // then
        #expect(conflicts.kinds.contains("outsideHours"))
        #expect(conflicts.first { $0.kind == .outsideHours }?.reason.contains("08:00–18:00") == true)
    }

    @Test func closedWeekdaysAndClosedDatesAreRefused() {
        // given
        var hours = F.hours
        hours.closedDates = [F.tuesday]
        // when
        let saturday = SchedulingRules.check(proposed: F.appointment(1, F.saturday, "09:00"), existing: [],
                                             shifts: [F.shift(1, on: F.saturday)], hours: hours, policy: F.policy)
        let holiday = SchedulingRules.check(proposed: F.appointment(1, F.tuesday, "09:00"), existing: [],
                                            shifts: [F.shift(1, on: F.tuesday)], hours: hours, policy: F.policy)
        // then
        #expect(saturday.kinds == ["clinicClosed"])
        #expect(saturday[0].reason == "The clinic is closed on Sat 2026-02-07.")
        #expect(holiday.kinds == ["clinicClosed"])
    }

    @Test func invalidHoursAreRejected() {
        // given
        let hours = ClinicHours.same(OpeningHours(opens: 18 * 60, closes: 8 * 60), on: [.monday], timeZone: F.timeZone)
        // when / then
        #expect(throws: ClinicError.invalid("hours.monday", "The clinic must open before it closes.")) {
            try hours.validated()
        }
    }
}

@Suite struct SchedulingPatientRulesTests {
    typealias F = SchedulingFixture

    @Test func aPatientCannotBeInTwoChairsAtOnce() {
        // given
        let first = F.appointment(1, patient: 7, chair: 1, F.monday, "09:00")
        // when
        let conflicts = F.check(F.appointment(2, patient: 7, chair: 2, F.monday, "10:00"), existing: [first])
        // then
        #expect(conflicts.kinds == ["patientDoubleBooked"])
        #expect(conflicts[0].kind == .patientDoubleBooked(with: F.appointmentID(1)))
    }

    @Test func thePatientLaterTheSameDayIsFine() {
        // given
        let first = F.appointment(1, patient: 7, chair: 1, F.monday, "09:00")
        // when
        let conflicts = F.check(F.appointment(2, patient: 7, chair: 2, F.monday, "10:40"), existing: [first])
        // then
        #expect(conflicts.isEmpty)
    }

    @Test func reschedulingIgnoresTheAppointmentBeingMoved() {
        // given
        let booked = F.appointment(1, patient: 7, F.monday, "09:00")
        var moved = booked
        moved.start = F.at(F.monday, "09:30")
        // when
        let conflicts = F.check(moved, existing: [booked])
        // then
        #expect(conflicts.isEmpty)
    }

    @Test func conflictsBecomeOneClinicConflictError() {
        // given
        let first = F.appointment(1, patient: 7, F.monday, "09:00")
        // when / then
        #expect(throws: ClinicError.self) {
            try SchedulingRules.require(proposed: F.appointment(2, patient: 7, F.monday, "09:00"), existing: [first],
                                        shifts: F.shifts(nurses: 1, on: [F.monday]), hours: F.hours, policy: F.policy)
        }
        #expect(F.check(F.appointment(2, patient: 8, chair: 2, F.monday, "09:00"), existing: [first]).asClinicError == nil)
    }
}
