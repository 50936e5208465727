import Foundation
import Testing
@testable import ClinicCore

/// Morphine milligram equivalents per day. Source for every factor and rule here: CDC 2022 — Dowell D et al.,
/// CDC Clinical Practice Guideline for Prescribing Opioids for Pain, MMWR Recomm Rep 2022;71(3), Table;
/// clinical-reference §7.
@Suite("Medication MME (CDC 2022, Dowell D et al., MMWR Recomm Rep 2022;71(3); clinical-reference §7)")
struct MedicationMMETests {
    struct FactorCase: Sendable, CustomTestStringConvertible {
        var opioid: Opioid
        var route: Medication.Route
        var factor: Double
        var dailyAmount: Double
        var mmePerDay: Double
        var display: String
        var testDescription: String { "\(opioid.rawValue) \(route.rawValue) \(dailyAmount) → \(mmePerDay) MME/day" }
    }

    /// CDC 2022 (MMWR Recomm Rep 2022;71(3)) conversion factors, with a worked oral example each
    /// (the fentanyl patch per µg/h, transdermal).
    static let factors: [FactorCase] = [
        FactorCase(opioid: .codeine, route: .oral, factor: 0.15, dailyAmount: 200, mmePerDay: 30, display: "30 MME/day"),
        FactorCase(opioid: .fentanylPatch, route: .transdermal, factor: 2.4, dailyAmount: 25, mmePerDay: 60, display: "60 MME/day"),
        FactorCase(opioid: .hydrocodone, route: .oral, factor: 1, dailyAmount: 30, mmePerDay: 30, display: "30 MME/day"),
        FactorCase(opioid: .hydromorphone, route: .oral, factor: 5, dailyAmount: 8, mmePerDay: 40, display: "40 MME/day"),
        FactorCase(opioid: .methadone, route: .oral, factor: 4.7, dailyAmount: 20, mmePerDay: 94, display: "94 MME/day"),
        FactorCase(opioid: .morphine, route: .oral, factor: 1, dailyAmount: 60, mmePerDay: 60, display: "60 MME/day"),
        FactorCase(opioid: .oxycodone, route: .oral, factor: 1.5, dailyAmount: 30, mmePerDay: 45, display: "45 MME/day"),
        FactorCase(opioid: .oxymorphone, route: .oral, factor: 3, dailyAmount: 20, mmePerDay: 60, display: "60 MME/day"),
        FactorCase(opioid: .tapentadol, route: .oral, factor: 0.4, dailyAmount: 200, mmePerDay: 80, display: "80 MME/day"),
        FactorCase(opioid: .tramadol, route: .oral, factor: 0.2, dailyAmount: 200, mmePerDay: 40, display: "40 MME/day"),
    ]

    @Test("each CDC 2022 factor (MMWR Recomm Rep 2022;71(3)) converts a daily amount to MME/day", arguments: factors)
    func factor(_ c: FactorCase) throws {
        // given
        let medication = Medication(name: c.opioid.title, opioid: c.opioid, route: c.route, dailyAmount: c.dailyAmount)

        // when
        let mme = medication.mme

        // then
        #expect(c.opioid.conversionFactor(route: c.route) == c.factor)
        guard case .value(let value) = mme else {
            Issue.record("expected an MME value, got \(mme)")
            return
        }
        #expect(abs(value - c.mmePerDay) < 1e-9)
        #expect(mme.display == c.display)
    }

    @Test("oxycodone 30 mg/day is 45 MME/day (CDC 2022, factor 1.5)")
    func oxycodoneExample() {
        // given
        let oxycodone = Medication(name: "Oxycodone ER", opioid: .oxycodone, route: .oral, dailyAmount: 30)

        // when / then
        #expect(oxycodone.mme == .value(45))
        #expect(oxycodone.mme.display == "45 MME/day")
        #expect(oxycodone.dailyUnit == "mg/day")
    }

    @Test("a fractional MME shows one decimal (CDC 2022, codeine 0.15)")
    func fractionalDisplay() {
        // given: codeine 30 mg/day × 0.15 = 4.5 MME/day
        let codeine = Medication(name: "Codeine", opioid: .codeine, route: .oral, dailyAmount: 30)

        // when / then
        #expect(codeine.mme.display == "4.5 MME/day")
    }

