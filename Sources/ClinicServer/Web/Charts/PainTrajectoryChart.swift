import Foundation

/// A patient's pain NRS (0–10) over time as an SVG the server draws itself: average, now and worst pain, infusions and
/// boosters, the baseline with its 30 % and 50 % reduction levels (IMMPACT, Dworkin 2008; clinical-reference §7) and
/// the duration of relief. Plain values in, an escaped SVG string out.
enum PainTrajectoryChart {
    /// Which pain score a point is (clinical-reference §7: average over 24 h, now, worst).
    enum Series: Sendable, Hashable, CaseIterable {
        case average, now, worst
    }

    /// When the score was taken; drawn as the marker's shape.
    enum Context: Sendable, Hashable, CaseIterable {
        case beforeInfusion, afterInfusion, followUp
    }

    /// One pain score.
    struct Point: Sendable, Hashable {
        var at: Date
        var series: Series
        var score: Double
        var context: Context
    }

    /// The duration of relief: from `start` to `end`; with no `end` it runs to the last score (open-ended).
    struct Relief: Sendable, Hashable {
        var start: Date
        var end: Date?
        var censored: Bool
    }

    /// Everything the chart shows, as plain values the page maps from the domain.
    struct Input: Sendable {
        var points: [Point]
        var infusions: [Date] = []
        var boosters: [Date] = []
        var baseline: Double? = nil
        var relief: Relief? = nil
        var plannedBooster: Date? = nil
        var suggestedBooster: Date? = nil
        var timeZone: TimeZone
        var title: String = "Pain scores over time"
    }

    /// Reduction levels drawn under the baseline: ≥ 30 % moderate, ≥ 50 % substantial (IMMPACT, Dworkin 2008; clinical-reference §7).
    static let reductionLevels: [(fraction: Double, label: String)] = [(0.30, "−30 %"), (0.50, "−50 %")]

    static let left = 50.0
    static let right = 96.0
    static let plotTop = 52.0
    static let plotBottom = 318.0
    static let laneBaselines = [14.0, 28.0, 42.0]
    static var plotRight: Double { ChartSVG.width - right }

    /// The y of a pain score: 10 at the top of the plot, 0 at the bottom.
    static func y(_ score: Double) -> Double {
        plotBottom - max(0, min(10, score.isFinite ? score : 0)) / 10 * (plotBottom - plotTop)
    }

    static func style(_ series: Series) -> (colour: String, width: Double, dash: String?, label: String) {
        switch series {
        case .average: (ChartSVG.Colour.blue, 2.4, nil, "average")
        case .now: (ChartSVG.Colour.orange, 1.6, "7 4", "now")
        case .worst: (ChartSVG.Colour.vermillion, 1.6, "2 3", "worst")
        }
    }

    static func shape(_ context: Context) -> (ChartSVG.Shape, String) {
        switch context {
        case .beforeInfusion: (.circle, "before infusion")
        case .afterInfusion: (.triangle, "after infusion")
        case .followUp: (.square, "follow-up")
        }
    }

    static func scored(_ input: Input) -> [Point] { input.points.filter { $0.score.isFinite } }

