@testable import ClinicServer
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The follow-up and outcome charts: pure functions from plain values to an SVG string that parses as XML, escapes every
/// label, and puts each value where the axes say.
@Suite struct OutcomeChartsTests {
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let t0 = ISO8601DateFormatter().date(from: "2026-03-02T15:00:00Z")!
    static func day(_ d: Double, hours: Double = 0) -> Date { t0.addingTimeInterval(d * 86400 + hours * 3600) }
    static let hostile = "<script>alert('x')</script> & \"quoted\""

    // MARK: - Shared pieces

    @Suite struct Drawing {
        @Test func fmtWritesOneDecimalAndNeverNanOrInf() {
            #expect(ChartSVG.fmt(12.34) == "12.3")
            #expect(ChartSVG.fmt(-2.36) == "-2.4")
            #expect(ChartSVG.fmt(-0.01) == "0.0")
            #expect(ChartSVG.fmt(7) == "7.0")
            #expect(ChartSVG.fmt(.nan) == "0.0")
            #expect(ChartSVG.fmt(.infinity) == "1000000.0")
            #expect(ChartSVG.fmt(-.infinity) == "-1000000.0")
        }

        @Test func dateTicksFollowTheSpanByDayWeekOrMonthInTheGivenTimeZone() {
            // given a span of four and a half days in New York
            let from = ISO8601DateFormatter().date(from: "2026-03-02T05:00:00Z")!   // midnight in New York
            let days = ChartSVG.dateTicks(from: from, to: from.addingTimeInterval(4.5 * 86400), timeZone: OutcomeChartsTests.newYork)
            // then one tick a day at local midnight
            #expect(days.map(\.label) == ["2 Mar", "3 Mar", "4 Mar", "5 Mar", "6 Mar"])
            #expect(days.first?.at == from)
            // a ten-week span gets weekly ticks on Mondays, a year monthly ones
            let weeks = ChartSVG.dateTicks(from: from, to: from.addingTimeInterval(70 * 86400), timeZone: OutcomeChartsTests.newYork)
            #expect(weeks.count >= 4 && weeks.count <= 8)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = OutcomeChartsTests.newYork
            #expect(weeks.allSatisfy { calendar.component(.weekday, from: $0.at) == 2 })
            let months = ChartSVG.dateTicks(from: from, to: from.addingTimeInterval(365 * 86400), timeZone: OutcomeChartsTests.newYork)
            #expect(months.first?.label == "May 2026" && months.contains { $0.label == "Jan 2027" })
            #expect(months.count <= 8)
        }

        @Test func niceTicksRoundTheMaximumUp() {
            #expect(ChartSVG.niceTicks(upTo: 67.5) == [0, 20, 40, 60, 80])
            #expect(ChartSVG.niceTicks(upTo: 90) == [0, 20, 40, 60, 80, 100])
            #expect(ChartSVG.dayTicks(upTo: 170) == [0, 30, 60, 90, 120, 150, 180])
        }
    }

    // MARK: - Pain trajectory

    @Suite struct PainTrajectory {
        typealias Chart = PainTrajectoryChart

        static func input(_ points: [Chart.Point], title: String = "Pain") -> Chart.Input {
            Chart.Input(points: points, timeZone: OutcomeChartsTests.newYork, title: title)
        }

        @Test func labelsWithMarkupComeOutEscapedAndTheChartParsesAsXML() throws {
            // given a title full of markup
            let svg = Chart.svg(Self.input([.init(at: OutcomeChartsTests.day(0), series: .average, score: 6, context: .followUp)],
                                           title: OutcomeChartsTests.hostile))
            // then no raw markup, and the parsed label reads back as written
            #expect(!svg.contains("<script>") && svg.contains("&lt;script&gt;") && svg.contains("&amp;") && svg.contains("&quot;") && svg.contains("&#39;"))
            let root = try SVGNode.parse(svg)
            #expect(root.attributes["aria-label"] == OutcomeChartsTests.hostile)
            #expect(root.attributes["role"] == "img" && root.attributes["width"] == "100%")
            #expect(root.first("title")?.text == OutcomeChartsTests.hostile)
            #expect(root.first("desc")?.text.isEmpty == false)
        }

