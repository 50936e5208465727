import Foundation

/// A body weight, kept in exact grams with the unit it was entered in (clinical-reference §3: the unit is shown beside every weight).
public struct Weight: Sendable, Hashable, Codable {
    public enum Unit: String, Sendable, Hashable, Codable, CaseIterable { case kg, lb }
    /// Grams, so conversions never drift.
    public var grams: Int
    public var enteredUnit: Unit

    /// 1 lb = 0.45359237 kg exactly (international yard and pound agreement, 1959).
    public static let gramsPerPound = 453.59237

    public init(grams: Int, enteredUnit: Unit) {
        self.grams = grams
        self.enteredUnit = enteredUnit
    }

    public init(value: Double, unit: Unit) {
        switch unit {
        case .kg: grams = Int((value * 1000).rounded())
        case .lb: grams = Int((value * Weight.gramsPerPound).rounded())
        }
        enteredUnit = unit
    }

    public var kilograms: Double { Double(grams) / 1000 }
    public var pounds: Double { Double(grams) / Weight.gramsPerPound }

    /// "72.5 kg" or "160 lb (72.6 kg)".
    public var display: String {
        switch enteredUnit {
        case .kg: "\(Format.decimal(kilograms, places: 1)) kg"
        case .lb: "\(Format.decimal(pounds, places: 1)) lb (\(Format.decimal(kilograms, places: 1)) kg)"
        }
    }

    /// The number the edit form shows: exact in kg (grams / 1000); to 0.1 lb in pounds.
    public var formText: String {
        enteredUnit == .kg ? Format.shortest(Double(grams) / 1000) : Format.decimal(pounds, places: 1)
    }

    /// Plausible adult weight range 30–250 kg (clinical-reference §3 [D], configurable).
    public static let plausibleKilograms: ClosedRange<Double> = 30...250
}

/// A body height in exact millimetres with the unit it was entered in.
public struct Height: Sendable, Hashable, Codable {
    public enum Unit: String, Sendable, Hashable, Codable, CaseIterable { case cm, `in` }
    public var millimetres: Int
    public var enteredUnit: Unit

    public init(millimetres: Int, enteredUnit: Unit) {
        self.millimetres = millimetres
        self.enteredUnit = enteredUnit
    }

    /// 1 in = 25.4 mm exactly.
    public init(value: Double, unit: Unit) {
        switch unit {
        case .cm: millimetres = Int((value * 10).rounded())
        case .in: millimetres = Int((value * 25.4).rounded())
        }
        enteredUnit = unit
    }

    public var centimetres: Double { Double(millimetres) / 10 }
    public var inches: Double { Double(millimetres) / 25.4 }

    public var display: String {
        switch enteredUnit {
        case .cm: "\(Format.decimal(centimetres, places: 0)) cm"
        case .in: "\(Format.decimal(inches, places: 1)) in (\(Format.decimal(centimetres, places: 0)) cm)"
        }
    }

    /// The number the edit form shows: exact in cm (mm / 10); to 0.1 in for inches.
    public var formText: String {
        enteredUnit == .cm ? Format.shortest(Double(millimetres) / 10) : Format.decimal(inches, places: 1)
    }

    /// Plausible adult height range, 100–250 cm (an input check, not a clinical threshold).
    public static let plausibleCentimetres: ClosedRange<Double> = 100...250
}

/// Number formatting that does not depend on the server's locale.
public enum Format {
    public static func decimal(_ value: Double, places: Int) -> String {
        String(format: "%.\(places)f", value)
    }

    /// A date and clock time in a time zone, `YYYY-MM-DD HH:MM`, for sentences and tables.
    public static func dateTime(_ instant: Date, in timeZone: TimeZone) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        let parts = c.dateComponents([.hour, .minute], from: instant)
        let h = parts.hour ?? 0, m = parts.minute ?? 0
        return "\(CalendarDate(instant, in: timeZone)) \(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }

    /// The shortest text that reads back as the same number, without a trailing ".0" (72.55, 30, 22.125).
    public static func shortest(_ value: Double) -> String {
        let text = "\(value)"
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
