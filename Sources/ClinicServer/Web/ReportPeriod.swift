import ClinicCore
import Hummingbird
import HummingbirdCore

/// The `from`/`to` dates of a report page (superbill, billing work list, dispensing log, statement): each from the
/// query as YYYY-MM-DD, else the last `defaultDays` days up to today.
enum ReportPeriod {
    static func from(_ query: FlatDictionary<Substring, Substring>, today: CalendarDate, defaultDays: Int) -> (from: CalendarDate, to: CalendarDate) {
        (query["from"].flatMap { CalendarDate(String($0)) } ?? today.adding(days: -defaultDays),
         query["to"].flatMap { CalendarDate(String($0)) } ?? today)
    }
}
