import Foundation
import Testing
import ClinicCore

/// PHQ-9 and GAD-7 ask about the last 2 weeks, so give them at baseline and then no more often than every 14 days.
/// Source: clinical-reference §7 "Recall periods"; Kroenke 2001 (PHQ-9), Spitzer 2006 (GAD-7).
@Suite("Measurement schedule: the 14-day mood interval (clinical-reference §7; Kroenke 2001; Spitzer 2006)")
struct MeasurementScheduleMoodIntervalTests {
    typealias F = ScheduleFixture
    static let moodDay = F.date("2026-03-14")
    static let lastMood = F.done(.afterSeries(day: 1), [.painNRS, .sleep, .pgic, .phq9, .gad7], on: moodDay)

    @Test("clinical-reference §7 — a follow-up 13 days after the last PHQ-9 and GAD-7 does not ask them")
    func thirteenDays() {
        // when
        let asked = MeasurementSchedulePolicy.standard.instruments(at: .afterSeries(day: 14), on: Self.moodDay.adding(days: 13), completed: Self.lastMood)
        // then
        #expect(asked == [.painNRS, .sleep, .pgic])
    }

    @Test("clinical-reference §7 — a follow-up 14 days after the last PHQ-9 and GAD-7 asks them again")
    func fourteenDays() {
        // when
        let asked = MeasurementSchedulePolicy.standard.instruments(at: .afterSeries(day: 14), on: Self.moodDay.adding(days: 14), completed: Self.lastMood)
        // then
        #expect(asked == [.painNRS, .sleep, .pgic, .phq9, .gad7])
    }

    @Test("clinical-reference §7 — each mood instrument keeps its own interval: a GAD-7 done 20 days ago is asked while the PHQ-9 done 13 days ago is not")
    func perInstrumentInterval() {
        // given
        let completed = F.done(.baseline, [.gad7], on: Self.moodDay.adding(days: -7))
            + F.done(.afterSeries(day: 1), [.phq9], on: Self.moodDay)
        // when
        let asked = MeasurementSchedulePolicy.standard.instruments(at: .afterSeries(day: 14), on: Self.moodDay.adding(days: 13), completed: completed)
        // then
        #expect(asked == [.painNRS, .sleep, .pgic, .gad7])
    }

    @Test("clinical-reference §7 — baseline asks the mood instruments; infusion pain asks pain only")
    func baselineAndInfusionForms() {
        // given
        let policy = MeasurementSchedulePolicy.standard
        // when / then
        #expect(policy.instruments(at: .baseline, on: F.baselineDay, completed: []) == [.painNRS, .sleep, .phq9, .gad7])
        #expect(policy.instruments(at: .preInfusion(1), on: F.series[0], completed: []) == [.painNRS])
        #expect(policy.instruments(at: .postInfusion(1), on: F.series[0], completed: []) == [.painNRS])
        #expect(policy.instruments(at: .afterBooster(number: 1, day: 7), on: F.booster.adding(days: 7), completed: []) == [.painNRS, .sleep, .pgic, .phq9, .gad7])
    }

    @Test("an instrument already filled at this timepoint is not asked again")
    func alreadyFilledAtTimepoint() {
        // given: pain filled at day 7 earlier the same day
        let completed = F.done(.afterSeries(day: 7), [.painNRS], on: F.seriesEnd.adding(days: 7))
        // when
        let asked = MeasurementSchedulePolicy.standard.instruments(at: .afterSeries(day: 7), on: F.seriesEnd.adding(days: 7), completed: completed)
        // then
        #expect(asked == [.sleep, .pgic, .phq9, .gad7])
    }

