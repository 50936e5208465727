import Foundation
import Tagged

/// One nurse's shift.
public enum StaffShiftTag {}

/// A nurse on duty on one date, from `start` to `end` (minutes since local midnight, half-open).
public struct StaffShift: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = Tagged<StaffShiftTag, UUID>
    public var id: ID
    /// The nurse's account.
    public var nurse: User.ID
    /// The local date of the shift.
    public var date: CalendarDate
    /// Start, minutes since midnight.
    public var start: Int
    /// End, minutes since midnight (at most 1440); the nurse is gone from this minute on.
    public var end: Int

    public init(id: ID, nurse: User.ID, date: CalendarDate, start: Int, end: Int) {
        self.id = id
        self.nurse = nurse
        self.date = date
        self.start = start
        self.end = end
    }

    /// Checks that the shift starts before it ends, within one day.
    public func validated() throws -> StaffShift {
        var errors = FieldErrors()
        if !(0...1440).contains(start) || !(0...1440).contains(end) {
            errors.add("shift", "A shift must start and end within the day (00:00–24:00).")
        } else if start >= end {
            errors.add("shift", "A shift must start before it ends.")
        }
        try errors.throwIfAny()
        return self
    }

    /// The shift as instants in the clinic's time zone.
    public func interval(in hours: ClinicHours) -> Range<Date> {
        let from = hours.instant(on: date, minute: start)
        return from ..< max(from, hours.instant(on: date, minute: end))
    }
}
