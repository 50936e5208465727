import Foundation

/// The Kaplan–Meier estimator of duration of relief with its log(−log) confidence band, matching lifelines row for row.
///
/// Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. JASA 1958;53:457–481. Variance by
/// Greenwood M (1926); the band is the exponential Greenwood / log(−log) interval (Kalbfleisch & Prentice 1980), computed
/// exactly as lifelines 0.30 `KaplanMeierFitter` does (`_additive_f`, `_additive_var`, `_bounds`).
public enum KaplanMeier {
    /// Fits Ŝ(t) to episodes given as whole-day durations (≥ 0) and flags (`true`: relief ended; `false`: censored).
    public static func fit(durations: [Int], events: [Bool], confidence: Double = 0.95) throws -> KaplanMeierTable {
        try fit(durations: durations, events: events, confidence: confidence, denseDayLimit: nil)
    }

    /// The fit with the histogram/sort switch exposed for tests: day counts go into per-day histograms while the
    /// longest duration is at most `denseDayLimit` (default: max(65,536, 4 × episodes)), else through two sorts.
    static func fit(durations: [Int], events: [Bool], confidence: Double, denseDayLimit: Int?) throws -> KaplanMeierTable {
        let n = durations.count
        var errors = FieldErrors()
        if events.count != n {
            errors.add("events", "\(events.count) event flags for \(n) durations: give one flag per episode")
        }
        if n == 0 {
            errors.add("durations", "no episodes: a Kaplan–Meier curve needs at least one duration")
        }
        if !(confidence > 0 && confidence < 1) {
            errors.add("confidence", "must be strictly between 0 and 1, e.g. 0.95")
        }
        let (minDay, maxDay) = extremes(durations)
        if minDay < 0 {
            let first = durations.firstIndex { $0 < 0 }!
            let negatives = durations.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
            errors.add("durations", "\(negatives) negative duration(s), the first at index \(first) (\(durations[first]) days): "
                + "durations are whole days ≥ 0")
        }
        try errors.throwIfAny()

        let limit = denseDayLimit ?? max(1 << 16, 4 * n)
        let rows = maxDay <= limit
            ? countsByHistogram(durations, events, maxDay: maxDay)
            : countsBySorting(durations, events)
        return finish(rows, subjects: n, confidence: confidence)
    }

    /// The day, removed (ended + censored) and ended counts of each row, day 0 first.
    struct DayCounts {
        var times: [Int] = []
        var removed: [Int] = []
        var ended: [Int] = []
    }

    /// Smallest and largest duration in one pass.
    static func extremes(_ durations: [Int]) -> (min: Int, max: Int) {
        durations.withUnsafeBufferPointer { d in
            var low = Int.max, high = Int.min
            for day in d {
                low = Swift.min(low, day)
                high = Swift.max(high, day)
            }
            return (low, high)
        }
    }

    /// One counting pass into per-day histograms (O(n + maxDay), no sort), then one pass over the days.
    static func countsByHistogram(_ durations: [Int], _ events: [Bool], maxDay: Int) -> DayCounts {
        let days = maxDay + 1
        var removed = [Int](repeating: 0, count: days)
        var ended = [Int](repeating: 0, count: days)
        durations.withUnsafeBufferPointer { d in
            events.withUnsafeBufferPointer { e in
                removed.withUnsafeMutableBufferPointer { r in
                    ended.withUnsafeMutableBufferPointer { x in
                        for i in 0..<d.count {
                            let day = d[i]
                            r[day] &+= 1
                            x[day] &+= e[i] ? 1 : 0
                        }
                    }
                }
            }
        }
        var rowCount = 1
        for day in 1..<days where removed[day] != 0 { rowCount += 1 }
        var counts = DayCounts()
        counts.times.reserveCapacity(rowCount)
        counts.removed.reserveCapacity(rowCount)
        counts.ended.reserveCapacity(rowCount)
        for day in 0..<days where day == 0 || removed[day] != 0 {
            counts.times.append(day)
            counts.removed.append(removed[day])
            counts.ended.append(ended[day])
        }
        return counts
    }

