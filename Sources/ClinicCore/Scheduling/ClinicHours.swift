import Foundation

/// When the clinic is open on one weekday, in minutes since local midnight (half-open: `opens ..< closes`).
public struct OpeningHours: Sendable, Hashable, Codable {
    /// Opening time, minutes since midnight (e.g. 480 = 08:00).
    public var opens: Int
    /// Closing time, minutes since midnight; every chair must be free by then.
    public var closes: Int

    public init(opens: Int, closes: Int) {
        self.opens = opens
        self.closes = closes
    }
}

/// The clinic's opening hours per weekday in its own time zone, and dates it is closed (holidays).
public struct ClinicHours: Sendable, Hashable, Codable {
    /// The clinic's time zone: every minute-of-day and calendar date in scheduling is local to it.
    public var timeZone: TimeZone
    /// Hours per weekday; a weekday that is missing is a closed day.
    public var week: [Weekday: OpeningHours]
    /// Single dates the clinic is closed whatever the weekday (public holidays, training days).
    public var closedDates: Set<CalendarDate>

    public init(timeZone: TimeZone, week: [Weekday: OpeningHours], closedDates: Set<CalendarDate> = []) {
        self.timeZone = timeZone
        self.week = week
        self.closedDates = closedDates
    }

    /// The same hours on each of the given weekdays (a day named twice counts once); the others are closed.
    public static func same(_ hours: OpeningHours, on days: [Weekday], timeZone: TimeZone) -> ClinicHours {
        ClinicHours(timeZone: timeZone, week: Dictionary(days.map { ($0, hours) }, uniquingKeysWith: { first, _ in first }))
    }

    /// The hours on a date, or nil when the clinic is closed that day.
    public func opening(on date: CalendarDate) -> OpeningHours? {
        closedDates.contains(date) ? nil : week[date.weekday]
    }

    /// Checks the hours: each day opens before it closes, within one day (0…1440).
    public func validated() throws -> ClinicHours {
        var errors = FieldErrors()
        for day in Weekday.allCases {
            guard let h = week[day] else { continue }
            if !(0...1440).contains(h.opens) || !(0...1440).contains(h.closes) {
                errors.add("hours.\(day.rawValue)", "Opening and closing times must fall within the day (00:00–24:00).")
            } else if h.opens >= h.closes {
                errors.add("hours.\(day.rawValue)", "The clinic must open before it closes.")
            }
        }
        try errors.throwIfAny()
        return self
    }

    // MARK: Local time

    /// The instant of a local wall-clock time (minutes since midnight) on a date.
    public func instant(on date: CalendarDate, minute: Int) -> Date {
        var components = DateComponents()
        components.year = date.year
        components.month = date.month
        components.day = date.day
        components.hour = 0
        components.minute = minute
        return calendar.date(from: components)!
    }

    /// The local calendar date of an instant.
    public func date(of instant: Date) -> CalendarDate {
        CalendarDate(instant, in: timeZone)
    }

    /// The local wall-clock time of an instant, minutes since midnight.
    public func minuteOfDay(of instant: Date) -> Int {
        let c = calendar.dateComponents([.hour, .minute], from: instant)
        return c.hour! * 60 + c.minute!
    }

    /// "Mon 2026-03-02 10:30", for sentences staff read.
    public func describe(_ instant: Date) -> String {
        let date = date(of: instant)
        return "\(date.weekday.shortName) \(date) \(ClinicHours.clockText(minuteOfDay(of: instant)))"
    }

    /// "10:30" for minutes since midnight.
    public static func clockText(_ minute: Int) -> String {
        let m = ((minute % 1440) + 1440) % 1440
        let hh = minute == 1440 ? 24 : m / 60
        return (hh < 10 ? "0" : "") + "\(hh):" + (m % 60 < 10 ? "0" : "") + "\(m % 60)"
    }

    private var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }
}
