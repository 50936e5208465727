import Foundation

/// How relief numbers are written in the sentences staff read: locale-independent, at most one decimal.
enum ReliefText {
    /// A number with at most one decimal and no trailing ".0": 7.5, 30, 33.3.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return Format.shortest(rounded == 0 ? 0 : rounded)   // never "-0"
    }

    /// A signed percentage change: "−60 %", "+20 %", "0 %" (U+2212 minus, as printed on the chart).
    static func percent(_ change: Double) -> String {
        let rounded = (change * 10).rounded() / 10
        if rounded == 0 { return "0 %" }
        return (rounded < 0 ? "−" : "+") + number(abs(rounded)) + " %"
    }

    /// A signed change in NRS points: "−4.5 points", "+2 points".
    static func points(_ change: Double) -> String {
        let rounded = (change * 10).rounded() / 10
        if rounded == 0 { return "0 points" }
        let size = number(abs(rounded))
        return (rounded < 0 ? "−" : "+") + size + (abs(rounded) == 1 ? " point" : " points")
    }

    /// "1 day", "5 days".
    static func days(_ n: Int) -> String { n == 1 ? "1 day" : "\(n) days" }

    /// The calendar date of an instant in the clinic's time zone, as `YYYY-MM-DD`.
    static func date(_ instant: Date, _ timeZone: TimeZone) -> String { CalendarDate(instant, in: timeZone).description }
}
