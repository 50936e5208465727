import Foundation
import Testing
@testable import ClinicHL7

@Suite struct HL7TimestampTests {
    /// 2026-03-15T14:30:05Z.
    let instant = Date(timeIntervalSince1970: 1_773_585_005)

    @Test(arguments: [
        ("20260315143005", 1_773_585_005.0, HL7Timestamp.Precision.second),
        ("20260315143005+0000", 1_773_585_005.0, .second),
        ("20260315163005+0200", 1_773_585_005.0, .second),
        ("20260315093005-0500", 1_773_585_005.0, .second),
        ("20260315200005+0530", 1_773_585_005.0, .second),
        ("202603151430", 1_773_584_980.0 + 20, .minute),
        ("2026031514", 1_773_583_200.0, .hour),
        ("20260315", 1_773_532_800.0, .day),
        ("202603", 1_772_323_200.0, .month),
        ("2026", 1_767_225_600.0, .year),
        ("20260315143005.25", 1_773_585_005.25, .fractionalSecond),
        ("20260315143005.1234-0100", 1_773_588_605.1234, .fractionalSecond),
    ])
    func readsEveryPrecisionAndOffset(text: String, seconds: Double, precision: HL7Timestamp.Precision) throws {
        // when
        let timestamp = try #require(HL7Timestamp(text))
        // then
        #expect(abs(timestamp.date.timeIntervalSince1970 - seconds) < 0.000_5)
        #expect(timestamp.precision == precision)
    }

    @Test func remembersTheOffsetItWasGiven() throws {
        #expect(HL7Timestamp("20260315093005-0500")?.utcOffset == -18_000)
        #expect(HL7Timestamp("20260315143005")?.utcOffset == nil)
    }

    @Test func takesATimeWithoutOffsetInTheDefaultZone() throws {
        // given
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        // when — 15 March 2026 is after the DST change (UTC-4)
        let timestamp = try #require(HL7Timestamp("20260315103005", defaultTimeZone: newYork))
        let winter = try #require(HL7Timestamp("20260115093005", defaultTimeZone: newYork))
        // then
        #expect(timestamp.date == instant)
        #expect(winter.date == Date(timeIntervalSince1970: 1_768_487_405))  // 2026-01-15T14:30:05Z
    }

    @Test func anExplicitOffsetWinsOverTheDefaultZone() throws {
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        #expect(HL7Timestamp("20260315143005+0000", defaultTimeZone: tokyo)?.date == instant)
    }

    @Test(arguments: [
        "", "202", "2026031", "20261315", "20260230", "20260315250000", "20260315146000", "20260315143061",
        "20260315143005.", "202603151430.5", "20260315143005+05", "20260315143005+2400", "20260315143005Z",
        "2026-03-15", "20260315143005 ", "２０２６",
    ])
    func refusesMalformedTimestamps(text: String) {
        #expect(HL7Timestamp(text) == nil)
    }

    @Test func acceptsTheLeapDay() {
        #expect(HL7Timestamp("20240229") != nil)
        #expect(HL7Timestamp("20250229") == nil)
    }

    @Test func formatsInUTCAndInAZone() throws {
        // given
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        // when / then
        #expect(HL7Timestamp.format(instant) == "20260315143005+0000")
        #expect(HL7Timestamp.format(instant, timeZone: berlin) == "20260315153005+0100")
        #expect(HL7Timestamp(HL7Timestamp.format(instant, timeZone: berlin))?.date == instant)
    }
}
