import Foundation

/// An HL7 v2 timestamp (DTM / TS.1): `YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]` (HL7 v2.5.1 §2.A.22).
public struct HL7Timestamp: Sendable, Hashable {
    /// How much of the timestamp was sent.
    public enum Precision: Int, Sendable, Hashable, Comparable {
        /// `YYYY`.
        case year
        /// `YYYYMM`.
        case month
        /// `YYYYMMDD`.
        case day
        /// `YYYYMMDDHH`.
        case hour
        /// `YYYYMMDDHHMM`.
        case minute
        /// `YYYYMMDDHHMMSS`.
        case second
        /// With a fraction of a second.
        case fractionalSecond

        /// Orders by detail.
        public static func < (lhs: Precision, rhs: Precision) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The instant; missing parts count as their first value (month 1, day 1, 00:00:00).
    public var date: Date
    /// How much was sent.
    public var precision: Precision
    /// The offset from UTC the text carried, in seconds, or nil when it carried none.
    public var utcOffset: Int?

    /// Reads a timestamp; without an offset the local time is taken in `defaultTimeZone` (UTC unless given).
    /// Nil when the text is not a valid timestamp.
    public init?(_ text: String, defaultTimeZone: TimeZone = .gmt) {
        // Read over the UTF-8 bytes: every character the format allows is ASCII, and a non-ASCII
        // character fails the same check its first byte fails.
        var text = text
        guard let fields = text.withUTF8(Self.fields(of:)) else { return nil }
        let (year, month, day) = (fields.year, fields.month, fields.day)
        let precision = fields.precision
        let fraction = fields.fraction
        let offset = fields.offset
        guard day <= Self.daysIn(month: month, year: year) else { return nil }

        let localSeconds = Self.daysFromCivil(year: year, month: month, day: day) * 86_400
            + fields.hour * 3600 + fields.minute * 60 + fields.second
        let offsetSeconds: Int
        if let offset {
            offsetSeconds = offset
        } else {
            // The zone's offset at the local wall time, found in two steps so a DST boundary settles.
            let guess = Date(timeIntervalSince1970: TimeInterval(localSeconds))
            let first = defaultTimeZone.secondsFromGMT(for: guess)
            offsetSeconds = defaultTimeZone.secondsFromGMT(for: guess.addingTimeInterval(TimeInterval(-first)))
        }
        self.date = Date(timeIntervalSince1970: TimeInterval(localSeconds - offsetSeconds) + fraction)
        self.precision = precision
        self.utcOffset = offset
    }

    /// The parts of `YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]`, range-checked except day against month;
    /// nil when the text does not have that form.
    private static func fields(of text: UnsafeBufferPointer<UInt8>) -> (
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
        precision: Precision, fraction: Double, offset: Int?
    )? {
        let count = text.count
        var index = 0
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        func digits(_ length: Int) -> Int? {
            guard index + length <= count else { return nil }
            var value = 0
            for position in index..<(index + length) {
                let byte = text[position]
                guard isDigit(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += length
            return value
        }
        func atDigit() -> Bool { index < count && isDigit(text[index]) }

        guard let year = digits(4) else { return nil }
        var parts = (month: 1, day: 1, hour: 0, minute: 0, second: 0)
        var precision = Precision.year
        for position in 0..<5 where atDigit() {
            guard let value = digits(2) else { return nil }
            switch position {
            case 0: guard (1...12).contains(value) else { return nil }; parts.month = value
            case 1: guard (1...31).contains(value) else { return nil }; parts.day = value
            case 2: guard (0...23).contains(value) else { return nil }; parts.hour = value
            case 3: guard (0...59).contains(value) else { return nil }; parts.minute = value
            default: guard (0...59).contains(value) else { return nil }; parts.second = value
            }
            precision = Precision(rawValue: position + 1) ?? .second
        }
        var fraction = 0.0
        if index < count, text[index] == UInt8(ascii: ".") {
            guard precision == .second else { return nil }
            index += 1
            var scale = 0.1
            var any = false
            while atDigit() {
                fraction += Double(text[index] - 0x30) * scale
                scale /= 10
                index += 1
                any = true
            }
            guard any else { return nil }
            precision = .fractionalSecond
        }
        var offset: Int?
        if index < count {
            let sign = text[index]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
            index += 1
            guard let hours = digits(2), let minutes = digits(2), hours <= 23, minutes <= 59 else { return nil }
            offset = (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        guard index == count else { return nil }
        return (year, parts.month, parts.day, parts.hour, parts.minute, parts.second, precision, fraction, offset)
    }

    /// Formats an instant as `YYYYMMDDHHMMSS±ZZZZ` in `timeZone` (UTC unless given); instants outside
    /// the years 0001–9999 are written as the nearest end of that range.
    public static func format(_ date: Date, timeZone: TimeZone = .gmt) -> String {
        let offset = timeZone.secondsFromGMT(for: date)
        let seconds = date.timeIntervalSince1970 + TimeInterval(offset)
        let bounded = seconds.isNaN ? 0 : min(max(seconds, -62_135_596_800), 253_402_300_799)  // 0001-01-01 … 9999-12-31T23:59:59
        let local = Int(bounded.rounded(.down))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset) / 60
        return pad(year, 4) + pad(month, 2) + pad(day, 2)
            + pad(secondOfDay / 3600, 2) + pad(secondOfDay / 60 % 60, 2) + pad(secondOfDay % 60, 2)
            + sign + pad(magnitude / 60, 2) + pad(magnitude % 60, 2)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant, "chrono-compatible
    /// low-level date algorithms", days_from_civil).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `daysFromCivil` (same source, civil_from_days).
    private static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