        @Test func scoresLandWhereTheAxesSay() throws {
            // given 10 on the first day, 5 in the middle of the span, 0 on the last
            let svg = Chart.svg(Self.input([
                .init(at: OutcomeChartsTests.day(0), series: .average, score: 10, context: .beforeInfusion),
                .init(at: OutcomeChartsTests.day(5), series: .average, score: 5, context: .beforeInfusion),
                .init(at: OutcomeChartsTests.day(10), series: .average, score: 0, context: .beforeInfusion),
            ]))
            // then 10 is at the top of the plot, 0 at the bottom, the middle date in the middle
            let dots = try SVGNode.parse(svg).all("g").filter { $0.attributes["class"] == "series-average" }.flatMap { $0.all("circle") }
                .sorted { $0.number("cx") < $1.number("cx") }
            #expect(dots.count == 3)
            #expect(dots[0].number("cy") == r1(Chart.plotTop))
            #expect(dots[1].number("cx") == r1((Chart.left + Chart.plotRight) / 2))
            #expect(dots[1].number("cy") == r1((Chart.plotTop + Chart.plotBottom) / 2))
            #expect(dots[2].number("cy") == r1(Chart.plotBottom))
            #expect(dots[0].number("cx") > Chart.left && dots[2].number("cx") < Chart.plotRight)
        }

        @Test func contextsHaveTheirOwnMarkerShapes() throws {
            let svg = Chart.svg(Self.input([
                .init(at: OutcomeChartsTests.day(0), series: .now, score: 8, context: .beforeInfusion),
                .init(at: OutcomeChartsTests.day(0, hours: 2), series: .now, score: 4, context: .afterInfusion),
                .init(at: OutcomeChartsTests.day(7), series: .average, score: 5, context: .followUp),
            ]))
            let root = try SVGNode.parse(svg)
            let series = root.all("g").filter { $0.attributes["class"]?.hasPrefix("series-") == true }
            #expect(series.flatMap { $0.all("circle") }.count == 1)     // before infusion
            #expect(series.flatMap { $0.all("polygon") }.count == 1)    // after infusion: a triangle
            #expect(series.flatMap { $0.all("rect") }.count == 1)       // follow-up: a square
            // "now" is dashed, "average" solid
            let nowLine = series.first { $0.attributes["class"] == "series-now" }?.first("polyline")
            #expect(nowLine?.attributes["stroke-dasharray"] != nil)
        }

        @Test func infusionsAndBoostersAreMarkedAndLabelled() throws {
            // given three infusions, a booster, and a planned and a suggested booster
            var input = Self.input([.init(at: OutcomeChartsTests.day(0), series: .average, score: 7, context: .beforeInfusion),
                                    .init(at: OutcomeChartsTests.day(60), series: .average, score: 3, context: .followUp)])
            input.infusions = [OutcomeChartsTests.day(0), OutcomeChartsTests.day(10), OutcomeChartsTests.day(20)]
            input.boosters = [OutcomeChartsTests.day(50)]
            input.plannedBooster = OutcomeChartsTests.day(80)
            input.suggestedBooster = OutcomeChartsTests.day(70)
            let events = try SVGNode.parse(Chart.svg(input)).all("g").filter { $0.attributes["class"] == "event" }
            // then one vertical line each, labelled 1, 2, 3, B1 and the two bookings
            #expect(events.map { $0.first("text")?.text } == ["1", "2", "3", "B1", "suggested booster", "planned booster"])
            for e in events {
                let line = try #require(e.first("line"))
                #expect(line.number("x1") == line.number("x2"))
                #expect(line.number("y1") == Chart.plotTop && line.number("y2") == Chart.plotBottom)
            }
            #expect(events[5].first("line")?.attributes["stroke-dasharray"] != nil)   // planned: dashed
            #expect(events[4].first("line")?.attributes["stroke-dasharray"] != nil)   // suggested: dotted
            #expect(events[1].first("line")!.number("x1") > events[0].first("line")!.number("x1"))
        }

