import Foundation
import Tagged

/// One limit a rate or session total is above, explained for staff.
public struct LimitBreach: Sendable, Hashable, Codable {
    /// Soft: a second clinician confirms with a reason; hard: refused (clinical-reference §4).
    public enum Level: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
        case soft, hard
        /// Soft is below hard.
        public static func < (a: Level, b: Level) -> Bool { a == .soft && b == .hard }
    }

    /// Which limit was passed.
    public enum Limit: String, Sendable, Hashable, Codable, CaseIterable {
        /// The protocol's rate limit per kg (mg/kg/h × today's weight).
        case ratePerKilogram
        /// The protocol's absolute rate limit (mg/h).
        case rate
        /// The protocol's rate cap (e.g. CRPS ≤ 25 mg/h, Schwartzman 2009), flagged soft when no other rate limit is.
        case rateCap
        /// The protocol's session-total limit per kg (mg/kg × today's weight).
        case sessionTotalPerKilogram
        /// The protocol's absolute session-total limit (mg).
        case sessionTotal
        /// The outer bound on rate fixed in code, 2.0 mg/kg/h (clinical-reference §4).
        case outerBoundRate
        /// The outer bound on session total fixed in code, 2.0 mg/kg (clinical-reference §4).
        case outerBoundSessionTotal

        /// Whether the limit is on the rate (µg/h) rather than on the session total (µg).
        public var isRate: Bool { [.ratePerKilogram, .rate, .rateCap, .outerBoundRate].contains(self) }
    }

    /// Soft or hard.
    public var level: Level
    /// Which limit.
    public var limit: Limit
    /// The value checked: µg/h for a rate limit, µg for a session-total limit.
    public var value: Int64
    /// The limit in force for this patient in the same unit, rounded half up to the µg (the comparison itself is exact).
    public var threshold: Int64
    /// For staff: "52.5 mg/h is above the hard limit of 0.5 mg/kg/h × 70.0 kg = 35 mg/h".
    public var explanation: String
}

/// The outcome of checking a rate or order about to be programmed.
public enum LimitVerdict: Sendable, Hashable, Codable {
    /// No limit passed: it may be programmed.
    case withinLimits
    /// Above one or more soft limits: a second clinician confirms with a reason.
    case aboveSoft([LimitBreach])
    /// Above a hard limit: refused. Holds every breach, hard ones first.
    case aboveHard([LimitBreach])

    /// Every breach, hard first.
    public var breaches: [LimitBreach] {
        switch self {
        case .withinLimits: []
        case .aboveSoft(let b), .aboveHard(let b): b
        }
    }

    /// True when the rate or order may not be programmed at all.
    public var isRefused: Bool { if case .aboveHard = self { true } else { false } }

    /// Throws unless the rate or order may be programmed by `orderedBy`: hard → `ClinicError.invalid` naming `rate`
    /// or `plannedTotal` with each breach's explanation; soft → a `confirmation` by another clinician with a reason.
    public func authorize(orderedBy: User.ID, confirmation: SoftLimitConfirmation?) throws {
        switch self {
        case .withinLimits:
            return
        case .aboveHard(let breaches):
            throw ClinicError.invalid(breaches.filter { $0.level == .hard }.map {
                FieldError($0.limit.isRate ? "rate" : "plannedTotal", "\($0.explanation); it cannot be programmed")
            })
        case .aboveSoft(let breaches):
            var errors = FieldErrors()
            if let confirmation {
                if confirmation.by == orderedBy {
                    errors.add("confirmation.by", "a second clinician, not the one ordering, must confirm")
                }
                if confirmation.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    errors.add("confirmation.reason", "the confirmation needs a reason")
                }
            } else {
                errors.add("confirmation", breaches.map(\.explanation).joined(separator: "; ")
                           + ": a second clinician must confirm with a reason")
            }
            try errors.throwIfAny()
        }
    }
}

