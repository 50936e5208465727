import Foundation
import Tagged
import Testing
@testable import ClinicCore

@Suite struct DosingLimitCheckTests {
    typealias F = DosingFixture

    /// The limits passed, as (level, limit) pairs, hard first.
    static func passed(rate: Int64, total: Int64 = 0, kg: Int, _ p: InfusionProtocol) -> [String] {
        LimitCheck.check(rate: F.mgPerHour(rate), plannedTotal: F.mg(total), weight: F.kg(kg), protocol: p)
            .breaches.map { "\($0.level.rawValue) \($0.limit.rawValue)" }
    }

    @Test func standardInductionRateLimitsAtAndJustAboveEachBoundary() {
        // clinical-reference §4 [D] at 70 kg: soft > 1.0 mg/kg/h × 70 = 70 mg/h; hard > 2.0 × 70 = 140 mg/h
        let p = InfusionProtocol.standardInduction
        #expect(Self.passed(rate: 70_000, kg: 70, p) == [])
        #expect(Self.passed(rate: 70_001, kg: 70, p) == ["soft ratePerKilogram"])
        #expect(Self.passed(rate: 140_000, kg: 70, p) == ["soft ratePerKilogram"])
        #expect(Self.passed(rate: 140_001, kg: 70, p) == ["hard ratePerKilogram", "soft ratePerKilogram"])
    }

    @Test func standardInductionSessionTotalLimitsAtAndJustAboveEachBoundary() {
        // clinical-reference §4 [D] at 70 kg: soft > 1.0 mg/kg × 70 = 70 mg; hard > 1.5 × 70 = 105 mg
        let p = InfusionProtocol.standardInduction
        #expect(Self.passed(rate: 52_500, total: 70_000, kg: 70, p) == [])
        #expect(Self.passed(rate: 52_500, total: 70_001, kg: 70, p) == ["soft sessionTotalPerKilogram"])
        #expect(Self.passed(rate: 52_500, total: 105_000, kg: 70, p) == ["soft sessionTotalPerKilogram"])
        #expect(Self.passed(rate: 52_500, total: 105_001, kg: 70, p) == ["hard sessionTotalPerKilogram", "soft sessionTotalPerKilogram"])
    }

    @Test func boosterHasTheInductionLimits() {
        // clinical-reference §4 [D]: "Standard induction / booster" share one row
        let p = InfusionProtocol.booster
        #expect(Self.passed(rate: 70_001, kg: 70, p) == ["soft ratePerKilogram"])
        #expect(Self.passed(rate: 52_500, total: 105_001, kg: 70, p) == ["hard sessionTotalPerKilogram", "soft sessionTotalPerKilogram"])
    }

    @Test func guidelineTrialLimitsAtAndJustAboveEachBoundary() {
        // clinical-reference §4 [D] (Cohen 2018 RAPM 43:521 trial): rate soft > 50, hard > 80 mg/h; total soft > 100, hard > 120 mg
        let p = InfusionProtocol.guidelineTrial
        #expect(Self.passed(rate: 50_000, kg: 70, p) == [])
        #expect(Self.passed(rate: 50_001, kg: 70, p) == ["soft rate"])
        #expect(Self.passed(rate: 80_000, kg: 70, p) == ["soft rate"])
        #expect(Self.passed(rate: 80_001, kg: 70, p) == ["hard rate", "soft rate"])
        #expect(Self.passed(rate: 40_000, total: 100_000, kg: 70, p) == [])
        #expect(Self.passed(rate: 40_000, total: 100_001, kg: 70, p) == ["soft sessionTotal"])
        #expect(Self.passed(rate: 40_000, total: 120_000, kg: 70, p) == ["soft sessionTotal"])
        #expect(Self.passed(rate: 40_000, total: 120_001, kg: 70, p) == ["hard sessionTotal", "soft sessionTotal"])
    }

    @Test func crpsWeightBasedRateLimitsBindFor70Kilograms() {
        // clinical-reference §4 [D], Schwartzman 2009: at 70 kg soft 0.35 × 70 = 24.5 mg/h (< 25 mg/h),
        // hard 0.5 × 70 = 35 mg/h (< 40 mg/h)
        let p = InfusionProtocol.crpsExtended
        #expect(Self.passed(rate: 24_500, kg: 70, p) == [])
        #expect(Self.passed(rate: 24_501, kg: 70, p) == ["soft ratePerKilogram"])
        #expect(Self.passed(rate: 35_000, kg: 70, p) == ["soft ratePerKilogram", "soft rate"])
        #expect(Self.passed(rate: 35_001, kg: 70, p) == ["hard ratePerKilogram", "soft ratePerKilogram", "soft rate"])
    }

