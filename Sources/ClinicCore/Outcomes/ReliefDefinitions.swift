import Foundation

/// The size of a pain reduction from baseline, in the IMMPACT bands (Dworkin 2008, J Pain 9:105; clinical-reference §7).
///
/// The cut-offs are the clinic's (clinical-reference §7 [D], in `ReliefDefinitions`): below 10 % no meaningful change,
/// 10 to < 30 % minimal, 30 to < 50 % moderate, ≥ 50 % substantial. IMMPACT grades reductions only, so pain that rose
/// is "no meaningful change" exactly as §7's "< 10 %" says; the rise itself shows in the signed change
/// (`ReliefPoint.changePercent > 0`, `ReliefPoint.isWorse`), never as an invented "worse" band.
public enum ImmpactBand: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case noMeaningfulChange, minimal, moderate, substantial

    /// How the band is named to staff.
    public var title: String {
        switch self {
        case .noMeaningfulChange: "no meaningful change"
        case .minimal: "minimal improvement"
        case .moderate: "moderate improvement"
        case .substantial: "substantial improvement"
        }
    }

    var rank: Int {
        switch self {
        case .noMeaningfulChange: 0
        case .minimal: 1
        case .moderate: 2
        case .substantial: 3
        }
    }

    public static func < (lhs: ImmpactBand, rhs: ImmpactBand) -> Bool { lhs.rank < rhs.rank }
}

/// The clinic's relief definitions (clinical-reference §7 [D]): local policy, configurable, and printed on every page
/// that uses them (`summary`). Percentages are reductions of the average-pain NRS from the patient's baseline.
public struct ReliefDefinitions: Sendable, Hashable, Codable {
    /// Responder: a reduction of at least this many percent at a follow-up after the series (local policy, §7 [D]: 30).
    public var responderReductionPercent: Double
    /// Responder: the follow-up must fall within this many calendar days after the last infusion of the series;
    /// day 14 counts, day 15 does not (local policy, §7 [D]: 14).
    public var responderWindowDays: Int
    /// Onset: the first post-infusion measurement with a reduction of at least this many percent (local policy, §7 [D]: 30).
    public var onsetReductionPercent: Double
    /// Duration of relief: relief ends at the first follow-up whose reduction falls below this (local policy, §7 [D]: 30).
    public var durationReductionPercent: Double
    /// Duration of relief: the end must be confirmed by the next measurement where one exists (local policy, §7 [D]: yes).
    public var confirmEndWithNextMeasurement: Bool
    /// IMMPACT band cut-off: a reduction of at least this is "minimal" (local policy, §7 [D]: 10; Dworkin 2008).
    public var minimalBandPercent: Double
    /// IMMPACT band cut-off: a reduction of at least this is "moderate" (local policy, §7 [D]: 30; Dworkin 2008).
    public var moderateBandPercent: Double
    /// IMMPACT band cut-off: a reduction of at least this is "substantial" (local policy, §7 [D]: 50; Dworkin 2008).
    public var substantialBandPercent: Double

    public init(responderReductionPercent: Double = 30, responderWindowDays: Int = 14, onsetReductionPercent: Double = 30,
                durationReductionPercent: Double = 30, confirmEndWithNextMeasurement: Bool = true,
                minimalBandPercent: Double = 10, moderateBandPercent: Double = 30, substantialBandPercent: Double = 50) {
        self.responderReductionPercent = responderReductionPercent
        self.responderWindowDays = responderWindowDays
        self.onsetReductionPercent = onsetReductionPercent
        self.durationReductionPercent = durationReductionPercent
        self.confirmEndWithNextMeasurement = confirmEndWithNextMeasurement
        self.minimalBandPercent = minimalBandPercent
        self.moderateBandPercent = moderateBandPercent
        self.substantialBandPercent = substantialBandPercent
    }

    /// The clinic-policy defaults of clinical-reference §7 [D] (local policy, not guideline numbers).
    public static let standard = ReliefDefinitions()

    /// The IMMPACT band of a reduction in percent (positive = less pain; a rise is negative and "no meaningful change").
    public func band(reductionPercent reduction: Double) -> ImmpactBand {
        if reduction >= substantialBandPercent { return .substantial }
        if reduction >= moderateBandPercent { return .moderate }
        if reduction >= minimalBandPercent { return .minimal }
        return .noMeaningfulChange
    }

    /// The definitions in plain sentences, with the configured numbers, for every page that uses them.
    public var summary: [String] {
        let p = ReliefText.number
        let confirm = confirmEndWithNextMeasurement ? ", confirmed by the next measurement where one exists" : ""
        return [
            "Baseline: the average-pain score (0–10, last 24 h) recorded before the first infusion of the series; "
                + "the mean of the screening and pre-infusion-1 scores when both exist.",
            "Responder: pain reduced by at least \(p(responderReductionPercent)) % from baseline at a follow-up within "
                + "\(responderWindowDays) days after the series.",
            "Onset: the first measurement after an infusion of the series with pain reduced by at least "
                + "\(p(onsetReductionPercent)) %.",
            "Duration of relief: from the last infusion of the series to the first follow-up whose reduction falls below "
                + "\(p(durationReductionPercent)) %\(confirm); censored at the last follow-up if relief has not ended, "
                + "and at a booster given before it ended. Non-responders are counted beside the survival curve, not in it.",
            "Change bands (IMMPACT, Dworkin 2008): below \(p(minimalBandPercent)) % no meaningful change; "
                + "\(p(minimalBandPercent)) to under \(p(moderateBandPercent)) % minimal; \(p(moderateBandPercent)) to under "
                + "\(p(substantialBandPercent)) % moderate; \(p(substantialBandPercent)) % or more substantial.",
            "These are the clinic's local policy definitions (clinical-reference §7), not guideline numbers.",
        ]
    }

    /// The definitions themselves, or `ClinicError.invalid` naming every setting that makes no sense.
    public func validated() throws -> ReliefDefinitions {
        var errors = FieldErrors()
        let percents: [(String, Double)] = [
            ("responderReductionPercent", responderReductionPercent), ("onsetReductionPercent", onsetReductionPercent),
            ("durationReductionPercent", durationReductionPercent), ("minimalBandPercent", minimalBandPercent),
            ("moderateBandPercent", moderateBandPercent), ("substantialBandPercent", substantialBandPercent),
        ]
        for (field, value) in percents where !(value > 0 && value <= 100) {
            errors.add(field, "A reduction is more than 0 % and at most 100 %.")
        }
        if responderWindowDays < 0 { errors.add("responderWindowDays", "The window cannot be negative.") }
        if !(minimalBandPercent < moderateBandPercent) {
            errors.add("moderateBandPercent", "The moderate cut-off must be above the minimal one.")
        }
        if !(moderateBandPercent < substantialBandPercent) {
            errors.add("substantialBandPercent", "The substantial cut-off must be above the moderate one.")
        }
        try errors.throwIfAny()
        return self
    }
}
