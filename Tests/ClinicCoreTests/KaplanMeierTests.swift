import Foundation
import Testing
@testable import ClinicCore

/// Kaplan–Meier duration of relief against hand-worked tables. Sources for every rule here: Kaplan EL, Meier P, JASA
/// 1958;53:457–481 (the product-limit estimate Ŝ(t) = Π (1 − d/n)); Greenwood M 1926 (Var log Ŝ ≈ Σ d/(n(n−d)));
/// Kalbfleisch & Prentice 1980 (log(−log) interval exp(−exp(log(−log Ŝ) ∓ z·√Σ / log Ŝ))) as in lifelines 0.30
/// `KaplanMeierFitter` (timeline from day 0, censored-at-t at risk at t, median = first day Ŝ ≤ 0.5).
///
/// Expected values were worked out with exact fractions (and the powers below to 17 digits with mpmath);
/// z = 1.959963984540054 for 95 %, the double `scipy.stats.norm.ppf(0.975)` gives. The band is
/// lower = Ŝ^exp(−z√G / log Ŝ), upper = Ŝ^exp(z√G / log Ŝ), where G is Greenwood's sum.
@Suite("Kaplan–Meier (Kaplan & Meier 1958; Greenwood 1926; Kalbfleisch & Prentice (log(−log) CI) as in lifelines)")
struct KaplanMeierTests {
    static let tolerance = 1e-12