/// A second clinician's confirmation of an order or rate above a soft limit (clinical-reference §4).
public struct SoftLimitConfirmation: Sendable, Hashable, Codable {
    /// The confirming clinician (not the one ordering).
    public var by: User.ID
    /// Why the order is right for this patient.
    public var reason: String

    public init(by: User.ID, reason: String) {
        self.by = by
        self.reason = reason
    }
}

/// Checks rates and session totals against a protocol's soft and hard limits, its rate cap and the outer bounds
/// fixed in code (clinical-reference §4). A limit is passed only when the value is strictly above it; per-kg
/// limits are compared exactly (value × 1000 against limit × grams), never through a rounded product.
public enum LimitCheck {
    /// The check for *programming* a rate or an order: `plannedTotal` is the session total if this rate runs to the
    /// end (see `projectedTotal`). Above hard → refused; above soft → a second clinician confirms.
    public static func check(rate: DoseRate, plannedTotal: DrugAmount, weight: Weight,
                             protocol p: InfusionProtocol) -> LimitVerdict {
        let breaches = breaches(rate: rate, total: plannedTotal, weight: weight, protocol: p)
        if breaches.contains(where: { $0.level == .hard }) { return .aboveHard(breaches) }
        return breaches.isEmpty ? .withinLimits : .aboveSoft(breaches)
    }

    /// The check for a rate change mid-session: the projected total is what was delivered so far plus this rate
    /// for the remaining time.
    public static func check(rate: DoseRate, deliveredSoFar: DrugAmount, remaining: Duration, weight: Weight,
                             protocol p: InfusionProtocol) -> LimitVerdict {
        check(rate: rate, plannedTotal: projectedTotal(deliveredSoFar: deliveredSoFar, rate: rate, remaining: remaining),
              weight: weight, protocol: p)
    }

    /// Delivered so far + rate × remaining time, rounded half up to the µg (a negative remaining time counts as none).
    public static func projectedTotal(deliveredSoFar: DrugAmount, rate: DoseRate, remaining: Duration) -> DrugAmount {
        let (seconds, attoseconds) = remaining.components
        let milliseconds = max(Int128(seconds) * 1000 + Int128(attoseconds) / 1_000_000_000_000_000, 0)
        let more = DoseRounding.halfUp(Int128(max(rate.microgramsPerHour, 0)) * milliseconds, 3_600_000)
        return deliveredSoFar + DrugAmount(micrograms: more)
    }

    /// A *deviation* — what the pump already did (it ran past its stop, say) — is documented as it happened and
    /// never refused: this returns the same breaches, hard first, only to flag it for review and the physician.
    public static func classifyDeviation(rate: DoseRate, sessionTotal: DrugAmount, weight: Weight,
                                         protocol p: InfusionProtocol) -> [LimitBreach] {
        breaches(rate: rate, total: sessionTotal, weight: weight, protocol: p)
    }

