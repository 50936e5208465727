import Foundation
import PropertyBased
import Testing
@testable import ClinicCore

/// Properties of the relief definitions (clinical-reference §7 [D]; IMMPACT bands, Dworkin 2008, J Pain 9:105) and the
/// booster rule over random courses: any baseline, follow-ups at any day and score, boosters or none.
@Suite("Relief and booster properties (clinical-reference §7)")
struct ReliefPropertyTests {
    typealias F = ReliefFixture

    /// Baseline scores (screening, pre-infusion 1; nil = not recorded).
    static let baseline = zip(Gen.int(in: 0...10).optional, Gen.int(in: 0...10).optional)
    /// Follow-ups: day after the series (−10 … 200) and average pain.
    static let followUps = zip(Gen.int(in: -10...200), Gen.int(in: 0...10)).array(of: 0...12)
    /// Post-infusion scores: infusion 1–6 and average pain.
    static let postInfusion = zip(Gen.int(in: 1...6), Gen.int(in: 0...10)).array(of: 0...6)
    /// Boosters: days after the series.
    static let boosters = Gen.int(in: -5...200).array(of: 0...3)

    static func pain(_ base: (Int?, Int?), _ follow: [(Int, Int)], _ post: [(Int, Int)]) -> [PainRecord] {
        [base.0.map { F.screening($0) }, base.1.map { F.preInfusion(1, $0) }].compactMap { $0 }
            + follow.map { F.followUp(day: $0.0, $0.1) } + post.map { F.postInfusion($0.0, $0.1) }
    }

    @Test("clinical-reference §7 — duration days are never negative; censored iff not ended; an end date iff ended; confirmed only if ended")
    func durationInvariants() async {
        await propertyCheck(count: 400, input: Self.baseline, Self.followUps, Self.postInfusion, Self.boosters, Gen.bool) {
            base, follow, post, boosterDays, confirm in
            // given
            let course = ReliefCourse(seriesInfusions: F.series, seriesComplete: true, boosters: boosterDays.map { F.afterSeries($0, 9) })
            let definitions = ReliefDefinitions(confirmEndWithNextMeasurement: confirm)
            // when
            let summary = F.summarize(Self.pain(base, follow, post), course, definitions)
            // then
            if let d = summary.duration {
                #expect(summary.responder == true)
                #expect(d.days >= 0)
                #expect((d.censoredBecause == nil) == d.ended)
                #expect((d.endedOn != nil) == d.ended)
                #expect(!d.endConfirmed || d.ended)
                #expect(!(d.endConfirmed && !confirm))
                if let end = d.endedOn { #expect(end > F.series.last!) }
            } else {
                #expect(summary.responder != true)
            }
            #expect((summary.survivalEpisode != nil) == (summary.responder == true))
            if let episode = summary.survivalEpisode {
                #expect(episode.days == summary.duration?.days)
                #expect(episode.event == summary.duration?.ended)
            }
        }
    }

    @Test("Dworkin 2008 / clinical-reference §7 [D] — every point's band matches its reduction; points are in time order; latest is the last point")
    func pointInvariants() async {
        await propertyCheck(count: 300, input: Self.baseline, Self.followUps, Self.postInfusion) { base, follow, post in
            // when
            let summary = F.summarize(Self.pain(base, follow, post))
            // then
            for p in summary.points {
                #expect(p.band == ReliefDefinitions.standard.band(reductionPercent: p.reductionPercent))
                #expect(p.changePoints == p.value - summary.baseline!)
                #expect(p.isWorse == (p.changePercent > 0))
            }
            #expect(summary.points.map(\.takenAt) == summary.points.map(\.takenAt).sorted())
            #expect(summary.latestChangePercent == summary.points.last?.changePercent)
            #expect(summary.latestBand == summary.points.last?.band)
            if summary.baseline == nil || summary.baseline == 0 { #expect(summary.points.isEmpty) }
        }
    }

    @Test("clinical-reference §7 — a responder had a follow-up of at least 30 % within 14 days after the series")
    func responderHasQualifyingFollowUp() async {
        await propertyCheck(count: 300, input: Self.baseline, Self.followUps) { base, follow in
            // when
            let summary = F.summarize(Self.pain(base, follow, []))
            // then
            let window = summary.points.filter { p in
                p.context == .followUp && p.takenAt > F.series.last! && p.takenAt < F.afterSeries(15, 0)
            }
            switch summary.responder {
            case true?: #expect(window.contains { $0.reductionPercent >= 30 })
            case false?: #expect(!window.isEmpty && window.allSatisfy { $0.reductionPercent < 30 })
            case nil: #expect(window.isEmpty || summary.baseline == nil || summary.baseline == 0)
            }
        }
    }

    @Test("local policy — the booster rule always explains itself; only a move suggests a date, and it moves the right way")
    func boosterInvariants() async {
        await propertyCheck(count: 300, input: Self.baseline, Self.followUps, Self.boosters, Gen.int(in: 0...200),
                            Gen.int(in: 0...220).optional) { base, follow, boosterDays, today, plannedDay in
            // given
            let course = ReliefCourse(seriesInfusions: F.series, seriesComplete: true, boosters: boosterDays.map { F.afterSeries($0, 9) })
            let pain = Self.pain(base, follow, [])
            let summary = F.summarize(pain, course)
            let planned = plannedDay.map { F.day($0) }
            // when
            let r = BoosterPolicy.standard.recommend(summary: summary, pain: pain, plannedBoosterDate: planned,
                                                      today: F.day(today), timeZone: F.utc)
            // then
            #expect(!r.reasons.isEmpty)
            #expect(r.plannedDate == planned)
            switch r.advice {
            case .bringForward:
                #expect(r.suggestedDate! < planned!)
                #expect(r.suggestedDate! > F.day(today))
            case .pushBack:
                #expect(r.suggestedDate! > planned!)
            case .keepPlannedDate, .notYetAssessable:
                #expect(r.suggestedDate == nil)
            }
            if summary.responder != true || planned == nil { #expect(r.advice == .notYetAssessable) }
        }
    }
}
