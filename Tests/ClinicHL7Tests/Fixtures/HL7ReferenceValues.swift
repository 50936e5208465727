import Foundation
@testable import ClinicHL7

// `HL7Timestamp.init?` and `HL7Version.init?` as they were before the byte-based readers (commit
// a81d46b), kept verbatim apart from the enclosing type, for `HL7FastPathEquivalenceTests`.

struct ReferenceTimestamp: Equatable {
    var date: Date
    var precision: HL7Timestamp.Precision
    var utcOffset: Int?

    init?(_ text: String, defaultTimeZone: TimeZone = .gmt) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= scalars.count else { return nil }
            var value = 0
            for scalar in scalars[index..<(index + count)] {
                guard ("0"..."9").contains(scalar) else { return nil }
                value = value * 10 + Int(scalar.value - 48)
            }
            index += count
            return value
        }
        func atDigit() -> Bool { index < scalars.count && ("0"..."9").contains(scalars[index]) }

        guard let year = digits(4) else { return nil }
        var parts = [1, 1, 0, 0, 0]  // month, day, hour, minute, second
        let ranges = [1...12, 1...31, 0...23, 0...59, 0...59]
        var precision = HL7Timestamp.Precision.year
        for position in 0..<5 where atDigit() {
            guard let value = digits(2), ranges[position].contains(value) else { return nil }
            parts[position] = value
            precision = HL7Timestamp.Precision(rawValue: position + 1) ?? .second
        }
        var fraction = 0.0
        if index < scalars.count, scalars[index] == "." {
            guard precision == .second else { return nil }
            index += 1
            var scale = 0.1
            var any = false
            while atDigit() {
                fraction += Double(scalars[index].value - 48) * scale
                scale /= 10
                index += 1
                any = true
            }
            guard any else { return nil }
            precision = .fractionalSecond
        }
        var offset: Int?
        if index < scalars.count {
            let sign = scalars[index]
            guard sign == "+" || sign == "-" else { return nil }
            index += 1
            guard let hours = digits(2), let minutes = digits(2), hours <= 23, minutes <= 59 else { return nil }
            offset = (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        guard index == scalars.count else { return nil }
        let (month, day) = (parts[0], parts[1])
        guard day <= Self.daysIn(month: month, year: year) else { return nil }

        let localSeconds = Self.daysFromCivil(year: year, month: month, day: day) * 86_400
            + parts[2] * 3600 + parts[3] * 60 + parts[4]
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

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

struct ReferenceVersion {
    var version: HL7Version

    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count) else { return nil }
        let numbers = parts.compactMap { part in part.allSatisfy(\.isASCII) ? Int(part) : nil }
        guard numbers.count == parts.count, numbers.allSatisfy({ $0 >= 0 }) else { return nil }
        self.version = HL7Version(numbers[0], numbers[1], numbers.count == 3 ? numbers[2] : 0)
    }
}