        @Test func baselineAndTheIMMPACTThirtyAndFiftyPercentLevelsSitAtTheirScores() throws {
            // Dworkin 2008 (IMMPACT), clinical-reference §7: ≥ 30 % moderate, ≥ 50 % substantial reduction.
            var input = Self.input([.init(at: OutcomeChartsTests.day(0), series: .average, score: 7, context: .beforeInfusion),
                                    .init(at: OutcomeChartsTests.day(30), series: .average, score: 3, context: .followUp)])
            input.baseline = 8
            let levels = try SVGNode.parse(Chart.svg(input)).all("g").filter { $0.attributes["class"] == "level" }
            let found = levels.map { ($0.first("text")?.text ?? "", $0.first("line")!.number("y1")) }
            #expect(found.map(\.0) == ["baseline 8", "−30 %", "−50 %"])
            #expect(found[0].1 == r1(Chart.y(8)))
            #expect(found[1].1 == r1(Chart.y(5.6)))
            #expect(found[2].1 == r1(Chart.y(4)))
            #expect(levels[1].first("line")?.attributes["stroke-dasharray"] != nil)
            // a baseline with a half point is labelled as such
            input.baseline = 7.5
            #expect(Chart.svg(input).contains(">baseline 7.5</text>"))
        }

        @Test func withoutABaselineThereAreNoReductionLines() throws {
            let svg = Chart.svg(Self.input([.init(at: OutcomeChartsTests.day(0), series: .average, score: 7, context: .beforeInfusion)]))
            #expect(try SVGNode.parse(svg).all("g").allSatisfy { $0.attributes["class"] != "level" })
            #expect(!svg.contains("−30 %"))
        }

        @Test func censoredReliefIsShadedToTheLastScoreAndTagged() throws {
            // given relief from day 10 with no end yet, the last score on day 40
            var input = Self.input([.init(at: OutcomeChartsTests.day(0), series: .average, score: 8, context: .beforeInfusion),
                                    .init(at: OutcomeChartsTests.day(40), series: .average, score: 3, context: .followUp)])
            input.relief = .init(start: OutcomeChartsTests.day(10), end: nil, censored: true)
            let root = try SVGNode.parse(Chart.svg(input))
            let band = try #require(root.all("rect").first { $0.attributes["class"] == "relief" })
            let lastDot = try #require(root.all("rect").filter { $0.attributes["class"] == nil && $0.attributes["fill"] == ChartSVG.Colour.blue }.last)
            // then the band ends where the last point is, and says "censored"
            #expect(abs(band.number("x") + band.number("width") - (lastDot.number("x") + lastDot.number("width") / 2)) < 0.2)
            #expect(root.all("text").contains { $0.text == "censored" })
            // an ended relief has no tag
            input.relief = .init(start: OutcomeChartsTests.day(10), end: OutcomeChartsTests.day(30), censored: false)
            #expect(try SVGNode.parse(Chart.svg(input)).all("text").allSatisfy { $0.text != "censored" })
        }

        @Test func noScoresGiveAPlaceholderNotAnEmptyString() throws {
            let svg = Chart.svg(Self.input([]))
            let root = try SVGNode.parse(svg)
            #expect(root.all("text").map(\.text) == ["No pain scores yet"])
            #expect(root.attributes["role"] == "img")
            #expect(Chart.summary(Self.input([])) == "No pain scores yet.")
        }

        @Test func aThousandScoresMakeOneLineOfAThousandPoints() throws {
            let points = (0..<1000).map { Chart.Point(at: OutcomeChartsTests.day(Double($0) / 10), series: .average, score: Double($0 % 11), context: .followUp) }
            let line = try #require(try SVGNode.parse(Chart.svg(Self.input(points))).all("polyline").first)
            #expect(line.attributes["points"]?.split(separator: " ").count == 1000)
        }

        @Test func theSummaryTellsTheStoryInWords() {
            var input = Self.input([.init(at: OutcomeChartsTests.day(0), series: .average, score: 8, context: .beforeInfusion),
                                    .init(at: OutcomeChartsTests.day(30), series: .average, score: 3, context: .followUp)])
            input.baseline = 8
            input.infusions = [OutcomeChartsTests.day(0), OutcomeChartsTests.day(3)]
            input.relief = .init(start: OutcomeChartsTests.day(3), end: nil, censored: true)
            let text = Chart.summary(input)
            #expect(text.contains("from 2 Mar 2026 to 1 Apr 2026"))
            #expect(text.contains("Average pain: 2 scores, latest 3 on 1 Apr 2026"))
            #expect(text.contains("Baseline 8; a 30 % reduction is 5.6 or less, a 50 % reduction 4 or less."))
            #expect(text.contains("2 infusions") && text.contains("(censored)"))
        }
    }

