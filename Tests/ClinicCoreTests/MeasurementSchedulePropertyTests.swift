import Foundation
import PropertyBased
import Testing
import ClinicCore

/// Generators of courses and completed measurements for the schedule properties.
enum ScheduleGen {
    static let start = CalendarDate("2026-03-02")!

    /// 0–8 series infusions 1–7 days apart, complete or not, and 0–3 boosters 10–120 days apart after the series.
    static let course = zip(Gen.int(in: 0...8), Gen.int(in: 1...7).array(of: 8), Gen.bool, Gen.int(in: 0...3), Gen.int(in: 10...120).array(of: 3))
        .map { drawn in
            let (count, gaps, complete, boosterCount, boosterGaps) = drawn
            var day = start
            var series: [CalendarDate] = []
            for index in 0..<count {
                if index > 0 { day = day.adding(days: gaps[index]) }
                series.append(day)
            }
            var boosters: [CalendarDate] = []
            for index in 0..<boosterCount {
                day = day.adding(days: boosterGaps[index])
                boosters.append(day)
            }
            return CourseEvents(seriesInfusions: series, seriesComplete: complete && count > 0, boosters: boosters)
        }

    /// Timepoints completed measurements are drawn from.
    static let pool: [Timepoint] = [.baseline]
        + (1...12).flatMap { [Timepoint.preInfusion($0), .postInfusion($0)] }
        + [1, 7, 14, 30, 60, 90].map { Timepoint.afterSeries(day: $0) }
        + (1...3).flatMap { n in [1, 7, 14, 30, 60, 90].map { Timepoint.afterBooster(number: n, day: $0) } }

    /// Up to 40 completed measurements at any pooled timepoint, any instrument, any date from 20 days before the start to 400 after.
    static let completed = zip(Gen.int(in: 0...(pool.count - 1)), Gen<Instrument>.case, Gen.int(in: -20...400))
        .map { index, instrument, offset in
            CompletedMeasurement(timepoint: pool[index], instrument: instrument, date: start.adding(days: offset))
        }
        .array(of: 0...40)

    static let today = Gen.int(in: -10...500).map { start.adding(days: $0) }

    static let policy = zip(Gen.int(in: 14...40), Gen.int(in: 0...10)).map { interval, grace in
        MeasurementSchedulePolicy(moodMinimumIntervalDays: interval, overdueAfterDays: grace)
    }
}

@Suite("Measurement schedule properties (clinical-reference §7)")
struct MeasurementSchedulePropertyTests {
    @Test("in date order; nothing completed is owed; instruments are the timepoint's planned ones in form order; status follows today and the grace period")
    func shapeOfTheList() async {
        await propertyCheck(count: 300, input: ScheduleGen.course, ScheduleGen.completed, ScheduleGen.today, ScheduleGen.policy) {
            course, completed, today, policy in
            // when
            let due = policy.dueMeasurements(for: course, completed: completed, today: today)
            // then
            #expect(zip(due, due.dropFirst()).allSatisfy { ($0.dueOn, $0.timepoint) < ($1.dueOn, $1.timepoint) })
            let done = Set(completed.map { "\($0.timepoint.key)/\($0.instrument.rawValue)" })
            for entry in due {
                #expect(!entry.instruments.isEmpty)
                #expect(entry.instruments.allSatisfy { !done.contains("\(entry.timepoint.key)/\($0.rawValue)") })
                let planned = policy.plannedInstruments(at: entry.timepoint)
                #expect(entry.instruments == planned.filter(entry.instruments.contains))
                #expect(entry.overdueFrom == entry.dueOn.adding(days: policy.overdueAfterDays))
                let expected: DueMeasurement.Status = today < entry.dueOn ? .upcoming : today < entry.overdueFrom ? .due : .overdue
                #expect(entry.status == expected)
            }
        }
    }