    @Test func crpsAbsoluteRateLimitsBindFor90Kilograms() {
        // clinical-reference §4 [D], Schwartzman 2009: at 90 kg soft 25 mg/h (< 0.35 × 90 = 31.5), hard 40 mg/h (< 0.5 × 90 = 45)
        let p = InfusionProtocol.crpsExtended
        #expect(Self.passed(rate: 25_000, kg: 90, p) == [])
        #expect(Self.passed(rate: 25_001, kg: 90, p) == ["soft rate"])
        #expect(Self.passed(rate: 40_000, kg: 90, p) == ["soft ratePerKilogram", "soft rate"])
        #expect(Self.passed(rate: 40_001, kg: 90, p) == ["hard rate", "soft ratePerKilogram", "soft rate"])
    }

    @Test func crpsSessionTotalLimitsAtAndJustAboveEachBoundary() {
        // clinical-reference §4 [D] at 70 kg: soft > 1.5 mg/kg × 70 = 105 mg; hard > 2.0 × 70 = 140 mg
        let p = InfusionProtocol.crpsExtended
        #expect(Self.passed(rate: 24_500, total: 105_000, kg: 70, p) == [])
        #expect(Self.passed(rate: 24_500, total: 105_001, kg: 70, p) == ["soft sessionTotalPerKilogram"])
        #expect(Self.passed(rate: 24_500, total: 140_000, kg: 70, p) == ["soft sessionTotalPerKilogram"])
        #expect(Self.passed(rate: 24_500, total: 140_001, kg: 70, p) == ["hard sessionTotalPerKilogram", "soft sessionTotalPerKilogram"])
    }

