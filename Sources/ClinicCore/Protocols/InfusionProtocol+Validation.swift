import Foundation

extension InfusionProtocol {
    /// Returns the protocol unchanged when it is consistent, or throws `ClinicError.invalid` naming every bad field:
    /// a name, positive dose and times, limits within the outer bounds with soft ≤ hard, and a default dose that
    /// its own hard limits do not refuse.
    public func validated() throws -> InfusionProtocol {
        var errors = FieldErrors()
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("name", "a protocol needs a name") }
        switch dosing {
        case .weightBasedRate(let rate):
            if rate.microgramsPerKilogramPerHour <= 0 { errors.add("dosing.rate", "the dose rate must be above zero") }
        case .weightBasedDose(let dose, let minutes):
            if dose.microgramsPerKilogram <= 0 { errors.add("dosing.dose", "the dose must be above zero") }
            if minutes <= 0 { errors.add("dosing.overMinutes", "the dose must be given over at least one minute") }
        case .flatDose(let dose, let minutes):
            if dose.micrograms <= 0 { errors.add("dosing.dose", "the dose must be above zero") }
            if minutes <= 0 { errors.add("dosing.overMinutes", "the dose must be given over at least one minute") }
        }
        if let cap = absoluteRateCap, cap.microgramsPerHour <= 0 {
            errors.add("absoluteRateCap", "the rate cap must be above zero")
        }
        if durationMinutes <= 0 { errors.add("durationMinutes", "the infusion must last at least one minute") }
        if inductionInfusions < 1 { errors.add("inductionInfusions", "a series has at least one infusion") }
        if inductionInfusions > 1, minimumSpacingHours == nil {
            errors.add("minimumSpacingHours", "a series of several infusions needs a least spacing between them")
        }
        if let hours = minimumSpacingHours, hours <= 0 {
            errors.add("minimumSpacingHours", "the spacing must be at least one hour")
        }
        if let days = boosterIntervalDays, days <= 0 {
            errors.add("boosterIntervalDays", "the booster interval must be at least one day")
        }
        for error in limits.fieldErrors() { errors.add(error.field, error.reason) }
        errors.addDefaultDoseConflicts(of: self)
        try errors.throwIfAny()
        return self
    }
}

private extension FieldErrors {
    /// The protocol's own default order must not be refused by its own weight-based hard limits (the absolute ones
    /// depend on the patient's weight and are checked per order).
    mutating func addDefaultDoseConflicts(of p: InfusionProtocol) {
        guard p.durationMinutes > 0 else { return }
        // The default dose per kg of weight, as an exact fraction µg/kg/h = numerator / denominator.
        let perKilogramRate: (numerator: Int128, denominator: Int128)?
        switch p.dosing {
        case .weightBasedRate(let rate): perKilogramRate = (Int128(rate.microgramsPerKilogramPerHour), 1)
        case .weightBasedDose(let dose, let minutes) where minutes > 0:
            perKilogramRate = (Int128(dose.microgramsPerKilogram) * 60, Int128(minutes))
        default: perKilogramRate = nil
        }
        // A rate cap only lowers the rate for heavier patients, so the uncapped dose is what lighter ones get.
        guard let (numerator, denominator) = perKilogramRate else { return }
        let hard = p.limits.ratePerKilogram.hard ?? OuterBounds.hardRatePerKilogram
        if numerator > Int128(hard.microgramsPerKilogramPerHour) * denominator {
            add("dosing", "the default dose \(p.dosing.summary) is above the hard rate limit of \(hard)")
        }
        // Total per kg = rate per kg × duration / 60.
        let hardTotal = p.limits.sessionTotalPerKilogram.hard ?? OuterBounds.hardSessionTotalPerKilogram
        if numerator * Int128(p.durationMinutes) > Int128(hardTotal.microgramsPerKilogram) * denominator * 60 {
            add("durationMinutes", "\(p.dosing.summary) for \(p.durationMinutes) min is above the hard session-total limit of \(hardTotal)")
        }
    }
}
