import Foundation
import PropertyBased
import Testing
@testable import ClinicCore

@Suite("CalendarDate (DESIGN §8: calendar dates are YYYY-MM-DD, not instants)")
struct CalendarDateTests {
    static func date(_ y: Int, _ m: Int, _ d: Int) -> CalendarDate { CalendarDate(year: y, month: m, day: d)! }

    /// Every day from 0001-01-01 to 9999-12-31, as days since 1970-01-01.
    static let supportedDays = -719_162...2_932_896

    /// Any supported date.
    static let anyDate = Gen.int(in: supportedDays).map { CalendarDate(daysSinceEpoch: $0) }

    // MARK: - Parsing

    @Test("parses exactly YYYY-MM-DD of a day that exists",
          arguments: ["2024-02-29", "2000-02-29", "2026-11-25", "0001-01-01", "9999-12-31", "2026-04-30"])
    func parsesValidDates(_ text: String) throws {
        // given / when
        let date = try #require(CalendarDate(text))

        // then
        #expect(date.description == text)
    }

    @Test("rejects other shapes and days that do not exist", arguments: [
        "2026-2-3", "2026-02-30", "2025-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
        "0000-01-01", "26-01-01", "2026/01/01", "20260101", " 2026-01-01", "2026-01-01 ", "2026-01-01T00:00",
        "+026-01-01", "2026-+1-01", "２０２６-01-01", "", "--",
    ])
    func rejectsInvalidText(_ text: String) {
        // given / when / then
        #expect(CalendarDate(text) == nil)
    }

    @Test("the components must name a day that exists")
    func componentsValidated() {
        // given / when / then
        #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2026, month: 6, day: 31) == nil)
        #expect(CalendarDate(year: 2026, month: 0, day: 1) == nil)
        #expect(CalendarDate(year: 10_000, month: 1, day: 1) == nil)
    }

    @Test("prints zero-padded YYYY-MM-DD")
    func description() {
        // given / when / then
        #expect(Self.date(5, 3, 7).description == "0005-03-07")
        #expect(Self.date(2026, 11, 25).description == "2026-11-25")
    }

    // MARK: - JSON

    struct Chart: Codable, Equatable {
        var dateOfBirth: CalendarDate
    }

    @Test("encodes to JSON as a YYYY-MM-DD string and decodes back")
    func jsonRoundTrip() throws {
        // given
        let chart = Chart(dateOfBirth: Self.date(2024, 2, 29))

        // when
        let json = try JSONEncoder().encode(chart)
        let decoded = try JSONDecoder().decode(Chart.self, from: json)

        // then
        #expect(String(decoding: json, as: UTF8.self) == #"{"dateOfBirth":"2024-02-29"}"#)
        #expect(decoded == chart)
    }

    @Test("decoding refuses a day that does not exist, another shape, or a number",
          arguments: [#"{"dateOfBirth":"2025-02-29"}"#, #"{"dateOfBirth":"2025-2-1"}"#, #"{"dateOfBirth":1740787200}"#])
    func jsonRejectsInvalid(_ json: String) {
        // given / when / then
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Chart.self, from: Data(json.utf8)) }
    }

    // MARK: - Ages

    @Test("whole years on and around a birthday", arguments: [
        ("1990-06-15", "2026-06-14", 35),
        ("1990-06-15", "2026-06-15", 36),
        ("1990-06-15", "2026-06-16", 36),
        ("1990-06-15", "1990-06-15", 0),
        ("1990-12-31", "2026-01-01", 35),
        // born on 29 February: a year older on 1 March in common years, on 29 February in leap years
        ("2000-02-29", "2026-02-28", 25),
        ("2000-02-29", "2026-03-01", 26),
        ("2000-02-29", "2028-02-28", 27),
        ("2000-02-29", "2028-02-29", 28),
    ])
    func wholeYears(_ birth: String, _ on: String, _ years: Int) throws {
        // given
        let dateOfBirth = try #require(CalendarDate(birth))
        let day = try #require(CalendarDate(on))

        // when / then
        #expect(dateOfBirth.wholeYears(until: day) == years)
    }

    // MARK: - Arithmetic