    @Test("clinical-reference §7 — follow-ups count from the last infusion of a complete series and from each booster, and end at the next booster")
    func followUpClocks() async {
        await propertyCheck(count: 300, input: ScheduleGen.course, ScheduleGen.today) { course, today in
            // given
            let boosters = course.boosters.sorted()
            // when
            let due = MeasurementSchedulePolicy.standard.dueMeasurements(for: course, completed: [], today: today)
            // then
            for entry in due {
                switch entry.timepoint {
                case .afterSeries(let day):
                    #expect(course.seriesComplete)
                    let last = course.seriesInfusions.last!
                    #expect(entry.dueOn == last.adding(days: day))
                    if let booster = boosters.first(where: { $0 >= last }) { #expect(entry.dueOn < booster) }
                case .afterBooster(let number, let day):
                    #expect(entry.dueOn == boosters[number - 1].adding(days: day))
                    if number < boosters.count { #expect(entry.dueOn < boosters[number]) }
                case .preInfusion(let n), .postInfusion(let n):
                    #expect(entry.dueOn == (course.seriesInfusions + boosters)[n - 1])
                case .baseline:
                    #expect(entry.dueOn == (course.seriesInfusions + boosters).min() ?? today)
                }
            }
            // pain is owed before and after every infusion given, when nothing is completed
            let infusions = course.seriesInfusions.count + boosters.count
            #expect(due.filter { if case .preInfusion = $0.timepoint { true } else { false } }.count == infusions)
            #expect(due.filter { if case .postInfusion = $0.timepoint { true } else { false } }.count == infusions)
        }
    }

    @Test("clinical-reference §7 — a mood instrument is never owed within the interval after a completed one, nor twice within the interval")
    func moodSpacing() async {
        await propertyCheck(count: 300, input: ScheduleGen.course, ScheduleGen.completed, ScheduleGen.today, ScheduleGen.policy) {
            course, completed, today, policy in
            // when
            let due = policy.dueMeasurements(for: course, completed: completed, today: today)
            // then
            for mood in policy.moodInstruments {
                let owed = due.filter { $0.instruments.contains(mood) }.map(\.dueOn.daysSinceEpoch)
                let done = completed.filter { $0.instrument == mood }.map(\.date.daysSinceEpoch)
                #expect(zip(owed, owed.dropFirst()).allSatisfy { $1 - $0 >= policy.moodMinimumIntervalDays })
                #expect(owed.allSatisfy { day in done.allSatisfy { day - $0 >= policy.moodMinimumIntervalDays } })
            }
        }
    }

    @Test("clinical-reference §7 — a form never asks a mood instrument within the interval of a completed one")
    func formMoodSpacing() async {
        await propertyCheck(count: 300, input: ScheduleGen.completed, ScheduleGen.today, ScheduleGen.policy, Gen.int(in: 0...(ScheduleGen.pool.count - 1))) {
            completed, date, policy, index in
            // when
            let timepoint = ScheduleGen.pool[index]
            let asked = policy.instruments(at: timepoint, on: date, completed: completed)
            // then
            for mood in policy.moodInstruments where asked.contains(mood) {
                #expect(completed.allSatisfy { $0.instrument != mood || abs($0.date.daysSinceEpoch - date.daysSinceEpoch) >= policy.moodMinimumIntervalDays })
            }
            #expect(asked.allSatisfy { instrument in !completed.contains { $0.timepoint == timepoint && $0.instrument == instrument } })
        }
    }

    @Test("any timepoint's key reads back as the same timepoint")
    func keyRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...4), Gen.int(in: 1...9999), Gen.int(in: 0...9999)) { kind, number, day in
            // given
            let timepoint: Timepoint = switch kind {
            case 0: .baseline
            case 1: .preInfusion(number)
            case 2: .postInfusion(number)
            case 3: .afterSeries(day: day)
            default: .afterBooster(number: number, day: day)
            }
            // when / then
            #expect(Timepoint(key: timepoint.key) == timepoint)
        }
    }
}