    static func expectClose(_ actual: [Double], _ expected: [Double], _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, "\(what): row count", sourceLocation: sourceLocation)
        for (i, (a, e)) in zip(actual, expected).enumerated() {
            #expect(abs(a - e) <= tolerance, "\(what)[\(i)] = \(a), expected \(e)", sourceLocation: sourceLocation)
        }
    }

    /// Durations [1,1,2,3,3,3,5,8]; relief ended at 1, 2, 3, 3, 5; censored at 1, 3, 8.
    static let example = (durations: [1, 1, 2, 3, 3, 3, 5, 8],
                          events: [true, false, true, true, true, false, true, false])

    @Test("ties and censoring: product-limit, Greenwood and log(−log) band worked by hand (Kaplan & Meier 1958; Greenwood 1926)")
    func handWorkedTiesAndCensoring() throws {
        // given: 8 episodes; at day 1 one ends and one is censored, at day 3 two end and one is censored
        let (durations, events) = Self.example

        // when
        let table = try KaplanMeier.fit(durations: durations, events: events)

        // then
        // day  n  d  c   Ŝ                         G = Σ d/(n(n−d))
        //  0   8  0  0   1                         0
        //  1   8  1  1   7/8         = 0.875       1/56
        //  2   6  1  0   7/8·5/6     = 35/48       1/56 + 1/30 = 43/840
        //  3   5  2  1   35/48·3/5   = 7/16        43/840 + 2/15 = 31/168
        //  5   2  1  0   7/16·1/2    = 7/32        31/168 + 1/2 = 115/168
        //  8   1  0  1   7/32                      115/168
        #expect(table.times == [0, 1, 2, 3, 5, 8])
        #expect(table.atRisk == [8, 8, 6, 5, 2, 1])
        #expect(table.events == [0, 1, 1, 2, 1, 0])
        #expect(table.censored == [0, 1, 0, 1, 0, 1])
        #expect(table.removed == [0, 2, 1, 3, 1, 1])
        Self.expectClose(table.survival, [1, 7.0 / 8, 35.0 / 48, 7.0 / 16, 7.0 / 32, 7.0 / 32], "survival")
        Self.expectClose(table.greenwood, [0, 1.0 / 56, 43.0 / 840, 31.0 / 168, 115.0 / 168, 115.0 / 168], "greenwood")
        // day 1: log Ŝ = log 7/8 = −0.133531…, √G = 0.133630…, k = z√G/log Ŝ = −1.961429…;
        // lower = 0.875^exp(1.961429…) = 0.875^7.1089… = 0.387000014032025…; upper = 0.875^exp(−1.961429…)
        Self.expectClose(table.lower, [1, 0.38700001403202519, 0.27639022033612295, 0.10136993299734211,
                                       0.012065270567239203, 0.012065270567239203], "lower")
        Self.expectClose(table.upper, [1, 0.981392965878966, 0.92535318125720531, 0.74188577787139274,
                                       0.59279903906382965, 0.59279903906382965], "upper")
        #expect(table.subjects == 8)
        #expect(table.totalEvents == 5)
        #expect(table.confidence == 0.95)
        // median: first day with Ŝ ≤ 0.5 is day 3 (7/16); the lower band is ≤ 0.5 from day 1; the upper band never is
        #expect(table.median == 3)
        #expect(table.medianLower == 1)
        #expect(table.medianUpper == nil)
    }

    @Test("a 90 % band uses z = Φ⁻¹(0.95) = 1.6448536269514722 (Kalbfleisch & Prentice log(−log) CI as in lifelines)")
    func ninetyPercentBand() throws {
        // given
        let (durations, events) = Self.example

        // when
        let table = try KaplanMeier.fit(durations: durations, events: events, confidence: 0.90)

        // then: same Ŝ and G as above, narrower band
        #expect(table.confidence == 0.90)
        Self.expectClose(table.survival, [1, 7.0 / 8, 35.0 / 48, 7.0 / 16, 7.0 / 32, 7.0 / 32], "survival")
        Self.expectClose(table.lower, [1, 0.50028755898927145, 0.35840024333209552, 0.14323630553561033,
                                       0.024207476480641055, 0.024207476480641055], "lower")
        Self.expectClose(table.upper, [1, 0.97458306900918439, 0.90735179813088922, 0.70350812078074374,
                                       0.53754093151449542, 0.53754093151449542], "upper")
        #expect(table.medianLower == 2)
        #expect(table.medianUpper == nil)
    }

    @Test("all censored: Ŝ stays 1, the band is 1 (lifelines fills 0/0 with 1) and the median is not reached (Kaplan & Meier 1958)")
    func allCensored() throws {
        // given: no relief ended during follow-up
        let durations = [2, 4, 4, 6]
        let events = [false, false, false, false]

        // when
        let table = try KaplanMeier.fit(durations: durations, events: events)

        // then
        #expect(table.times == [0, 2, 4, 6])
        #expect(table.atRisk == [4, 4, 3, 1])
        #expect(table.events == [0, 0, 0, 0])
        #expect(table.censored == [0, 1, 2, 1])
        #expect(table.survival == [1, 1, 1, 1])
        #expect(table.lower == [1, 1, 1, 1])
        #expect(table.upper == [1, 1, 1, 1])
        #expect(table.greenwood == [0, 0, 0, 0])
        #expect(table.totalEvents == 0)
        #expect(table.median == nil && table.medianLower == nil && table.medianUpper == nil)
    }

    @Test("all events: Ŝ reaches 0, the n = d Greenwood term counts 0 and the band closes at 0 (Greenwood 1926, as in lifelines)")
    func allEvents() throws {
        // given
        let durations = [1, 2, 2, 3]
        let events = [true, true, true, true]

        // when
        let table = try KaplanMeier.fit(durations: durations, events: events)

        // then
        // day  n  d   Ŝ                G
        //  0   4  0   1                0
        //  1   4  1   3/4              1/12
        //  2   3  2   3/4·1/3 = 1/4    1/12 + 2/3 = 3/4
        //  3   1  1   0                3/4 (the term 1/(1·0) = ∞ is taken as 0, as lifelines does)
        #expect(table.times == [0, 1, 2, 3])
        #expect(table.atRisk == [4, 4, 3, 1])
        #expect(table.events == [0, 1, 2, 1])
        #expect(table.censored == [0, 0, 0, 0])
        Self.expectClose(table.survival, [1, 0.75, 0.25, 0], "survival")
        Self.expectClose(table.greenwood, [0, 1.0 / 12, 0.75, 0.75], "greenwood")
        Self.expectClose(table.lower, [1, 0.12794691759514582, 0.0089478244166031629, 0], "lower")
        Self.expectClose(table.upper, [1, 0.96054864228507843, 0.66532534278886543, 0], "upper")
        #expect(table.survival[3] == 0 && table.lower[3] == 0 && table.upper[3] == 0)
        #expect(table.median == 2)
        #expect(table.medianLower == 1)
        #expect(table.medianUpper == 3)
        #expect(table.totalEvents == 4)
    }

    @Test("a single episode whose relief ends: Ŝ drops from 1 to 0 on its day (Kaplan & Meier 1958)")
    func singleEvent() throws {
        // when
        let table = try KaplanMeier.fit(durations: [5], events: [true])

        // then
        #expect(table.times == [0, 5])
        #expect(table.atRisk == [1, 1])
        #expect(table.events == [0, 1])
        #expect(table.survival == [1, 0])
        #expect(table.lower == [1, 0])
        #expect(table.upper == [1, 0])
        #expect(table.greenwood == [0, 0])
        #expect(table.median == 5)
        #expect(table.subjects == 1)
    }

    @Test("a single censored episode: Ŝ = 1 throughout, median not reached (Kaplan & Meier 1958)")
    func singleCensored() throws {
        // when
        let table = try KaplanMeier.fit(durations: [5], events: [false])

        // then
        #expect(table.times == [0, 5])
        #expect(table.censored == [0, 1])
        #expect(table.survival == [1, 1])
        #expect(table.median == nil)
    }

    @Test("zero-day durations fall in the day-0 row, so Ŝ(0) < 1 (lifelines' timeline; Kaplan & Meier 1958)")
    func zeroDurations() throws {
        // given: relief gone at day 0 for one episode, another censored at day 0
        let durations = [0, 0, 1, 2]
        let events = [true, false, true, false]

        // when
        let table = try KaplanMeier.fit(durations: durations, events: events)

        // then
        // day  n  d  c   Ŝ              G
        //  0   4  1  1   3/4            1/12
        //  1   2  1  0   3/4·1/2 = 3/8  1/12 + 1/2 = 7/12
        //  2   1  0  1   3/8            7/12
        #expect(table.times == [0, 1, 2])
        #expect(table.atRisk == [4, 2, 1])
        #expect(table.events == [1, 1, 0])
        #expect(table.censored == [1, 0, 1])
        Self.expectClose(table.survival, [0.75, 0.375, 0.375], "survival")
        Self.expectClose(table.greenwood, [1.0 / 12, 7.0 / 12, 7.0 / 12], "greenwood")
        Self.expectClose(table.lower, [0.12794691759514582, 0.01097112157484458, 0.01097112157484458], "lower")
        Self.expectClose(table.upper, [0.96054864228507843, 0.8080010724813435, 0.8080010724813435], "upper")
        #expect(table.median == 1)
    }

    @Test("an episode censored on the day another ends is still at risk that day (Kaplan & Meier 1958, lifelines' convention)")
    func censoredTiedWithEventIsAtRisk() throws {
        // given: both on day 3, one ends, one is censored
        let durations = [3, 3]
        let events = [true, false]

        // when
        let table = try KaplanMeier.fit(durations: durations, events: events)

        // then: n = 2 at day 3, so Ŝ(3) = 1 − 1/2 = 1/2 (not 0), G = 1/(2·1) = 1/2, and Ŝ = 0.5 ≤ 0.5 is the median
        #expect(table.times == [0, 3])
        #expect(table.atRisk == [2, 2])
        #expect(table.events == [0, 1])
        #expect(table.censored == [0, 1])
        Self.expectClose(table.survival, [1, 0.5], "survival")
        Self.expectClose(table.greenwood, [0, 0.5], "greenwood")
        Self.expectClose(table.lower, [1, 0.0059830876391457498], "lower")
        Self.expectClose(table.upper, [1, 0.91041008483673736], "upper")
        #expect(table.median == 3)
    }

    @Test("median not reached when Ŝ stays above 0.5 (lifelines' median_survival_time_ is ∞; here nil)")
    func medianNotReached() throws {
        // given: one of four ends, then the rest are censored: Ŝ = 3/4 at the end
        let table = try KaplanMeier.fit(durations: [1, 2, 3, 4], events: [true, false, false, false])

        // then (Ŝ is exp of a sum of logs, as in lifelines, so 3/4 up to rounding)
        Self.expectClose([table.survival.last!], [0.75], "survival")
        #expect(table.median == nil)
    }

    @Test("median at the first day Ŝ ≤ 0.5, not interpolated (lifelines' qth_survival_time)")
    func medianFirstDayAtOrBelowHalf() throws {
        // given: Ŝ = 3/4, 1/2, 1/4 on days 10, 20, 30
        let table = try KaplanMeier.fit(durations: [10, 20, 30, 40], events: [true, true, true, false])

        // then
        Self.expectClose(table.survival, [1, 0.75, 0.5, 0.25, 0.25], "survival")
        #expect(table.median == 20)
    }

    @Test("Ŝ at any day is the step function of the table")
    func survivalAtDay() throws {
        // given
        let (durations, events) = Self.example
        let table = try KaplanMeier.fit(durations: durations, events: events)

        // when / then
        #expect(table.survival(atDay: -1) == 1)
        #expect(table.survival(atDay: 0) == 1)
        #expect(table.survival(atDay: 1) == table.survival[1])
        #expect(table.survival(atDay: 4) == table.survival[3])
        #expect(table.survival(atDay: 400) == table.survival[5])
    }

    @Test("widely spread durations (sorted path) give the same table as the per-day histogram")
    func sortedPathMatchesHistogram() throws {
        // given
        let (durations, events) = Self.example

        // when
        let histogram = try KaplanMeier.fit(durations: durations, events: events, confidence: 0.95, denseDayLimit: 1_000)
        let sorted = try KaplanMeier.fit(durations: durations, events: events, confidence: 0.95, denseDayLimit: 0)
        let huge = try KaplanMeier.fit(durations: [0, 3, Int.max / 2], events: [false, true, true])

        // then
        #expect(histogram == sorted)
        #expect(huge.times == [0, 3, Int.max / 2])
        #expect(huge.atRisk == [3, 2, 1])
        #expect(huge.censored == [1, 0, 0])
    }

    @Test("negative durations are refused with the count and first index")
    func negativeDurations() {
        #expect(throws: ClinicError.invalid([FieldError("durations", "2 negative duration(s), the first at index 1 (-3 days): durations are whole days ≥ 0")])) {
            try KaplanMeier.fit(durations: [4, -3, 2, -1], events: [true, true, false, true])
        }
    }

    @Test("one flag per duration is required")
    func mismatchedLengths() {
        #expect(throws: ClinicError.invalid([FieldError("events", "2 event flags for 3 durations: give one flag per episode")])) {
            try KaplanMeier.fit(durations: [1, 2, 3], events: [true, false])
        }
    }

    @Test("no episodes and out-of-range confidence levels are refused")
    func emptyAndConfidence() {
        #expect(throws: ClinicError.invalid([FieldError("durations", "no episodes: a Kaplan–Meier curve needs at least one duration")])) {
            try KaplanMeier.fit(durations: [], events: [])
        }
        for level in [0.0, 1.0, 1.5, -0.1, .nan] {
            #expect(throws: ClinicError.invalid([FieldError("confidence", "must be strictly between 0 and 1, e.g. 0.95")])) {
                try KaplanMeier.fit(durations: [1], events: [true], confidence: level)
            }
        }
    }
}
