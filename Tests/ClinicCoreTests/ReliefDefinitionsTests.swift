import Foundation
import Testing
@testable import ClinicCore

/// The clinic's relief definitions (clinical-reference §7 [D], local policy) and IMMPACT band cut-offs (Dworkin 2008,
/// J Pain 9:105), their printed summary and validation; the pain record and its context; the MME/day comparison
/// (CDC 2022 totals, clinical-reference §7).
@Suite("Relief definitions, records and MME change (clinical-reference §7)")
struct ReliefDefinitionsTests {
    @Test("clinical-reference §7 [D] — the standard definitions are §7's defaults")
    func standardIsSection7() {
        // given
        let d = ReliefDefinitions.standard
        // then
        #expect(d.responderReductionPercent == 30)
        #expect(d.responderWindowDays == 14)
        #expect(d.onsetReductionPercent == 30)
        #expect(d.durationReductionPercent == 30)
        #expect(d.confirmEndWithNextMeasurement)
        #expect([d.minimalBandPercent, d.moderateBandPercent, d.substantialBandPercent] == [10, 30, 50])
    }

    @Test("clinical-reference §7 [D] — the summary prints every definition with its numbers and says it is local policy")
    func standardSummary() {
        #expect(ReliefDefinitions.standard.summary == [
            "Baseline: the average-pain score (0–10, last 24 h) recorded before the first infusion of the series; "
                + "the mean of the screening and pre-infusion-1 scores when both exist.",
            "Responder: pain reduced by at least 30 % from baseline at a follow-up within 14 days after the series.",
            "Onset: the first measurement after an infusion of the series with pain reduced by at least 30 %.",
            "Duration of relief: from the last infusion of the series to the first follow-up whose reduction falls below 30 %, "
                + "confirmed by the next measurement where one exists; censored at the last follow-up if relief has not ended, "
                + "and at a booster given before it ended. Non-responders are counted beside the survival curve, not in it.",
            "Change bands (IMMPACT, Dworkin 2008): below 10 % no meaningful change; 10 to under 30 % minimal; "
                + "30 to under 50 % moderate; 50 % or more substantial.",
            "These are the clinic's local policy definitions (clinical-reference §7), not guideline numbers.",
        ])
    }

    @Test("clinical-reference §7 [D] — a clinic's own numbers appear in the summary")
    func customSummary() {
        // given
        let d = ReliefDefinitions(responderReductionPercent: 50, responderWindowDays: 28, durationReductionPercent: 33.3,
                                  confirmEndWithNextMeasurement: false)
        // when
        let summary = d.summary
        // then
        #expect(summary[1] == "Responder: pain reduced by at least 50 % from baseline at a follow-up within 28 days after the series.")
        #expect(summary[3].hasPrefix("Duration of relief: from the last infusion of the series to the first follow-up whose "
                                     + "reduction falls below 33.3 %; censored at the last follow-up"))
    }

    @Test("nonsense settings are refused, each named")
    func validation() throws {
        // given
        let bad = ReliefDefinitions(responderReductionPercent: 0, responderWindowDays: -1, onsetReductionPercent: 120,
                                    minimalBandPercent: 30, moderateBandPercent: 30, substantialBandPercent: 20)
        // when / then
        #expect(throws: ClinicError.invalid([
            FieldError("responderReductionPercent", "A reduction is more than 0 % and at most 100 %."),
            FieldError("onsetReductionPercent", "A reduction is more than 0 % and at most 100 %."),
            FieldError("responderWindowDays", "The window cannot be negative."),
            FieldError("moderateBandPercent", "The moderate cut-off must be above the minimal one."),
            FieldError("substantialBandPercent", "The substantial cut-off must be above the moderate one."),
        ])) { try bad.validated() }
        #expect(try ReliefDefinitions.standard.validated() == .standard)
    }

    @Test("definitions round-trip through JSON")
    func codable() throws {
        let d = ReliefDefinitions(responderWindowDays: 21)
        #expect(try JSONDecoder().decode(ReliefDefinitions.self, from: JSONEncoder().encode(d)) == d)
    }

    // MARK: Pain record

    @Test("clinical-reference §7 — pain NRS is 0–10: scores outside it and infusion numbers below 1 are refused")
    func painRecordValidation() throws {
        // given
        let bad = PainRecord(takenAt: ReliefFixture.at("2026-03-01"), context: .preInfusion(0), now: 11, average: -1, worst: 10)
        // when / then
        #expect(throws: ClinicError.invalid([
            FieldError("now", "Pain is scored 0 to 10."),
            FieldError("average", "Pain is scored 0 to 10."),
            FieldError("context", "The infusion number starts at 1."),
        ])) { try bad.validated() }
        let good = PainRecord(takenAt: ReliefFixture.at("2026-03-01"), context: .followUp, now: 0, average: 10)
        #expect(try good.validated() == good)
    }

    @Test("the record's context has a stable text form for storage and JSON")
    func contextText() throws {
        // given
        let contexts: [PainRecord.Context] = [.screening, .preInfusion(1), .postInfusion(12), .followUp]
        // then
        #expect(contexts.map(\.description) == ["screening", "preInfusion:1", "postInfusion:12", "followUp"])
        #expect(contexts.map { PainRecord.Context($0.description) } == contexts)
        #expect(contexts.map(\.title) == ["screening", "pre-infusion 1", "post-infusion 12", "follow-up"])
        for text in ["", "preInfusion", "preInfusion:0", "preInfusion:x", "during:1", "followUp:1"] {
            #expect(PainRecord.Context(text) == nil, "\(text)")
        }
        let record = PainRecord(takenAt: ReliefFixture.at("2026-03-01"), context: .postInfusion(3), now: 2, average: 4, worst: 6)
        let json = try JSONEncoder().encode(record)
        #expect(String(decoding: json, as: UTF8.self).contains("\"context\":\"postInfusion:3\""))
        #expect(try JSONDecoder().decode(PainRecord.self, from: json) == record)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PainRecord.Context.self, from: Data("\"during\"".utf8)) }
    }

    // MARK: MME/day change

    @Test("CDC 2022 / clinical-reference §7 — MME/day at baseline against now: change and percentage")
    func mmeChange() {
        // when
        let fewer = MMEChange.between(baseline: 60, latest: 30)
        // then
        #expect(fewer == MMEChange(baseline: 60, latest: 30, change: -30, changePercent: -50))
        #expect(fewer.sentence == "Opioids: 60 → 30 MME/day (−30 MME/day, −50 %).")
        #expect(MMEChange.between(baseline: 45, latest: 60).sentence == "Opioids: 45 → 60 MME/day (+15 MME/day, +33.3 %).")
        #expect(MMEChange.between(baseline: 40, latest: 40).sentence == "Opioids: 40 → 40 MME/day (no change, 0 %).")
    }

    @Test("CDC 2022 / clinical-reference §7 — no percentage from a baseline of 0; nothing computed when a total is missing")
    func mmeChangeEdges() {
        #expect(MMEChange.between(baseline: 0, latest: 15) == MMEChange(baseline: 0, latest: 15, change: 15, changePercent: nil))
        #expect(MMEChange.between(baseline: 0, latest: 15).sentence == "Opioids: 0 → 15 MME/day (+15 MME/day).")
        #expect(MMEChange.between(baseline: nil, latest: 15) == MMEChange(baseline: nil, latest: 15, change: nil, changePercent: nil))
        #expect(MMEChange.between(baseline: nil, latest: 15).sentence == "Opioids: 15 MME/day now; no baseline total.")
        #expect(MMEChange.between(baseline: 30, latest: nil).sentence == "Opioids: 30 MME/day at baseline; no current total.")
        #expect(MMEChange.between(baseline: nil, latest: nil).sentence == "Opioids: no MME/day totals recorded.")
    }

    @Test("CDC 2022 / clinical-reference §7 — fed from the medication list's MME totals (oxycodone 30 mg/day = 45 MME/day)")
    func mmeChangeFromMedicationTotals() {
        // given
        let before = MMESummary([Medication(name: "Oxycodone", opioid: .oxycodone, route: .oral, dailyAmount: 30)])
        let after = MMESummary([Medication(name: "Tramadol", opioid: .tramadol, route: .oral, dailyAmount: 100)])
        // when
        let change = MMEChange.between(baseline: before.total, latest: after.total)
        // then
        #expect(change.change == -25)
        #expect(change.changePercent.map { abs($0 - (-55.555_555)) < 1e-4 } == true)
        #expect(change.sentence == "Opioids: 45 → 20 MME/day (−25 MME/day, −55.6 %).")
    }
}
