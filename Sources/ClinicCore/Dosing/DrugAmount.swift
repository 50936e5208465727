import Foundation

/// An exact amount of drug in micrograms (clinical-reference §4: amounts are exact, never floating point).
public struct DrugAmount: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var micrograms: Int64

    public init(micrograms: Int64) { self.micrograms = micrograms }
    /// Whole or fractional milligrams, rounded to the nearest microgram.
    public init(milligrams: Double) { micrograms = Int64((milligrams * 1000).rounded()) }

    public static let zero = DrugAmount(micrograms: 0)
    public var milligrams: Double { Double(micrograms) / 1000 }
    public static func < (a: DrugAmount, b: DrugAmount) -> Bool { a.micrograms < b.micrograms }
    public static func + (a: DrugAmount, b: DrugAmount) -> DrugAmount { DrugAmount(micrograms: a.micrograms + b.micrograms) }
    public static func - (a: DrugAmount, b: DrugAmount) -> DrugAmount { DrugAmount(micrograms: a.micrograms - b.micrograms) }

    /// "37.5 mg" (to 0.1 mg; the exact value is kept).
    public var description: String { "\(Format.decimal(milligrams, places: 1)) mg" }
}

/// An exact dose rate in micrograms per hour (a pump is programmed in mL/h, derived from this and the concentration).
public struct DoseRate: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var microgramsPerHour: Int64

    public init(microgramsPerHour: Int64) { self.microgramsPerHour = microgramsPerHour }
    public init(milligramsPerHour: Double) { microgramsPerHour = Int64((milligramsPerHour * 1000).rounded()) }

    public static let zero = DoseRate(microgramsPerHour: 0)
    public var milligramsPerHour: Double { Double(microgramsPerHour) / 1000 }
    public static func < (a: DoseRate, b: DoseRate) -> Bool { a.microgramsPerHour < b.microgramsPerHour }

    /// "52.5 mg/h".
    public var description: String { "\(Format.decimal(milligramsPerHour, places: 1)) mg/h" }
}
