import Foundation

/// A Kaplan–Meier life table of duration of relief, one row per distinct day, as lifelines' `KaplanMeierFitter` gives it.
///
/// Row 0 is always day 0 (lifelines' timeline starts at the subjects' common entry time 0); every other row is a day on
/// which at least one episode ended (relief lost) or was censored. The arrays are parallel: `times[i]`, `atRisk[i]`, ….
public struct KaplanMeierTable: Sendable, Hashable {
    /// The day of each row (whole days since the last infusion of the series), strictly increasing, starting at 0.
    public var times: [Int]
    /// Episodes still at risk at the start of each day (those censored on that day count as at risk on it).
    public var atRisk: [Int]
    /// Episodes whose relief ended on each day (lifelines' `observed`).
    public var events: [Int]
    /// Episodes censored on each day (still in relief at their last follow-up, or given a booster).
    public var censored: [Int]
    /// The estimated probability that relief lasts beyond each day, Ŝ(t) (lifelines' `survival_function_`).
    public var survival: [Double]
    /// Lower limit of the pointwise confidence band at each day (log(−log) transform, lifelines' `confidence_interval_`).
    public var lower: [Double]
    /// Upper limit of the pointwise confidence band at each day.
    public var upper: [Double]
    /// Greenwood's sum Σ d/(n(n−d)) up to each day: the variance of log Ŝ(t) (lifelines' `_cumulative_sq_`).
    public var greenwood: [Double]
    /// The confidence level of `lower` and `upper` (0.95 unless asked otherwise).
    public var confidence: Double
    /// Median duration of relief: the first day on which Ŝ(t) ≤ 0.5 (lifelines' definition); nil when not reached.
    public var median: Int?
    /// Lower limit of the median's confidence interval: the first day the lower band is ≤ 0.5; nil when not reached.
    public var medianLower: Int?
    /// Upper limit of the median's confidence interval: the first day the upper band is ≤ 0.5; nil when not reached.
    public var medianUpper: Int?
    /// Number of episodes in the fit.
    public var subjects: Int
    /// Number of episodes whose relief ended (not censored).
    public var totalEvents: Int

    /// Number of rows (distinct days, day 0 included).
    public var count: Int { times.count }

    /// Episodes that left the risk set on each row's day, ended or censored (lifelines' `removed`).
    public var removed: [Int] { zip(events, censored).map { $0 + $1 } }

    /// Ŝ(t) at any day: the value of the last row on or before `day` (a step function; 1 before day 0).
    public func survival(atDay day: Int) -> Double {
        guard let row = lastRow(atOrBefore: day) else { return 1 }
        return survival[row]
    }

    /// Index of the last row whose day is ≤ `day`, or nil when `day` < 0.
    func lastRow(atOrBefore day: Int) -> Int? {
        var low = 0, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] <= day { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }
}
