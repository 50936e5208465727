import Foundation
import Testing
@testable import ClinicCore

/// Duration of relief (clinical-reference §7 [D]): "from the last infusion of the series to the first follow-up whose
/// reduction falls below 30 %, confirmed by the next measurement where one exists; censored at the last follow-up if
/// relief has not ended, and at a booster given before it ended; non-responders are left out of the survival curve and
/// counted beside it." Reductions banded after IMMPACT (Dworkin 2008, J Pain 9:105).
@Suite("Relief duration with censoring (clinical-reference §7 [D])")
struct ReliefDurationTests {
    typealias F = ReliefFixture

    /// Baseline 10 and a responder's first follow-up on day 7 at −70 %.
    static let responder = F.baseline10 + [F.followUp(day: 7, 3)]

    @Test("clinical-reference §7 — relief ends at the first follow-up below 30 %, confirmed by the next measurement")
    func endedAndConfirmed() {
        // given: −60 % on day 30, −20 % on day 60, −20 % on day 67
        let pain = Self.responder + F.followUps([(30, 4), (60, 8), (67, 8)])
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.responder == true)
        #expect(summary.duration == ReliefDuration(days: 60, ended: true, censoredBecause: nil, endedOn: F.afterSeries(60), endConfirmed: true))
        #expect(summary.survivalEpisode?.days == 60)
        #expect(summary.survivalEpisode?.event == true)
        #expect(summary.explanation.contains(
            "Relief lasted 60 days: average pain was 8 (−20 %) at the follow-up on 2026-05-12, below the 30 % reduction that "
                + "counts as relief, confirmed by the follow-up on 2026-05-19: 8 (−20 %)."))
    }

    @Test("clinical-reference §7 — a single dip not confirmed by the next measurement does not end relief; a later confirmed one does")
    func unconfirmedSingleDip() {
        // given: dip on day 30 (−20 %), back to −60 % on day 37, then −20 % on day 60 and −10 % on day 67
        let pain = Self.responder + F.followUps([(30, 8), (37, 4), (60, 8), (67, 9)])
        // when
        let duration = F.summarize(pain).duration
        // then
        #expect(duration?.ended == true)
        #expect(duration?.days == 60)
        #expect(duration?.endedOn == F.afterSeries(60))
        #expect(duration?.endConfirmed == true)
    }

    @Test("clinical-reference §7 — a single dip followed by relief to the last follow-up is censored at that follow-up")
    func dipThenReliefIsCensored() {
        // given
        let pain = Self.responder + F.followUps([(30, 8), (45, 3)])
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.duration == ReliefDuration(days: 45, ended: false, censoredBecause: .lastFollowUp, endedOn: nil))
        #expect(summary.survivalEpisode?.event == false)
    }

    @Test("clinical-reference §7 ('where one exists') — the last measurement below 30 % with no next one ends relief there, unconfirmed")
    func lastMeasurementBelowEndsUnconfirmed() {
        // given
        let pain = Self.responder + F.followUps([(30, 4), (50, 8)])
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.duration == ReliefDuration(days: 50, ended: true, censoredBecause: nil, endedOn: F.afterSeries(50), endConfirmed: false))
        #expect(summary.survivalEpisode?.event == true)
        #expect(summary.explanation.contains(
            "Relief lasted 50 days: average pain was 8 (−20 %) at the follow-up on 2026-05-02, below the 30 % reduction that "
                + "counts as relief; not confirmed yet: no later measurement."))
    }

    @Test("clinical-reference §7 — relief that has not ended is censored at the last follow-up")
    func censoredAtLastFollowUp() {
        // given
        let pain = Self.responder + F.followUps([(30, 4), (44, 5)])
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.duration == ReliefDuration(days: 44, ended: false, censoredBecause: .lastFollowUp, endedOn: nil))
        #expect(summary.survivalEpisode?.days == 44)
        #expect(summary.survivalEpisode?.event == false)
        #expect(summary.explanation.contains(
            "Relief continues: 44 days so far, censored at the last follow-up on 2026-04-26: 5 (−50 %)."))
    }

    @Test("clinical-reference §7 (boosters given early) — a booster given before relief ended censors the duration at the booster; scores after it are not read")
    func censoredAtBoosterGivenEarly() {
        // given: relief holds on day 30; booster on day 40; pain high after the booster (day 60, 67)
        let course = ReliefCourse(seriesInfusions: F.series, seriesComplete: true, boosters: [F.afterSeries(40, 9)])
        let pain = Self.responder + F.followUps([(30, 4), (60, 8), (67, 9)])
        // when
        let summary = F.summarize(pain, course)
        // then
        #expect(summary.duration == ReliefDuration(days: 40, ended: false, censoredBecause: .boosterGiven, endedOn: nil))
        #expect(summary.survivalEpisode?.event == false)
        #expect(summary.lastTreatmentAt == F.afterSeries(40, 9))
        #expect(summary.explanation.contains(
            "Relief held for 40 days until a booster was given on 2026-04-22 before it ended (censored at the booster)."))
    }

    @Test("clinical-reference §7 — a booster given after relief ended does not censor: relief ended")
    func boosterAfterEnd() {
        // given: relief ended on day 30 (confirmed day 37); booster on day 40
        let course = ReliefCourse(seriesInfusions: F.series, seriesComplete: true, boosters: [F.afterSeries(40, 9)])
        let pain = Self.responder + F.followUps([(30, 8), (37, 8), (45, 2)])
        // when
        let duration = F.summarize(pain, course).duration
        // then
        #expect(duration == ReliefDuration(days: 30, ended: true, censoredBecause: nil, endedOn: F.afterSeries(30), endConfirmed: true))
    }

    @Test("clinical-reference §7 — the pre-booster score is the next measurement that confirms a follow-up dip")
    func preBoosterScoreConfirms() {
        // given: dip on day 30; booster on day 35 with a pre-infusion score of 9 an hour before
        let booster = F.afterSeries(35, 9)
        let course = ReliefCourse(seriesInfusions: F.series, seriesComplete: true, boosters: [booster])
        let pain = Self.responder + [F.followUp(day: 30, 8), PainRecord(takenAt: booster.addingTimeInterval(-3_600), context: .preInfusion(7), average: 9)]
        // when
        let summary = F.summarize(pain, course)
        // then
        #expect(summary.duration == ReliefDuration(days: 30, ended: true, censoredBecause: nil, endedOn: F.afterSeries(30), endConfirmed: true))
        #expect(summary.explanation.contains { $0.hasSuffix("confirmed by the pre-infusion 7 on 2026-04-17: 9 (−10 %).") })
    }

    @Test("clinical-reference §7 — a follow-up dip that is the last measurement before a booster ends relief there, unconfirmed")
    func dipRightBeforeBoosterEndsUnconfirmed() {
        // given
        let course = ReliefCourse(seriesInfusions: F.series, seriesComplete: true, boosters: [F.afterSeries(35, 9)])
        let pain = Self.responder + F.followUps([(30, 8), (40, 3)])
        // when
        let summary = F.summarize(pain, course)
        // then
        #expect(summary.duration == ReliefDuration(days: 30, ended: true, censoredBecause: nil, endedOn: F.afterSeries(30), endConfirmed: false))
        #expect(summary.explanation.contains { $0.hasSuffix("; not confirmed: it was the last measurement before the booster on 2026-04-17.") })
    }

    @Test("clinical-reference §7 — relief ends at a follow-up: a high pre-booster score alone does not end it, the booster censors")
    func preBoosterScoreAloneDoesNotEnd() {
        // given
        let booster = F.afterSeries(35, 9)
        let course = ReliefCourse(seriesInfusions: F.series, seriesComplete: true, boosters: [booster])
        let pain = Self.responder + [F.followUp(day: 30, 4), PainRecord(takenAt: booster.addingTimeInterval(-3_600), context: .preInfusion(7), average: 9)]
        // when
        let duration = F.summarize(pain, course).duration
        // then
        #expect(duration == ReliefDuration(days: 35, ended: false, censoredBecause: .boosterGiven, endedOn: nil))
    }

    @Test("clinical-reference §7 ('falls below') — a late responder's early follow-ups below 30 % do not end relief before it was seen")
    func lateResponderEarlyFollowUpsDoNotEnd() {
        // given: −20 % on days 2 and 4, −70 % on day 7, −60 % on day 30
        let pain = F.baseline10 + F.followUps([(2, 8), (4, 8), (7, 3), (30, 4)])
        // when
        let duration = F.summarize(pain).duration
        // then
        #expect(duration == ReliefDuration(days: 30, ended: false, censoredBecause: .lastFollowUp, endedOn: nil))
    }

    @Test("clinical-reference §7 — non-responders have no duration and no survival episode (counted beside the curve)")
    func nonResponderHasNoDuration() {
        // given: −20 % throughout the window, then relief later
        let pain = F.baseline10 + F.followUps([(3, 8), (14, 8), (30, 3)])
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.responder == false)
        #expect(summary.duration == nil)
        #expect(summary.survivalEpisode == nil)
    }

    @Test("clinical-reference §7 — post-infusion scores are not follow-ups: they neither end nor extend relief")
    func postInfusionScoresIgnoredForDuration() {
        // given: a post-infusion-6 score of 9 two hours after the last infusion (the immediate effect, not a follow-up)
        let pain = Self.responder + [F.postInfusion(6, 9)] + F.followUps([(30, 4)])
        // when
        let duration = F.summarize(pain).duration
        // then
        #expect(duration == ReliefDuration(days: 30, ended: false, censoredBecause: .lastFollowUp, endedOn: nil))
    }

    @Test("clinical-reference §7 [D] — with confirmation switched off (local policy) the first follow-up below 30 % ends relief")
    func confirmationOff() {
        // given
        let pain = Self.responder + F.followUps([(30, 8), (37, 4)])
        let definitions = ReliefDefinitions(confirmEndWithNextMeasurement: false)
        // when
        let summary = F.summarize(pain, F.complete, definitions)
        // then
        #expect(summary.duration == ReliefDuration(days: 30, ended: true, censoredBecause: nil, endedOn: F.afterSeries(30), endConfirmed: false))
        #expect(summary.explanation.contains { $0.hasSuffix("below the 30 % reduction that counts as relief.") })
    }

    @Test("clinical-reference §7 [D] — the duration threshold is configurable local policy")
    func configurableDurationThreshold() {
        // given: −40 % on days 30 and 37
        let pain = Self.responder + F.followUps([(30, 6), (37, 6)])
        // when
        let standard = F.summarize(pain).duration
        let stricter = F.summarize(pain, F.complete, ReliefDefinitions(durationReductionPercent: 50)).duration
        // then
        #expect(standard?.ended == false)
        #expect(stricter?.ended == true)
        #expect(stricter?.days == 30)
    }

    @Test("days are calendar days: a follow-up late on day 20 counts 20 days whatever the hour")
    func calendarDays() {
        // given
        let pain = Self.responder + [F.followUp(day: 20, 4, hour: 23)]
        // when / then
        #expect(F.summarize(pain).duration?.days == 20)
    }
}
