import Foundation

/// A soft and a hard limit on one quantity; either may be absent (clinical-reference §4: above soft a second
/// clinician confirms with a reason, above hard nothing can be ordered or entered).
public struct SoftHardLimit<Value: Sendable & Hashable & Codable & Comparable>: Sendable, Hashable, Codable {
    /// Above this a second clinician confirms with a reason.
    public var soft: Value?
    /// Above this the order or rate change is refused.
    public var hard: Value?

    public init(soft: Value? = nil, hard: Value? = nil) {
        self.soft = soft
        self.hard = hard
    }

    /// No limit of this kind.
    public static var none: Self { Self() }
}

/// A protocol's limits, as the entries of a smart pump's drug library hold them (clinical-reference §4 [D]).
/// A limit is passed when the value is strictly above it ("> 1.0 mg/kg/h"); a value equal to it is within.
public struct ProtocolLimits: Sendable, Hashable, Codable {
    /// Rate per kg of today's weight (e.g. soft 1.0, hard 2.0 mg/kg/h).
    public var ratePerKilogram: SoftHardLimit<WeightBasedRate>
    /// Absolute rate (e.g. soft 50, hard 80 mg/h).
    public var rate: SoftHardLimit<DoseRate>
    /// Session total per kg of today's weight (e.g. soft 1.0, hard 1.5 mg/kg).
    public var sessionTotalPerKilogram: SoftHardLimit<WeightBasedAmount>
    /// Absolute session total (e.g. soft 100, hard 120 mg).
    public var sessionTotal: SoftHardLimit<DrugAmount>

    public init(ratePerKilogram: SoftHardLimit<WeightBasedRate> = .none, rate: SoftHardLimit<DoseRate> = .none,
                sessionTotalPerKilogram: SoftHardLimit<WeightBasedAmount> = .none,
                sessionTotal: SoftHardLimit<DrugAmount> = .none) {
        self.ratePerKilogram = ratePerKilogram
        self.rate = rate
        self.sessionTotalPerKilogram = sessionTotalPerKilogram
        self.sessionTotal = sessionTotal
    }
}

/// Bounds fixed in code that no protocol's limits may pass, and that every check applies whatever the protocol
/// says (clinical-reference §4: "hard rate ≤ 2.0 mg/kg/h and hard session total ≤ 2.0 mg/kg for any protocol";
/// for context 1–2 mg/kg IV is an anaesthetic dose, Zanos 2018 Pharmacol Rev Table 1).
public enum OuterBounds {
    /// Hard rate ≤ 2.0 mg/kg/h for any protocol (clinical-reference §4).
    public static let hardRatePerKilogram = WeightBasedRate(microgramsPerKilogramPerHour: 2_000)
    /// Hard session total ≤ 2.0 mg/kg for any protocol (clinical-reference §4).
    public static let hardSessionTotalPerKilogram = WeightBasedAmount(microgramsPerKilogram: 2_000)
}

extension ProtocolLimits {
    /// Field errors of these limits, named `limits.<quantity>.<soft|hard>`: positive values, soft ≤ hard, and no
    /// weight-based limit above the outer bounds.
    func fieldErrors(prefix: String = "limits") -> [FieldError] {
        var errors: [FieldError] = []
        func check<V>(_ pair: SoftHardLimit<V>, _ name: String, isPositive: (V) -> Bool, outerBound: V? = nil) {
            let field = "\(prefix).\(name)"
            for (level, value) in [("soft", pair.soft), ("hard", pair.hard)] {
                guard let value else { continue }
                if !isPositive(value) { errors.append(FieldError("\(field).\(level)", "must be above zero")) }
                if let outerBound, value > outerBound {
                    errors.append(FieldError("\(field).\(level)",
                        "\(value) is beyond the outer bound of \(outerBound) fixed in code (clinical-reference §4)"))
                }
            }
            if let soft = pair.soft, let hard = pair.hard, soft > hard {
                errors.append(FieldError("\(field).soft", "the soft limit \(soft) must not be above the hard limit \(hard)"))
            }
        }
        check(ratePerKilogram, "ratePerKilogram", isPositive: { $0.microgramsPerKilogramPerHour > 0 },
              outerBound: OuterBounds.hardRatePerKilogram)
        check(rate, "rate", isPositive: { $0.microgramsPerHour > 0 })
        check(sessionTotalPerKilogram, "sessionTotalPerKilogram", isPositive: { $0.microgramsPerKilogram > 0 },
              outerBound: OuterBounds.hardSessionTotalPerKilogram)
        check(sessionTotal, "sessionTotal", isPositive: { $0.micrograms > 0 })
        return errors
    }
}
