import Foundation

/// Opioid use at baseline against now, in morphine milligram equivalents per day (CDC 2022; clinical-reference §7).
///
/// The caller supplies the totals (`MMESummary.total`) and leaves out "no factor" drugs with their visible warning;
/// this only compares the two numbers.
public struct MMEChange: Sendable, Hashable, Codable {
    /// MME/day at baseline (before the first infusion).
    public var baseline: Double?
    /// MME/day now.
    public var latest: Double?
    /// `latest − baseline` in MME/day (negative = fewer opioids); nil unless both are known.
    public var change: Double?
    /// `100 × change / baseline` (negative = fewer opioids); nil unless both are known and the baseline is above 0.
    public var changePercent: Double?

    public init(baseline: Double?, latest: Double?, change: Double?, changePercent: Double?) {
        self.baseline = baseline
        self.latest = latest
        self.change = change
        self.changePercent = changePercent
    }

    /// Compares baseline and latest MME/day totals.
    public static func between(baseline: Double?, latest: Double?) -> MMEChange {
        guard let baseline, let latest else {
            return MMEChange(baseline: baseline, latest: latest, change: nil, changePercent: nil)
        }
        let change = latest - baseline
        return MMEChange(baseline: baseline, latest: latest, change: change,
                         changePercent: baseline > 0 ? change * 100 / baseline : nil)
    }

    /// One sentence for the chart: "Opioids: 60 → 30 MME/day (−30 MME/day, −50 %)."
    public var sentence: String {
        let n = ReliefText.number
        switch (baseline, latest, change) {
        case let (b?, l?, c?):
            let signed = c == 0 ? "no change" : (c < 0 ? "−" : "+") + n(abs(c)) + " MME/day"
            let percent = changePercent.map { ", " + ReliefText.percent($0) } ?? ""
            return "Opioids: \(n(b)) → \(n(l)) MME/day (\(signed)\(percent))."
        case let (b?, nil, _):
            return "Opioids: \(n(b)) MME/day at baseline; no current total."
        case let (nil, l?, _):
            return "Opioids: \(n(l)) MME/day now; no baseline total."
        default:
            return "Opioids: no MME/day totals recorded."
        }
    }
}
