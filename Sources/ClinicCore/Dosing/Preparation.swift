import Foundation

/// A volume of fluid, exact in microlitres (so 0.1 mL is 100).
public struct FluidVolume: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var microlitres: Int64

    public init(microlitres: Int64) { self.microlitres = microlitres }
    /// Whole millilitres.
    public init(millilitres: Int) { microlitres = Int64(millilitres) * 1000 }
    /// Millilitres as typed, rounded to the nearest µL.
    public init(millilitres: Double) { microlitres = Int64((millilitres * 1000).rounded()) }

    public static let zero = FluidVolume(microlitres: 0)
    public static func < (a: Self, b: Self) -> Bool { a.microlitres < b.microlitres }
    public static func + (a: Self, b: Self) -> Self { Self(microlitres: a.microlitres + b.microlitres) }
    /// "100 mL", "2.5 mL" (exact).
    public var description: String { "\(DoseText.milligrams(microlitres)) mL" }
}

/// A vial's labelled strength, exact in µg/mL (ketamine vials state mg/mL; 50 mg/mL is 50 000).
public struct VialStrength: Sendable, Hashable, Codable, CustomStringConvertible {
    public var microgramsPerMillilitre: Int64

    public init(microgramsPerMillilitre: Int64) { self.microgramsPerMillilitre = microgramsPerMillilitre }
    /// Whole mg/mL as labelled (10, 50, 100).
    public init(milligramsPerMillilitre: Int64) { microgramsPerMillilitre = milligramsPerMillilitre * 1000 }
    /// "50 mg/mL".
    public var description: String { "\(DoseText.milligrams(microgramsPerMillilitre)) mg/mL" }
}

/// A concentration kept as the exact ratio drug ÷ volume (200 mg in 60 mL stays 200 mg / 60 mL, never 3.333…).
public struct Concentration: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Drug in the container.
    public var drug: DrugAmount
    /// Final volume of the container.
    public var volume: FluidVolume

    public init(drug: DrugAmount, in volume: FluidVolume) {
        self.drug = drug
        self.volume = volume
    }

    /// µg/mL rounded half up to the µg/mL (for display; arithmetic uses the exact ratio).
    public var microgramsPerMillilitre: Int64 {
        DoseRounding.halfUp(Int128(drug.micrograms) * 1000, Int128(max(volume.microlitres, 1)))
    }

    /// "2 mg/mL", "3.333 mg/mL" (to the µg/mL).
    public var description: String { "\(DoseText.milligrams(microgramsPerMillilitre)) mg/mL" }

    /// Whether two concentrations are the same ratio (2 mg/mL == 200 mg / 100 mL == 100 mg / 50 mL).
    public func isEquivalent(to other: Concentration) -> Bool {
        Int128(drug.micrograms) * Int128(other.volume.microlitres) == Int128(other.drug.micrograms) * Int128(volume.microlitres)
    }
}

/// How a bag or syringe is made up (clinical-reference §4: vial strength, volume drawn, diluent and final volume
/// → final concentration, from which the pump rate derives).
public struct Preparation: Sendable, Hashable, Codable {
    /// The labelled vial strength.
    public var vialStrength: VialStrength
    /// What the vial holds, when known (drawn must not exceed it); nil when drawing from several vials.
    public var vialVolume: FluidVolume?
    /// Volume of drug drawn from the vial(s).
    public var volumeDrawn: FluidVolume
    /// Diluent added (e.g. 0.9% saline); zero for undiluted drug.
    public var diluentVolume: FluidVolume
    /// The bag's final volume as measured or labelled; nil means drawn + diluent.
    public var finalVolume: FluidVolume?

    public init(vialStrength: VialStrength, vialVolume: FluidVolume? = nil, volumeDrawn: FluidVolume,
                diluentVolume: FluidVolume, finalVolume: FluidVolume? = nil) {
        self.vialStrength = vialStrength
        self.vialVolume = vialVolume
        self.volumeDrawn = volumeDrawn
        self.diluentVolume = diluentVolume
        self.finalVolume = finalVolume
    }

