import Foundation

/// Amounts in integer cents as staff type and read them ("1,234.50").
public enum MoneyText {
    /// Parses "1234.5", "1,234.50" or "$1,234.50" into cents; nil for anything else (more than two decimals, letters).
    public static func cents(_ text: String) -> Int64? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("$") { t.removeFirst() }
        t = t.replacingOccurrences(of: ",", with: "")
        let negative = t.hasPrefix("-")
        if negative { t.removeFirst() }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 12, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
              let whole = Int64(parts[0]) else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let f = parts[1]
            guard (1...2).contains(f.count), f.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int64(f) else { return nil }
            fraction = f.count == 1 ? v * 10 : v
        }
        let cents = whole * 100 + fraction
        return negative ? -cents : cents
    }

    /// "1,234.50" (and "-12.00"); always two decimals, thousands grouped.
    public static func format(_ cents: Int64) -> String {
        let negative = cents < 0
        let magnitude = cents.magnitude
        var whole = String(magnitude / 100)
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        let fraction = magnitude % 100
        return (negative ? "-" : "") + whole + grouped + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }
}
