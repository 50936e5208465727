import Foundation
import Testing
@testable import ClinicCore

/// Responder and onset (clinical-reference §7 [D]; bands after Dworkin 2008, J Pain 9:105): **responder** — a
/// reduction ≥ 30 % from baseline at any follow-up within 14 days after the series; **onset** — the first post-infusion
/// measurement with a reduction ≥ 30 %.
@Suite("Relief responder and onset (clinical-reference §7 [D])")
struct ReliefResponderTests {
    typealias F = ReliefFixture

    @Test("clinical-reference §7 — a 30 % reduction at a follow-up on day 14 after the series makes a responder")
    func responderOnDay14() {
        // given: day 3 shows 20 %, day 14 (late in the day) shows 30 %
        let pain = F.baseline10 + [F.followUp(day: 3, 8), F.followUp(day: 14, 7, hour: 23)]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.responder == true)
        #expect(summary.explanation.contains("Responder: average pain fell from 10 to 7 (−30 %) on 2026-03-27, 14 days after the series."))
    }

    @Test("clinical-reference §7 — the same reduction on day 15 is outside the window: not a responder")
    func notResponderOnDay15() {
        // given
        let pain = F.baseline10 + [F.followUp(day: 3, 8), F.followUp(day: 15, 7, hour: 0)]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.responder == false)
        #expect(summary.duration == nil)
        #expect(summary.survivalEpisode == nil)
        #expect(summary.explanation.contains(
            "Not a responder: no follow-up within 14 days after the series showed pain reduced by at least 30 %; "
                + "the best was 8 (−20 %) on 2026-03-16. Counted beside the relief survival curve, not in it."))
    }

    @Test("clinical-reference §7 — days are calendar days in the clinic's time zone: 02:00 UTC on day 15 is still day 14 in New York")
    func windowInClinicTimeZone() {
        // given: last infusion 2026-03-13 09:00 UTC (05:00 New York); follow-up 2026-03-28 02:00 UTC = 2026-03-27 22:00 New York
        let newYork = TimeZone(identifier: "America/New_York")!
        let pain = F.baseline10 + [F.followUp(day: 15, 7, hour: 2)]
        // when
        let inUTC = ReliefDefinitions.standard.summarize(pain: pain, course: F.complete, timeZone: F.utc)
        let inNewYork = ReliefDefinitions.standard.summarize(pain: pain, course: F.complete, timeZone: newYork)
        // then
        #expect(inUTC.responder == nil)        // day 15 in UTC: no follow-up in the window
        #expect(inNewYork.responder == true)   // day 14 in New York
    }

    @Test("clinical-reference §7 — responder status is not known while the series is not complete")
    func seriesNotComplete() {
        // given
        let course = ReliefCourse(seriesInfusions: Array(F.series.prefix(4)), seriesComplete: false)
        let pain = F.baseline10 + [F.postInfusion(1, 5), F.followUp(day: -2, 3)]
        // when
        let summary = F.summarize(pain, course)
        // then
        #expect(summary.responder == nil)
        #expect(summary.duration == nil)
        #expect(summary.onset == F.series[0].addingTimeInterval(7_200))
        #expect(summary.explanation.contains("Responder status not known yet: the series is not complete."))
    }

    @Test("clinical-reference §7 — responder status is not known before any follow-up in the window")
    func noFollowUpYet() {
        // given: only post-infusion scores
        let pain = F.baseline10 + [F.postInfusion(6, 3)]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.responder == nil)
        #expect(summary.explanation.contains("Responder status not known yet: no follow-up within 14 days after the series."))
    }

    @Test("clinical-reference §7 — a complete series with no infusions recorded has no responder status")
    func noInfusions() {
        // given
        let summary = F.summarize(F.baseline10 + [F.followUp(day: 3, 2)], ReliefCourse(seriesInfusions: [], seriesComplete: true))
        // then
        #expect(summary.responder == nil)
        #expect(summary.onset == nil)
        #expect(summary.explanation.contains("Responder status not known yet: no infusion of the series has been given."))
    }

    @Test("clinical-reference §7 — a post-infusion score is not a follow-up: it does not make a responder")
    func postInfusionIsNotAFollowUp() {
        // given: a large immediate effect after infusion 6, follow-up back at 20 %
        let pain = F.baseline10 + [F.postInfusion(6, 2), F.followUp(day: 7, 8)]
        // when / then
        #expect(F.summarize(pain).responder == false)
    }

    @Test("clinical-reference §7 — the example sentence: baseline 7.5, 3 on day 5 is −60 %")
    func responderSentence() {
        // given: series ending 2026-03-05
        let course = ReliefCourse(seriesInfusions: [F.at("2026-03-02", 9), F.at("2026-03-05", 9)], seriesComplete: true)
        let pain = [F.screening(8), PainRecord(takenAt: F.at("2026-03-02", 8), context: .preInfusion(1), average: 7),
                    PainRecord(takenAt: F.at("2026-03-10"), context: .followUp, average: 3)]
        // when
        let summary = F.summarize(pain, course)
        // then
        #expect(summary.explanation.contains("Responder: average pain fell from 7.5 to 3 (−60 %) on 2026-03-10, 5 days after the series."))
    }

    @Test("clinical-reference §7 — responder and onset thresholds are configurable local policy")
    func configurableResponder() {
        // given: 20 % at day 3
        let pain = F.baseline10 + [F.followUp(day: 3, 8)]
        let lenient = ReliefDefinitions(responderReductionPercent: 20, responderWindowDays: 3, onsetReductionPercent: 20)
        // when / then
        #expect(F.summarize(pain).responder == false)
        #expect(F.summarize(pain, F.complete, lenient).responder == true)
        #expect(F.summarize(pain, F.complete, lenient).onset == F.afterSeries(3))
        #expect(F.summarize(pain, F.complete, ReliefDefinitions(responderReductionPercent: 20, responderWindowDays: 2)).responder == nil)
    }

    // MARK: Onset

    @Test("clinical-reference §7 — onset is the first post-infusion measurement with a reduction of at least 30 %")
    func onsetAtFirstPostInfusionWith30() {
        // given: post-infusion 1 at 20 %, post-infusion 2 at 30 %, post-infusion 3 at 60 %
        let pain = F.baseline10 + [F.postInfusion(1, 8), F.postInfusion(2, 7), F.postInfusion(3, 4)]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.onset == F.postInfusion(2, 7).takenAt)
        #expect(summary.onsetAfterInfusion == 2)
        #expect(summary.explanation.contains("Onset: average pain fell from 10 to 7 (−30 %) on 2026-03-04, after infusion 2."))
    }

    @Test("clinical-reference §7 — 29 % is not onset (baseline 7: 5 is −28.6 %, 4 is −42.9 %)")
    func justBelowOnsetThreshold() {
        // given
        let pain = [F.screening(7), F.postInfusion(1, 5), F.postInfusion(2, 4)]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.onsetAfterInfusion == 2)
        #expect(summary.points.map { ReliefText.percent($0.changePercent) } == ["−28.6 %", "−42.9 %"])
    }

    @Test("clinical-reference §7 — onset can come at a follow-up after the series; infusions given by then are counted")
    func onsetAtFollowUp() {
        // given
        let pain = F.baseline10 + [F.postInfusion(6, 8), F.followUp(day: 2, 6)]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.onset == F.afterSeries(2))
        #expect(summary.onsetAfterInfusion == 6)
    }

    @Test("clinical-reference §7 — a pre-infusion score is not a post-infusion measurement: it is not onset")
    func preInfusionIsNotOnset() {
        // given
        let pain = F.baseline10 + [F.preInfusion(2, 3), F.postInfusion(2, 8)]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.onset == nil)
        #expect(summary.explanation.contains("No onset yet: no score after an infusion has shown pain reduced by at least 30 %."))
    }

    @Test("clinical-reference §7 — onset belongs to the series: a reduction first seen after a booster is not onset")
    func noOnsetAfterBooster() {
        // given: a non-responder given a booster on day 20, relieved after it
        let course = ReliefCourse(seriesInfusions: F.series, seriesComplete: true, boosters: [F.afterSeries(20, 9)])
        let pain = F.baseline10 + [F.followUp(day: 7, 9), F.followUp(day: 25, 3)]
        // when
        let summary = F.summarize(pain, course)
        // then
        #expect(summary.onset == nil)
        #expect(summary.responder == false)
        #expect(summary.lastTreatmentAt == F.afterSeries(20, 9))
    }
}