    // MARK: - PHQ-9 / GAD-7

    @Suite struct ScoreTrend {
        typealias Chart = ScoreTrendChart

        /// PHQ-9 bands 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately severe, 20–27 severe (clinical-reference §7).
        static func phq9(_ points: [Chart.Point], instrument: String = "PHQ-9") -> Chart.Input {
            Chart.Input(instrument: instrument, maximum: 27,
                        bands: [.init(lowerBound: 0, name: "minimal"), .init(lowerBound: 5, name: "mild"), .init(lowerBound: 10, name: "moderate"),
                                .init(lowerBound: 15, name: "moderately severe"), .init(lowerBound: 20, name: "severe")],
                        points: points, timeZone: OutcomeChartsTests.newYork)
        }

        @Test func theBandsAreShadedBetweenTheirCutOffs() throws {
            let root = try SVGNode.parse(Chart.svg(Self.phq9([.init(at: OutcomeChartsTests.day(0), total: 12)])))
            let bands = root.all("g").filter { $0.attributes["class"] == "band" }
            #expect(bands.compactMap { $0.first("text")?.text } == ["minimal", "mild", "moderate", "moderately severe", "severe"])
            let rects = bands.compactMap { $0.first("rect") }
            #expect(abs(rects[0].number("y") + rects[0].number("height") - Chart.plotBottom) < 0.11)
            #expect(abs(rects[1].number("y") - Chart.y(10, Self.phq9([]))) < 0.06)
            #expect(rects[4].number("y") == Chart.plotTop)
            // darker with severity
            #expect(Double(rects[4].attributes["fill-opacity"]!)! > Double(rects[0].attributes["fill-opacity"]!)!)
        }

        @Test func totalsLandOnTheScaleAndItem9IsMarkedAndLabelled() throws {
            // given the maximum, a positive item 9 in the middle of the span, and 0
            let svg = Chart.svg(Self.phq9([.init(at: OutcomeChartsTests.day(0), total: 27), .init(at: OutcomeChartsTests.day(7), total: 14, item9Positive: true),
                                           .init(at: OutcomeChartsTests.day(14), total: 0)]))
            let root = try SVGNode.parse(svg)
            let dots = root.all("circle").filter { $0.attributes["r"] == "4.0" }
            #expect(dots.map { $0.number("cy") } == [Chart.plotTop, Chart.plotBottom])
            let flagged = root.all("g").filter { $0.attributes["class"] == "item9" }
            #expect(flagged.count == 1)
            #expect(flagged[0].first("text")?.text == "item 9")
            let diamond = try #require(flagged[0].first("polygon"))
            let xs = diamond.attributes["points"]!.split(separator: " ").map { Double($0.split(separator: ",")[0])! }
            #expect(abs((xs.min()! + xs.max()!) / 2 - (Chart.left + Chart.plotRight) / 2) < 0.2)
            #expect(Chart.summary(Self.phq9([.init(at: OutcomeChartsTests.day(7), total: 14, item9Positive: true)]))
                .contains("latest 14 of 27 (moderate)"))
        }