    @Test func theOuterBoundsRefuseWhatAnAbsoluteOnlyProtocolWouldAllow() {
        // clinical-reference §4: hard ≤ 2.0 mg/kg/h and ≤ 2.0 mg/kg for any protocol. At 30 kg that is 60 mg/h and 60 mg,
        // below the guideline trial's own hard limits of 80 mg/h and 120 mg
        let p = InfusionProtocol.guidelineTrial
        #expect(Self.passed(rate: 60_000, total: 60_000, kg: 30, p) == ["soft rate"])
        #expect(Self.passed(rate: 60_001, total: 60_000, kg: 30, p) == ["hard outerBoundRate", "soft rate"])
        #expect(Self.passed(rate: 40_000, total: 60_001, kg: 30, p) == ["hard outerBoundSessionTotal"])
        // so the trial's own 80 mg is refused for a patient under 40 kg (80 mg ÷ 2.0 mg/kg = 40 kg)
        let verdict = LimitCheck.check(rate: F.mgPerHour(40_000), plannedTotal: F.mg(80_000), weight: F.kg(39), protocol: p)
        #expect(verdict.isRefused)
        #expect(verdict.breaches.first?.explanation
                == "a session total of 80 mg is above the outer bound of 2.0 mg/kg × 39.0 kg = 78 mg fixed for every protocol")
    }

    @Test func aRateAboveTheCapIsFlaggedSoftWhenNoOtherLimitCatchesIt() {
        // Schwartzman 2009: "never above 25 mg/h"; a protocol with the cap but only a hard per-kg limit (0.5 × 90 = 45 mg/h)
        var p = InfusionProtocol.crpsExtended
        p.limits.rate = .none
        p.limits.ratePerKilogram.soft = nil
        #expect(Self.passed(rate: 25_000, kg: 90, p) == [])
        #expect(Self.passed(rate: 25_001, kg: 90, p) == ["soft rateCap"])
    }

    @Test func breachesExplainTheLimitInWordsForStaff() {
        // 52.5 mg/h for CRPS at 70 kg: hard 0.5 mg/kg/h × 70 kg = 35 mg/h and hard 40 mg/h; soft 24.5 and 25 mg/h
        let verdict = LimitCheck.check(rate: F.mgPerHour(52_500), plannedTotal: .zero, weight: F.kg(70), protocol: .crpsExtended)
        #expect(verdict.breaches.map(\.explanation) == [
            "52.5 mg/h is above the hard limit of 0.5 mg/kg/h × 70.0 kg = 35 mg/h",
            "52.5 mg/h is above the hard limit of 40 mg/h",
            "52.5 mg/h is above the soft limit of 0.35 mg/kg/h × 70.0 kg = 24.5 mg/h",
            "52.5 mg/h is above the soft limit of 25 mg/h",
        ])
        #expect(verdict.breaches[0].value == 52_500 && verdict.breaches[0].threshold == 35_000)
    }

    @Test func perKilogramLimitsCompareExactlyForAnyWeight() {
        // 0.35 mg/kg/h × 70.001 kg = 24.50035 mg/h: 24 500 µg/h is within, 24 501 µg/h is above (no rounding of the limit first)
        let w = Weight(grams: 70_001, enteredUnit: .kg)
        let within = LimitCheck.check(rate: F.mgPerHour(24_500), plannedTotal: .zero, weight: w, protocol: .crpsExtended)
        let above = LimitCheck.check(rate: F.mgPerHour(24_501), plannedTotal: .zero, weight: w, protocol: .crpsExtended)
        #expect(within == .withinLimits)
        #expect(above.breaches.map(\.limit) == [.ratePerKilogram] && above.breaches[0].threshold == 24_500)
    }

    @Test func aRateChangeIsCheckedWithTheProjectedSessionTotal() {
        // Standard induction at 70 kg (soft total 70 mg, hard 105 mg, clinical-reference §4 [D]):
        //  30 mg given + 140 mg/h × 30 min (70 mg) = 100 mg → soft (rate 140 mg/h is soft too)
        //  40 mg given + 140 mg/h × 30 min (70 mg) = 110 mg → hard
        let soft = LimitCheck.check(rate: F.mgPerHour(140_000), deliveredSoFar: F.mg(30_000), remaining: .seconds(1_800),
                                    weight: F.kg(70), protocol: .standardInduction)
        #expect(soft.breaches.map(\.limit) == [.ratePerKilogram, .sessionTotalPerKilogram] && !soft.isRefused)
        #expect(soft.breaches[1].value == 100_000)
        let hard = LimitCheck.check(rate: F.mgPerHour(140_000), deliveredSoFar: F.mg(40_000), remaining: .seconds(1_800),
                                    weight: F.kg(70), protocol: .standardInduction)
        #expect(hard.isRefused && hard.breaches.first?.limit == .sessionTotalPerKilogram)
        // 20 mg + 52.5 mg/h × 20 min (17.5 mg) = 37.5 mg
        #expect(LimitCheck.projectedTotal(deliveredSoFar: F.mg(20_000), rate: F.mgPerHour(52_500), remaining: .seconds(1_200)) == F.mg(37_500))
    }

    @Test func aDeviationIsFlaggedNeverRefused() {
        // clinical-reference §4: a deviation that already happened is recorded and flagged, never refused;
        // the pump ran at 150 mg/h (above the hard 140 mg/h at 70 kg) and gave 110 mg (above the hard 105 mg)
        let flags = LimitCheck.classifyDeviation(rate: F.mgPerHour(150_000), sessionTotal: F.mg(110_000),
                                                 weight: F.kg(70), protocol: .standardInduction)
        let programming = LimitCheck.check(rate: F.mgPerHour(150_000), plannedTotal: F.mg(110_000),
                                           weight: F.kg(70), protocol: .standardInduction)
        #expect(flags == programming.breaches)
        #expect(flags.map(\.level).max() == .hard)
    }

    @Test func aboveSoftNeedsASecondClinicianWithAReasonAndAboveHardIsRefused() throws {
        // clinical-reference §4: above soft a second clinician confirms with a reason; a hard limit cannot be ordered
        let soft = LimitCheck.check(rate: F.mgPerHour(70_001), plannedTotal: .zero, weight: F.kg(70), protocol: .standardInduction)
        #expect(F.invalidFields { try soft.authorize(orderedBy: F.nurse, confirmation: nil) } == ["confirmation"])
        #expect(F.invalidFields {
            try soft.authorize(orderedBy: F.nurse, confirmation: SoftLimitConfirmation(by: F.nurse, reason: " "))
        } == ["confirmation.by", "confirmation.reason"])
        try soft.authorize(orderedBy: F.nurse, confirmation: SoftLimitConfirmation(by: F.physician, reason: "Tolerating well"))
        let hard = LimitCheck.check(rate: F.mgPerHour(140_001), plannedTotal: .zero, weight: F.kg(70), protocol: .standardInduction)
        #expect(throws: ClinicError.invalid([FieldError("rate",
            "140.001 mg/h is above the hard limit of 2.0 mg/kg/h × 70.0 kg = 140 mg/h; it cannot be programmed")])) {
            try hard.authorize(orderedBy: F.nurse, confirmation: SoftLimitConfirmation(by: F.physician, reason: "Please"))
        }
        try LimitVerdict.withinLimits.authorize(orderedBy: F.nurse, confirmation: nil)
    }
}
