import Foundation

/// The thresholds the pre-infusion checklist uses, each with its source; a stored result keeps the policy in force.
///
/// The reference gives a pre-infusion hold threshold only for blood pressure (§3). For heart rate, SpO₂ and respiratory
/// rate, "within limits" is defined as "would not raise a medium- or high-priority alarm" (§3 alarm table), configurable.
public struct ChecklistPolicy: Sendable, Hashable, Codable {
    /// Consent counts for this many days after it was signed. The reference gives no period, so 365 days is a
    /// local-policy default [D], configurable.
    public var consentValidityDays: Int
    /// No solid food for 4 h before the infusion (clinical-reference §3 [D]).
    public var solidFoodFastMinutes: Int
    /// Clear fluids allowed up to 2 h before the infusion (clinical-reference §3 [D]).
    public var clearFluidFastMinutes: Int
    /// Pre-infusion hold at systolic ≥ 160 mmHg (clinical-reference §3 [D]).
    public var holdSystolicAtOrAbove: Int
    /// Pre-infusion hold at diastolic ≥ 100 mmHg (clinical-reference §3 [D]).
    public var holdDiastolicAtOrAbove: Int
    /// A held pressure is rechecked after 10 minutes' rest (clinical-reference §3 [D]).
    public var recheckRestMinutes: Int
    /// Hold below 50 beats/min: the medium-priority heart-rate alarm (clinical-reference §3 [D]).
    public var holdHeartRateBelow: Int
    /// Hold above 110 beats/min: the medium-priority heart-rate alarm (clinical-reference §3 [D]).
    public var holdHeartRateAbove: Int
    /// Hold below SpO₂ 92%: the medium-priority alarm (clinical-reference §3 [D], modified Aldrete [G]).
    public var holdOxygenSaturationBelow: Int
    /// Hold below 10 breaths/min: the medium-priority respiratory-rate alarm (clinical-reference §3 [D]).
    public var holdRespiratoryRateBelow: Int
    /// Plausible weight in grams, 30–250 kg (clinical-reference §3 [D]); outside it the weight must be confirmed.
    public var plausibleWeightGrams: ClosedRange<Int>
    /// A change of more than 10% from the last recorded weight must be confirmed (clinical-reference §3 [D]).
    public var weightChangeConfirmPercent: Int

    /// Creates a policy; every default is the one named in its documentation.
    public init(consentValidityDays: Int = 365, solidFoodFastMinutes: Int = 240, clearFluidFastMinutes: Int = 120,
                holdSystolicAtOrAbove: Int = 160, holdDiastolicAtOrAbove: Int = 100, recheckRestMinutes: Int = 10,
                holdHeartRateBelow: Int = 50, holdHeartRateAbove: Int = 110, holdOxygenSaturationBelow: Int = 92,
                holdRespiratoryRateBelow: Int = 10,
                plausibleWeightGrams: ClosedRange<Int> = Int(Weight.plausibleKilograms.lowerBound * 1000)...Int(Weight.plausibleKilograms.upperBound * 1000),
                weightChangeConfirmPercent: Int = 10) {
        self.consentValidityDays = consentValidityDays
        self.solidFoodFastMinutes = solidFoodFastMinutes
        self.clearFluidFastMinutes = clearFluidFastMinutes
        self.holdSystolicAtOrAbove = holdSystolicAtOrAbove
        self.holdDiastolicAtOrAbove = holdDiastolicAtOrAbove
        self.recheckRestMinutes = recheckRestMinutes
        self.holdHeartRateBelow = holdHeartRateBelow
        self.holdHeartRateAbove = holdHeartRateAbove
        self.holdOxygenSaturationBelow = holdOxygenSaturationBelow
        self.holdRespiratoryRateBelow = holdRespiratoryRateBelow
        self.plausibleWeightGrams = plausibleWeightGrams
        self.weightChangeConfirmPercent = weightChangeConfirmPercent
    }

    /// The defaults, all local policy per clinical-reference §3 [D] (and the consent period, which the reference leaves open).
    public static let standard = ChecklistPolicy()

    /// Whether a pressure is at or above the hold threshold (either number suffices).
    public func holdsBloodPressure(systolic: Int, diastolic: Int) -> Bool {
        systolic >= holdSystolicAtOrAbove || diastolic >= holdDiastolicAtOrAbove
    }
}