    /// Every breach of rate and total, hard before soft, in the order rate, cap, total.
    static func breaches(rate: DoseRate, total: DrugAmount, weight: Weight, protocol p: InfusionProtocol) -> [LimitBreach] {
        var found: [LimitBreach] = []
        let grams = Int128(max(weight.grams, 0))
        let kg = DoseText.kilograms(weight)
        let rateText = "\(DoseText.milligrams(rate.microgramsPerHour)) mg/h"
        let totalText = "a session total of \(DoseText.milligrams(total.micrograms)) mg"

        // Rates: per kg, absolute, outer bound, cap.
        for level in [LimitBreach.Level.hard, .soft] {
            let perKg = level == .hard ? p.limits.ratePerKilogram.hard : p.limits.ratePerKilogram.soft
            if let perKg, Int128(rate.microgramsPerHour) * 1000 > Int128(perKg.microgramsPerKilogramPerHour) * grams {
                let threshold = DoseRounding.halfUp(Int128(perKg.microgramsPerKilogramPerHour) * grams, 1000)
                found.append(LimitBreach(level: level, limit: .ratePerKilogram, value: rate.microgramsPerHour, threshold: threshold,
                    explanation: "\(rateText) is above the \(level) limit of \(perKg) × \(kg) = \(DoseText.milligrams(threshold)) mg/h"))
            }
            let absolute = level == .hard ? p.limits.rate.hard : p.limits.rate.soft
            if let absolute, rate > absolute {
                found.append(LimitBreach(level: level, limit: .rate, value: rate.microgramsPerHour, threshold: absolute.microgramsPerHour,
                    explanation: "\(rateText) is above the \(level) limit of \(DoseText.milligrams(absolute.microgramsPerHour)) mg/h"))
            }
            if level == .hard, !found.contains(where: { $0.level == .hard && $0.limit.isRate }) {
                let bound = OuterBounds.hardRatePerKilogram
                if Int128(rate.microgramsPerHour) * 1000 > Int128(bound.microgramsPerKilogramPerHour) * grams {
                    let threshold = DoseRounding.halfUp(Int128(bound.microgramsPerKilogramPerHour) * grams, 1000)
                    found.append(LimitBreach(level: .hard, limit: .outerBoundRate, value: rate.microgramsPerHour, threshold: threshold,
                        explanation: "\(rateText) is above the outer bound of \(bound) × \(kg) = \(DoseText.milligrams(threshold)) mg/h fixed for every protocol"))
                }
            }
        }
        if let cap = p.absoluteRateCap, rate > cap, !found.contains(where: { $0.limit.isRate }) {
            found.append(LimitBreach(level: .soft, limit: .rateCap, value: rate.microgramsPerHour, threshold: cap.microgramsPerHour,
                explanation: "\(rateText) is above the protocol's rate cap of \(DoseText.milligrams(cap.microgramsPerHour)) mg/h"))
        }

        // Session totals: per kg, absolute, outer bound.
        for level in [LimitBreach.Level.hard, .soft] {
            let perKg = level == .hard ? p.limits.sessionTotalPerKilogram.hard : p.limits.sessionTotalPerKilogram.soft
            if let perKg, Int128(total.micrograms) * 1000 > Int128(perKg.microgramsPerKilogram) * grams {
                let threshold = DoseRounding.halfUp(Int128(perKg.microgramsPerKilogram) * grams, 1000)
                found.append(LimitBreach(level: level, limit: .sessionTotalPerKilogram, value: total.micrograms, threshold: threshold,
                    explanation: "\(totalText) is above the \(level) limit of \(perKg) × \(kg) = \(DoseText.milligrams(threshold)) mg"))
            }
            let absolute = level == .hard ? p.limits.sessionTotal.hard : p.limits.sessionTotal.soft
            if let absolute, total > absolute {
                found.append(LimitBreach(level: level, limit: .sessionTotal, value: total.micrograms, threshold: absolute.micrograms,
                    explanation: "\(totalText) is above the \(level) limit of \(DoseText.milligrams(absolute.micrograms)) mg"))
            }
            if level == .hard, !found.contains(where: { $0.level == .hard && !$0.limit.isRate }) {
                let bound = OuterBounds.hardSessionTotalPerKilogram
                if Int128(total.micrograms) * 1000 > Int128(bound.microgramsPerKilogram) * grams {
                    let threshold = DoseRounding.halfUp(Int128(bound.microgramsPerKilogram) * grams, 1000)
                    found.append(LimitBreach(level: .hard, limit: .outerBoundSessionTotal, value: total.micrograms, threshold: threshold,
                        explanation: "\(totalText) is above the outer bound of \(bound) × \(kg) = \(DoseText.milligrams(threshold)) mg fixed for every protocol"))
                }
            }
        }
        return found.filter { $0.level == .hard } + found.filter { $0.level == .soft }   // hard first, each in the order found
    }
}
