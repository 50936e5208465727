import Foundation

/// Opioid use as morphine milligram equivalents per day (CDC 2022; clinical-reference §7) over time, as a step line the
/// server draws itself: each value holds until the next change. Medicines with no conversion factor are not in the
/// total; the caller's note about them is shown under the chart.
enum MMETrendChart {
    /// The total MME/day from `at` until the next change.
    struct Change: Sendable, Hashable {
        var at: Date
        var mmePerDay: Double
    }

    /// Everything the chart shows, as plain values the page maps from the domain.
    struct Input: Sendable {
        var changes: [Change]
        /// Where the last value's line ends (e.g. today); nil ends it at the right edge of the axis.
        var until: Date? = nil
        /// Shown under the chart when some medicines had no conversion factor, e.g. "Buprenorphine: no factor, not counted".
        var noFactorNote: String? = nil
        var timeZone: TimeZone
        var title: String = "Opioid use, MME per day"
    }

    static let left = 56.0
    static let right = 28.0
    static let plotTop = 24.0
    static let plotBottom = 250.0
    static var plotRight: Double { ChartSVG.width - right }

    static func valid(_ input: Input) -> [Change] {
        input.changes.filter { $0.mmePerDay.isFinite }.map { Change(at: $0.at, mmePerDay: max(0, $0.mmePerDay)) }.sorted { $0.at < $1.at }
    }

    /// The y axis ticks: 0 up to the largest value rounded up to a nice number (10 when every value is 0).
    static func yTicks(_ input: Input) -> [Double] {
        let highest = valid(input).map(\.mmePerDay).max() ?? 0
        return highest > 0 ? ChartSVG.niceTicks(upTo: highest) : [0, 5, 10]
    }

    /// The chart as an SVG string; with no values, a box that says none are recorded.
    static func svg(_ input: Input) -> String {
        let changes = valid(input)
        guard let first = changes.first, let last = changes.last else {
            return ChartSVG.placeholder("No opioid doses recorded yet", label: input.title, cssClass: "mme-chart")
        }
        let ticks = yTicks(input)
        let top = ticks.last!
        let (lo, hi) = ChartSVG.timeDomain([first.at, last.at] + (input.until.map { [$0] } ?? []), minimumSpan: 14 * 86400, padding: 0.03)!
        let span = hi.timeIntervalSince(lo)
        func x(_ d: Date) -> Double { left + max(0, min(1, d.timeIntervalSince(lo) / span)) * (plotRight - left) }
        func y(_ v: Double) -> Double { plotBottom - max(0, min(top, v)) / top * (plotBottom - plotTop) }
        typealias C = ChartSVG.Colour
        let fmt = ChartSVG.fmt

        let noteLines = input.noFactorNote.map { ChartSVG.wrap($0, maxChars: 96) } ?? []
        let noteY = plotBottom + 48
        let height = noteLines.isEmpty ? plotBottom + 34 : noteY + Double(noteLines.count - 1) * 16 + 10
        var out = ChartSVG.open(height: height, label: input.title, description: summary(input), cssClass: "mme-chart")

        for v in ticks {
            out += ChartSVG.line(x1: left, y1: y(v), x2: plotRight, y2: y(v), stroke: C.grid, width: 1)
            out += ChartSVG.text(ChartSVG.number(v), x: left - 8, y: y(v) + 4, anchor: "end")
        }
        out += ChartSVG.line(x1: left, y1: plotBottom, x2: plotRight, y2: plotBottom, stroke: C.grey, width: 1)
        out += ChartSVG.verticalTitle("MME/day", x: 14, centreY: (plotTop + plotBottom) / 2)
        for tick in ChartSVG.dateTicks(from: lo, to: hi, timeZone: input.timeZone) {
            let tx = x(tick.at)
            out += ChartSVG.line(x1: tx, y1: plotBottom, x2: tx, y2: plotBottom + 5, stroke: C.grey, width: 1)
            out += ChartSVG.axisLabel(tick.label, x: tx, y: plotBottom + 19)
        }

        // The step line: across to the next change, then up or down to its value.
        let end = x(max(input.until ?? hi, last.at))
        var path = "M\(fmt(x(first.at))) \(fmt(y(first.mmePerDay)))"
        for c in changes.dropFirst() { path += " H\(fmt(x(c.at))) V\(fmt(y(c.mmePerDay)))" }
        path += " H\(fmt(end))"
        out += "<path class=\"mme-area\" d=\"\(path) V\(fmt(plotBottom)) H\(fmt(x(first.at))) Z\" fill=\"\(C.blue)\" fill-opacity=\"0.08\" stroke=\"none\"/>"
        out += "<path class=\"mme-step\" d=\"\(path)\" fill=\"none\" stroke=\"\(C.blue)\" stroke-width=\"2.2\" stroke-linejoin=\"miter\"/>"

        // A dot and the value at each change, where the label has room.
        var lastLabelRight = -Double.infinity
        for c in changes {
            let cx = x(c.at)
            let cy = y(c.mmePerDay)
            out += ChartSVG.marker(.circle, x: cx, y: cy, r: 3.5, fill: C.blue, stroke: "#FFFFFF")
            let label = ChartSVG.number(c.mmePerDay)
            let w = ChartSVG.textWidth(label, size: ChartSVG.smallFont)
            if cx + 4 > lastLabelRight + 4, cx + 4 + w < ChartSVG.width - 2 {
                out += ChartSVG.text(label, x: cx + 4, y: max(plotTop - 6, cy - 7), size: ChartSVG.smallFont, weight: "bold")
                lastLabelRight = cx + 4 + w
            }
        }

        // The note about medicines with no conversion factor, behind a drawn warning sign (no font glyph needed).
        if !noteLines.isEmpty {
            out += "<g class=\"no-factor\"><polygon points=\"\(fmt(left + 7)),\(fmt(noteY - 12)) \(fmt(left + 15)),\(fmt(noteY + 2)) \(fmt(left - 1)),\(fmt(noteY + 2))\" "
                + "fill=\"\(C.orange)\" stroke=\"\(C.black)\" stroke-width=\"1\"/>"
                + ChartSVG.text("!", x: left + 7, y: noteY + 0.5, anchor: "middle", size: ChartSVG.smallFont - 1, weight: "bold")
            for (i, line) in noteLines.enumerated() {
                out += ChartSVG.text(line, x: left + 22, y: noteY + Double(i) * 16)
            }
            out += "</g>"
        }
        return out + "</svg>"
    }

    /// A short text alternative: the span, the first and the latest MME/day, the highest, and the note.
    static func summary(_ input: Input) -> String {
        let changes = valid(input)
        guard let first = changes.first, let last = changes.last else {
            return "No opioid doses recorded yet." + (input.noFactorNote.map { " " + $0 } ?? "")
        }
        let day = { ChartSVG.dayLabel($0, timeZone: input.timeZone) }
        var text = "Opioid use in MME per day: \(ChartSVG.number(first.mmePerDay)) on \(day(first.at))"
        if changes.count > 1 {
            text += ", \(ChartSVG.number(last.mmePerDay)) since \(day(last.at)); highest \(ChartSVG.number(changes.map(\.mmePerDay).max()!))"
        }
        text += "."
        if let note = input.noFactorNote { text += " " + note }
        return text
    }
}