    /// For durations too spread out for a histogram: sort ended and censored days apart, then merge them by day.
    static func countsBySorting(_ durations: [Int], _ events: [Bool]) -> DayCounts {
        var endedDays: [Int] = []
        var censoredDays: [Int] = []
        for (day, ended) in zip(durations, events) {
            if ended { endedDays.append(day) } else { censoredDays.append(day) }
        }
        endedDays.sort()
        censoredDays.sort()
        var counts = DayCounts(times: [0], removed: [0], ended: [0])
        var i = 0, j = 0
        while i < endedDays.count || j < censoredDays.count {
            let day = Swift.min(i < endedDays.count ? endedDays[i] : .max, j < censoredDays.count ? censoredDays[j] : .max)
            var ended = 0, removed = 0
            while i < endedDays.count, endedDays[i] == day { ended += 1; i += 1 }
            removed = ended
            while j < censoredDays.count, censoredDays[j] == day { removed += 1; j += 1 }
            if day == 0 {
                counts.removed[0] = removed
                counts.ended[0] = ended
            } else {
                counts.times.append(day)
                counts.removed.append(removed)
                counts.ended.append(ended)
            }
        }
        return counts
    }

    /// At-risk counts, Ŝ(t), Greenwood's sum, the band and the medians from the per-day counts.
    static func finish(_ rows: DayCounts, subjects: Int, confidence: Double) -> KaplanMeierTable {
        let count = rows.times.count
        // lifelines: z = inv_normal_cdf(1 - alpha / 2) with alpha = 1 - confidence.
        let z = normalQuantile(1 - (1 - confidence) / 2)
        var atRisk = [Int](repeating: 0, count: count)
        var censored = [Int](repeating: 0, count: count)
        var survival = [Double](repeating: 0, count: count)
        var lower = [Double](repeating: 0, count: count)
        var upper = [Double](repeating: 0, count: count)
        var greenwood = [Double](repeating: 0, count: count)
        var risk = subjects
        var logSurvival = 0.0
        var sum = 0.0
        var totalEvents = 0
        for i in 0..<count {
            let d = rows.ended[i]
            atRisk[i] = risk
            censored[i] = rows.removed[i] - d
            totalEvents += d
            // Ŝ = exp(Σ log(n−d) − log n), summed in lifelines' order (`_additive_f`); −∞ once everyone at risk has an event.
            logSurvival += log(Double(risk - d)) - log(Double(risk))
            // Greenwood: Σ d/(n(n−d)); lifelines replaces the +∞ term of n = d by 0 (`_additive_var`).
            if d > 0 && d < risk {
                let (product, overflow) = risk.multipliedReportingOverflow(by: risk - d)
                sum += Double(d) / (overflow ? Double(risk) * Double(risk - d) : Double(product))
            }
            let s = exp(logSurvival)
            survival[i] = s
            greenwood[i] = sum
            // `_bounds`: v = log Ŝ; exp(−exp(log(−v) ∓ z·√var / v)); NaN (Ŝ = 1, where 0/0 arises) becomes 1.
            let v = log(s)
            let centre = log(-v)
            let spread = z * sum.squareRoot() / v
            let low = exp(-exp(centre - spread))
            let high = exp(-exp(centre + spread))
            lower[i] = low.isNaN ? 1 : low
            upper[i] = high.isNaN ? 1 : high
            risk -= rows.removed[i]
        }
        return KaplanMeierTable(
            times: rows.times, atRisk: atRisk, events: rows.ended, censored: censored,
            survival: survival, lower: lower, upper: upper, greenwood: greenwood, confidence: confidence,
            median: firstDay(atOrBelowHalf: survival, times: rows.times),
            medianLower: firstDay(atOrBelowHalf: lower, times: rows.times),
            medianUpper: firstDay(atOrBelowHalf: upper, times: rows.times),
            subjects: subjects, totalEvents: totalEvents)
    }

    /// lifelines' `qth_survival_time(0.5, ·)`: nil if the last value is > 0.5, else `searchsorted(−values, −0.5)`
    /// (numpy's left binary search, which for a non-increasing curve is its first value ≤ 0.5).
    static func firstDay(atOrBelowHalf values: [Double], times: [Int]) -> Int? {
        guard let last = values.last, !(last > 0.5) else { return nil }
        var low = 0, high = values.count
        while low < high {
            let mid = low + (high - low) >> 1
            if -values[mid] < -0.5 { low = mid + 1 } else { high = mid }
        }
        return times[low]
    }
}
