import ClinicCore
import Hummingbird
import HummingbirdCore

/// The `from`/`to` dates of a report page (superbill, billing work list, dispensing log, statement): each from the
/// query as YYYY-MM-DD, else (absent or empty) the `defaultDays` days up to the end date (today by default). A date that cannot be read, or
/// a start after the end, is refused (422) naming the field — as the JSON API answers — never silently another period.
enum ReportPeriod {
    static func from(_ query: FlatDictionary<Substring, Substring>, today: CalendarDate, defaultDays: Int) throws -> (from: CalendarDate, to: CalendarDate) {
        func day(_ field: String, otherwise fallback: CalendarDate) throws -> CalendarDate {
            guard let text = query[Substring(field)], !text.isEmpty else { return fallback }
            return try ClinicAPI.day(String(text), field)
        }
        let to = try day("to", otherwise: today)
        let from = try day("from", otherwise: to.adding(days: -defaultDays))
        guard from <= to else { throw ClinicError.invalid("from", "Must not be after the end date") }
        return (from, to)
    }
}
