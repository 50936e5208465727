import Foundation
import Testing
@testable import ClinicCore

/// The draft of a medical-necessity letter, composed from chart facts (issue 6).
@Suite struct NecessityLetterCompositionTests {
    static func facts(_ change: (inout NecessityFacts) -> Void = { _ in }) -> NecessityFacts {
        var f = NecessityFacts(
            patientName: "Ann Able", dateOfBirth: CalendarDate("1980-04-12")!, mrn: "DR-0000001",
            diagnoses: [Diagnosis(code: ICD10Code("G90.511")!, description: "CRPS I right upper limb", isPrimary: true),
                        Diagnosis(code: ICD10Code("M79.7")!, description: "Fibromyalgia")],
            painOnset: CalendarDate("2024-03-15")!, monthsOfPain: 12,
            treatmentsTried: [TreatmentTried(treatment: "Gabapentin", result: .noRelief), TreatmentTried(treatment: "Nerve block", result: .notTolerated),
                              TreatmentTried(treatment: "Physical therapy", result: .goodRelief)],
            screening: .init(date: CalendarDate("2026-10-01")!, decision: "Eligible", overridden: false, ruleSetVersion: "2026.1"),
            plan: .init(protocolName: "Standard induction", plannedInfusions: 6, boosterIntervalDays: 90, goal: "Less pain"),
            outcomes: .init(infusionsGiven: 6, baselinePain: 7.5, latestReductionPercent: 46.7, latestBand: .moderate, responder: true, reliefDays: 40, reliefEnded: false),
            mmePerDay: 45, mmeAtStart: 90, mmeUncounted: [], asOf: CalendarDate("2026-12-07")!)
        change(&f)
        return f
    }

    @Test func everySectionComesFromTheChartInAReviewersOrder() {
        // given / when
        let sections = NecessityLetterComposer.sections(Self.facts())
        // then
        #expect(sections.map(\.title) == ["Diagnoses (ICD-10-CM)", "Duration of pain", "Treatments tried and failed", "Screening", "Treatment plan",
                                          "Outcomes measured so far", "Opioid use", "Evidence", "Request"])
        #expect(sections[0].lines == ["- G90.511 CRPS I right upper limb (primary)", "- M79.7 Fibromyalgia"])
        #expect(sections[4].lines.contains("Induction series of 6 infusions.") && sections[4].lines.contains { $0.contains("every 90 days") })
    }

    @Test func durationOfPainCountsWholeMonthsFromTheOnsetDate() {
        // given an onset on 15 March 2024, as of 7 December 2026 (the day before the 15th: 32 whole months)
        let f = Self.facts()
        // when / then: the onset wins over the reported months
        #expect(f.painMonths == 32)
        #expect(NecessityLetterComposer.sections(f)[1].lines == ["Pain since 2024-03-15: 32 months as of 2026-12-07."])
        // and without an onset the reported months are used
        #expect(NecessityLetterComposer.sections(Self.facts { $0.painOnset = nil })[1].lines == ["Pain for 12 months, as the patient reports."])
    }

    @Test func treatmentsThatFailedAreListedApartFromThoseThatHelped() {
        // clinical-reference §1: candidates have persistent pain not helped by standard treatments
        let lines = NecessityLetterComposer.sections(Self.facts())[2].lines
        #expect(lines == ["Tried without adequate relief:", "- Gabapentin: no relief", "- Nerve block: not tolerated",
                          "Tried with relief:", "- Physical therapy: good relief"])
    }

    @Test func outcomesUseTheIMMPACTBandAndTheResponderDefinition() {
        // clinical-reference §7: ≥ 30 % moderate (IMMPACT, Dworkin 2008); responder ≥ 30 % within 14 days after the series
        let lines = NecessityLetterComposer.sections(Self.facts())[5].lines
        #expect(lines.contains("Latest pain: 47 % less than baseline — moderate improvement by IMMPACT (Dworkin 2008)."))
        #expect(lines.contains("Responder: at least 30 % less pain within 14 days after the series."))
        #expect(lines.contains("Relief has lasted 40 days so far."))
        // and before any infusion, no outcome is claimed
        let none = NecessityLetterComposer.sections(Self.facts { $0.outcomes = .init() })[5].lines
        #expect(none == ["No infusion has been given yet: outcomes will be measured from the first infusion."])
    }

    @Test func opioidUseIsTheCurrentMMEWithTheUncountedNamed() {
        // clinical-reference §7: CDC 2022 factors; a drug with no factor is named, never counted as 0
        let lines = NecessityLetterComposer.sections(Self.facts { $0.mmeUncounted = ["Buprenorphine patch"] })[6].lines
        #expect(lines == ["Current opioid use: 45 MME/day (CDC 2022 conversion factors).", "When first charted: 90 MME/day.",
                          "Not counted (no CDC factor or no dose charted): Buprenorphine patch."])
    }

    @Test func theGuidelineEvidenceLineAppearsOnlyForCRPS() {
        // clinical-reference §2 (Cohen 2018: moderate evidence for CRPS) and §8 (CRPS codes G90.5x, G56.4x, G57.7x)
        let crps = NecessityLetterComposer.body(Self.facts())
        #expect(crps.contains("rate the evidence for intravenous ketamine in complex regional pain syndrome as moderate"))
        let fibro = NecessityLetterComposer.body(Self.facts { $0.diagnoses = [Diagnosis(code: ICD10Code("M79.7")!, description: "Fibromyalgia")] })
        #expect(!fibro.contains("Evidence"))
        #expect(NecessityLetterComposer.isCRPS(ICD10Code("G57.71")!) && NecessityLetterComposer.isCRPS(ICD10Code("G56.40")!))
    }

    @Test func theBodyStartsWithThePatientAndIsStable() {
        let body = NecessityLetterComposer.body(Self.facts())
        #expect(body.hasPrefix("Re: Ann Able · date of birth 1980-04-12 · MRN DR-0000001\n"))
        #expect(body == NecessityLetterComposer.body(Self.facts()))
    }
}
