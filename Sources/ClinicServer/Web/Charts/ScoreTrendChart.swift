import Foundation

/// A questionnaire total over time (PHQ-9 0–27, GAD-7 0–21) as an SVG the server draws itself, with the severity bands the
/// caller passes shaded behind and the points where PHQ-9 item 9 was positive marked "item 9" (clinical-reference §7).
enum ScoreTrendChart {
    /// A severity band: from `lowerBound` up to the next band's lower bound (or the maximum), named `name`.
    struct Band: Sendable, Hashable {
        var lowerBound: Int
        var name: String
    }

    /// One total; `item9Positive` marks a PHQ-9 whose item 9 was answered > 0.
    struct Point: Sendable, Hashable {
        var at: Date
        var total: Int
        var item9Positive: Bool = false
    }

    /// Everything the chart shows, as plain values the page maps from the domain.
    struct Input: Sendable {
        /// The instrument's name as shown, e.g. "PHQ-9".
        var instrument: String
        /// The highest possible total (27 for PHQ-9, 21 for GAD-7).
        var maximum: Int
        /// The severity bands from the lowest, e.g. PHQ-9 0 minimal, 5 mild, 10 moderate, 15 moderately severe, 20 severe.
        var bands: [Band]
        var points: [Point]
        var timeZone: TimeZone
    }

    static let left = 44.0
    static let right = 132.0
    static let plotTop = 26.0
    static let plotBottom = 266.0
    static var plotRight: Double { ChartSVG.width - right }

    static func top(_ input: Input) -> Double { Double(max(1, input.maximum)) }

    /// The y of a total: the maximum at the top of the plot, 0 at the bottom.
    static func y(_ v: Double, _ input: Input) -> Double {
        plotBottom - max(0, min(top(input), v)) / top(input) * (plotBottom - plotTop)
    }

    static func title(_ input: Input) -> String { "\(input.instrument) totals over time" }

    /// The bands sorted, each with its upper end (the next band's lower bound, or the maximum), within 0…maximum.
    static func ranges(_ input: Input) -> [(from: Double, to: Double, name: String)] {
        let bands = input.bands.filter { $0.lowerBound >= 0 && $0.lowerBound < input.maximum }.sorted { $0.lowerBound < $1.lowerBound }
        return bands.enumerated().map { i, b in
            (Double(b.lowerBound), Double(i + 1 < bands.count ? bands[i + 1].lowerBound : input.maximum), b.name)
        }
    }

    /// The name of the band a total falls in, if any.
    static func bandName(of total: Int, _ input: Input) -> String? {
        ranges(input).last { Double(total) >= $0.from }?.name
    }

