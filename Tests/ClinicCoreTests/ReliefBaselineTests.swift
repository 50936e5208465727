import Foundation
import Testing
@testable import ClinicCore

// MARK: - Fixtures shared by the Relief*Tests and BoosterRecommendation*Tests files

/// Fixed dates, a six-infusion series and pain records for the relief tests. No clock: every instant is built here.
enum ReliefFixture {
    static let utc = TimeZone(identifier: "UTC")!

    /// `day` (`YYYY-MM-DD`) at `hour`:00 UTC.
    static func at(_ day: String, _ hour: Int = 10) -> Date {
        Date(timeIntervalSince1970: TimeInterval(CalendarDate(day)!.daysSinceEpoch * 86_400 + hour * 3_600))
    }

    /// A six-infusion induction series (clinical-reference §1: 4–6 over 2–3 weeks), 2026-03-02 … 2026-03-13, at 09:00 UTC.
    static let seriesDays = ["2026-03-02", "2026-03-04", "2026-03-06", "2026-03-09", "2026-03-11", "2026-03-13"]
    static let series = seriesDays.map { at($0, 9) }
    /// The last infusion of the series: day 0 of duration and of the responder window.
    static let lastInfusionDay = CalendarDate("2026-03-13")!
    static let complete = ReliefCourse(seriesInfusions: series, seriesComplete: true)

    /// The calendar date `n` days after the last infusion of the series.
    static func day(_ n: Int) -> CalendarDate { lastInfusionDay.adding(days: n) }
    /// `n` days after the last infusion, at `hour`:00 UTC.
    static func afterSeries(_ n: Int, _ hour: Int = 10) -> Date { at(day(n).description, hour) }

    static func screening(_ average: Int, on day: String = "2026-02-20") -> PainRecord {
        PainRecord(takenAt: at(day), context: .screening, now: average, average: average, worst: min(10, average + 1))
    }
    static func preInfusion(_ n: Int, _ average: Int) -> PainRecord {
        PainRecord(takenAt: series[n - 1].addingTimeInterval(-3_600), context: .preInfusion(n), average: average)
    }
    static func postInfusion(_ n: Int, _ average: Int) -> PainRecord {
        PainRecord(takenAt: series[n - 1].addingTimeInterval(2 * 3_600), context: .postInfusion(n), average: average)
    }
    static func followUp(day n: Int, _ average: Int, hour: Int = 10) -> PainRecord {
        PainRecord(takenAt: afterSeries(n, hour), context: .followUp, average: average)
    }
    /// Follow-ups as (days after the series, average pain).
    static func followUps(_ pairs: [(Int, Int)]) -> [PainRecord] { pairs.map { followUp(day: $0.0, $0.1) } }

    /// Baseline 10: screening 10 and pre-infusion-1 10, so every point is a whole 10 % step.
    static let baseline10 = [screening(10), preInfusion(1, 10)]

    static func summarize(_ pain: [PainRecord], _ course: ReliefCourse = complete,
                          _ definitions: ReliefDefinitions = .standard) -> ReliefSummary {
        definitions.summarize(pain: pain, course: course, timeZone: utc)
    }
}

// MARK: - Baseline

/// Baseline pain: "the average-pain NRS (last 24 h) recorded before the first infusion of the series — the mean of the
/// screening and pre-infusion-1 values when both exist" (clinical-reference §7 [D]).
@Suite("Relief baseline (clinical-reference §7 [D])")
struct ReliefBaselineTests {
    typealias F = ReliefFixture

