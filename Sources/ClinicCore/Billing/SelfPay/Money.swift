import Foundation

/// An amount of money in whole cents of the clinic's one currency (never floating point: every split and balance is
/// exact to the cent).
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var cents: Int64

    public init(cents: Int64) { self.cents = cents }

    public static let zero = Money(cents: 0)

    public static func + (a: Money, b: Money) -> Money { Money(cents: a.cents + b.cents) }
    public static func - (a: Money, b: Money) -> Money { Money(cents: a.cents - b.cents) }
    public static prefix func - (a: Money) -> Money { Money(cents: -a.cents) }
    public static func * (a: Money, n: Int) -> Money { Money(cents: a.cents * Int64(n)) }
    public static func += (a: inout Money, b: Money) { a.cents += b.cents }
    public static func -= (a: inout Money, b: Money) { a.cents -= b.cents }
    public static func < (a: Money, b: Money) -> Bool { a.cents < b.cents }

    public var isZero: Bool { cents == 0 }
    public var isNegative: Bool { cents < 0 }

    /// "1234.56" (a dot, two places, a leading minus when negative): the form and CSV value.
    public var decimalText: String {
        let magnitude = cents.magnitude
        return (cents < 0 ? "-" : "") + "\(magnitude / 100)." + (magnitude % 100 < 10 ? "0" : "") + "\(magnitude % 100)"
    }

    /// "1,234.56" without a currency sign.
    public var groupedText: String {
        let magnitude = cents.magnitude
        var whole = String(magnitude / 100)
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        return (cents < 0 ? "-" : "") + whole + grouped + "." + (magnitude % 100 < 10 ? "0" : "") + "\(magnitude % 100)"
    }

    public var description: String { decimalText }

    /// The amount in a currency: "$1,234.56", "-$20.00", "1,234.56 CHF".
    public func formatted(_ currency: ClinicCurrency) -> String {
        let text = Money(cents: Int64(cents.magnitude)).groupedText
        let sign = cents < 0 ? "-" : ""
        return currency.symbol.isEmpty ? "\(sign)\(text) \(currency.code)" : "\(sign)\(currency.symbol)\(text)"
    }

    /// Exact cents of a typed amount: "1234", "1,234.5", "$1234.56"; nil for anything else (more than two places, a
    /// sign, letters). Amounts up to 100 million.
    public static func parse(_ text: String) -> Money? {
        var t = text.trimmingCharacters(in: .whitespaces)
        for sign in ["$", "€", "£"] where t.hasPrefix(sign) { t.removeFirst(sign.count) }
        t = t.replacingOccurrences(of: ",", with: "")
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty, whole.count <= 9,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= 2, fraction.allSatisfy({ $0.isASCII && $0.isNumber }), !(parts.count == 2 && fraction.isEmpty) else { return nil }
        fraction += String(repeating: "0", count: 2 - fraction.count)
        guard let w = Int64(whole), let f = Int64(fraction), w <= 100_000_000 else { return nil }
        return Money(cents: w * 100 + f)
    }
}

/// The clinic's one currency (ISO 4217 code), chosen in the self-pay settings.
public struct ClinicCurrency: Sendable, Hashable, Codable {
    public var code: String

    public init(code: String) { self.code = code.uppercased() }

    public static let usd = ClinicCurrency(code: "USD")

    /// Currencies the settings offer, each with two minor-unit digits (ISO 4217), so cents fit all of them.
    public static let supported = ["USD", "CAD", "EUR", "GBP", "AUD", "NZD", "CHF"]

    /// The sign printed before an amount; empty where the code is printed after it.
    public var symbol: String {
        switch code {
        case "USD": "$"
        case "CAD": "CA$"
        case "AUD": "A$"
        case "NZD": "NZ$"
        case "EUR": "€"
        case "GBP": "£"
        default: ""
        }
    }
}