    /// The chart as an SVG string; with no totals, a box that says there are no scores yet.
    static func svg(_ input: Input) -> String {
        let label = title(input)
        guard !input.points.isEmpty else {
            return ChartSVG.placeholder("No \(input.instrument) scores yet", label: label, cssClass: "score-chart")
        }
        let points = input.points.sorted { $0.at < $1.at }
        let (lo, hi) = ChartSVG.timeDomain(points.map(\.at), minimumSpan: 14 * 86400, padding: 0.05)!
        let span = hi.timeIntervalSince(lo)
        func x(_ d: Date) -> Double { left + max(0, min(1, d.timeIntervalSince(lo) / span)) * (plotRight - left) }
        func y(_ v: Double) -> Double { Self.y(v, input) }
        typealias C = ChartSVG.Colour
        let fmt = ChartSVG.fmt

        var legendItems: [ChartSVG.LegendItem] = [
            .init(swatch: .line(stroke: C.blue, width: 2.2, dash: nil, marker: .circle), label: "\(input.instrument) total"),
        ]
        if points.contains(where: \.item9Positive) {
            legendItems.append(.init(swatch: .marker(.diamond, fill: C.vermillion, stroke: C.black), label: "item 9 answered above 0"))
        }
        let legendY = plotBottom + 46
        let legend = ChartSVG.legend(legendItems, x: left, y: legendY, maxX: ChartSVG.width - 8)
        let height = legendY + Double(legend.rows - 1) * 18 + 12
        var out = ChartSVG.open(height: height, label: label, description: summary(input), cssClass: "score-chart")

        // Severity bands: one hue, darker with severity, so they also read in grey print.
        let bands = ranges(input)
        // Names centred in their band, pushed apart upwards when bands are narrow.
        let names = ChartSVG.spread(bands.map { -((y($0.from) + y($0.to)) / 2 + 4) }, gap: 13).map { -$0 }
        for (i, band) in bands.enumerated() {
            let opacity = 0.04 + 0.22 * Double(i) / Double(max(1, bands.count - 1))
            out += "<g class=\"band\"><rect x=\"\(fmt(left))\" y=\"\(fmt(y(band.to)))\" width=\"\(fmt(plotRight - left))\" height=\"\(fmt(y(band.from) - y(band.to)))\" "
                + "fill=\"\(C.vermillion)\" fill-opacity=\"\(ChartSVG.opacity(opacity))\"/>"
            out += ChartSVG.text(band.name, x: plotRight + 6, y: names[i], size: ChartSVG.smallFont) + "</g>"
        }

        // Y axis: 0, each cut-off and the maximum.
        let ticks = Array(Set([0.0, top(input)] + bands.map(\.from))).sorted()
        for v in ticks {
            out += ChartSVG.line(x1: left, y1: y(v), x2: plotRight, y2: y(v), stroke: "#FFFFFF", width: 1)
            out += ChartSVG.text(ChartSVG.number(v), x: left - 8, y: y(v) + 4, anchor: "end")
        }
        out += ChartSVG.line(x1: left, y1: plotBottom, x2: plotRight, y2: plotBottom, stroke: C.grey, width: 1)
        out += ChartSVG.verticalTitle("\(input.instrument) total", x: 14, centreY: (plotTop + plotBottom) / 2)

        for tick in ChartSVG.dateTicks(from: lo, to: hi, timeZone: input.timeZone) {
            let tx = x(tick.at)
            out += ChartSVG.line(x1: tx, y1: plotBottom, x2: tx, y2: plotBottom + 5, stroke: C.grey, width: 1)
            out += ChartSVG.axisLabel(tick.label, x: tx, y: plotBottom + 19)
        }

        // The totals.
        if points.count > 1 {
            out += "<polyline fill=\"none\" stroke=\"\(C.blue)\" stroke-width=\"2.2\" stroke-linejoin=\"round\" points=\""
                + points.map { fmt(x($0.at)) + "," + fmt(y(Double($0.total))) }.joined(separator: " ") + "\"/>"
        }
        var lastLabel: (x: Double, above: Bool)?
        for p in points {
            let px = x(p.at)
            let py = y(Double(p.total))
            if p.item9Positive {
                out += "<g class=\"item9\">" + ChartSVG.marker(.diamond, x: px, y: py, r: 6, fill: C.vermillion, stroke: C.black, strokeWidth: 1.2)
                // Above the point unless it would leave the plot or meet the previous label; then below.
                let w = ChartSVG.textWidth("item 9", size: ChartSVG.smallFont)
                var above = py - 12 > plotTop + 2
                if let previous = lastLabel, previous.above == above, px - previous.x < w + 4 { above.toggle() }
                if !above, py + 20 > plotBottom - 2, py - 12 > 10 { above = true }
                out += ChartSVG.text("item 9", x: px, y: above ? py - 11 : py + 21, anchor: "middle", size: ChartSVG.smallFont, weight: "bold") + "</g>"
                lastLabel = (px, above)
            } else {
                out += ChartSVG.marker(.circle, x: px, y: py, r: 4, fill: C.blue, stroke: "#FFFFFF")
            }
        }
        return out + legend.svg + "</svg>"
    }

    /// A short text alternative: how many totals, the latest with its band, the range, and how many had item 9 positive.
    static func summary(_ input: Input) -> String {
        let points = input.points.sorted { $0.at < $1.at }
        guard let first = points.first, let latest = points.last else { return "No \(input.instrument) scores yet." }
        let day = { ChartSVG.dayLabel($0, timeZone: input.timeZone) }
        let totals = points.map(\.total)
        var text = "\(input.instrument): \(points.count) total\(points.count == 1 ? "" : "s") from \(day(first.at)) to \(day(latest.at)); "
            + "latest \(latest.total) of \(input.maximum)" + (bandName(of: latest.total, input).map { " (\($0))" } ?? "")
            + " on \(day(latest.at)); range \(totals.min()!)–\(totals.max()!)."
        let positives = points.filter(\.item9Positive)
        if !positives.isEmpty {
            text += " Item 9 answered above 0 on " + positives.map { day($0.at) }.joined(separator: ", ") + "."
        }
        return text
    }
}
