import Foundation

extension MeasurementSchedulePolicy {
    /// The measurements still owed at `today` (those already completed are left out), in date order.
    ///
    /// Pain before and after each infusion given; follow-ups at `followUpDays` after the last infusion of a completed
    /// series and after each booster, where a booster ends the follow-ups of what came before it from its date on;
    /// mood instruments at baseline and then no more often than every `moodMinimumIntervalDays` (clinical-reference §7).
    /// A mood slot is not owed when a completed measurement of that instrument lies within the interval before it or
    /// anywhere after it (a later measurement supersedes a missed one), nor within the interval after an earlier owed slot.
    public func dueMeasurements(for course: CourseEvents, completed: [CompletedMeasurement], today: CalendarDate) -> [DueMeasurement] {
        let done = Set(completed.map { ScheduledSlot(timepoint: $0.timepoint, instrument: $0.instrument) })
        let mood = Set(moodInstruments)
        var moodDates: [Instrument: [Int]] = [:]
        for c in completed where mood.contains(c.instrument) { moodDates[c.instrument, default: []].append(c.date.daysSinceEpoch) }

        var lastOwed: [Instrument: Int] = [:]
        var owed: [DueMeasurement] = []
        for (timepoint, dueOn) in scheduledTimepoints(for: course, today: today) {
            let day = dueOn.daysSinceEpoch
            var instruments: [Instrument] = []
            for instrument in plannedInstruments(at: timepoint) where !done.contains(ScheduledSlot(timepoint: timepoint, instrument: instrument)) {
                if mood.contains(instrument) {
                    if moodDates[instrument, default: []].contains(where: { $0 > day - moodMinimumIntervalDays }) { continue }
                    if let last = lastOwed[instrument], day - last < moodMinimumIntervalDays { continue }
                    lastOwed[instrument] = day
                }
                instruments.append(instrument)
            }
            guard !instruments.isEmpty else { continue }
            let overdueFrom = dueOn.adding(days: overdueAfterDays)
            let status: DueMeasurement.Status = today < dueOn ? .upcoming : today < overdueFrom ? .due : .overdue
            owed.append(DueMeasurement(timepoint: timepoint, instruments: instruments, dueOn: dueOn, overdueFrom: overdueFrom, status: status))
        }
        return owed
    }

    /// The instruments a form filled on `date` should ask at a timepoint, respecting the mood recall interval against the completed mood measurements.
    ///
    /// Instruments already completed at this timepoint are left out; a mood instrument is left out when one of the same
    /// instrument was completed fewer than `moodMinimumIntervalDays` days from `date` (clinical-reference §7).
    public func instruments(at timepoint: Timepoint, on date: CalendarDate, completed: [CompletedMeasurement]) -> [Instrument] {
        let mood = Set(moodInstruments)
        return plannedInstruments(at: timepoint).filter { instrument in
            if completed.contains(where: { $0.timepoint == timepoint && $0.instrument == instrument }) { return false }
            guard mood.contains(instrument) else { return true }
            return !completed.contains { c in
                c.instrument == instrument && abs(c.date.daysSinceEpoch - date.daysSinceEpoch) < moodMinimumIntervalDays
            }
        }
    }

    /// Every instrument a timepoint asks before the mood interval and completed measurements are applied, in form order.
    public func plannedInstruments(at timepoint: Timepoint) -> [Instrument] {
        let base: [Instrument]
        switch timepoint {
        case .baseline: base = baselineInstruments + moodInstruments
        case .preInfusion, .postInfusion: base = infusionInstruments
        case .afterSeries, .afterBooster: base = followUpInstruments + moodInstruments
        }
        var seen = Set<Instrument>()
        return base.filter { seen.insert($0).inserted }
    }

    /// Every timepoint the course calls for with its due date, in date order (course order within a day).
    func scheduledTimepoints(for course: CourseEvents, today: CalendarDate) -> [(Timepoint, CalendarDate)] {
        let boosters = course.boosters.sorted()
        let infusions = course.seriesInfusions + boosters
        var result: [(Timepoint, CalendarDate)] = []

        // Baseline belongs before the first infusion; with none given yet, it is owed now.
        result.append((.baseline, infusions.min() ?? today))

        for (index, date) in infusions.enumerated() {
            result.append((.preInfusion(index + 1), date))
            result.append((.postInfusion(index + 1), date))
        }

        let days = Array(Set(followUpDays)).sorted()
        if course.seriesComplete, let last = course.seriesInfusions.max() {
            let cutoff = boosters.first { $0 >= last }
            for day in days {
                let date = last.adding(days: day)
                if let cutoff, date >= cutoff { break }
                result.append((.afterSeries(day: day), date))
            }
        }
        for (index, booster) in boosters.enumerated() {
            let next = index + 1 < boosters.count ? boosters[index + 1] : nil
            for day in days {
                let date = booster.adding(days: day)
                if let next, date >= next { break }
                result.append((.afterBooster(number: index + 1, day: day), date))
            }
        }
        return result.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }
}

/// One instrument at one timepoint, the unit a completed measurement fills.
private struct ScheduledSlot: Hashable {
    var timepoint: Timepoint
    var instrument: Instrument
}
