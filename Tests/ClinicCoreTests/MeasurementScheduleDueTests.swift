import Foundation
import Testing
import ClinicCore

/// A course with fixed dates: a series of 6 ending on Friday 2026-03-13, a booster 45 days later (2026-04-27).
enum ScheduleFixture {
    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    static let series = ["2026-03-02", "2026-03-04", "2026-03-06", "2026-03-09", "2026-03-11", "2026-03-13"].map(date)
    /// The last infusion of the series: follow-up day 0.
    static let seriesEnd = date("2026-03-13")
    static let booster = seriesEnd.adding(days: 45)
    static let baselineDay = date("2026-02-27")

    static let beforeBooster = CourseEvents(seriesInfusions: series, seriesComplete: true)
    static let withBooster = CourseEvents(seriesInfusions: series, seriesComplete: true, boosters: [booster])

    /// `instruments` completed at a timepoint on a date.
    static func done(_ timepoint: Timepoint, _ instruments: [Instrument], on date: CalendarDate) -> [CompletedMeasurement] {
        instruments.map { CompletedMeasurement(timepoint: timepoint, instrument: $0, date: date) }
    }

    /// Baseline filled in full before the first infusion, and pain before and after each of the 6 series infusions.
    static let baselineAndSeries: [CompletedMeasurement] =
        done(.baseline, [.painNRS, .sleep, .phq9, .gad7], on: baselineDay)
        + series.enumerated().flatMap { index, day in
            done(.preInfusion(index + 1), [.painNRS], on: day) + done(.postInfusion(index + 1), [.painNRS], on: day)
        }

    /// A follow-up filled in full on its day, with whatever the policy asked then.
    static func followUp(_ timepoint: Timepoint, on date: CalendarDate, after completed: [CompletedMeasurement],
                         policy: MeasurementSchedulePolicy = .standard) -> [CompletedMeasurement] {
        done(timepoint, policy.instruments(at: timepoint, on: date, completed: completed), on: date)
    }

    static func due(_ course: CourseEvents, _ completed: [CompletedMeasurement], today: CalendarDate,
                    policy: MeasurementSchedulePolicy = .standard) -> [DueMeasurement] {
        policy.dueMeasurements(for: course, completed: completed, today: today)
    }
}

extension Array where Element == DueMeasurement {
    /// "key@date status: instruments", one line each, for readable expectations.
    var lines: [String] {
        map { "\($0.timepoint.key)@\($0.dueOn) \($0.status.rawValue): \($0.instruments.map(\.rawValue).joined(separator: " "))" }
    }
}

/// The schedule of measurements (clinical-reference §7 "Recall periods"; the days and grace period are local policy):
/// pain before and after each infusion; follow-ups at days 1, 7, 14, 30, 60, 90 after the series and after each booster;
/// PHQ-9 and GAD-7 at baseline and no more often than every 14 days.
@Suite("Measurement schedule: what is due (clinical-reference §7)")
struct MeasurementScheduleDueTests {
    typealias F = ScheduleFixture

