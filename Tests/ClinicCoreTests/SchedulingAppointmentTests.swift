import Foundation
import Testing
@testable import ClinicCore

/// An appointment's life: booked, rescheduled with history, cancelled, no-show, completed.
@Suite struct SchedulingAppointmentTests {
    typealias F = SchedulingFixture

    static func booked() -> Appointment {
        .book(id: F.appointmentID(1), patient: F.patient(1), chair: F.chairID(1), start: F.at(F.monday, "09:00"),
              infusionMinutes: 40, recoveryMinutes: 60, at: F.t0, by: F.scheduler)
    }

    @Test func chairTimeIsInfusionPlusRecovery() {
        // given: clinical-reference §10 — budget chair time for the infusion plus recovery
        let appointment = Self.booked()
        // then
        #expect(appointment.infusionEnd == F.at(F.monday, "09:40"))
        #expect(appointment.end == F.at(F.monday, "10:40"))
        #expect(appointment.history.map(\.kind) == [.booked(chair: F.chairID(1), start: F.at(F.monday, "09:00"))])
    }

    @Test func rescheduleKeepsTheEarlierTimeInHistory() throws {
        // given
        var appointment = Self.booked()
        // when
        try appointment.reschedule(to: F.at(F.tuesday, "10:00"), chair: F.chairID(2), at: F.t0, by: F.scheduler, reason: "Patient asked")
        try appointment.reschedule(to: F.at(F.tuesday, "11:00"), chair: F.chairID(2), at: F.t0, by: F.scheduler, reason: "Driver late")
        // then
        #expect(appointment.start == F.at(F.tuesday, "11:00"))
        #expect(appointment.chair == F.chairID(2))
        #expect(appointment.history.count == 3)
        #expect(appointment.earlierTimes.map(\.start) == [F.at(F.monday, "09:00"), F.at(F.tuesday, "10:00")])
        #expect(appointment.history.last?.reason == "Driver late")
    }

    @Test func aRescheduleNeedsAReason() {
        // given
        var appointment = Self.booked()
        // when / then
        #expect(throws: ClinicError.invalid("reason", "Say why the appointment is moved.")) {
            try appointment.reschedule(to: F.at(F.tuesday, "10:00"), chair: F.chairID(1), at: F.t0, by: F.scheduler, reason: "  ")
        }
    }

    @Test func onlyABookedAppointmentChanges() throws {
        // given
        var appointment = Self.booked()
        try appointment.cancel(at: F.t0, by: F.scheduler, reason: "Unwell")
        // when / then
        #expect(appointment.status == .cancelled)
        #expect(!appointment.holdsChair)
        #expect(throws: ClinicError.self) { try appointment.markCompleted(at: F.t0, by: F.scheduler) }
        #expect(throws: ClinicError.self) {
            try appointment.reschedule(to: F.at(F.tuesday, "10:00"), chair: F.chairID(1), at: F.t0, by: F.scheduler, reason: "x")
        }
    }

    @Test func noShowFreesTheChairAndCompletedKeepsIt() throws {
        // given
        var missed = Self.booked()
        var done = Self.booked()
        // when
        try missed.markNoShow(at: F.t0, by: F.scheduler)
        try done.markCompleted(at: F.t0, by: F.scheduler)
        // then
        #expect(!missed.holdsChair)
        #expect(done.holdsChair)
        #expect(done.history.last?.kind == .completed)
    }

    @Test func anAppointmentRoundTripsThroughJSON() throws {
        // given
        var appointment = Self.booked()
        appointment.series = SeriesPosition(id: F.series, index: 1, count: 6, minimumSpacingHours: 48)
        try appointment.reschedule(to: F.at(F.tuesday, "10:00"), chair: F.chairID(2), at: F.t0, by: F.scheduler, reason: "Moved")
        // when
        let decoded = try JSONDecoder().decode(Appointment.self, from: JSONEncoder().encode(appointment))
        // then
        #expect(decoded == appointment)
        let hours = try JSONDecoder().decode(ClinicHours.self, from: JSONEncoder().encode(F.hours))
        #expect(hours == F.hours)
    }
}
