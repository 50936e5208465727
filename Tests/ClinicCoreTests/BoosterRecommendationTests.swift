import Foundation
import Testing
@testable import ClinicCore

/// The booster rule (`BoosterPolicy`): local policy, every threshold configurable. Its defaults lean on
/// clinical-reference §7 — the 30 % relief threshold [D], IMMPACT's ~2 NRS points ≈ moderate and ≥ 50 % substantial
/// (Dworkin 2008, J Pain 9:105) — and every branch is tested here with its reason text.
@Suite("Booster recommendation (local policy; clinical-reference §7, Dworkin 2008)")
struct BoosterRecommendationTests {
    typealias F = ReliefFixture

    /// The planned booster: 90 days after the last infusion of the series, 2026-06-11.
    static let planned = F.day(90)

    static func recommend(_ followUps: [(Int, Int)], today: Int, planned: CalendarDate? = planned,
                          course: ReliefCourse = F.complete, policy: BoosterPolicy = .standard) -> BoosterRecommendation {
        let pain = F.baseline10 + F.followUps(followUps)
        let summary = F.summarize(pain, course)
        return policy.recommend(summary: summary, pain: pain, plannedBoosterDate: planned, today: F.day(today), timeZone: F.utc)
    }

    // MARK: 1. Not yet assessable

