import Foundation

/// One date's chairs × time rows at the slot granularity, for the day page.
public struct DayBoard: Sendable, Hashable, Codable {
    public var date: CalendarDate
    /// The day's hours, nil when the clinic is closed.
    public var opening: OpeningHours?
    /// Column headings, in board order.
    public var chairs: [Chair]
    /// One row per slot from the week's earliest opening to its latest closing.
    public var rows: [Row]

    /// One slot of the day.
    public struct Row: Sendable, Hashable, Codable {
        /// Slot start, minutes since midnight.
        public var minute: Int
        /// "09:15".
        public var label: String
        /// One cell per chair, in the order of `DayBoard.chairs`.
        public var cells: [Cell]
        /// Chairs occupied (infusing or recovering) at the slot's start.
        public var occupiedChairs: Int
        /// Nurses on shift at the slot's start.
        public var nursesOnShift: Int
    }

    /// What a chair is doing during one slot.
    public enum Cell: Sendable, Hashable, Codable {
        /// Open and free.
        case free
        /// Outside the day's hours, or the chair is out of service.
        case closed
        /// Held by an appointment during this slot.
        case appointment(AppointmentCell)
    }

    /// An appointment as one board cell shows it.
    public struct AppointmentCell: Sendable, Hashable, Codable {
        public var appointment: Appointment.ID
        public var patient: Patient.ID
        public var phase: Phase
        /// True in the slot where the appointment starts (the page prints its details there).
        public var isFirstSlot: Bool
    }

    /// Which part of the chair time a slot falls in.
    public enum Phase: String, Sendable, Hashable, Codable {
        case infusion, recovery, turnover
    }

    /// Builds the board: a cell shows the appointment whose blocked time overlaps the slot; its phase is the
    /// earliest phase (infusion, then recovery, then turnover) that overlaps the slot.
    public static func build(date: CalendarDate, chairs: [Chair], appointments: [Appointment], shifts: [StaffShift],
                             hours: ClinicHours, policy: SchedulingPolicy) -> DayBoard {
        let slot = max(5, policy.slotMinutes)
        let opening = hours.opening(on: date)
        let span = hours.week.values
        let from = (span.map(\.opens).min() ?? opening?.opens ?? 480) / slot * slot
        let to = max(span.map(\.closes).max() ?? 0, opening?.closes ?? 0, from)
        let dayAppointments = appointments.filter { $0.holdsChair }
        let cover = shifts.filter { $0.date == date }.map { (nurse: $0.nurse, interval: $0.interval(in: hours)) }

        let rows = stride(from: from, to: to, by: slot).map { minute -> Row in
            let slotRange = hours.instant(on: date, minute: minute) ..< hours.instant(on: date, minute: minute + slot)
            let isOpen = opening.map { minute >= $0.opens && minute + slot <= $0.closes } ?? false
            let cells = chairs.map { chair -> Cell in
                if let a = dayAppointments.first(where: {
                    $0.chair == chair.id && $0.chairBlocked(turnoverMinutes: policy.turnoverMinutes).overlaps(slotRange)
                }) {
                    let phase: Phase = (a.start ..< max(a.start, a.infusionEnd)).overlaps(slotRange) ? .infusion
                        : (a.infusionEnd ..< max(a.infusionEnd, a.end)).overlaps(slotRange) ? .recovery : .turnover
                    return .appointment(AppointmentCell(appointment: a.id, patient: a.patient, phase: phase,
                                                        isFirstSlot: slotRange.contains(a.start)))
                }
                return isOpen && chair.isActive ? .free : .closed
            }
            let occupied = dayAppointments.filter { $0.chairTime.contains(slotRange.lowerBound) }.count
            return Row(minute: minute, label: ClinicHours.clockText(minute), cells: cells, occupiedChairs: occupied,
                       nursesOnShift: SchedulingRules.nursesOnShift(at: slotRange.lowerBound, shifts: cover))
        }
        return DayBoard(date: date, opening: opening, chairs: chairs, rows: rows)
    }
}