    @Test("adding days across month, year and leap boundaries", arguments: [
        ("2026-01-31", 1, "2026-02-01"),
        ("2025-12-31", 1, "2026-01-01"),
        ("2026-01-01", -1, "2025-12-31"),
        ("2024-02-28", 1, "2024-02-29"),
        ("2024-02-29", 1, "2024-03-01"),
        ("2025-02-28", 1, "2025-03-01"),
        ("2024-03-01", -1, "2024-02-29"),
        ("2000-02-28", 1, "2000-02-29"),
        ("1900-02-28", 1, "1900-03-01"),
        ("2024-01-01", 366, "2025-01-01"),
        ("2026-11-25", 90, "2027-02-23"),
        ("2026-11-25", 0, "2026-11-25"),
        ("1970-01-01", -1, "1969-12-31"),
    ])
    func addingDays(_ start: String, _ days: Int, _ expected: String) throws {
        // given
        let date = try #require(CalendarDate(start))

        // when
        let result = date.adding(days: days)

        // then
        #expect(result.description == expected)
    }

    @Test("days since 1970-01-01 at known dates", arguments: [
        ("1970-01-01", 0), ("1969-12-31", -1), ("2000-01-01", 10_957), ("2000-03-01", 11_017),
        ("2024-02-29", 19_782), ("2026-11-25", 20_782), ("0001-01-01", -719_162), ("9999-12-31", 2_932_896),
    ])
    func knownDaysSinceEpoch(_ text: String, _ days: Int) throws {
        // given
        let date = try #require(CalendarDate(text))

        // when / then
        #expect(date.daysSinceEpoch == days)
        #expect(CalendarDate(daysSinceEpoch: days) == date)
    }

    @Test("the calendar date of an instant depends on the time zone")
    func instantInTimeZone() {
        // given: 2026-11-25T03:00:00Z
        let instant = Date(timeIntervalSince1970: 1_795_575_600)

        // when / then
        #expect(CalendarDate(instant, in: TimeZone(identifier: "UTC")!) == Self.date(2026, 11, 25))
        #expect(CalendarDate(instant, in: TimeZone(identifier: "America/Los_Angeles")!) == Self.date(2026, 11, 24))
    }

    // MARK: - Properties

    @Test("property: days since epoch round-trip for every supported day")
    func daysSinceEpochRoundTrip() async {
        await propertyCheck(count: 2_000, input: Gen.int(in: Self.supportedDays)) { days in
            // given
            let date = CalendarDate(daysSinceEpoch: days)

            // when / then: it is a real date, prints and parses back, and counts back to the same day
            #expect(CalendarDate(year: date.year, month: date.month, day: date.day) == date)
            #expect(CalendarDate(date.description) == date)
            #expect(date.daysSinceEpoch == days)
        }
    }

    @Test("property: adding days composes and keeps the order of dates")
    func addingComposes() async {
        await propertyCheck(count: 1_000, input: Self.anyDate, Gen.int(in: -800...800), Gen.int(in: -800...800)) { date, a, b in
            // given
            guard Self.supportedDays.contains(date.daysSinceEpoch + a + b), Self.supportedDays.contains(date.daysSinceEpoch + a) else { return }

            // when
            let stepwise = date.adding(days: a).adding(days: b)
            let once = date.adding(days: a + b)

            // then
            #expect(stepwise == once)
            #expect((date < date.adding(days: a)) == (a > 0))
        }
    }

    @Test("property: the next day agrees with Foundation's Gregorian calendar (1600–2400)")
    func agreesWithFoundation() async {
        // given: Foundation's Gregorian calendar in UTC, past the 1582 Julian switch
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let utc = calendar
        await propertyCheck(count: 1_000, input: Gen.int(in: -135_140...157_162)) { days in
            // when
            let ours = CalendarDate(daysSinceEpoch: days)
            let instant = Date(timeIntervalSince1970: Double(days) * 86_400)
            let theirs = utc.dateComponents([.year, .month, .day], from: instant)

            // then
            #expect([ours.year, ours.month, ours.day] == [theirs.year, theirs.month, theirs.day])
        }
    }
}