    @Test("the fentanyl patch is dosed in µg/h, transdermal only (CDC 2022, 2.4 per µg/h)")
    func fentanylPatchUnitAndRoute() {
        // given
        let patch = Medication(name: "Fentanyl 25 µg/h patch", opioid: .fentanylPatch, route: .transdermal, dailyAmount: 25)
        let misrouted = Medication(name: "Fentanyl", opioid: .fentanylPatch, route: .oral, dailyAmount: 25)

        // when / then
        #expect(patch.dailyUnit == "µg/h")
        #expect(Opioid.fentanylPatch.dailyUnit == "µg/h")
        #expect(misrouted.mme == .noFactor)
    }

    struct NoFactorCase: Sendable, CustomTestStringConvertible {
        var opioid: Opioid
        var route: Medication.Route
        var testDescription: String { "\(opioid.rawValue) \(route.rawValue)" }
    }

    @Test("a drug or route CDC 2022 gives no factor for is \"no factor\", never 0 (clinical-reference §7)", arguments: [
        NoFactorCase(opioid: .buprenorphine, route: .sublingual),
        NoFactorCase(opioid: .buprenorphine, route: .transdermal),
        NoFactorCase(opioid: .buprenorphine, route: .oral),
        NoFactorCase(opioid: .morphine, route: .parenteral),
        NoFactorCase(opioid: .hydromorphone, route: .parenteral),
        NoFactorCase(opioid: .oxycodone, route: .other),
        NoFactorCase(opioid: .otherOpioid, route: .oral),
    ])
    func noFactor(_ c: NoFactorCase) {
        // given
        let medication = Medication(name: c.opioid.title, opioid: c.opioid, route: c.route, dailyAmount: 10)

        // when
        let mme = medication.mme

        // then
        #expect(c.opioid.conversionFactor(route: c.route) == nil)
        #expect(mme == .noFactor)
        #expect(mme != .value(0))
        #expect(mme.display == "no factor")
    }

    @Test("a non-opioid has no MME (CDC 2022 counts opioids only)")
    func notOpioid() {
        // given
        let gabapentin = Medication(name: "Gabapentin", opioid: nil, route: .oral, dailyAmount: 1800)

        // when / then
        #expect(gabapentin.mme == .notOpioid)
        #expect(gabapentin.mme.display == "—")
    }

    @Test("an opioid without a daily amount cannot be counted (CDC 2022 MME needs a total daily dose)")
    func noDose() {
        // given
        let morphine = Medication(name: "Morphine", opioid: .morphine, route: .oral, dailyAmount: nil)

        // when / then
        #expect(morphine.mme == .noDose)
        #expect(morphine.mme.display == "no daily dose")
    }

    @Test("the total adds counted opioids and lists the uncounted ones, never as 0 (CDC 2022; clinical-reference §7)")
    func summary() {
        // given
        let medications = [
            Medication(name: "Oxycodone", opioid: .oxycodone, route: .oral, dailyAmount: 30),          // 45
            Medication(name: "Morphine ER", opioid: .morphine, route: .oral, dailyAmount: 60),          // 60
            Medication(name: "Buprenorphine", opioid: .buprenorphine, route: .sublingual, dailyAmount: 8),
            Medication(name: "Morphine IV", opioid: .morphine, route: .parenteral, dailyAmount: 10),
            Medication(name: "Gabapentin", route: .oral, dailyAmount: 1800),
            Medication(name: "Hydrocodone", opioid: .hydrocodone, route: .oral),
        ]

        // when
        let summary = MMESummary(medications)

        // then
        #expect(summary.total == 105)
        #expect(summary.display == "105 MME/day")
        #expect(summary.uncounted == ["Buprenorphine", "Morphine IV", "Hydrocodone"])
    }

    @Test("a list with only no-factor opioids totals nothing counted and warns (clinical-reference §7)")
    func summaryOnlyUncounted() {
        // given
        let medications = [Medication(name: "Buprenorphine", opioid: .buprenorphine, route: .sublingual, dailyAmount: 16)]

        // when
        let summary = MMESummary(medications)

        // then
        #expect(summary.total == 0)
        #expect(summary.uncounted == ["Buprenorphine"])
    }

    @Test("no medicines: total 0, nothing uncounted")
    func emptySummary() {
        // given / when
        let summary = MMESummary([])

        // then
        #expect(summary.total == 0)
        #expect(summary.uncounted.isEmpty)
        #expect(summary.display == "0 MME/day")
    }
}