    @Test("clinical-reference §7 — only a screening score: the baseline is that score")
    func onlyScreening() {
        // given
        let pain = [F.screening(8)]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.baseline == 8)
        #expect(summary.baselineExplanation == "Baseline 8: the screening average-pain score of 2026-02-20 (no pre-infusion-1 score).")
    }

    @Test("clinical-reference §7 — only a pre-infusion-1 score: the baseline is that score")
    func onlyPreInfusion1() {
        // given
        let pain = [F.preInfusion(1, 6)]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.baseline == 6)
        #expect(summary.baselineExplanation == "Baseline 6: the pre-infusion-1 average-pain score of 2026-03-02 (no screening score).")
    }

    @Test("clinical-reference §7 — screening and pre-infusion-1 both exist: the baseline is their mean")
    func bothMean() {
        // given
        let pain = [F.screening(8), F.preInfusion(1, 7)]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.baseline == 7.5)
        #expect(summary.baselineExplanation
                == "Baseline 7.5: the mean of the screening average-pain score (8 on 2026-02-20) and the pre-infusion-1 score (7 on 2026-03-02).")
    }

    @Test("clinical-reference §7 — no score before infusion 1: no baseline, no points, responder unknown, and it says why")
    func none() {
        // given: only later scores, and a screening answer without an average-pain score
        let pain = [PainRecord(takenAt: F.at("2026-02-20"), context: .screening, now: 7), F.preInfusion(2, 6), F.postInfusion(1, 4),
                    F.followUp(day: 3, 2)]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.baseline == nil)
        #expect(summary.baselineExplanation == "No baseline: no average-pain score was recorded at screening or before infusion 1.")
        #expect(summary.points.isEmpty)
        #expect(summary.responder == nil)
        #expect(summary.duration == nil)
        #expect(summary.survivalEpisode == nil)
        #expect(summary.explanation.contains("Relief cannot be measured without a baseline above 0."))
    }

    @Test("clinical-reference §7 — the baseline is recorded before the first infusion: a later screening score is ignored, the latest earlier one is used")
    func screeningBeforeFirstInfusionOnly() {
        // given
        let pain = [F.screening(9, on: "2026-02-01"), F.screening(8, on: "2026-02-20"), F.screening(3, on: "2026-03-20")]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.baseline == 8)
    }

    @Test("a baseline of 0 leaves nothing to reduce: no percentages are computed")
    func zeroBaseline() {
        // given
        let pain = [F.screening(0), F.preInfusion(1, 0), F.followUp(day: 3, 2)]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.baseline == 0)
        #expect(summary.points.isEmpty)
        #expect(summary.responder == nil)
        #expect(summary.latestBand == nil)
    }
}

// MARK: - Points and IMMPACT bands

/// Changes against the baseline, banded by IMMPACT (Dworkin RH et al. 2008, J Pain 9:105) with the clinic's cut-offs
/// (clinical-reference §7 [D]): < 10 % no meaningful change; 10 to < 30 % minimal; 30 to < 50 % moderate; ≥ 50 % substantial.
@Suite("Relief points and IMMPACT bands (Dworkin 2008, J Pain 9:105; clinical-reference §7 [D])")
struct ReliefBandTests {
    typealias F = ReliefFixture

    struct BoundaryCase: Sendable, CustomTestStringConvertible {
        var reduction: Double
        var band: ImmpactBand
        var testDescription: String { "\(reduction) % → \(band)" }
    }

    static let boundaries: [BoundaryCase] = [
        .init(reduction: -40, band: .noMeaningfulChange),
        .init(reduction: 0, band: .noMeaningfulChange),
        .init(reduction: 9.99, band: .noMeaningfulChange),
        .init(reduction: 10, band: .minimal),
        .init(reduction: 29.99, band: .minimal),
        .init(reduction: 30, band: .moderate),
        .init(reduction: 49.99, band: .moderate),
        .init(reduction: 50, band: .substantial),
        .init(reduction: 100, band: .substantial),
    ]

    @Test("Dworkin 2008 / clinical-reference §7 [D] — each band boundary (9.99/10, 29.99/30, 49.99/50 %)", arguments: boundaries)
    func bandBoundary(_ c: BoundaryCase) {
        #expect(ReliefDefinitions.standard.band(reductionPercent: c.reduction) == c.band)
    }

