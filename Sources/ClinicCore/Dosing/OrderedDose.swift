import Foundation
import Tagged

/// The dose a protocol orders for today's weight: the rate the pump runs at (capped by the protocol's rate cap)
/// and the planned session total over the planned time (clinical-reference §4).
public struct OrderedDose: Sendable, Hashable, Codable {
    /// The protocol and the exact version the dose was worked out from.
    public var protocolID: InfusionProtocol.ID
    public var protocolVersion: Int
    /// Today's measured weight the dose was worked out from.
    public var weight: Weight
    /// The ordered rate, capped; to the µg/h, rounded down (never above the prescription).
    public var rate: DoseRate
    /// The rate before the cap; equal to `rate` when no cap applied.
    public var uncappedRate: DoseRate
    /// True when the protocol's rate cap lowered the rate (e.g. CRPS: 90 kg × 0.35 mg/kg/h = 31.5 → 25 mg/h).
    public var isCapped: Bool
    public var durationMinutes: Int
    /// The ordered rate over `durationMinutes`, worked out from the exact rate and rounded down once to the µg.
    public var plannedTotal: DrugAmount
}

extension InfusionProtocol {
    /// The ordered rate and planned session total for `weight` over the protocol's duration (or `durationMinutes`).
    /// Throws `ClinicError.invalid` (`weight`, `durationMinutes`) for a weight or time that is not above zero.
    public func orderedDose(for weight: Weight, durationMinutes minutes: Int? = nil) throws -> OrderedDose {
        let minutes = minutes ?? durationMinutes
        var errors = FieldErrors()
        if weight.grams <= 0 { errors.add("weight", "today's weight is needed to work out the dose") }
        if minutes <= 0 { errors.add("durationMinutes", "the infusion must last at least one minute") }
        try errors.throwIfAny()

        // The uncapped rate as an exact fraction in µg/h.
        let grams = Int128(weight.grams)
        let (numerator, denominator): (Int128, Int128) = switch dosing {
        case .weightBasedRate(let r): (Int128(r.microgramsPerKilogramPerHour) * grams, 1000)
        case .weightBasedDose(let d, let over): (Int128(d.microgramsPerKilogram) * grams * 60, 1000 * Int128(max(over, 1)))
        case .flatDose(let a, let over): (Int128(a.micrograms) * 60, Int128(max(over, 1)))
        }
        let uncapped = DoseRate(microgramsPerHour: DoseRounding.down(numerator, denominator))
        if let cap = absoluteRateCap, numerator > Int128(cap.microgramsPerHour) * denominator {
            let total = DoseRounding.down(Int128(cap.microgramsPerHour) * Int128(minutes), 60)
            return OrderedDose(protocolID: id, protocolVersion: version, weight: weight, rate: cap, uncappedRate: uncapped,
                               isCapped: true, durationMinutes: minutes, plannedTotal: DrugAmount(micrograms: total))
        }
        let total = DoseRounding.down(numerator * Int128(minutes), denominator * 60)
        return OrderedDose(protocolID: id, protocolVersion: version, weight: weight, rate: uncapped, uncappedRate: uncapped,
                           isCapped: false, durationMinutes: minutes, plannedTotal: DrugAmount(micrograms: total))
    }
}
