import Foundation

/// Kaplan–Meier curves of the duration of relief (clinical-reference §7) as an SVG the server draws itself: one step
/// curve per group with its 95 % confidence band, censor ticks, the median, a legend with each group's n, and the
/// classic "n at risk" table under the x axis for up to four groups.
enum SurvivalChart {
    /// One group's estimate: at `times[i]` (days) the survival becomes `survival[i]` (0…1) with the band `lower[i]…upper[i]`.
    struct Group: Sendable, Hashable {
        var name: String
        /// Patients in the group (the start of the at-risk row).
        var n: Int
        var times: [Int]
        var survival: [Double]
        var lower: [Double]
        var upper: [Double]
        /// One entry per censored patient (repeats allowed): drawn as ticks, and used for the numbers at risk.
        var censorTimes: [Int] = []
    }

    /// Everything the chart shows, as plain values the page maps from the domain.
    struct Input: Sendable {
        var groups: [Group]
        var title: String = "Duration of relief (Kaplan–Meier)"
        var xTitle: String = "days since the last infusion of the series"
        var yTitle: String = "still in relief"
    }

    /// A stretch of the curve: from day `from` to day `to` the estimate is `survival` with the band `lower…upper`.
    struct Step: Sendable, Hashable {
        var from: Int
        var to: Int
        var survival: Double
        var lower: Double
        var upper: Double
    }

    static let left = 112.0
    static let right = 28.0
    static let plotHeight = 236.0
    static let atRiskGroups = 4
    static var plotRight: Double { ChartSVG.width - right }
    static let colours = ChartSVG.groupColours + [ChartSVG.Colour.orange, ChartSVG.Colour.skyBlue, ChartSVG.Colour.black]

    /// The top of the plot under a legend of `legendRows` rows.
    static func plotTop(legendRows: Int) -> Double { 16 + Double(legendRows) * 18 + 6 }

    static func colour(_ i: Int) -> String { colours[i % colours.count] }
    static func dash(_ i: Int) -> String? { ChartSVG.groupDashes[i % ChartSVG.groupDashes.count] }

    static func unit(_ v: Double, or fallback: Double) -> Double { v.isFinite ? max(0, min(1, v)) : fallback }

    /// The estimate's points sorted by day, values within 0…1 and each band widened to hold its estimate.
    static func points(_ g: Group) -> [(t: Int, s: Double, lo: Double, up: Double)] {
        let count = min(g.times.count, g.survival.count)
        var out: [(t: Int, s: Double, lo: Double, up: Double)] = []
        out.reserveCapacity(count)
        let order = (0..<count).sorted { g.times[$0] < g.times[$1] }
        var previous = 1.0
        for i in order {
            let s = unit(g.survival[i], or: previous)
            let lo = i < g.lower.count ? unit(g.lower[i], or: s) : s
            let up = i < g.upper.count ? unit(g.upper[i], or: s) : s
            out.append((max(0, g.times[i]), s, min(lo, s), max(up, s)))
            previous = s
        }
        return out
    }

    /// The last day the group was followed: its last step or its last censor time.
    static func lastDay(_ g: Group) -> Int {
        max(0, points(g).last?.t ?? 0, g.censorTimes.max() ?? 0)
    }

    /// The curve as steps from day 0 (where survival is 1 until the first step) to the group's last day.
    static func steps(_ g: Group) -> [Step] {
        var steps: [Step] = []
        var current = Step(from: 0, to: 0, survival: 1, lower: 1, upper: 1)
        for p in points(g) {
            if p.t > current.from {
                current.to = p.t
                steps.append(current)
            }
            current = Step(from: p.t, to: p.t, survival: p.s, lower: p.lo, upper: p.up)
        }
        current.to = max(current.from, lastDay(g))
        steps.append(current)
        return steps
    }

    /// The median: the first day the estimate is at or below 50 %, or nil when it is not reached.
    static func median(_ g: Group) -> Int? {
        points(g).first { $0.s <= 0.5 }?.t
    }

    /// The estimate on `day` (the step that holds then; after an event on that day).
    static func survival(_ steps: [Step], at day: Int) -> Double {
        (steps.last { $0.from <= day } ?? steps[0]).survival
    }

