import Foundation

/// Seven days × chairs: how many appointments each chair holds each day, and which.
public struct WeekView: Sendable, Hashable, Codable {
    /// The first day shown.
    public var startDate: CalendarDate
    /// Column headings, in board order.
    public var chairs: [Chair]
    /// Seven days from `startDate`.
    public var days: [Day]

    /// One day of the week.
    public struct Day: Sendable, Hashable, Codable {
        public var date: CalendarDate
        public var weekday: Weekday
        /// The day's hours, nil when closed.
        public var opening: OpeningHours?
        /// One entry per chair, in the order of `WeekView.chairs`.
        public var chairs: [ChairDay]
        /// Appointments holding a chair that day (booked or completed).
        public var appointmentCount: Int
        /// Distinct nurses with a shift that day.
        public var nurseCount: Int
    }

    /// One chair on one day.
    public struct ChairDay: Sendable, Hashable, Codable {
        public var chair: Chair.ID
        /// Booked or completed appointments starting that day in this chair, by start time.
        public var appointments: [Entry]
        public var count: Int { appointments.count }
    }

    /// An appointment as the week view lists it.
    public struct Entry: Sendable, Hashable, Codable {
        public var appointment: Appointment.ID
        public var patient: Patient.ID
        /// Start, minutes since midnight.
        public var startMinute: Int
        /// End of recovery, minutes since midnight.
        public var endMinute: Int
        /// "3/6" within its series, if any.
        public var seriesLabel: String?
    }

    /// Builds the seven days from `startDate` (pass `date.mondayOfWeek` for a Monday-first week).
    public static func build(startingOn startDate: CalendarDate, chairs: [Chair], appointments: [Appointment],
                             shifts: [StaffShift], hours: ClinicHours) -> WeekView {
        let holding = appointments.filter(\.holdsChair).sorted { $0.start < $1.start }
        let byDate = Dictionary(grouping: holding) { hours.date(of: $0.start) }
        let days = (0..<7).map { offset -> Day in
            let date = startDate.adding(days: offset)
            let todays = byDate[date] ?? []
            let perChair = chairs.map { chair in
                ChairDay(chair: chair.id, appointments: todays.filter { $0.chair == chair.id }.map { a in
                    Entry(appointment: a.id, patient: a.patient, startMinute: hours.minuteOfDay(of: a.start),
                          endMinute: hours.date(of: a.end) == date ? hours.minuteOfDay(of: a.end) : 1440,
                          seriesLabel: a.series.map { "\($0.index)/\($0.count)" })
                })
            }
            return Day(date: date, weekday: date.weekday, opening: hours.opening(on: date), chairs: perChair,
                       appointmentCount: todays.count,
                       nurseCount: Set(shifts.filter { $0.date == date }.map(\.nurse)).count)
        }
        return WeekView(startDate: startDate, chairs: chairs, days: days)
    }
}