    @Test("no planned booster date: not assessable")
    func noPlannedDate() {
        // when
        let r = Self.recommend([(7, 3), (50, 8)], today: 51, planned: nil)
        // then
        #expect(r == BoosterRecommendation(advice: .notYetAssessable, plannedDate: nil, suggestedDate: nil,
                                           reasons: ["No booster date is planned, so there is no date to move."]))
    }

    @Test("clinical-reference §7 — responder status not known yet: not assessable")
    func responderUnknown() {
        // when
        let r = Self.recommend([], today: 5)
        // then
        #expect(r.advice == .notYetAssessable)
        #expect(r.plannedDate == Self.planned)
        #expect(r.suggestedDate == nil)
        #expect(r.reasons == ["Responder status is not known yet, so the trend cannot be judged against relief."])
    }

    @Test("clinical-reference §7 — a non-responder: not assessable, the physician decides")
    func nonResponder() {
        // when
        let r = Self.recommend([(7, 9), (30, 9)], today: 31)
        // then
        #expect(r.advice == .notYetAssessable)
        #expect(r.reasons == ["The patient did not respond to the series, so the booster rule does not apply: booster timing is the physician's call."])
    }

    @Test("no follow-up since the last booster: not assessable")
    func noFollowUpSinceLastTreatment() {
        // given: a booster on day 40, the next planned on day 130
        let course = ReliefCourse(seriesInfusions: F.series, seriesComplete: true, boosters: [F.afterSeries(40, 9)])
        // when
        let r = Self.recommend([(7, 3), (30, 4)], today: 45, planned: F.day(130), course: course)
        // then
        #expect(r.advice == .notYetAssessable)
        #expect(r.reasons == ["No follow-up pain score since the last treatment on 2026-04-22 yet."])
    }

    // MARK: 2. Nothing left to move

    @Test("the planned date is today or has passed: keep it", arguments: [90, 91])
    func plannedDatePassed(today: Int) {
        // when
        let r = Self.recommend([(7, 3), (60, 8)], today: today)
        // then
        #expect(r == BoosterRecommendation(advice: .keepPlannedDate, plannedDate: Self.planned, suggestedDate: nil, reasons: [
            "The planned booster date 2026-06-11 is today or has passed: there is nothing left to move.",
        ]))
    }

    // MARK: 3. Pain returning

    @Test("clinical-reference §7 (30 % [D]) — relief has faded at the latest follow-up: bring the booster forward to today + 7 days")
    func fadedBringsForward() {
        // given: −30 % on day 40, −20 % on day 50 (a rise of 1 point only)
        // when
        let r = Self.recommend([(7, 3), (40, 7), (50, 8)], today: 51)
        // then
        #expect(r == BoosterRecommendation(advice: .bringForward, plannedDate: Self.planned, suggestedDate: F.day(58), reasons: [
            "Relief has faded: the latest follow-up on 2026-05-02 shows average pain 8 against a baseline of 10 (−20 %), a reduction below 30 %.",
            "Bring the booster forward from 2026-06-11 to 2026-05-10 (today plus the lead time of 7 days): the planned date is 39 days away.",
            "A suggestion only: the plan's date 2026-06-11 stays until a physician accepts the change.",
        ]))
    }

    @Test("Dworkin 2008 (~2 NRS points ≈ moderate) — pain rising by 2 points with relief still above 30 %: bring forward")
    func risingBringsForward() {
        // given: 2 on day 40, 4 on day 50 (still −60 %)
        // when
        let r = Self.recommend([(7, 2), (40, 2), (50, 4)], today: 51)
        // then
        #expect(r.advice == .bringForward)
        #expect(r.suggestedDate == F.day(58))
        #expect(r.reasons.first == "Pain is rising: average pain went from 2 on 2026-04-22 to 4 on 2026-05-02 (+2 points), at least the 2 points that signal returning pain.")
        #expect(!r.reasons.contains { $0.hasPrefix("Relief has faded") })
    }

    @Test("clinical-reference §7 / Dworkin 2008 — faded and rising both fire: both are explained")
    func bothFire() {
        // when
        let r = Self.recommend([(7, 3), (50, 8)], today: 51)
        // then
        #expect(r.advice == .bringForward)
        #expect(Array(r.reasons.prefix(2)) == [
            "Relief has faded: the latest follow-up on 2026-05-02 shows average pain 8 against a baseline of 10 (−20 %), a reduction below 30 %.",
            "Pain is rising: average pain went from 3 on 2026-03-20 to 8 on 2026-05-02 (+5 points), at least the 2 points that signal returning pain.",
        ])
    }

    @Test("pain returning but the planned date is within the 7-day lead time: keep it (7 days away keeps, 8 brings forward)")
    func returningWithinLeadTime() {
        // when
        let sevenAway = Self.recommend([(7, 3), (80, 8)], today: 83)
        let eightAway = Self.recommend([(7, 3), (80, 8)], today: 82)
        // then
        #expect(sevenAway.advice == .keepPlannedDate)
        #expect(sevenAway.suggestedDate == nil)
        #expect(sevenAway.reasons.last == "Keep the planned date 2026-06-11: it is 7 days away, within the lead time of 7 days, so it cannot usefully be brought forward.")
        #expect(sevenAway.reasons.first?.hasPrefix("Relief has faded") == true)
        #expect(eightAway.advice == .bringForward)
        #expect(eightAway.suggestedDate == F.day(89))
    }

    @Test("clinical-reference §7 — exactly 30 % is still relief and a 1-point rise is not returning pain")
    func boundariesDoNotFire() {
        // when: 6 → 7 is +1 point and −30 %; planned far away, latest outside the look-back
        let r = Self.recommend([(7, 3), (40, 6), (50, 7)], today: 51)
        // then
        #expect(r.advice == .keepPlannedDate)
        #expect(r.reasons.first == "Relief holds: the latest follow-up on 2026-05-02 shows average pain 7 against a baseline of 10 (−30 %), "
                + "a reduction of at least 30 %; average pain went from 6 on 2026-04-22 to 7 on 2026-05-02 (+1 point), "
                + "less than the 2 points that signal returning pain.")
    }

    @Test("only follow-ups since the last booster are read: an earlier one is not the 'previous' score of a rise")
    func trendStartsAtLastBooster() {
        // given: 2 on day 38, booster on day 40, 4 on day 50 (−60 %): +2 only if the pre-booster score were read
        let course = ReliefCourse(seriesInfusions: F.series, seriesComplete: true, boosters: [F.afterSeries(40, 9)])
        // when
        let r = Self.recommend([(7, 3), (38, 2), (50, 4)], today: 51, planned: F.day(130), course: course)
        // then
        #expect(r.advice == .keepPlannedDate)
        #expect(!r.reasons.contains { $0.hasPrefix("Pain is rising") })
        #expect(r.reasons.first == "Relief holds: the latest follow-up on 2026-05-02 shows average pain 4 against a baseline of 10 (−60 %), a reduction of at least 30 %.")
    }

    @Test("follow-ups dated after today are not read")
    func futureFollowUpsIgnored() {
        // when: a day-60 score of 9 exists but today is day 55
        let r = Self.recommend([(7, 3), (50, 3), (60, 9)], today: 55)
        // then
        #expect(r.advice == .keepPlannedDate)
        #expect(!r.reasons.contains { $0.hasPrefix("Relief has faded") || $0.hasPrefix("Pain is rising") })
    }

    // MARK: 4. Push back

    @Test("Dworkin 2008 (≥ 50 % substantial) — relief still ≥ 50 % at a follow-up within 14 days of the planned date: push back 30 days")
    func pushBack() {
        // when: −60 % on day 80, 10 days before the planned date
        let r = Self.recommend([(7, 3), (80, 4)], today: 81)
        // then
        #expect(r == BoosterRecommendation(advice: .pushBack, plannedDate: Self.planned, suggestedDate: F.day(120), reasons: [
            "Relief holds: the latest follow-up on 2026-06-01 shows average pain 4 against a baseline of 10 (−60 %), a reduction of at least 30 %; "
                + "average pain went from 3 on 2026-03-20 to 4 on 2026-06-01 (+1 point), less than the 2 points that signal returning pain.",
            "Relief still holds near the planned date: the follow-up on 2026-06-01, 10 days before the planned date, shows a reduction of 60 %, at least 50 %.",
            "Push the booster back from 2026-06-11 to 2026-07-11 (+30 days).",
            "A suggestion only: the plan's date 2026-06-11 stays until a physician accepts the change.",
        ]))
    }

    @Test("Dworkin 2008 — exactly 50 % pushes back; the look-back includes day −14 and not day −15")
    func pushBackBoundaries() {
        // when
        let exactlyHalf = Self.recommend([(7, 5), (80, 5)], today: 81)
        let day14Before = Self.recommend([(7, 4), (76, 4)], today: 81)
        let day15Before = Self.recommend([(7, 4), (75, 4)], today: 81)
        // then
        #expect(exactlyHalf.advice == .pushBack)
        #expect(day14Before.advice == .pushBack)
        #expect(day15Before.advice == .keepPlannedDate)
        #expect(day15Before.reasons.last == "Keep the planned date 2026-06-11: no follow-up within 14 days before it (the latest is from 2026-05-27) to judge pushing it back.")
    }

    // MARK: 5. Keep

    @Test("relief holds but is below 50 % near the planned date: keep it")
    func keepBelowPushBack() {
        // when: −40 % on day 80
        let r = Self.recommend([(7, 5), (80, 6)], today: 81)
        // then
        #expect(r == BoosterRecommendation(advice: .keepPlannedDate, plannedDate: Self.planned, suggestedDate: nil, reasons: [
            "Relief holds: the latest follow-up on 2026-06-01 shows average pain 6 against a baseline of 10 (−40 %), a reduction of at least 30 %; "
                + "average pain went from 5 on 2026-03-20 to 6 on 2026-06-01 (+1 point), less than the 2 points that signal returning pain.",
            "Keep the planned date 2026-06-11: the reduction of 40 % at the follow-up on 2026-06-01 is below the 50 % that would push it back.",
        ]))
    }

    @Test("relief holds and no follow-up is close to the planned date: keep it")
    func keepNoRecentFollowUp() {
        // when
        let r = Self.recommend([(7, 3), (60, 3)], today: 70)
        // then
        #expect(r.advice == .keepPlannedDate)
        #expect(r.reasons.last == "Keep the planned date 2026-06-11: no follow-up within 14 days before it (the latest is from 2026-05-12) to judge pushing it back.")
    }

    // MARK: Policy

    @Test("local policy — the thresholds are configurable: a 3-point rise, 14 days' lead and a 60-day push-back")
    func configurablePolicy() {
        // given
        let policy = BoosterPolicy(risingPoints: 3, leadDays: 14, pushBackDays: 60)
        // when
        let notRising = Self.recommend([(7, 2), (40, 2), (50, 4)], today: 51, policy: policy)
        let forward = Self.recommend([(7, 3), (50, 8)], today: 51, policy: policy)
        let back = Self.recommend([(7, 3), (80, 4)], today: 81, policy: policy)
        // then
        #expect(notRising.advice == .keepPlannedDate)
        #expect(forward.suggestedDate == F.day(65))
        #expect(back.suggestedDate == F.day(150))
    }

    @Test("local policy — the rule is printed with its numbers and called local policy")
    func policySummary() {
        #expect(BoosterPolicy.standard.summary == [
            "Pain is returning when the latest follow-up shows pain reduced by less than 30 % from baseline, or 2 or more points above the previous follow-up.",
            "Then the booster is suggested 7 days from today, if the planned date is later than that.",
            "When the latest follow-up within 14 days before the planned date still shows pain reduced by 50 % or more, the booster is suggested 30 days later.",
            "A suggestion only: the plan's date stays until a physician accepts a change. These thresholds are the clinic's local policy, not guideline numbers.",
        ])
        #expect(BoosterRecommendation.Advice.allCases.map(\.title)
                == ["keep the planned date", "bring the booster forward", "push the booster back", "not yet assessable"])
    }

    @Test("nonsense policy settings are refused, each named")
    func policyValidation() throws {
        // given
        let bad = BoosterPolicy(reliefReductionPercent: 0, risingPoints: 11, leadDays: -1, pushBackReductionPercent: 101,
                                lookbackDays: -2, pushBackDays: 0)
        // when / then
        #expect(throws: ClinicError.invalid([
            FieldError("reliefReductionPercent", "A reduction is more than 0 % and at most 100 %."),
            FieldError("pushBackReductionPercent", "A reduction is more than 0 % and at most 100 %."),
            FieldError("risingPoints", "A rise on the 0–10 scale is more than 0 and at most 10 points."),
            FieldError("leadDays", "The lead time cannot be negative."),
            FieldError("lookbackDays", "The look-back cannot be negative."),
            FieldError("pushBackDays", "Push back by at least 1 day."),
        ])) { try bad.validated() }
        #expect(try BoosterPolicy.standard.validated() == .standard)
    }
}