    /// Patients still followed and in relief at the start of each of `days`: n minus the events and censorings before it.
    /// Events per step are recovered from the estimate: dᵢ = nᵢ × (1 − Sᵢ / Sᵢ₋₁), nᵢ the number at risk at tᵢ.
    static func atRisk(_ g: Group, at days: [Int]) -> [Int] {
        let censors = g.censorTimes.map { max(0, $0) }.sorted()
        var cumulative: [(t: Int, events: Int)] = []
        var events = 0
        var previous = 1.0
        var censored = 0
        for p in points(g) {
            while censored < censors.count, censors[censored] < p.t { censored += 1 }
            let riskNow = max(0, g.n - events - censored)
            if previous > 0 { events += Int((Double(riskNow) * (1 - p.s / previous)).rounded()) }
            previous = p.s
            cumulative.append((p.t, events))
        }
        let last = lastDay(g)
        return days.map { day in
            // Nobody is followed past the group's last day, whatever the counts say.
            guard day <= last else { return 0 }
            let eventsBefore = cumulative.last { $0.t < day }?.events ?? 0
            let censoredBefore = censors.firstIndex { $0 >= day } ?? censors.count
            return max(0, g.n - eventsBefore - censoredBefore)
        }
    }

    static func drawn(_ input: Input) -> [Group] { input.groups.filter { !$0.times.isEmpty && !$0.survival.isEmpty } }