    @Test("clinical-reference §7 — the day the series ends: all six follow-ups upcoming, mood at days 1, 30, 60, 90 only")
    func seriesJustComplete() {
        // when
        let due = F.due(F.beforeBooster, F.baselineAndSeries, today: F.seriesEnd)
        // then
        #expect(due.lines == [
            "series+1@2026-03-14 upcoming: pain-nrs sleep pgic phq-9 gad-7",
            "series+7@2026-03-20 upcoming: pain-nrs sleep pgic",
            "series+14@2026-03-27 upcoming: pain-nrs sleep pgic",
            "series+30@2026-04-12 upcoming: pain-nrs sleep pgic phq-9 gad-7",
            "series+60@2026-05-12 upcoming: pain-nrs sleep pgic phq-9 gad-7",
            "series+90@2026-06-11 upcoming: pain-nrs sleep pgic phq-9 gad-7",
        ])
        #expect(due.allSatisfy { $0.overdueFrom == $0.dueOn.adding(days: 3) })
    }

    @Test("clinical-reference §7 — a series of 6, then a booster at day 45: the series' days 60 and 90 are no longer owed; the booster starts its own follow-ups")
    func boosterAtDay45() {
        // given: every series follow-up up to day 30 filled on its day, the booster's pain not yet recorded
        var completed = F.baselineAndSeries
        for day in [1, 7, 14, 30] {
            completed += F.followUp(.afterSeries(day: day), on: F.seriesEnd.adding(days: day), after: completed)
        }
        // when: the day after the booster
        let due = F.due(F.withBooster, completed, today: F.booster.adding(days: 1))
        // then
        #expect(F.booster == F.date("2026-04-27"))
        #expect(due.lines == [
            "pre7@2026-04-27 due: pain-nrs",
            "post7@2026-04-27 due: pain-nrs",
            "booster1+1@2026-04-28 due: pain-nrs sleep pgic phq-9 gad-7",
            "booster1+7@2026-05-04 upcoming: pain-nrs sleep pgic",
            "booster1+14@2026-05-11 upcoming: pain-nrs sleep pgic",
            "booster1+30@2026-05-27 upcoming: pain-nrs sleep pgic phq-9 gad-7",
            "booster1+60@2026-06-26 upcoming: pain-nrs sleep pgic phq-9 gad-7",
            "booster1+90@2026-07-26 upcoming: pain-nrs sleep pgic phq-9 gad-7",
        ])
    }

    @Test("clinical-reference §7 — mood was asked at series days 1 and 30 only: day 7 and 14 fell within 14 days of day 1")
    func moodAskedAtSeriesFollowUps() {
        // given
        var completed = F.baselineAndSeries
        for day in [1, 7, 14, 30] {
            completed += F.followUp(.afterSeries(day: day), on: F.seriesEnd.adding(days: day), after: completed)
        }
        // when
        let phq9Days = completed.filter { $0.instrument == .phq9 }.map(\.timepoint.key)
        // then
        #expect(phq9Days == ["baseline", "series+1", "series+30"])
    }

    @Test("what is owed on various days of the series-of-6-and-booster course", arguments: [
        ("2026-03-14", ["series+1@2026-03-14 due: pain-nrs sleep pgic phq-9 gad-7"]),
        ("2026-03-17", ["series+1@2026-03-14 overdue: pain-nrs sleep pgic phq-9 gad-7"]),
        ("2026-03-20", ["series+1@2026-03-14 overdue: pain-nrs sleep pgic phq-9 gad-7", "series+7@2026-03-20 due: pain-nrs sleep pgic"]),
    ])
    func owedOnDay(_ today: String, _ expectedPast: [String]) {
        // given: baseline and infusions recorded, no follow-up yet
        // when
        let due = F.due(F.beforeBooster, F.baselineAndSeries, today: F.date(today))
        // then: the owed measurements up to today, then the upcoming ones
        #expect(Array(due.lines.prefix(expectedPast.count)) == expectedPast)
        #expect(due.dropFirst(expectedPast.count).allSatisfy { $0.status == .upcoming })
        #expect(due.count == 6)
    }

    @Test("local policy — a due measurement turns overdue when its 3 days of grace end", arguments: [
        ("2026-03-19", DueMeasurement.Status.upcoming),
        ("2026-03-20", .due),
        ("2026-03-22", .due),
        ("2026-03-23", .overdue),
        ("2026-06-01", .overdue),
    ])
    func graceBoundary(_ today: String, _ status: DueMeasurement.Status) {
        // given: day 1 done, day 7 (2026-03-20) owed
        let completed = F.baselineAndSeries + F.followUp(.afterSeries(day: 1), on: F.seriesEnd.adding(days: 1), after: F.baselineAndSeries)
        // when
        let day7 = F.due(F.beforeBooster, completed, today: F.date(today)).first { $0.timepoint == .afterSeries(day: 7) }
        // then
        #expect(day7?.dueOn == F.date("2026-03-20"))
        #expect(day7?.overdueFrom == F.date("2026-03-23"))
        #expect(day7?.status == status)
    }

    @Test("local policy — the grace period is a setting: 0 days makes a measurement overdue on its due date, 7 days a week later")
    func graceIsConfigurable() {
        // given
        let completed = F.baselineAndSeries + F.followUp(.afterSeries(day: 1), on: F.seriesEnd.adding(days: 1), after: F.baselineAndSeries)
        let none = MeasurementSchedulePolicy(overdueAfterDays: 0)
        let week = MeasurementSchedulePolicy(overdueAfterDays: 7)
        // when
        let day7None = F.due(F.beforeBooster, completed, today: F.date("2026-03-20"), policy: none).first!
        let day7WeekBefore = F.due(F.beforeBooster, completed, today: F.date("2026-03-26"), policy: week).first!
        let day7WeekAt = F.due(F.beforeBooster, completed, today: F.date("2026-03-27"), policy: week).first!
        // then
        #expect(day7None.status == .overdue)
        #expect(day7WeekBefore.status == .due)
        #expect(day7WeekAt.status == .overdue)
        #expect(day7WeekAt.overdueFrom == F.date("2026-03-27"))
    }

    @Test("a booster on the very day of a series follow-up ends it; a booster the day after leaves it owed")
    func boosterCutoffIsOnOrAfter() {
        // given: boosters on series day 60 and on day 61
        let onDay60 = CourseEvents(seriesInfusions: F.series, seriesComplete: true, boosters: [F.seriesEnd.adding(days: 60)])
        let onDay61 = CourseEvents(seriesInfusions: F.series, seriesComplete: true, boosters: [F.seriesEnd.adding(days: 61)])
        // when
        let keysOn60 = Set(F.due(onDay60, F.baselineAndSeries, today: F.seriesEnd.adding(days: 61)).map(\.timepoint))
        let keysOn61 = Set(F.due(onDay61, F.baselineAndSeries, today: F.seriesEnd.adding(days: 61)).map(\.timepoint))
        // then
        #expect(!keysOn60.contains(.afterSeries(day: 60)))
        #expect(keysOn60.contains(.afterSeries(day: 30)))
        #expect(keysOn61.contains(.afterSeries(day: 60)))
        #expect(!keysOn61.contains(.afterSeries(day: 90)))
    }

    @Test("a second booster ends the first booster's later follow-ups in the same way, and numbers its own")
    func secondBoosterResetsTheFirst() {
        // given: boosters at series day 45 and 45 + 40
        let second = F.booster.adding(days: 40)
        let course = CourseEvents(seriesInfusions: F.series, seriesComplete: true, boosters: [second, F.booster])
        // when
        let timepoints = F.due(course, F.baselineAndSeries, today: second).map(\.timepoint)
        // then
        let firstBooster = timepoints.compactMap { if case .afterBooster(1, let day) = $0 { day } else { nil } }
        let secondBooster = timepoints.compactMap { if case .afterBooster(2, let day) = $0 { day } else { nil } }
        #expect(firstBooster == [1, 7, 14, 30])
        #expect(secondBooster == [1, 7, 14, 30, 60, 90])
        #expect(timepoints.contains(.preInfusion(7)) && timepoints.contains(.preInfusion(8)))
    }

    @Test("no follow-up counts from a series that is not complete; pain before and after each infusion given is owed")
    func seriesNotComplete() {
        // given: 4 of 6 infusions given
        let course = CourseEvents(seriesInfusions: Array(F.series.prefix(4)), seriesComplete: false)
        let completed = F.done(.baseline, [.painNRS, .sleep, .phq9, .gad7], on: F.baselineDay)
        // when
        let due = F.due(course, completed, today: F.date("2026-03-10"))
        // then
        #expect(due.lines == [
            "pre1@2026-03-02 overdue: pain-nrs", "post1@2026-03-02 overdue: pain-nrs",
            "pre2@2026-03-04 overdue: pain-nrs", "post2@2026-03-04 overdue: pain-nrs",
            "pre3@2026-03-06 overdue: pain-nrs", "post3@2026-03-06 overdue: pain-nrs",
            "pre4@2026-03-09 due: pain-nrs", "post4@2026-03-09 due: pain-nrs",
        ])
    }

    @Test("pain recorded before an infusion but not after leaves only the after-infusion measurement owed")
    func prePostIndependently() {
        // given
        let course = CourseEvents(seriesInfusions: [F.series[0]])
        let completed = F.done(.baseline, [.painNRS, .sleep, .phq9, .gad7], on: F.baselineDay)
            + F.done(.preInfusion(1), [.painNRS], on: F.series[0])
        // when
        let due = F.due(course, completed, today: F.series[0])
        // then
        #expect(due.lines == ["post1@2026-03-02 due: pain-nrs"])
    }

    @Test("before any infusion, baseline is owed today with the mood instruments")
    func baselineBeforeAnyInfusion() {
        // given
        let today = F.date("2026-02-20")
        // when
        let due = F.due(CourseEvents(), [], today: today)
        // then
        #expect(due.lines == ["baseline@2026-02-20 due: pain-nrs sleep phq-9 gad-7"])
    }

    @Test("a partly filled baseline owes only what is missing, due by the first infusion")
    func partialBaseline() {
        // given
        let course = CourseEvents(seriesInfusions: [F.series[0]])
        let completed = F.done(.baseline, [.painNRS, .phq9], on: F.baselineDay)
            + F.done(.preInfusion(1), [.painNRS], on: F.series[0]) + F.done(.postInfusion(1), [.painNRS], on: F.series[0])
        // when
        let due = F.due(course, completed, today: F.series[0])
        // then
        #expect(due.lines == ["baseline@2026-03-02 due: sleep gad-7"])
    }

    @Test("a follow-up partly filled owes only its missing instruments")
    func partialFollowUp() {
        // given: day 7 with pain only
        let completed = F.baselineAndSeries
            + F.followUp(.afterSeries(day: 1), on: F.seriesEnd.adding(days: 1), after: F.baselineAndSeries)
            + F.done(.afterSeries(day: 7), [.painNRS], on: F.seriesEnd.adding(days: 7))
        // when
        let due = F.due(F.beforeBooster, completed, today: F.seriesEnd.adding(days: 7))
        // then
        #expect(due.first?.timepoint == .afterSeries(day: 7))
        #expect(due.first?.instruments == [.sleep, .pgic])
    }

    @Test("local policy — the follow-up days and instruments are settings")
    func configurableDaysAndInstruments() {
        // given
        let policy = MeasurementSchedulePolicy(followUpDays: [10, 2], followUpInstruments: [.bpi], moodInstruments: [])
        // when
        let due = F.due(F.beforeBooster, F.baselineAndSeries, today: F.seriesEnd, policy: policy)
        // then
        #expect(due.lines == ["series+2@2026-03-15 upcoming: bpi-sf", "series+10@2026-03-23 upcoming: bpi-sf"])
    }

    @Test("a completed course owes nothing")
    func nothingOwed() {
        // given: every follow-up of the series filled on its day
        var completed = F.baselineAndSeries
        for day in [1, 7, 14, 30, 60, 90] {
            completed += F.followUp(.afterSeries(day: day), on: F.seriesEnd.adding(days: day), after: completed)
        }
        // when
        let due = F.due(F.beforeBooster, completed, today: F.seriesEnd.adding(days: 120))
        // then
        #expect(due.isEmpty)
    }
}