    /// The chart as an SVG string; with no scores, a box that says "No pain scores yet".
    static func svg(_ input: Input) -> String {
        let points = scored(input)
        let description = summary(input)
        guard !points.isEmpty else {
            return ChartSVG.placeholder("No pain scores yet", label: input.title, cssClass: "pain-chart")
        }
        let lastScore = points.map(\.at).max()!
        let reliefEnd = input.relief.map { $0.end ?? lastScore }
        var dates = points.map(\.at) + input.infusions + input.boosters
        dates += [input.relief?.start, reliefEnd, input.plannedBooster, input.suggestedBooster].compactMap { $0 }
        let (lo, hi) = ChartSVG.timeDomain(dates)!
        let span = hi.timeIntervalSince(lo)
        let plotWidth = plotRight - left
        func x(_ d: Date) -> Double { left + max(0, min(1, d.timeIntervalSince(lo) / span)) * plotWidth }
        typealias C = ChartSVG.Colour
        let fmt = ChartSVG.fmt

        // Legend first, to know the height.
        var legendItems: [ChartSVG.LegendItem] = []
        for s in Series.allCases where points.contains(where: { $0.series == s }) {
            let st = style(s)
            legendItems.append(.init(swatch: .line(stroke: st.colour, width: st.width, dash: st.dash, marker: nil), label: st.label))
        }
        for c in Context.allCases where points.contains(where: { $0.context == c }) {
            let (sh, label) = shape(c)
            legendItems.append(.init(swatch: .marker(sh, fill: C.grey, stroke: C.grey), label: label))
        }
        if !input.infusions.isEmpty { legendItems.append(.init(swatch: .verticalLine(stroke: C.grey, dash: nil), label: "infusion 1, 2 …")) }
        if !input.boosters.isEmpty { legendItems.append(.init(swatch: .verticalLine(stroke: C.purple, dash: nil), label: "booster B1 …")) }
        if input.relief != nil { legendItems.append(.init(swatch: .area(fill: C.green, opacity: 0.15), label: "relief")) }
        let legendY = plotBottom + 46
        let legend = ChartSVG.legend(legendItems, x: left, y: legendY, maxX: ChartSVG.width - 8)
        let height = legendY + Double(max(1, legend.rows) - 1) * 18 + 12

        var out = ChartSVG.open(height: height, label: input.title, description: description, cssClass: "pain-chart")

        // Relief band, behind everything.
        if let relief = input.relief, let end = reliefEnd {
            let x0 = x(relief.start)
            let x1 = max(x(end), x0 + 1)
            out += "<rect class=\"relief\" x=\"\(fmt(x0))\" y=\"\(fmt(plotTop))\" width=\"\(fmt(x1 - x0))\" height=\"\(fmt(plotBottom - plotTop))\" "
                + "fill=\"\(C.green)\" fill-opacity=\"0.15\"/>"
            out += ChartSVG.line(x1: x0, y1: plotTop, x2: x0, y2: plotBottom, stroke: C.green, width: 1.2)
            out += ChartSVG.line(x1: x1, y1: plotTop, x2: x1, y2: plotBottom, stroke: C.green, width: 1.2, dash: relief.censored ? "4 3" : nil)
            out += ChartSVG.text("relief", x: x0 + 4, y: plotTop + 14, size: ChartSVG.smallFont, fill: "#00563F")
            if relief.censored {
                let roomy = x1 - x0 > ChartSVG.textWidth("relief censored", size: ChartSVG.smallFont) + 16
                let cx = max(x1 - 4, x0 + 4 + ChartSVG.textWidth("censored", size: ChartSVG.smallFont))
                out += ChartSVG.text("censored", x: cx, y: plotTop + (roomy ? 14 : 28), anchor: "end", size: ChartSVG.smallFont, fill: "#00563F")
            }
        }

        // Grid and y axis.
        for v in stride(from: 0.0, through: 10, by: 2) {
            out += ChartSVG.line(x1: left, y1: y(v), x2: plotRight, y2: y(v), stroke: C.grid, width: 1)
            out += ChartSVG.text(ChartSVG.number(v), x: left - 8, y: y(v) + 4, anchor: "end")
        }
        out += ChartSVG.line(x1: left, y1: plotBottom, x2: plotRight, y2: plotBottom, stroke: C.grey, width: 1)
        out += ChartSVG.verticalTitle("pain (0–10)", x: 14, centreY: (plotTop + plotBottom) / 2)

        // Time axis.
        for tick in ChartSVG.dateTicks(from: lo, to: hi, timeZone: input.timeZone) {
            let tx = x(tick.at)
            out += ChartSVG.line(x1: tx, y1: plotBottom, x2: tx, y2: plotBottom + 5, stroke: C.grey, width: 1)
            out += ChartSVG.axisLabel(tick.label, x: tx, y: plotBottom + 19)
        }

        // Baseline and the IMMPACT reduction levels, labelled in the right margin.
        if let baseline = input.baseline, baseline.isFinite {
            let levels = [(baseline, "baseline " + ChartSVG.number(baseline), 1.4, nil as String?)]
                + reductionLevels.map { (baseline * (1 - $0.fraction), $0.label, 1.0, "6 4" as String?) }
            let labelYs = ChartSVG.spread(levels.map { y($0.0) + 4 }, gap: 13)
            for (i, level) in levels.enumerated() {
                out += "<g class=\"level\">" + ChartSVG.line(x1: left, y1: y(level.0), x2: plotRight, y2: y(level.0), stroke: C.ink, width: level.2, dash: level.3)
                out += ChartSVG.text(level.1, x: plotRight + 6, y: labelYs[i], size: ChartSVG.smallFont) + "</g>"
            }
        }

        // Vertical markers: infusions 1, 2, …; boosters B1, …; the planned and the suggested booster.
        var markers: [(at: Date, label: String, colour: String, dash: String?)] = []
        markers += input.infusions.sorted().enumerated().map { ($1, "\($0 + 1)", C.grey, nil) }
        markers += input.boosters.sorted().enumerated().map { ($1, "B\($0 + 1)", C.purple, nil) }
        if let d = input.plannedBooster { markers.append((d, "planned booster", C.purple, "6 4")) }
        if let d = input.suggestedBooster { markers.append((d, "suggested booster", C.purple, "2 3")) }
        var lanes = ChartSVG.LabelLanes(count: laneBaselines.count)
        for m in markers.sorted(by: { $0.at < $1.at }) {
            let mx = x(m.at)
            out += "<g class=\"event\">" + ChartSVG.line(x1: mx, y1: plotTop, x2: mx, y2: plotBottom, stroke: m.colour, width: 1.3, dash: m.dash, opacity: 0.8)
            let w = ChartSVG.textWidth(m.label, size: ChartSVG.smallFont)
            let leftEdge = min(max(2, mx - w / 2), ChartSVG.width - 2 - w)
            if let lane = lanes.place(left: leftEdge, width: w) {
                out += ChartSVG.text(m.label, x: leftEdge + w / 2, y: laneBaselines[lane], anchor: "middle", size: ChartSVG.smallFont,
                                     fill: m.colour == C.grey ? C.ink : "#8A3F6E", weight: "bold")
            }
            out += "</g>"
        }

        // Series: worst and now under average; markers by context.
        for series in [Series.worst, .now, .average] {
            let st = style(series)
            let pts = points.filter { $0.series == series }.sorted { $0.at < $1.at }
            guard !pts.isEmpty else { continue }
            out += "<g class=\"series-\(series)\">"
            if pts.count > 1 {
                out += "<polyline fill=\"none\" stroke=\"\(st.colour)\" stroke-width=\"\(ChartSVG.number(st.width))\" stroke-linejoin=\"round\" stroke-linecap=\"round\""
                    + (st.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + (series == .average ? "" : " stroke-opacity=\"0.85\"")
                    + " points=\"" + pts.map { fmt(x($0.at)) + "," + fmt(y($0.score)) }.joined(separator: " ") + "\"/>"
            }
            for p in pts {
                let (sh, _) = shape(p.context)
                out += series == .average
                    ? ChartSVG.marker(sh, x: x(p.at), y: y(p.score), r: 4.2, fill: st.colour, stroke: "#FFFFFF")
                    : ChartSVG.marker(sh, x: x(p.at), y: y(p.score), r: 3.2, fill: "#FFFFFF", stroke: st.colour, strokeWidth: 1.4)
            }
            out += "</g>"
        }

        return out + legend.svg + "</svg>"
    }

    /// A short text alternative for screen readers and print: the span, the latest scores, baseline, infusions and relief.
    static func summary(_ input: Input) -> String {
        let points = scored(input)
        guard let first = points.map(\.at).min(), let last = points.map(\.at).max() else { return "No pain scores yet." }
        let day = { ChartSVG.dayLabel($0, timeZone: input.timeZone) }
        var parts = ["Pain scores (0–10) from \(day(first)) to \(day(last))."]
        for series in Series.allCases {
            let pts = points.filter { $0.series == series }.sorted { $0.at < $1.at }
            guard let latest = pts.last else { continue }
            let scores = pts.map(\.score)
            parts.append("\(style(series).label.capitalized) pain: \(pts.count) score\(pts.count == 1 ? "" : "s"), latest \(ChartSVG.number(latest.score)) "
                + "on \(day(latest.at)), range \(ChartSVG.number(scores.min()!))–\(ChartSVG.number(scores.max()!)).")
        }
        if let b = input.baseline, b.isFinite {
            parts.append("Baseline \(ChartSVG.number(b)); a 30 % reduction is \(ChartSVG.number(b * 0.7)) or less, a 50 % reduction \(ChartSVG.number(b * 0.5)) or less.")
        }
        if !input.infusions.isEmpty {
            let sorted = input.infusions.sorted()
            parts.append("\(sorted.count) infusion\(sorted.count == 1 ? "" : "s") from \(day(sorted.first!)) to \(day(sorted.last!)).")
        }
        if !input.boosters.isEmpty {
            parts.append("Booster\(input.boosters.count == 1 ? "" : "s") on " + input.boosters.sorted().map(day).joined(separator: ", ") + ".")
        }
        if let r = input.relief {
            parts.append("Relief from \(day(r.start))" + (r.end.map { " to \(day($0))" } ?? " onwards") + (r.censored ? " (censored)." : "."))
        }
        if let d = input.plannedBooster { parts.append("Planned booster \(day(d)).") }
        if let d = input.suggestedBooster { parts.append("Suggested booster \(day(d)).") }
        return parts.joined(separator: " ")
    }
}
