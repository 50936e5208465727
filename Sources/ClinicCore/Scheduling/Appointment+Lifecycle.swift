import Foundation

extension Appointment {
    /// A new booked appointment whose history starts with its booking.
    public static func book(id: ID, patient: Patient.ID, chair: Chair.ID, start: Date, infusionMinutes: Int,
                            recoveryMinutes: Int, series: SeriesPosition? = nil, at: Date, by: User.ID) -> Appointment {
        Appointment(id: id, patient: patient, chair: chair, start: start, infusionMinutes: infusionMinutes,
                    recoveryMinutes: recoveryMinutes, series: series,
                    history: [AppointmentEvent(kind: .booked(chair: chair, start: start), at: at, by: by)])
    }

    /// Moves a booked appointment to a new time and chair, keeping the old ones in `history`.
    /// Check the moved value with `SchedulingRules.check` first (its own id is ignored there).
    public mutating func reschedule(to newStart: Date, chair newChair: Chair.ID, at: Date, by: User.ID, reason: String) throws {
        try requireBooked("reschedule")
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw ClinicError.invalid("reason", "Say why the appointment is moved.") }
        history.append(AppointmentEvent(kind: .rescheduled(fromChair: chair, fromStart: start, toChair: newChair, toStart: newStart),
                                        at: at, by: by, reason: why))
        start = newStart
        chair = newChair
    }

    /// Cancels a booked appointment; the chair is free again.
    public mutating func cancel(at: Date, by: User.ID, reason: String) throws {
        try requireBooked("cancel")
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw ClinicError.invalid("reason", "Say why the appointment is cancelled.") }
        status = .cancelled
        history.append(AppointmentEvent(kind: .cancelled, at: at, by: by, reason: why))
    }

    /// Records that the patient did not come; the chair is free again.
    public mutating func markNoShow(at: Date, by: User.ID) throws {
        try requireBooked("mark as no-show")
        status = .noShow
        history.append(AppointmentEvent(kind: .noShow, at: at, by: by))
    }

    /// Records that the infusion took place.
    public mutating func markCompleted(at: Date, by: User.ID) throws {
        try requireBooked("complete")
        status = .completed
        history.append(AppointmentEvent(kind: .completed, at: at, by: by))
    }

    /// Where the appointment stood before each reschedule, oldest first.
    public var earlierTimes: [(chair: Chair.ID, start: Date)] {
        history.compactMap {
            if case let .rescheduled(fromChair, fromStart, _, _) = $0.kind { return (fromChair, fromStart) }
            return nil
        }
    }

    private func requireBooked(_ action: String) throws {
        guard status == .booked else {
            throw ClinicError.conflict("Only a booked appointment can be changed: cannot \(action) an appointment that is \(status.label).")
        }
    }
}

extension AppointmentStatus {
    /// The word staff read ("no-show").
    public var label: String {
        switch self {
        case .booked: "booked"
        case .cancelled: "cancelled"
        case .noShow: "no-show"
        case .completed: "completed"
        }
    }
}
