import Foundation

/// One post-infusion or follow-up average-pain score set against the patient's baseline.
public struct ReliefPoint: Sendable, Hashable, Codable {
    /// When the score was given.
    public var takenAt: Date
    /// The average-pain score, 0–10.
    public var value: Double
    /// `value − baseline` in NRS points: negative is less pain.
    public var changePoints: Double
    /// `100 × (value − baseline) / baseline`: negative is less pain (−60 means pain fell by 60 %).
    public var changePercent: Double
    /// The IMMPACT band of the reduction (Dworkin 2008; clinical-reference §7 [D] cut-offs).
    public var band: ImmpactBand
    /// Where in the course the score was given.
    public var context: PainRecord.Context

    public init(takenAt: Date, value: Double, changePoints: Double, changePercent: Double, band: ImmpactBand,
                context: PainRecord.Context) {
        self.takenAt = takenAt
        self.value = value
        self.changePoints = changePoints
        self.changePercent = changePercent
        self.band = band
        self.context = context
    }

    /// The reduction from baseline in percent (positive = less pain), the number the relief definitions compare.
    public var reductionPercent: Double { -changePercent }

    /// Whether pain is above baseline (still banded "no meaningful change", as IMMPACT grades reductions only).
    public var isWorse: Bool { changePoints > 0 }
}

/// Why a duration of relief stopped being observed before relief ended.
public enum CensoringReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// Relief still held at the last measurement after the series.
    case lastFollowUp
    /// A booster was given before relief ended (clinical-reference §7).
    case boosterGiven
}

/// How long relief lasted after the series, in whole calendar days from the last infusion of the series.
public struct ReliefDuration: Sendable, Hashable, Codable {
    /// Calendar days from the last infusion of the series to the end (or to the censoring point).
    public var days: Int
    /// True when relief ended; false when the observation is censored.
    public var ended: Bool
    /// Why the observation stopped before relief ended; nil when it ended.
    public var censoredBecause: CensoringReason?
    /// The follow-up at which relief ended; nil when censored.
    public var endedOn: Date?
    /// Whether a later measurement confirmed the end; false when the end was the last measurement before a booster
    /// or of all (it ends there, unconfirmed) or when confirmation is switched off. Always false when censored.
    public var endConfirmed: Bool

    public init(days: Int, ended: Bool, censoredBecause: CensoringReason?, endedOn: Date?, endConfirmed: Bool = false) {
        self.days = days
        self.ended = ended
        self.censoredBecause = censoredBecause
        self.endedOn = endedOn
        self.endConfirmed = endConfirmed
    }
}

/// A patient's relief measured against their baseline by the clinic's `ReliefDefinitions` (clinical-reference §7).
public struct ReliefSummary: Sendable, Hashable, Codable {
    /// Baseline average pain (0–10); nil when no score was recorded before the first infusion.
    public var baseline: Double?
    /// How the baseline was formed, or why there is none.
    public var baselineExplanation: String
    /// Post-infusion and follow-up average-pain scores against the baseline, in time order (empty without a usable baseline).
    public var points: [ReliefPoint]
    /// Whether the patient responded; nil while not yet known (series not complete, no baseline, or no follow-up in the window yet).
    public var responder: Bool?
    /// The first post-infusion measurement with a reduction of at least the onset threshold.
    public var onset: Date?
    /// How many infusions of the series had been given at onset.
    public var onsetAfterInfusion: Int?
    /// How long relief lasted; nil for non-responders and while responder status is not known.
    public var duration: ReliefDuration?
    /// The change of the latest point, in percent (negative = less pain).
    public var latestChangePercent: Double?
    /// The IMMPACT band of the latest point.
    public var latestBand: ImmpactBand?
    /// The last infusion of the series or the last booster given, whichever is later: the booster rule reads the
    /// follow-ups after it.
    public var lastTreatmentAt: Date?
    /// Plain sentences for the chart.
    public var explanation: [String]

    public init(baseline: Double?, baselineExplanation: String, points: [ReliefPoint], responder: Bool?, onset: Date?,
                onsetAfterInfusion: Int?, duration: ReliefDuration?, latestChangePercent: Double?, latestBand: ImmpactBand?,
                lastTreatmentAt: Date?, explanation: [String]) {
        self.baseline = baseline
        self.baselineExplanation = baselineExplanation
        self.points = points
        self.responder = responder
        self.onset = onset
        self.onsetAfterInfusion = onsetAfterInfusion
        self.duration = duration
        self.latestChangePercent = latestChangePercent
        self.latestBand = latestBand
        self.lastTreatmentAt = lastTreatmentAt
        self.explanation = explanation
    }

    /// The patient's episode for the clinic's Kaplan–Meier curve: whole days and whether relief ended (the event);
    /// nil for non-responders and while not assessable — §7 counts those beside the curve, not in it.
    public var survivalEpisode: (days: Int, event: Bool)? {
        guard responder == true, let duration else { return nil }
        return (duration.days, duration.ended)
    }
}