    /// The chart as an SVG string; with no group to draw, a box that says there are no durations yet.
    static func svg(_ input: Input) -> String {
        let groups = drawn(input)
        guard !groups.isEmpty else {
            return ChartSVG.placeholder("No durations of relief yet", label: input.title, cssClass: "survival-chart")
        }
        typealias C = ChartSVG.Colour
        let fmt = ChartSVG.fmt
        let allSteps = groups.map(steps)
        let ticks = ChartSVG.dayTicks(upTo: groups.map(lastDay).max() ?? 1)
        let xMax = Double(ticks.last!)

        // Legend on top: each group's line, name and n (and "median not reached" where so).
        let legendItems = groups.enumerated().map { i, g in
            ChartSVG.LegendItem(swatch: .line(stroke: colour(i), width: 2.2, dash: dash(i), marker: nil),
                                label: "\(g.name) (n = \(g.n))" + (median(g) == nil ? ", median not reached" : ""))
        }
        let legend = ChartSVG.legend(legendItems, x: left, y: 16, maxX: ChartSVG.width - 8)
        let plotTop = plotTop(legendRows: legend.rows)
        let plotBottom = plotTop + plotHeight
        let riskRows = min(groups.count, atRiskGroups)
        let riskTop = plotBottom + 58
        let height = riskTop + Double(riskRows) * 16 + 10
        func x(_ day: Int) -> Double { left + max(0, min(1, Double(day) / xMax)) * (plotRight - left) }
        func y(_ s: Double) -> Double { plotBottom - max(0, min(1, s)) * plotHeight }

        var out = ChartSVG.open(height: height, label: input.title, description: summary(input), cssClass: "survival-chart")
        out += legend.svg
        for v in [0.0, 0.25, 0.5, 0.75, 1] {
            out += ChartSVG.line(x1: left, y1: y(v), x2: plotRight, y2: y(v), stroke: C.grid, width: 1)
            out += ChartSVG.text("\(Int(v * 100)) %", x: left - 8, y: y(v) + 4, anchor: "end")
        }
        out += ChartSVG.line(x1: left, y1: plotBottom, x2: plotRight, y2: plotBottom, stroke: C.grey, width: 1)
        out += ChartSVG.line(x1: left, y1: plotTop, x2: left, y2: plotBottom, stroke: C.grey, width: 1)
        out += ChartSVG.verticalTitle(input.yTitle, x: left - 52, centreY: (plotTop + plotBottom) / 2)
        for t in ticks {
            out += ChartSVG.line(x1: x(t), y1: plotBottom, x2: x(t), y2: plotBottom + 5, stroke: C.grey, width: 1)
            out += ChartSVG.axisLabel("\(t)", x: x(t), y: plotBottom + 18)
        }
        out += ChartSVG.text(input.xTitle, x: (left + plotRight) / 2, y: plotBottom + 36, anchor: "middle", fill: C.grey)

        // Confidence bands first, all groups, so no band hides another group's curve; fainter when several overlap.
        let bandOpacity = groups.count > 2 ? 0.09 : 0.14
        for (i, steps) in allSteps.enumerated() where steps.contains(where: { $0.lower < $0.upper }) {
            let upper = steps.flatMap { [(x($0.from), y($0.upper)), (x($0.to), y($0.upper))] }
            let lower = steps.reversed().flatMap { [(x($0.to), y($0.lower)), (x($0.from), y($0.lower))] }
            out += "<polygon class=\"ci-band\" fill=\"\(colour(i))\" fill-opacity=\"\(ChartSVG.opacity(bandOpacity))\" stroke=\"none\" points=\""
                + (upper + lower).map { fmt($0.0) + "," + fmt($0.1) }.joined(separator: " ") + "\"/>"
        }

        // Medians: dotted lines to both axes, labels stacked above the x axis.
        var medianRow = 0
        for (i, g) in groups.enumerated() {
            guard let m = median(g) else { continue }
            out += "<g class=\"median\">" + ChartSVG.line(x1: left, y1: y(0.5), x2: x(m), y2: y(0.5), stroke: colour(i), width: 1.2, dash: "1 3")
            out += ChartSVG.line(x1: x(m), y1: y(0.5), x2: x(m), y2: plotBottom, stroke: colour(i), width: 1.2, dash: "1 3")
            let label = "median \(m) d"
            let w = ChartSVG.textWidth(label, size: ChartSVG.smallFont)
            let lx = x(m) + 4 + w > plotRight ? x(m) - 4 - w : x(m) + 4
            out += "<rect x=\"\(fmt(lx - 2))\" y=\"\(fmt(plotBottom - 18 - Double(medianRow) * 15))\" width=\"\(fmt(w + 4))\" height=\"14.0\" fill=\"#FFFFFF\" fill-opacity=\"0.85\"/>"
            out += ChartSVG.text(label, x: lx, y: plotBottom - 7 - Double(medianRow) * 15, size: ChartSVG.smallFont, fill: C.ink) + "</g>"
            medianRow += 1
        }

        // Curves: across, then down (a step, never a diagonal); censor ticks on them.
        for (i, steps) in allSteps.enumerated() {
            var d = "M\(fmt(x(0))) \(fmt(y(1)))"
            var lastY = y(1)
            var lastX = x(0)
            for s in steps {
                if y(s.survival) != lastY { d += " V\(fmt(y(s.survival)))"; lastY = y(s.survival) }
                if x(s.to) != lastX { d += " H\(fmt(x(s.to)))"; lastX = x(s.to) }
            }
            out += "<g class=\"group\"><path class=\"km\" d=\"\(d)\" fill=\"none\" stroke=\"\(colour(i))\" stroke-width=\"2.2\""
                + (dash(i).map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>"
            if steps.count == 1, steps[0].to == 0 {
                // A single point at day 0 has no length to draw: mark it.
                out += ChartSVG.marker(.circle, x: x(0), y: y(steps[0].survival), r: 3.5, fill: colour(i), stroke: "#FFFFFF")
            }
            for c in Set(groups[i].censorTimes.map { max(0, $0) }).sorted() {
                let cy = y(survival(steps, at: c))
                out += "<line class=\"censor\" x1=\"\(fmt(x(c)))\" y1=\"\(fmt(cy - 5))\" x2=\"\(fmt(x(c)))\" y2=\"\(fmt(cy + 5))\" stroke=\"\(colour(i))\" stroke-width=\"1.6\"/>"
            }
            out += "</g>"
        }

        // The n-at-risk table.
        out += ChartSVG.text("n at risk", x: 4, y: riskTop, size: ChartSVG.smallFont, weight: "bold")
        for (i, g) in groups.prefix(atRiskGroups).enumerated() {
            let ry = riskTop + Double(i + 1) * 16
            out += "<g class=\"at-risk\">" + ChartSVG.line(x1: 4, y1: ry - 4, x2: 20, y2: ry - 4, stroke: colour(i), width: 2.2, dash: dash(i))
            out += ChartSVG.text(ChartSVG.truncated(g.name, to: 11), x: 24, y: ry, size: ChartSVG.smallFont)
            for (t, count) in zip(ticks, atRisk(g, at: ticks)) {
                out += ChartSVG.axisLabel("\(count)", x: x(t), y: ry, size: ChartSVG.smallFont)
            }
            out += "</g>"
        }
        return out + "</svg>"
    }

    /// A short text alternative: per group its n, median (or "not reached") and the estimate at its last day.
    static func summary(_ input: Input) -> String {
        let groups = drawn(input)
        guard !groups.isEmpty else { return "No durations of relief yet." }
        return input.title + ". " + groups.map { g in
            let last = lastDay(g)
            let atLast = Int((survival(steps(g), at: last) * 100).rounded())
            return "\(g.name), n = \(g.n): " + (median(g).map { "median \($0) days" } ?? "median not reached")
                + "; \(atLast) % still in relief at day \(last)."
        }.joined(separator: " ")
    }
}