    @Test("clinical-reference §7 — the interval may be lengthened: with 28 days, 27 days is too soon and 28 is not", arguments: [(27, false), (28, true)])
    func lengthenedInterval(_ days: Int, _ asks: Bool) {
        // given
        let policy = MeasurementSchedulePolicy(moodMinimumIntervalDays: 28)
        // when
        let asked = policy.instruments(at: .afterSeries(day: 30), on: Self.moodDay.adding(days: days), completed: Self.lastMood)
        // then
        #expect(asked.contains(.phq9) == asks)
        #expect(asked.contains(.gad7) == asks)
    }

    @Test("clinical-reference §7 — in the schedule, a follow-up 13 days after the baseline mood measurement does not owe it; at 14 days it does",
          arguments: [(13, false), (14, true)])
    func scheduleThirteenAndFourteen(_ daysAfterBaseline: Int, _ owesMood: Bool) {
        // given: baseline mood measured `daysAfterBaseline - 1` days before the last infusion, so day 1 falls that many days after it
        let baselineDay = F.seriesEnd.adding(days: 1 - daysAfterBaseline)
        let completed = F.done(.baseline, [.painNRS, .sleep, .phq9, .gad7], on: baselineDay)
            + F.done(.preInfusion(1), [.painNRS], on: F.seriesEnd) + F.done(.postInfusion(1), [.painNRS], on: F.seriesEnd)
        let course = CourseEvents(seriesInfusions: [F.seriesEnd], seriesComplete: true)
        // when
        let day1 = F.due(course, completed, today: F.seriesEnd).first
        // then
        #expect(day1?.timepoint == .afterSeries(day: 1))
        #expect(day1?.instruments.contains(.phq9) == owesMood)
        #expect(day1?.instruments.contains(.gad7) == owesMood)
    }

    @Test("clinical-reference §7 — a mood measurement missed at day 1 stays owed until a later one is made")
    func missedMoodStaysOwed() {
        // given: day 1 filled without mood
        let completed = F.baselineAndSeries + F.done(.afterSeries(day: 1), [.painNRS, .sleep, .pgic], on: F.seriesEnd.adding(days: 1))
        // when
        let due = F.due(F.beforeBooster, completed, today: F.seriesEnd.adding(days: 5))
        // then
        #expect(due.first?.timepoint == .afterSeries(day: 1))
        #expect(due.first?.instruments == [.phq9, .gad7])
        #expect(due.first?.status == .overdue)
    }

    @Test("clinical-reference §7 — a mood measurement made later supersedes a missed one: the day 7 form asked it, so day 1 no longer owes it")
    func laterMoodSupersedesMissed() {
        // given: day 1 filled without mood; the day 7 form then asks mood (last one 21 days before)
        var completed = F.baselineAndSeries + F.done(.afterSeries(day: 1), [.painNRS, .sleep, .pgic], on: F.seriesEnd.adding(days: 1))
        let day7 = F.seriesEnd.adding(days: 7)
        let asked = MeasurementSchedulePolicy.standard.instruments(at: .afterSeries(day: 7), on: day7, completed: completed)
        completed += F.done(.afterSeries(day: 7), asked, on: day7)
        // when
        let due = F.due(F.beforeBooster, completed, today: day7)
        // then
        #expect(asked == [.painNRS, .sleep, .pgic, .phq9, .gad7])
        #expect(!due.contains { $0.timepoint == .afterSeries(day: 1) })
        #expect(due.lines.first == "series+14@2026-03-27 upcoming: pain-nrs sleep pgic")
        #expect(due.lines.dropFirst().first == "series+30@2026-04-12 upcoming: pain-nrs sleep pgic phq-9 gad-7")
    }

    @Test("clinical-reference §7 — the mood instruments are a setting: with none, no form asks them")
    func noMoodInstruments() {
        // given
        let policy = MeasurementSchedulePolicy(moodInstruments: [])
        // when / then
        #expect(policy.instruments(at: .baseline, on: F.baselineDay, completed: []) == [.painNRS, .sleep])
        #expect(policy.instruments(at: .afterSeries(day: 30), on: F.seriesEnd.adding(days: 30), completed: []) == [.painNRS, .sleep, .pgic])
    }
}
