import Foundation

extension ReliefDefinitions {
    /// Measures a patient's relief against their baseline by these definitions (clinical-reference §7).
    ///
    /// How §7 is read, where its words leave a choice:
    /// - **Baseline**: the latest screening average-pain score taken before the first infusion and the latest
    ///   pre-infusion-1 score; their mean when both exist. A baseline of 0 leaves nothing to reduce: no points, no relief.
    /// - **Days** are calendar days in `timeZone` from the last infusion of the series ("day 14" is the follow-up dated
    ///   14 days after it, whatever the hour).
    /// - **Onset** looks at post-infusion and follow-up scores from the first infusion up to the first booster;
    ///   `onsetAfterInfusion` counts the series infusions given by then.
    /// - **Responder** looks at follow-ups after the last infusion, up to day `responderWindowDays` and before any
    ///   booster. `false` as soon as such a follow-up exists and none reached the threshold (a later follow-up in the
    ///   window can still make it `true`).
    /// - **Duration** (responders only) reads the measurements after the last infusion and before the first booster:
    ///   follow-ups and a pre-infusion score taken before that booster. Relief "falls below" only after it has been seen
    ///   (a late responder's early follow-ups below the threshold do not end it). The ending follow-up is confirmed when
    ///   the next measurement is also below the threshold; when the next one is back above, the dip is ignored. A
    ///   follow-up below the threshold with no next measurement before a booster or at all **ends relief there,
    ///   unconfirmed** (`endConfirmed == false`): the most recent evidence says relief is gone. Otherwise the duration is
    ///   censored at the first booster given after the series, or else at the last measurement.
    public func summarize(pain: [PainRecord], course: ReliefCourse,
                          timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> ReliefSummary {
        let records = pain.enumerated()
            .sorted { ($0.element.takenAt, $0.offset) < ($1.element.takenAt, $1.offset) }
            .map(\.element)
        let infusions = course.seriesInfusions.sorted()
        let boostersGiven = course.boosters.sorted()
        let lastTreatmentAt = [infusions.last, boostersGiven.last].compactMap { $0 }.max()
        let (baseline, baselineExplanation) = Self.baseline(records, firstInfusion: infusions.first, timeZone)

        guard let baseline, baseline > 0 else {
            return ReliefSummary(baseline: baseline, baselineExplanation: baselineExplanation, points: [], responder: nil,
                                 onset: nil, onsetAfterInfusion: nil, duration: nil, latestChangePercent: nil,
                                 latestBand: nil, lastTreatmentAt: lastTreatmentAt,
                                 explanation: [baselineExplanation, "Relief cannot be measured without a baseline above 0."])
        }

        func reduction(_ value: Double) -> Double { (baseline - value) * 100 / baseline }   // multiply first: 30 % is exactly 30
        let points: [ReliefPoint] = records.compactMap { r in
            guard let average = r.average else { return nil }
            switch r.context {
            case .postInfusion, .followUp:
                let value = Double(average)
                let change = (value - baseline) * 100 / baseline
                return ReliefPoint(takenAt: r.takenAt, value: value, changePoints: value - baseline, changePercent: change,
                                   band: band(reductionPercent: -change), context: r.context)
            case .screening, .preInfusion: return nil
            }
        }

        var explanation = [baselineExplanation]
        let fmt = { (d: Date) in ReliefText.date(d, timeZone) }
        func score(_ value: Double) -> String { "\(ReliefText.number(value)) (\(ReliefText.percent(-reduction(value))))" }

        // Onset: the first score after an infusion of the series (before any booster) with enough reduction.
        var onset: Date?
        var onsetAfterInfusion: Int?
        if let first = infusions.first {
            let firstBoosterAfterStart = boostersGiven.first { $0 > first }
            if let p = points.first(where: { point in
                point.takenAt >= first && point.reductionPercent >= onsetReductionPercent
                    && (firstBoosterAfterStart.map { point.takenAt < $0 } ?? true)
            }) {
                onset = p.takenAt
                let given = infusions.filter { $0 <= p.takenAt }.count
                onsetAfterInfusion = given
                explanation.append("Onset: average pain fell from \(ReliefText.number(baseline)) to \(score(p.value)) "
                                   + "on \(fmt(p.takenAt)), after infusion \(given).")
            } else {
                explanation.append("No onset yet: no score after an infusion has shown pain reduced by at least "
                                   + "\(ReliefText.number(onsetReductionPercent)) %.")
            }
        }

        // Responder, then duration of relief.
        var responder: Bool?
        var duration: ReliefDuration?
        if !course.seriesComplete || infusions.isEmpty {
            explanation.append(infusions.isEmpty
                               ? "Responder status not known yet: no infusion of the series has been given."
                               : "Responder status not known yet: the series is not complete.")
        } else if let last = infusions.last {
            let startDay = CalendarDate(last, in: timeZone).daysSinceEpoch
            func day(_ d: Date) -> Int { CalendarDate(d, in: timeZone).daysSinceEpoch - startDay }
            let booster = boostersGiven.first { $0 > last }
            func beforeBooster(_ d: Date) -> Bool { booster.map { d < $0 } ?? true }

            let window = points.filter {
                $0.context == .followUp && $0.takenAt > last && day($0.takenAt) <= responderWindowDays && beforeBooster($0.takenAt)
            }
            if window.isEmpty {
                explanation.append("Responder status not known yet: no follow-up within \(ReliefText.days(responderWindowDays)) "
                                   + "after the series.")
            } else if let hit = window.first(where: { $0.reductionPercent >= responderReductionPercent }) {
                responder = true
                explanation.append("Responder: average pain fell from \(ReliefText.number(baseline)) to \(score(hit.value)) "
                                   + "on \(fmt(hit.takenAt)), \(ReliefText.days(day(hit.takenAt))) after the series.")
            } else {
                responder = false
                let best = window.min { ($0.value, $0.takenAt) < ($1.value, $1.takenAt) }!
                explanation.append("Not a responder: no follow-up within \(ReliefText.days(responderWindowDays)) after the series "
                                   + "showed pain reduced by at least \(ReliefText.number(responderReductionPercent)) %; the best was "
                                   + "\(score(best.value)) on \(fmt(best.takenAt)). Counted beside the relief survival curve, "
                                   + "not in it.")
            }

            if responder == true {
                let measures: [Measurement] = records.compactMap { r in
                    guard let average = r.average, r.takenAt > last, beforeBooster(r.takenAt) else { return nil }
                    switch r.context {
                    case .followUp, .preInfusion:
                        return Measurement(at: r.takenAt, value: Double(average), reduction: reduction(Double(average)),
                                           context: r.context)
                    case .screening, .postInfusion: return nil
                    }
                }
                let outcome = durationOutcome(measures, booster: booster)
                let days = { (d: Date) in ReliefText.days(day(d)) }
                switch outcome {
                case .ended(let i, let confirmed):
                    let m = measures[i]
                    duration = ReliefDuration(days: day(m.at), ended: true, censoredBecause: nil, endedOn: m.at,
                                              endConfirmed: confirmed)
                    var sentence = "Relief lasted \(days(m.at)): average pain was \(score(m.value)) at the follow-up on "
                        + "\(fmt(m.at)), below the \(ReliefText.number(durationReductionPercent)) % reduction that counts as relief"
                    if confirmed {
                        let next = measures[i + 1]
                        sentence += ", confirmed by the \(next.context.title) on \(fmt(next.at)): \(score(next.value))."
                    } else if !confirmEndWithNextMeasurement {
                        sentence += "."
                    } else if let booster {
                        sentence += "; not confirmed: it was the last measurement before the booster on \(fmt(booster))."
                    } else {
                        sentence += "; not confirmed yet: no later measurement."
                    }
                    explanation.append(sentence)
                case .censoredAtBooster(let b):
                    duration = ReliefDuration(days: day(b), ended: false, censoredBecause: .boosterGiven, endedOn: nil)
                    explanation.append("Relief held for \(days(b)) until a booster was given on \(fmt(b)) before it ended "
                                       + "(censored at the booster).")
                case .censoredAtLast(let i):
                    let m = measures[i]
                    duration = ReliefDuration(days: day(m.at), ended: false, censoredBecause: .lastFollowUp, endedOn: nil)
                    explanation.append("Relief continues: \(days(m.at)) so far, censored at the last follow-up on "
                                       + "\(fmt(m.at)): \(score(m.value)).")
                case .none:
                    break
                }
            }
        }

        let latest = points.last
        if let latest {
            explanation.append("Latest: average pain \(ReliefText.number(latest.value)) (\(ReliefText.percent(latest.changePercent)), "
                               + "\(latest.band.title)) at the \(latest.context.title) on \(fmt(latest.takenAt)).")
        }
        return ReliefSummary(baseline: baseline, baselineExplanation: baselineExplanation, points: points,
                             responder: responder, onset: onset, onsetAfterInfusion: onsetAfterInfusion, duration: duration,
                             latestChangePercent: latest?.changePercent, latestBand: latest?.band,
                             lastTreatmentAt: lastTreatmentAt, explanation: explanation)
    }

    /// One average-pain score after the series that duration of relief reads.
    struct Measurement {
        var at: Date
        var value: Double
        var reduction: Double
        var context: PainRecord.Context
    }

    enum DurationOutcome: Equatable {
        case ended(index: Int, confirmed: Bool)
        case censoredAtBooster(Date)
        case censoredAtLast(index: Int)
    }

    /// Where relief ended, or where its observation is censored (clinical-reference §7; the reading in `summarize`).
    func durationOutcome(_ measures: [Measurement], booster: Date?) -> DurationOutcome? {
        var reliefSeen = false
        for (i, m) in measures.enumerated() {
            if m.reduction >= durationReductionPercent {
                reliefSeen = true
                continue
            }
            guard reliefSeen, m.context == .followUp else { continue }
            guard confirmEndWithNextMeasurement else { return .ended(index: i, confirmed: false) }
            guard i + 1 < measures.count else { return .ended(index: i, confirmed: false) }   // last one: ends, unconfirmed
            if measures[i + 1].reduction < durationReductionPercent { return .ended(index: i, confirmed: true) }
            // The next measurement is back above the threshold: a single dip, relief goes on.
        }
        if let booster { return .censoredAtBooster(booster) }
        return measures.isEmpty ? nil : .censoredAtLast(index: measures.count - 1)
    }

    /// The baseline average pain (clinical-reference §7 [D]) and how it was formed, or why there is none.
    static func baseline(_ records: [PainRecord], firstInfusion: Date?, _ timeZone: TimeZone) -> (Double?, String) {
        let screening = records.last { r in
            r.context == .screening && r.average != nil && (firstInfusion.map { r.takenAt <= $0 } ?? true)
        }
        let preInfusion1 = records.last { $0.context == .preInfusion(1) && $0.average != nil }
        let fmt = { (d: Date) in ReliefText.date(d, timeZone) }
        switch (screening, preInfusion1) {
        case let (s?, p?):
            let mean = Double(s.average! + p.average!) / 2
            return (mean, "Baseline \(ReliefText.number(mean)): the mean of the screening average-pain score "
                    + "(\(s.average!) on \(fmt(s.takenAt))) and the pre-infusion-1 score (\(p.average!) on \(fmt(p.takenAt))).")
        case let (s?, nil):
            return (Double(s.average!), "Baseline \(s.average!): the screening average-pain score of \(fmt(s.takenAt)) "
                    + "(no pre-infusion-1 score).")
        case let (nil, p?):
            return (Double(p.average!), "Baseline \(p.average!): the pre-infusion-1 average-pain score of \(fmt(p.takenAt)) "
                    + "(no screening score).")
        case (nil, nil):
            return (nil, "No baseline: no average-pain score was recorded at screening or before infusion 1.")
        }
    }
}
