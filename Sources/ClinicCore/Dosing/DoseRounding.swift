import Foundation

/// The rounding rules of dosing arithmetic: exact integer products, divided once at the end.
/// - What was given or is shown (delivered dose, pump rate to 0.1 mL/h, concentrations, limits in words) rounds
///   **half up** to the unit: 0.5 µg becomes 1 µg, 0.49 µg becomes 0 µg.
/// - What is *ordered* (the ordered rate and planned total of a protocol) rounds **down** to the µg, so an order
///   never exceeds its prescription, and a dose that sits exactly on a limit (CRPS 0.35 mg/kg/h) never crosses it
///   by rounding.
/// Intermediate products use `Int128`, so no dose a pump can deliver overflows.
enum DoseRounding {
    /// `numerator / denominator` rounded down (toward zero for the non-negative values doses are); `denominator > 0`.
    static func down(_ numerator: Int128, _ denominator: Int128) -> Int64 {
        precondition(denominator > 0, "division by a non-positive denominator")
        return Int64(clamping: numerator / denominator)
    }

    /// `numerator / denominator` rounded half up (a negative value, which doses never are, rounds half away from
    /// zero); `denominator > 0`.
    static func halfUp(_ numerator: Int128, _ denominator: Int128) -> Int64 {
        precondition(denominator > 0, "division by a non-positive denominator")
        let magnitude = (2 * (numerator < 0 ? -numerator : numerator) + denominator) / (2 * denominator)
        return Int64(clamping: numerator < 0 ? -magnitude : magnitude)
    }
}

/// Exact number text for doses, independent of locale and of floating point.
public enum DoseText {
    /// Milligrams from micrograms, exact, without trailing zeros: 52500 → "52.5", 140000 → "140", 13333 → "13.333".
    public static func milligrams(_ micrograms: Int64) -> String {
        let sign = micrograms < 0 ? "-" : ""
        let magnitude = micrograms.magnitude
        let whole = magnitude / 1000, fraction = magnitude % 1000
        guard fraction > 0 else { return "\(sign)\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(whole).\(digits)"
    }

    /// A per-kg (or kg) figure from thousandths, with at least one decimal as the reference writes limits:
    /// 2000 → "2.0", 350 → "0.35", 70000 → "70.0", 70125 → "70.125".
    public static func perKilogram(_ thousandths: Int64) -> String {
        let text = milligrams(thousandths)
        return text.contains(".") ? text : text + ".0"
    }

    /// A weight in kilograms from exact grams: "70.0 kg", "70.125 kg".
    public static func kilograms(_ weight: Weight) -> String { "\(perKilogram(Int64(weight.grams))) kg" }
}