    @Test("Dworkin 2008 / clinical-reference §7 — whole-score changes from a baseline of 10 land exactly on 10, 30 and 50 %")
    func exactBoundariesFromScores() {
        // given: 9, 7 and 5 against 10 are exactly 10, 30 and 50 % (computed multiply-first: no 29.999… from rounding)
        let pain = F.baseline10 + F.followUps([(1, 10), (2, 9), (3, 8), (4, 7), (5, 6), (6, 5), (7, 0)])
        // when
        let points = F.summarize(pain).points
        // then
        #expect(points.map(\.changePercent) == [0, -10, -20, -30, -40, -50, -100])
        #expect(points.map(\.changePoints) == [0, -1, -2, -3, -4, -5, -10])
        #expect(points.map(\.band) == [.noMeaningfulChange, .minimal, .minimal, .moderate, .moderate, .substantial, .substantial])
    }

    @Test("Dworkin 2008 / clinical-reference §7 [D] — 50 % from baselines of 8, 6, 4 and 2 is substantial, not a rounding miss")
    func halvingIsSubstantial() {
        for baseline in [8, 6, 4, 2] {
            // given
            let pain = [F.screening(baseline), F.followUp(day: 3, baseline / 2)]
            // when
            let point = F.summarize(pain).points[0]
            // then
            #expect(point.changePercent == -50)
            #expect(point.band == .substantial)
        }
    }

    @Test("Dworkin 2008 / clinical-reference §7 — pain above baseline is 'no meaningful change' (IMMPACT grades reductions only); the rise shows in the signed change")
    func worseningIsNoMeaningfulChange() {
        // given
        let pain = F.baseline10.dropLast() + [F.preInfusion(1, 6), F.followUp(day: 5, 9)]   // baseline (10 + 6) / 2 = 8
        // when
        let summary = F.summarize(Array(pain))
        // then
        let point = summary.points[0]
        #expect(summary.baseline == 8)
        #expect(point.changePoints == 1)
        #expect(point.changePercent == 12.5)
        #expect(point.reductionPercent == -12.5)
        #expect(point.isWorse)
        #expect(point.band == .noMeaningfulChange)
        #expect(summary.latestChangePercent == 12.5)
        #expect(summary.latestBand == .noMeaningfulChange)
        #expect(summary.explanation.last == "Latest: average pain 9 (+12.5 %, no meaningful change) at the follow-up on 2026-03-18.")
    }

    @Test("clinical-reference §7 — points are the post-infusion and follow-up average-pain scores, in time order; other contexts and missing averages are left out")
    func pointsAreFollowUpsAndPostInfusion() {
        // given (out of order on purpose)
        let pain = F.baseline10 + [F.followUp(day: 2, 4), F.postInfusion(3, 6), F.preInfusion(2, 7), F.postInfusion(1, 8),
                                  PainRecord(takenAt: F.afterSeries(4), context: .followUp, now: 3)]
        // when
        let summary = F.summarize(pain)
        // then
        #expect(summary.points.map(\.context) == [.postInfusion(1), .postInfusion(3), .followUp])
        #expect(summary.points.map(\.value) == [8, 6, 4])
        #expect(summary.latestChangePercent == -60)
        #expect(summary.latestBand == .substantial)
    }

    @Test("Dworkin 2008 / clinical-reference §7 [D] — the band cut-offs are configurable local policy")
    func configurableCutOffs() {
        // given
        let stricter = ReliefDefinitions(minimalBandPercent: 15, moderateBandPercent: 35, substantialBandPercent: 60)
        // when / then
        #expect(stricter.band(reductionPercent: 12) == .noMeaningfulChange)
        #expect(stricter.band(reductionPercent: 30) == .minimal)
        #expect(stricter.band(reductionPercent: 50) == .moderate)
        #expect(stricter.band(reductionPercent: 60) == .substantial)
    }

    @Test("band titles name the improvement; bands order from none to substantial")
    func titlesAndOrder() {
        #expect(ImmpactBand.allCases.map(\.title)
                == ["no meaningful change", "minimal improvement", "moderate improvement", "substantial improvement"])
        #expect(ImmpactBand.allCases.sorted() == ImmpactBand.allCases)
    }
}
