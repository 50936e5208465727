import Foundation
import Testing
@testable import ClinicCore

@Suite struct DosingOrderedDoseTests {
    typealias F = DosingFixture

    @Test func standardInductionAt70KilogramsIs52Point5MilligramsPerHourAnd35MilligramsIn40Minutes() throws {
        // Sanacora 2017 JAMA Psychiatry 74:399: 0.5 mg/kg over 40 min = 0.75 mg/kg/h
        // 0.75 mg/kg/h × 70 kg = 52.5 mg/h = 52 500 µg/h; × 40/60 h = 35 mg = 0.5 mg/kg
        let dose = try InfusionProtocol.standardInduction.orderedDose(for: F.kg(70))
        #expect(dose.rate == F.mgPerHour(52_500) && !dose.isCapped)
        #expect(dose.plannedTotal == F.mg(35_000))
        #expect(dose.protocolID == InfusionProtocol.StandardID.standardInduction && dose.protocolVersion == 1)
        #expect(dose.rate.description == "52.5 mg/h")
    }

    @Test func crpsRateIsCappedAt25MilligramsPerHourFor90Kilograms() throws {
        // Schwartzman 2009, Pain: 0.35 mg/kg/h never above 25 mg/h
        // 90 kg × 0.35 = 31.5 mg/h → capped to 25 mg/h; 25 mg/h × 4 h = 100 mg
        let dose = try InfusionProtocol.crpsExtended.orderedDose(for: F.kg(90))
        #expect(dose.uncappedRate == F.mgPerHour(31_500))
        #expect(dose.rate == F.mgPerHour(25_000) && dose.isCapped)
        #expect(dose.plannedTotal == F.mg(100_000))
    }

    @Test func crpsRateBelowTheCapIsNotCapped() throws {
        // Schwartzman 2009, Pain: 60 kg × 0.35 = 21 mg/h (below 25); × 4 h = 84 mg
        let dose = try InfusionProtocol.crpsExtended.orderedDose(for: F.kg(60))
        #expect(dose.rate == F.mgPerHour(21_000) && !dose.isCapped)
        #expect(dose.plannedTotal == F.mg(84_000))
    }

    @Test func guidelineTrialFlatDoseIs40MilligramsPerHourWhateverTheWeight() throws {
        // Cohen 2018 RAPM 43:521: 80 mg over 120 min = 80 × 60/120 = 40 mg/h; total 80 mg
        for kilograms in [50, 70, 120] {
            let dose = try InfusionProtocol.guidelineTrial.orderedDose(for: F.kg(kilograms))
            #expect(dose.rate == F.mgPerHour(40_000))
            #expect(dose.plannedTotal == F.mg(80_000))
        }
    }

    @Test func aWeightBasedDoseOverTimeGivesTheSameRateAsTheHourlyForm() throws {
        // Sanacora 2017: 0.5 mg/kg over 40 min at 70 kg = 35 mg over 40 min = 35 × 60/40 = 52.5 mg/h
        var p = InfusionProtocol.standardInduction
        p.dosing = .weightBasedDose(WeightBasedAmount(microgramsPerKilogram: 500), overMinutes: 40)
        let dose = try p.orderedDose(for: F.kg(70))
        #expect(dose.rate == F.mgPerHour(52_500) && dose.plannedTotal == F.mg(35_000))
        #expect(p.dosing.summary == "0.5 mg/kg over 40 min")
    }

    @Test func orderedRatesRoundDownToTheMicrogram() throws {
        // an order never exceeds its prescription (rounding rule in DoseRounding):
        // 0.75 mg/kg/h × 70.002 kg = 52.5015 mg/h = 52 501.5 µg/h → 52 501 µg/h;
        // the total is worked from the exact rate: 52 501.5 × 40/60 = 35 001 µg
        let half = try InfusionProtocol.standardInduction.orderedDose(for: Weight(grams: 70_002, enteredUnit: .kg))
        #expect(half.rate == F.mgPerHour(52_501) && half.plannedTotal == F.mg(35_001))
        // 0.35 mg/kg/h × 40.005 kg = 14.00175 mg/h → 14 001 µg/h, so CRPS's own dose, which sits exactly on its soft
        // limit of 0.35 mg/kg/h (clinical-reference §4 [D]), is not pushed over it by rounding
        let crps = try InfusionProtocol.crpsExtended.orderedDose(for: Weight(grams: 40_005, enteredUnit: .kg))
        #expect(crps.rate == F.mgPerHour(14_001))
        #expect(LimitCheck.check(rate: crps.rate, plannedTotal: crps.plannedTotal, weight: crps.weight, protocol: .crpsExtended) == .withinLimits)
    }

    @Test func aWeightInPoundsUsesItsExactGrams() throws {
        // 154.324 lb × 453.59237 g/lb = 70 000 g (rounded to the gram) → the same 52.5 mg/h as 70 kg
        let dose = try InfusionProtocol.standardInduction.orderedDose(for: Weight(value: 154.324, unit: .lb))
        #expect(dose.weight.grams == 70_000 && dose.rate == F.mgPerHour(52_500))
    }

    @Test func aDifferentDurationChangesTheTotalNotTheRate() throws {
        // 52.5 mg/h for 60 min (the longest session of clinical-reference §4's 40–60 min) = 52.5 mg = 0.75 mg/kg
        let dose = try InfusionProtocol.standardInduction.orderedDose(for: F.kg(70), durationMinutes: 60)
        #expect(dose.rate == F.mgPerHour(52_500) && dose.plannedTotal == F.mg(52_500) && dose.durationMinutes == 60)
    }

    @Test func noDoseWithoutAWeightOrATime() {
        #expect(F.invalidFields { _ = try InfusionProtocol.standardInduction.orderedDose(for: Weight(grams: 0, enteredUnit: .kg), durationMinutes: 0) }
                == ["weight", "durationMinutes"])
    }
}