    /// The bag as made up: drug in it and final concentration. Throws `ClinicError.invalid` naming each bad field:
    /// positive strength and drawn volume, drawn ≤ vial volume, diluent ≥ 0, final ≥ drawn.
    public func prepared() throws -> PreparedInfusion {
        var errors = FieldErrors()
        if vialStrength.microgramsPerMillilitre <= 0 { errors.add("vialStrength", "the vial strength must be above zero") }
        if let vialVolume, vialVolume.microlitres <= 0 { errors.add("vialVolume", "the vial volume must be above zero") }
        if volumeDrawn.microlitres <= 0 { errors.add("volumeDrawn", "the volume drawn must be above zero") }
        if let vialVolume, vialVolume.microlitres > 0, volumeDrawn > vialVolume {
            errors.add("volumeDrawn", "\(volumeDrawn) drawn is more than the vial's \(vialVolume)")
        }
        if diluentVolume.microlitres < 0 { errors.add("diluentVolume", "the diluent volume cannot be negative") }
        let final = finalVolume ?? volumeDrawn + diluentVolume
        if let finalVolume, finalVolume < volumeDrawn {
            errors.add("finalVolume", "the final volume \(finalVolume) is less than the \(volumeDrawn) drawn")
        }
        try errors.throwIfAny()
        // µg = µg/mL × µL / 1000, rounded half up to the µg (exact for any volume drawn to 1 µL of a whole mg/mL vial).
        let drug = DrugAmount(micrograms: DoseRounding.halfUp(
            Int128(vialStrength.microgramsPerMillilitre) * Int128(volumeDrawn.microlitres), 1000))
        return PreparedInfusion(drug: drug, finalVolume: final)
    }
}

/// A made-up bag or syringe: the drug in it and its volume, hence its exact concentration.
public struct PreparedInfusion: Sendable, Hashable, Codable {
    public var drug: DrugAmount
    public var finalVolume: FluidVolume

    public init(drug: DrugAmount, finalVolume: FluidVolume) {
        self.drug = drug
        self.finalVolume = finalVolume
    }

    /// The exact final concentration.
    public var concentration: Concentration { Concentration(drug: drug, in: finalVolume) }
}

/// A pump rate in tenths of a mL/h, the resolution pumps are programmed in (shown to 0.1 mL/h).
public struct PumpRate: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var tenthsOfMillilitrePerHour: Int64

    public init(tenthsOfMillilitrePerHour: Int64) { self.tenthsOfMillilitrePerHour = tenthsOfMillilitrePerHour }

    /// Pump rate (mL/h) = dose rate (mg/h) ÷ concentration (mg/mL) (clinical-reference §4), rounded half up to
    /// 0.1 mL/h: 52.5 mg/h ÷ 2 mg/mL = 26.25 → 26.3 mL/h. Throws `ClinicError.invalid` (`concentration`) for a
    /// concentration that is not above zero.
    public init(delivering rate: DoseRate, at concentration: Concentration) throws {
        guard concentration.drug.micrograms > 0, concentration.volume.microlitres > 0 else {
            throw ClinicError.invalid("concentration", "the bag's concentration must be above zero")
        }
        // tenths of mL/h = µg/h × µL / (µg × 1000 µL/mL) × 10
        tenthsOfMillilitrePerHour = DoseRounding.halfUp(
            Int128(rate.microgramsPerHour) * Int128(concentration.volume.microlitres),
            Int128(concentration.drug.micrograms) * 100)
    }

    public static func < (a: Self, b: Self) -> Bool { a.tenthsOfMillilitrePerHour < b.tenthsOfMillilitrePerHour }

    /// The dose rate the pump actually gives at this setting (26.3 mL/h × 2 mg/mL = 52.6 mg/h), rounded half up to the µg/h.
    public func doseRate(at concentration: Concentration) -> DoseRate {
        DoseRate(microgramsPerHour: DoseRounding.halfUp(
            Int128(tenthsOfMillilitrePerHour) * 100 * Int128(concentration.drug.micrograms),
            Int128(max(concentration.volume.microlitres, 1))))
    }

    /// "26.3 mL/h" (always one decimal).
    public var description: String {
        let sign = tenthsOfMillilitrePerHour < 0 ? "-" : ""
        let m = tenthsOfMillilitrePerHour.magnitude
        return "\(sign)\(m / 10).\(m % 10) mL/h"
    }
}
