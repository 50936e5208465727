import Foundation

/// Why a proposed appointment cannot be booked as it stands, with a sentence staff can act on.
public struct SchedulingConflict: Sendable, Hashable, Codable {
    public var kind: Kind
    /// A whole sentence for staff ("Chair 3 is taken …").
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    /// Which rule refused the slot.
    public enum Kind: Sendable, Hashable, Codable {
        /// Infusion or recovery minutes out of range.
        case invalidTimes
        /// The chair is unknown or out of service.
        case chairUnavailable
        /// The clinic is closed that day.
        case clinicClosed
        /// Chair time (infusion plus recovery) does not fit inside the day's opening hours.
        case outsideHours
        /// Another appointment holds the chair (its chair time plus turnover overlaps).
        case chairTaken(by: Appointment.ID)
        /// The patient already has an appointment at an overlapping time.
        case patientDoubleBooked(with: Appointment.ID)
        /// No nurse on shift at a moment a chair would be occupied (clinical-reference §3 [D]: never 0 present).
        case noNurseOnShift(at: Date)
        /// More occupied chairs than the nurses on shift may cover (clinical-reference §3 [D]: 1 nurse per 4).
        case nurseRatioExceeded(at: Date, occupiedChairs: Int, nursesOnShift: Int)
        /// Infusion starts of one series closer than the protocol's minimum spacing (clinical-reference §4).
        case seriesSpacingTooShort(with: Appointment.ID, hoursApart: Double, minimumHours: Int)
    }
}

extension Array where Element == SchedulingConflict {
    /// The conflicts as one `ClinicError.conflict` (HTTP 409), or nil when there are none.
    public var asClinicError: ClinicError? {
        isEmpty ? nil : .conflict(map(\.reason).joined(separator: " "))
    }
}
