import Foundation

/// The physiology of one simulated patient during a ketamine infusion: resting values and the typical rise.
///
/// Ranges are those of a calm adult at rest (HR 70–85/min, SpO₂ 96–99 %, RR 12–18/min, BP about 120/78 mmHg,
/// EtCO₂ 35–40 mmHg). The ketamine rise follows clinical-reference §2 ("Blood pressure during infusions": mean
/// +16/+11 mmHg over 2,342 infusions at Yale): each patient's rise is drawn around that mean and builds as
/// `1 − e^(−t/6 min)` — two thirds after 6 min, 95 % by about 18 min, then a plateau (the reference's peak at 30–40 min).
/// Ranges are chosen so that a patient without a scenario never passes a §3 alarm limit.
public struct SimulatedPatient: Sendable, Hashable, Codable {
    /// Resting heart rate, beats/min.
    public var heartRate: Double
    /// Resting SpO₂, %.
    public var oxygenSaturation: Double
    /// Resting respiratory rate, breaths/min.
    public var respiratoryRate: Double
    /// Resting systolic pressure, mmHg.
    public var systolic: Double
    /// Resting diastolic pressure, mmHg.
    public var diastolic: Double
    /// Resting end-tidal CO₂, mmHg, or nil when the chair has no capnograph.
    public var endTidalCO2: Double?
    /// The full ketamine rise of the systolic pressure, mmHg (mean +16, clinical-reference §2).
    public var systolicRise: Double
    /// The full ketamine rise of the diastolic pressure, mmHg (mean +11, clinical-reference §2).
    public var diastolicRise: Double
    /// The full ketamine rise of the heart rate, beats/min (ketamine is sympathomimetic; a modest rise).
    public var heartRateRise: Double

    /// Creates a patient.
    public init(heartRate: Double = 76, oxygenSaturation: Double = 98, respiratoryRate: Double = 14, systolic: Double = 120,
                diastolic: Double = 78, endTidalCO2: Double? = 37, systolicRise: Double = 16, diastolicRise: Double = 11,
                heartRateRise: Double = 6) {
        self.heartRate = heartRate
        self.oxygenSaturation = oxygenSaturation
        self.respiratoryRate = respiratoryRate
        self.systolic = systolic
        self.diastolic = diastolic
        self.endTidalCO2 = endTidalCO2
        self.systolicRise = systolicRise
        self.diastolicRise = diastolicRise
        self.heartRateRise = heartRateRise
    }

    /// How fast the ketamine rise builds: `1 − e^(−t/τ)` with τ = 6 min (95 % at 18 min).
    public static let riseTimeConstant: TimeInterval = 360

    /// The share of the full rise reached `infusionElapsed` seconds into the infusion (0 before it starts).
    public static func riseFraction(infusionElapsed: TimeInterval) -> Double {
        infusionElapsed <= 0 ? 0 : 1 - Foundation.exp(-infusionElapsed / riseTimeConstant)
    }

    /// A patient drawn from `seed` for `chair`; half of the chairs (by draw) have a capnograph.
    public static func generated(seed: UInt64, chair: Int) -> SimulatedPatient {
        var random = SimulationRandom(seed: seed, stream: UInt64(truncatingIfNeeded: chair) &* 8 &+ 1)
        return SimulatedPatient(
            heartRate: random.uniform(70...85).rounded(),
            oxygenSaturation: random.uniform(96...99).rounded(),
            respiratoryRate: random.uniform(12...18).rounded(),
            systolic: random.uniform(112...130).rounded(),
            diastolic: random.uniform(72...82).rounded(),
            endTidalCO2: random.unit() < 0.5 ? random.uniform(35...40).rounded() : nil,
            systolicRise: min(max(16 + 3 * random.gaussian(), 10), 22),
            diastolicRise: min(max(11 + 2 * random.gaussian(), 7), 13),
            heartRateRise: random.uniform(3...8)
        )
    }
}