        @Test func namesWithMarkupAreEscapedAndNoScoresGiveAPlaceholder() throws {
            let svg = Chart.svg(Self.phq9([.init(at: OutcomeChartsTests.day(0), total: 3)], instrument: OutcomeChartsTests.hostile))
            #expect(!svg.contains("<script>"))
            #expect(try SVGNode.parse(svg).attributes["aria-label"] == OutcomeChartsTests.hostile + " totals over time")
            let empty = try SVGNode.parse(Chart.svg(Self.phq9([])))
            #expect(empty.all("text").map(\.text) == ["No PHQ-9 scores yet"])
        }
    }

    // MARK: - MME

    @Suite struct MMETrend {
        typealias Chart = MMETrendChart

        @Test func theLineStepsAValueHoldsUntilTheNextChange() throws {
            // given 90, then 45 ten days later, held until day 30
            let input = Chart.Input(changes: [.init(at: OutcomeChartsTests.day(0), mmePerDay: 90), .init(at: OutcomeChartsTests.day(10), mmePerDay: 45)],
                                    until: OutcomeChartsTests.day(30), timeZone: OutcomeChartsTests.newYork)
            let root = try SVGNode.parse(Chart.svg(input))
            let path = try #require(root.all("path").first { $0.attributes["class"] == "mme-step" }?.attributes["d"])
            // then across, down at the change, across to the end: no diagonal
            let commands = path.split(separator: " ").map { $0.first! }.filter(\.isLetter)
            #expect(commands == ["M", "H", "V", "H"])
            // y from 0 to 100 (90 rounded up); 90 at 90 % of the height, 45 at 45 %
            let ticks = root.all("text").filter { $0.number("x") == r1(Chart.left - 8) }.map(\.text)
            #expect(ticks == ["0", "20", "40", "60", "80", "100"])
            let height = Chart.plotBottom - Chart.plotTop
            #expect(path.hasSuffix("H\(ChartSVG.fmt(Chart.plotRight - (Chart.plotRight - Chart.left) * 0.03 / 1.06))"))
            #expect(path.contains("\(ChartSVG.fmt(Chart.plotBottom - 0.9 * height)) H"))
            #expect(path.contains("V\(ChartSVG.fmt(Chart.plotBottom - 0.45 * height))"))
        }

        @Test func aNoFactorNoteIsShownEscapedAndOnlyWhenGiven() throws {
            var input = Chart.Input(changes: [.init(at: OutcomeChartsTests.day(0), mmePerDay: 30)], timeZone: OutcomeChartsTests.newYork)
            #expect(try SVGNode.parse(Chart.svg(input)).all("g").allSatisfy { $0.attributes["class"] != "no-factor" })
            input.noFactorNote = "Buprenorphine <patch> & \"no factor\": not counted"
            let svg = Chart.svg(input)
            #expect(!svg.contains("<patch>"))
            let note = try #require(try SVGNode.parse(svg).all("g").first { $0.attributes["class"] == "no-factor" })
            #expect(note.all("text").map(\.text).joined(separator: " ").contains("Buprenorphine <patch> & \"no factor\": not counted"))
        }

        @Test func noValuesGiveAPlaceholderAndZeroStillHasAScale() throws {
            let empty = Chart.Input(changes: [], timeZone: OutcomeChartsTests.newYork)
            #expect(try SVGNode.parse(Chart.svg(empty)).all("text").map(\.text) == ["No opioid doses recorded yet"])
            let zero = Chart.Input(changes: [.init(at: OutcomeChartsTests.day(0), mmePerDay: 0)], timeZone: OutcomeChartsTests.newYork)
            #expect(Chart.yTicks(zero) == [0, 5, 10])
            #expect(try SVGNode.parse(Chart.svg(zero)).coordinatesAreFinite)
        }
    }

    // MARK: - Kaplan–Meier

    @Suite struct Survival {
        typealias Chart = SurvivalChart

        /// Five patients: events on days 10, 20 and 30, censored on days 15 and 30. Kaplan–Meier: S(10) = 4/5,
        /// S(20) = 4/5 × 2/3, S(30) = S(20) × 1/2; at risk on days 0, 5, … 30: 5 5 5 4 3 2 2.
        static let five = Chart.Group(name: "CRPS", n: 5, times: [0, 10, 20, 30], survival: [1, 0.8, 0.8 * 2 / 3, 0.8 / 3],
                                      lower: [1, 0.5, 0.3, 0.05], upper: [1, 0.95, 0.85, 0.6], censorTimes: [15, 30])

        static func curve(_ root: SVGNode, _ index: Int = 0) -> String {
            root.all("path").filter { $0.attributes["class"] == "km" }[index].attributes["d"] ?? ""
        }

        @Test func theCurveGoesAcrossThenDownNeverDiagonally() throws {
            let root = try SVGNode.parse(Chart.svg(.init(groups: [Self.five])))
            let d = Self.curve(root)
            let parts = d.split(separator: " ")
            // starts at (day 0, 100 %), then only H and V, alternating
            #expect(parts[0] == "M\(ChartSVG.fmt(Chart.left))")
            let commands = parts.dropFirst(2).map { $0.first! }
            #expect(commands.allSatisfy { $0 == "H" || $0 == "V" })
            #expect(zip(commands, commands.dropFirst()).allSatisfy { $0 != $1 })
            #expect(commands == ["H", "V", "H", "V", "H", "V"])
        }

        @Test func theConfidenceBandEnclosesTheCurve() throws {
            let root = try SVGNode.parse(Chart.svg(.init(groups: [Self.five])))
            let band = try #require(root.all("polygon").first { $0.attributes["class"] == "ci-band" })
            let polygon = band.attributes["points"]!.split(separator: " ").map { pair in
                let xy = pair.split(separator: ",").map { Double($0)! }
                return (xy[0], xy[1])
            }
            // every step after the first (which is 100 % with no width of band) has its middle inside the band
            let steps = Chart.steps(Self.five)
            let plotTop = Chart.plotTop(legendRows: 1)
            for step in steps.dropFirst() where step.to > step.from {
                let x = Chart.left + Double(step.from + step.to) / 2 / 30 * (Chart.plotRight - Chart.left)
                let y = plotTop + Chart.plotHeight - step.survival * Chart.plotHeight
                #expect(inside(polygon, x, y), "step \(step.from)–\(step.to) outside its band")
            }
        }

        @Test func censorTicksSitOnTheCurveAtTheCensorTimes() throws {
            let root = try SVGNode.parse(Chart.svg(.init(groups: [Self.five])))
            let ticks = root.all("line").filter { $0.attributes["class"] == "censor" }
            let plotTop = Chart.plotTop(legendRows: 1)
            func x(_ day: Double) -> Double { ((Chart.left + day / 30 * (Chart.plotRight - Chart.left)) * 10).rounded() / 10 }
            #expect(ticks.map { $0.number("x1") } == [x(15), x(30)])
            // day 15: S = 0.8; the tick is centred on it
            let y15 = plotTop + Chart.plotHeight * 0.2
            #expect(abs((ticks[0].number("y1") + ticks[0].number("y2")) / 2 - y15) < 0.1)
        }

        @Test func theMedianIsMarkedOrSaidNotReached() throws {
            let reachedNot = Chart.Group(name: "Fibromyalgia", n: 10, times: [0, 40], survival: [1, 0.9], lower: [1, 0.7], upper: [1, 1], censorTimes: [60])
            let root = try SVGNode.parse(Chart.svg(.init(groups: [Self.five, reachedNot])))
            let median = try #require(root.all("g").first { $0.attributes["class"] == "median" })
            #expect(median.first("text")?.text == "median 30 d")
            let lines = median.all("line")
            #expect(lines.count == 2 && lines.allSatisfy { $0.attributes["stroke-dasharray"] != nil })
            #expect(lines[0].number("x1") == Chart.left)                   // to the y axis
            #expect(lines[1].number("y2") == lines[1].number("y1") + Chart.plotHeight / 2)   // down to the x axis
            #expect(root.all("text").contains { $0.text == "Fibromyalgia (n = 10), median not reached" })
            #expect(Chart.median(Self.five) == 30 && Chart.median(reachedNot) == nil)
        }

        @Test func atRiskNumbersStandUnderTheTicks() throws {
            let root = try SVGNode.parse(Chart.svg(.init(groups: [Self.five])))
            let row = try #require(root.all("g").first { $0.attributes["class"] == "at-risk" })
            #expect(row.all("text").map(\.text) == ["CRPS", "5", "5", "5", "4", "3", "2", "2"])
            #expect(root.all("text").contains { $0.text == "n at risk" })
            // at most four groups get a row
            let many = (1...5).map { Chart.Group(name: "G\($0)", n: 5, times: Self.five.times, survival: Self.five.survival, lower: [], upper: []) }
            #expect(try SVGNode.parse(Chart.svg(.init(groups: many))).all("g").filter { $0.attributes["class"] == "at-risk" }.count == 4)
        }

        @Test func aCurveThatStopsEarlyAndASinglePointAreDrawn() throws {
            // given one group followed to day 120, one that stops at day 40, one with a single point
            let long = Chart.Group(name: "Long", n: 20, times: [0, 30, 120], survival: [1, 0.7, 0.4], lower: [1, 0.5, 0.2], upper: [1, 0.9, 0.6])
            let short = Chart.Group(name: "Short", n: 6, times: [0, 20], survival: [1, 0.8], lower: [1, 0.5], upper: [1, 1], censorTimes: [40])
            let single = Chart.Group(name: "Single", n: 1, times: [0], survival: [1], lower: [1], upper: [1])
            let root = try SVGNode.parse(Chart.svg(.init(groups: [long, short, single])))
            // then the short curve ends at day 40, not at the right edge
            let xMax = 120.0
            let shortEnd = Self.curve(root, 1).split(separator: " ").last!
            #expect(shortEnd == "H\(ChartSVG.fmt(Chart.left + 40 / xMax * (Chart.plotRight - Chart.left)))")
            // the single point is a dot at day 0, 100 %
            let groups = root.all("g").filter { $0.attributes["class"] == "group" }
            #expect(groups[2].first("circle")?.number("cx") == Chart.left)
            // at-risk numbers past a group's last day are 0
            #expect(Chart.atRisk(short, at: [0, 60, 120]) == [6, 0, 0])
        }

        @Test func badNumbersNeverReachTheSVGAndMarkupIsEscaped() throws {
            let odd = Chart.Group(name: OutcomeChartsTests.hostile, n: 3, times: [0, 5, 9], survival: [1, .nan, 0.5],
                                  lower: [1, -.infinity], upper: [1, .infinity, 2])
            let svg = Chart.svg(.init(groups: [odd]))
            #expect(!svg.contains("<script>"))
            let root = try SVGNode.parse(svg)
            #expect(root.coordinatesAreFinite)
            #expect(root.all("text").contains { $0.text == OutcomeChartsTests.hostile + " (n = 3)" })
        }

        @Test func noGroupsGiveAPlaceholder() throws {
            let root = try SVGNode.parse(Chart.svg(.init(groups: [])))
            #expect(root.all("text").map(\.text) == ["No durations of relief yet"])
            #expect(Chart.summary(.init(groups: [Self.five])).contains("CRPS, n = 5: median 30 days; 27 % still in relief at day 30."))
        }
    }
}

