import ClinicCore
import Foundation

/// Maps a patient's follow-up and the clinic's analytics to the chart inputs (plain values) and draws them.
enum OutcomeChartBuilder {
    static func noon(_ day: CalendarDate, _ tz: TimeZone) -> Date {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = tz
        return c.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!
    }

    /// Pain NRS over time with infusion and booster markers, the baseline and its −30/−50 % levels, and the relief band.
    static func pain(_ o: PatientOutcomes, timeZone tz: TimeZone) -> String {
        var points: [PainTrajectoryChart.Point] = []
        for r in o.records {
            guard let answers = r.response(.painNRS)?.answers else { continue }
            let context: PainTrajectoryChart.Context
            switch r.timepoint {
            case .preInfusion, .baseline: context = .beforeInfusion
            case .postInfusion: context = .afterInfusion
            case .afterSeries, .afterBooster: context = .followUp
            }
            for (key, series) in [("average", PainTrajectoryChart.Series.average), ("now", .now), ("worst", .worst)] {
                if let v = answers[key] { points.append(.init(at: r.takenAt, series: series, score: Double(v), context: context)) }
            }
        }
        var relief: PainTrajectoryChart.Relief?
        if let d = o.relief.duration, let start = o.course.series.last?.session.infusionStartedAt {
            relief = .init(start: start, end: d.ended ? d.endedOn : nil, censored: !d.ended)
        }
        let input = PainTrajectoryChart.Input(
            points: points, infusions: o.course.series.compactMap(\.session.infusionStartedAt),
            boosters: o.course.boosters.compactMap(\.session.infusionStartedAt), baseline: o.relief.baseline, relief: relief,
            plannedBooster: o.booster.plannedDate.map { noon($0, tz) }, suggestedBooster: o.booster.suggestedDate.map { noon($0, tz) },
            timeZone: tz)
        return PainTrajectoryChart.svg(input)
    }

    /// PHQ-9 and GAD-7 totals over time with their severity bands (clinical-reference §7), one chart each, side by side.
    static func mood(_ o: PatientOutcomes, timeZone tz: TimeZone) -> String {
        func chart(_ instrument: Instrument, maximum: Int, bands: [ScoreTrendChart.Band]) -> String? {
            let points = o.records.compactMap { r -> ScoreTrendChart.Point? in
                guard let s = r.response(instrument)?.score, let total = s.total else { return nil }
                return .init(at: r.takenAt, total: Int(total), item9Positive: s.requiresSafetyAssessment)
            }
            guard !points.isEmpty else { return nil }
            return ScoreTrendChart.svg(.init(instrument: instrument.title, maximum: maximum, bands: bands, points: points, timeZone: tz))
        }
        // PHQ-9 bands 0/5/10/15/20 and GAD-7 5/10/15 (clinical-reference §7: Kroenke 2001, Spitzer 2006).
        let phq = chart(.phq9, maximum: 27, bands: [.init(lowerBound: 0, name: "minimal"), .init(lowerBound: 5, name: "mild"),
                                                    .init(lowerBound: 10, name: "moderate"), .init(lowerBound: 15, name: "moderately severe"),
                                                    .init(lowerBound: 20, name: "severe")])
        let gad = chart(.gad7, maximum: 21, bands: [.init(lowerBound: 0, name: "minimal"), .init(lowerBound: 5, name: "mild"),
                                                    .init(lowerBound: 10, name: "moderate"), .init(lowerBound: 15, name: "severe")])
        return [phq, gad].compactMap { $0 }.joined()
    }

    /// Opioid MME/day as a step line from the medication list's versions.
    static func mme(_ o: PatientOutcomes, timeZone tz: TimeZone, now: Date) -> String {
        let uncounted = Set(o.mmeHistory.flatMap(\.uncounted)).sorted()
        return MMETrendChart.svg(.init(changes: o.mmeHistory.map { .init(at: $0.from, mmePerDay: $0.total) },
                                       until: now, noFactorNote: uncounted.isEmpty ? nil : uncounted.joined(separator: ", ") + ": no CDC conversion factor, not counted",
                                       timeZone: tz))
    }

    /// Kaplan–Meier curves of duration of relief with their 95 % bands.
    static func survival(_ curves: [ReliefSurvival]) -> String {
        guard !curves.isEmpty else { return "" }
        let groups = curves.prefix(4).map { s -> SurvivalChart.Group in
            let t = s.table
            var censorTimes: [Int] = []
            for i in t.times.indices where t.censored[i] > 0 { censorTimes += Array(repeating: t.times[i], count: t.censored[i]) }
            return .init(name: s.group, n: s.episodes, times: t.times, survival: t.survival, lower: t.lower, upper: t.upper, censorTimes: censorTimes)
        }
        return SurvivalChart.svg(.init(groups: Array(groups)))
    }
}
