import Foundation
import Testing
@testable import ClinicCore

@Suite struct DosingPreparationTests {
    typealias F = DosingFixture

    /// 4 mL of a 50 mg/mL, 10 mL vial into 96 mL of saline: 200 mg in 100 mL.
    static let standardBag = Preparation(vialStrength: VialStrength(milligramsPerMillilitre: 50), vialVolume: FluidVolume(millilitres: 10),
                                         volumeDrawn: FluidVolume(millilitres: 4), diluentVolume: FluidVolume(millilitres: 96))

    @Test func aBagOf200MilligramsIn100MillilitresIs2MilligramsPerMillilitre() throws {
        // clinical-reference §4 (preparation): 50 mg/mL × 4 mL = 200 mg; final 4 + 96 = 100 mL; 200/100 = 2 mg/mL
        let bag = try Self.standardBag.prepared()
        #expect(bag.drug == F.mg(200_000) && bag.finalVolume == FluidVolume(millilitres: 100))
        #expect(bag.concentration.microgramsPerMillilitre == 2_000)
        #expect(bag.concentration.description == "2 mg/mL")
        #expect(bag.concentration.isEquivalent(to: Concentration(drug: F.mg(100_000), in: FluidVolume(millilitres: 50))))
    }

    @Test func pumpRateIsDoseRateOverConcentrationToATenthOfAMillilitrePerHour() throws {
        // clinical-reference §4: pump rate (mL/h) = dose rate (mg/h) ÷ concentration (mg/mL)
        // 52.5 mg/h ÷ 2 mg/mL = 26.25 mL/h → 26.3 mL/h (half up to 0.1 mL/h)
        let bag = try Self.standardBag.prepared()
        let pump = try PumpRate(delivering: F.mgPerHour(52_500), at: bag.concentration)
        #expect(pump.tenthsOfMillilitrePerHour == 263 && pump.description == "26.3 mL/h")
        // at 26.3 mL/h the pump gives 26.3 × 2 = 52.6 mg/h
        #expect(pump.doseRate(at: bag.concentration) == F.mgPerHour(52_600))
    }

    @Test func aConcentrationThatIsNotAWholeNumberStaysExact() throws {
        // 200 mg in 60 mL = 3.333… mg/mL, kept as 200 mg / 60 mL:
        // 40 mg/h ÷ (200/60) = 40 × 60/200 = 12.0 mL/h exactly (Cohen 2018 trial rate);
        // 25 mg/h ÷ (200/60) = 7.5 mL/h exactly (Schwartzman 2009 cap)
        let bag = try Preparation(vialStrength: VialStrength(milligramsPerMillilitre: 50), volumeDrawn: FluidVolume(millilitres: 4),
                                  diluentVolume: FluidVolume(millilitres: 56)).prepared()
        #expect(bag.concentration.description == "3.333 mg/mL")
        #expect(try PumpRate(delivering: F.mgPerHour(40_000), at: bag.concentration).description == "12.0 mL/h")
        #expect(try PumpRate(delivering: F.mgPerHour(25_000), at: bag.concentration).description == "7.5 mL/h")
    }

    @Test func aMeasuredFinalVolumeOverridesDrawnPlusDiluent() throws {
        // a 100 mL saline bag measured at 104 mL after adding 4 mL: 200 mg in 104 mL;
        // 52.5 mg/h × 104/200 = 27.3 mL/h
        var prep = Self.standardBag
        prep.finalVolume = FluidVolume(millilitres: 104)
        let bag = try prep.prepared()
        #expect(bag.finalVolume == FluidVolume(millilitres: 104))
        #expect(try PumpRate(delivering: F.mgPerHour(52_500), at: bag.concentration).tenthsOfMillilitrePerHour == 273)
    }

    @Test func fractionalVolumesAreExactToTheMicrolitre() throws {
        // 100 mg/mL × 0.35 mL = 35 mg; in 0.35 + 34.65 = 35 mL → 1 mg/mL
        let bag = try Preparation(vialStrength: VialStrength(milligramsPerMillilitre: 100), volumeDrawn: FluidVolume(microlitres: 350),
                                  diluentVolume: FluidVolume(microlitres: 34_650)).prepared()
        #expect(bag.drug == F.mg(35_000) && bag.concentration.microgramsPerMillilitre == 1_000)
        #expect(FluidVolume(millilitres: 0.35).microlitres == 350)
    }

    @Test func drawingMoreThanTheVialOrAFinalVolumeBelowTheDrawnIsRefused() {
        // given 12 mL drawn from a 10 mL vial into a stated final volume of 11 mL
        let prep = Preparation(vialStrength: VialStrength(milligramsPerMillilitre: 50), vialVolume: FluidVolume(millilitres: 10),
                               volumeDrawn: FluidVolume(millilitres: 12), diluentVolume: .zero, finalVolume: FluidVolume(millilitres: 11))
        // then both fields are named, with the volumes in the reason
        #expect(throws: ClinicError.invalid([FieldError("volumeDrawn", "12 mL drawn is more than the vial's 10 mL"),
                                             FieldError("finalVolume", "the final volume 11 mL is less than the 12 mL drawn")])) {
            try prep.prepared()
        }
    }

    @Test func zeroAndNegativeInputsAreNamed() {
        let prep = Preparation(vialStrength: VialStrength(microgramsPerMillilitre: 0), vialVolume: FluidVolume(millilitres: 0),
                               volumeDrawn: .zero, diluentVolume: FluidVolume(microlitres: -1))
        #expect(F.invalidFields { _ = try prep.prepared() } == ["vialStrength", "vialVolume", "volumeDrawn", "diluentVolume"])
        #expect(F.invalidFields { _ = try PumpRate(delivering: F.mgPerHour(1), at: Concentration(drug: .zero, in: FluidVolume(millilitres: 1))) }
                == ["concentration"])
    }
}