/// `v` as `ChartSVG.fmt` writes it (one decimal), read back.
private func r1(_ v: Double) -> Double { (v * 10).rounded() / 10 }

/// Even-odd ray casting: is (x, y) inside the polygon?
private func inside(_ polygon: [(Double, Double)], _ x: Double, _ y: Double) -> Bool {
    var isInside = false
    var j = polygon.count - 1
    for i in polygon.indices {
        let (xi, yi) = polygon[i]
        let (xj, yj) = polygon[j]
        if (yi > y) != (yj > y), x < (xj - xi) * (y - yi) / (yj - yi) + xi { isInside.toggle() }
        j = i
    }
    return isInside
}

/// A parsed SVG element: name, attributes, text and children (Foundation's XMLParser; FoundationXML on Linux).
struct SVGNode {
    var name: String
    var attributes: [String: String]
    var text = ""
    var children: [SVGNode] = []

    /// Every element below this one (depth first) named `name`.
    func all(_ name: String) -> [SVGNode] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.all(name) }
    }

    /// The first element below this one named `name`.
    func first(_ name: String) -> SVGNode? { all(name).first }

    /// Whether every coordinate attribute, point list and path below (and at) this element is made of finite numbers.
    var coordinatesAreFinite: Bool {
        let numeric: Set = ["x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height"]
        let mine = attributes.allSatisfy { key, value in
            if numeric.contains(key) { return value.hasSuffix("%") || Double(value)?.isFinite == true }
            if key == "points" || key == "d" {
                return value.split(whereSeparator: { " ,".contains($0) }).allSatisfy { token in
                    let number = token.drop { $0.isLetter }
                    return number.isEmpty || Double(number)?.isFinite == true
                }
            }
            return true
        }
        return mine && children.allSatisfy(\.coordinatesAreFinite)
    }

    /// A numeric attribute (NaN when missing or not a number, so a comparison fails).
    func number(_ attribute: String) -> Double { attributes[attribute].flatMap(Double.init) ?? .nan }

    /// Parses `svg` as XML; throws when it is not well formed.
    static func parse(_ svg: String) throws -> SVGNode {
        let builder = Builder()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.stack.first?.children.first else {
            throw ParseError(message: parser.parserError.map { "\($0)" } ?? "no root element")
        }
        return root
    }

    struct ParseError: Error { var message: String }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack = [SVGNode(name: "#document", attributes: [:])]

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                    attributes attributeDict: [String: String] = [:]) {
            stack.append(SVGNode(name: elementName, attributes: attributeDict))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            let node = stack.removeLast()
            stack[stack.count - 1].children.append(node)
        }
    }
}
