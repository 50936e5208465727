import Foundation

/// A day of the week, Monday first, as the clinic's week is laid out.
public enum Weekday: String, Sendable, Hashable, Codable, CaseIterable, CodingKeyRepresentable, Comparable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// True for Saturday and Sunday.
    public var isWeekend: Bool { self == .saturday || self == .sunday }

    /// A short English label for boards ("Mon").
    public var shortName: String { String(rawValue.prefix(3)).capitalized }

    /// Monday = 0 … Sunday = 6.
    public var offsetFromMonday: Int { Weekday.allCases.firstIndex(of: self)! }

    public static func < (a: Weekday, b: Weekday) -> Bool { a.offsetFromMonday < b.offsetFromMonday }
}

extension CalendarDate {
    /// The day of the week of this date (1970-01-01 was a Thursday).
    public var weekday: Weekday {
        let offset = ((daysSinceEpoch + 3) % 7 + 7) % 7   // 0 = Monday
        return Weekday.allCases[offset]
    }

    /// The Monday on or before this date.
    public var mondayOfWeek: CalendarDate { adding(days: -weekday.offsetFromMonday) }
}
