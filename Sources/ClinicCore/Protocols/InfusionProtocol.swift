import Foundation
import Tagged

/// Tag of an infusion protocol's id.
public enum ProtocolTag {}

extension InfusionProtocol { public typealias ID = Tagged<ProtocolTag, UUID> }

/// One entry of the clinic's protocol library, like a smart pump's drug-library entry (clinical-reference §4):
/// the dose, the session length, the series, and the soft and hard limits every order is checked against.
///
/// Every version is a value of its own: a change makes a new value with `version + 1` (see `proposeChange`),
/// and `ProtocolHistory` keeps them all.
public struct InfusionProtocol: Sendable, Hashable, Codable, Identifiable {
    /// The same for every version of the protocol.
    public internal(set) var id: ID
    /// 1 for the first version; each change adds 1.
    public internal(set) var version: Int
    /// How staff call it, e.g. "Standard induction".
    public var name: String
    /// The ordered dose.
    public var dosing: DosingRule
    /// The ordered rate is never computed above this (CRPS: 25 mg/h, Schwartzman 2009); nil: no cap.
    public var absoluteRateCap: DoseRate?
    /// Planned infusion time in minutes; the planned session total is the ordered rate over this time.
    public var durationMinutes: Int
    /// Infusions in the series (1 for a single trial or booster).
    public var inductionInfusions: Int
    /// Least time between two infusions of the series, in hours (nil for a single infusion).
    public var minimumSpacingHours: Int?
    /// How the series falls on the calendar.
    public var seriesPattern: SeriesPattern
    /// Days between maintenance boosters; a clinic setting, local policy [P] (clinical-reference §1 says only "every few months").
    public var boosterIntervalDays: Int?
    /// Soft and hard limits on rate and session total.
    public var limits: ProtocolLimits
    /// How this version came from the previous one (nil for version 1).
    public internal(set) var revision: ProtocolRevision?

    /// A first version; call `validated()` before storing it.
    public init(id: ID, name: String, dosing: DosingRule, absoluteRateCap: DoseRate? = nil, durationMinutes: Int,
                inductionInfusions: Int, minimumSpacingHours: Int?, seriesPattern: SeriesPattern = .minimumSpacing,
                boosterIntervalDays: Int? = nil, limits: ProtocolLimits) {
        self.id = id
        self.version = 1
        self.name = name
        self.dosing = dosing
        self.absoluteRateCap = absoluteRateCap
        self.durationMinutes = durationMinutes
        self.inductionInfusions = inductionInfusions
        self.minimumSpacingHours = minimumSpacingHours
        self.seriesPattern = seriesPattern
        self.boosterIntervalDays = boosterIntervalDays
        self.limits = limits
        self.revision = nil
    }
}

/// How the infusions of a series are spread over the calendar.
public enum SeriesPattern: String, Sendable, Hashable, Codable, CaseIterable {
    /// Any days, at least `minimumSpacingHours` apart.
    case minimumSpacing
    /// Consecutive weekdays (Monday–Friday), one a day (CRPS extended outpatient, Schwartzman 2009).
    case consecutiveWeekdays
}

/// The ordered dose of a protocol, stored exactly in micrograms (clinical-reference §4: never floating point).
public enum DosingRule: Sendable, Hashable, Codable {
    /// A rate per kilogram of today's weight, e.g. 0.75 mg/kg/h.
    case weightBasedRate(WeightBasedRate)
    /// A dose per kilogram given over a time, e.g. 0.5 mg/kg over 40 min.
    case weightBasedDose(WeightBasedAmount, overMinutes: Int)
    /// A fixed dose given over a time, e.g. 80 mg over 120 min (Cohen 2018).
    case flatDose(DrugAmount, overMinutes: Int)

    /// "0.75 mg/kg/h", "0.5 mg/kg over 40 min", "80 mg over 120 min".
    public var summary: String {
        switch self {
        case .weightBasedRate(let rate): rate.description
        case .weightBasedDose(let dose, let minutes): "\(dose) over \(minutes) min"
        case .flatDose(let dose, let minutes): "\(DoseText.milligrams(dose.micrograms)) mg over \(minutes) min"
        }
    }
}

/// A dose rate per kilogram of body weight, exact in µg/kg/h (so 0.75 mg/kg/h is 750).
public struct WeightBasedRate: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var microgramsPerKilogramPerHour: Int64

    public init(microgramsPerKilogramPerHour: Int64) { self.microgramsPerKilogramPerHour = microgramsPerKilogramPerHour }
    /// Milligrams per kg per hour, rounded to the nearest µg/kg/h (as `DrugAmount(milligrams:)` does).
    public init(milligramsPerKilogramPerHour: Double) {
        microgramsPerKilogramPerHour = Int64((milligramsPerKilogramPerHour * 1000).rounded())
    }

    public static func < (a: Self, b: Self) -> Bool { a.microgramsPerKilogramPerHour < b.microgramsPerKilogramPerHour }
    /// "0.75 mg/kg/h", "2.0 mg/kg/h".
    public var description: String { "\(DoseText.perKilogram(microgramsPerKilogramPerHour)) mg/kg/h" }
}

/// An amount of drug per kilogram of body weight, exact in µg/kg (so 1.5 mg/kg is 1500).
public struct WeightBasedAmount: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var microgramsPerKilogram: Int64

    public init(microgramsPerKilogram: Int64) { self.microgramsPerKilogram = microgramsPerKilogram }
    /// Milligrams per kg, rounded to the nearest µg/kg.
    public init(milligramsPerKilogram: Double) { microgramsPerKilogram = Int64((milligramsPerKilogram * 1000).rounded()) }

    public static func < (a: Self, b: Self) -> Bool { a.microgramsPerKilogram < b.microgramsPerKilogram }
    /// "0.5 mg/kg", "2.0 mg/kg".
    public var description: String { "\(DoseText.perKilogram(microgramsPerKilogram)) mg/kg" }
}
