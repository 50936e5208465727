import Foundation

/// Drawing pieces shared by the server-drawn SVG charts: numbers, escaping, palette, ticks, markers, legends.
/// Every text that reaches an SVG goes through `escape`; every coordinate goes through `fmt`.
enum ChartSVG {
    /// The viewBox width every chart is laid out for (the page scales it with `width="100%"`).
    static let width = 760.0
    /// The smallest text size used, in viewBox units: ≥ 11 px when the chart is 760 px wide.
    static let smallFont = 11.0
    /// The text size of axis labels and legends.
    static let font = 12.0

    /// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies (Okabe & Ito 2008).
    enum Colour {
        static let black = "#000000"
        static let orange = "#E69F00"
        static let skyBlue = "#56B4E9"
        static let green = "#009E73"
        static let blue = "#0072B2"
        static let vermillion = "#D55E00"
        static let purple = "#CC79A7"
        static let ink = "#222222"
        static let grey = "#666666"
        static let grid = "#DDDDDD"
    }

    /// Group colours in order, then dash patterns, so groups differ in colour and in black-and-white print.
    static let groupColours = [Colour.blue, Colour.vermillion, Colour.green, Colour.purple]
    /// Dash patterns in group order: solid, dashed, dotted, dash-dot.
    static let groupDashes: [String?] = [nil, "8 4", "2 3", "9 3 2 3"]

    // MARK: - Text and numbers

    /// A coordinate with one decimal; never "nan" or "inf" (NaN becomes 0, infinities are clamped to ±1,000,000).
    static func fmt(_ v: Double) -> String {
        let clamped = v.isNaN ? 0 : min(max(v, -1_000_000), 1_000_000)
        let tenths = Int((clamped * 10).rounded())
        let magnitude = tenths.magnitude
        return (tenths < 0 ? "-" : "") + "\(magnitude / 10).\(magnitude % 10)"
    }

    /// A value for a label: at most one decimal, no trailing ".0" (7 → "7", 7.5 → "7.5").
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let tenths = Int((v * 10).rounded())
        let magnitude = tenths.magnitude
        let sign = tenths < 0 ? "-" : ""
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    /// An opacity with two decimals, within 0…1.
    static func opacity(_ v: Double) -> String {
        let hundredths = Int((max(0, min(1, v.isFinite ? v : 1)) * 100).rounded())
        return hundredths == 100 ? "1" : "0.\(hundredths < 10 ? "0" : "")\(hundredths)"
    }

    /// Escapes text and attribute values (`& < > " '`) with the same function as every other server-drawn SVG.
    static func escape(_ s: String) -> String { Sparkline.escape(s) }

    /// A rough width of `text` in viewBox units at `size` (sans-serif averages ~0.6 em per character).
    static func textWidth(_ text: String, size: Double = font) -> Double { Double(text.count) * size * 0.6 }

    /// `text` shortened to at most `max` characters, with an ellipsis when cut.
    static func truncated(_ text: String, to max: Int) -> String {
        text.count <= max ? text : String(text.prefix(Swift.max(1, max - 1))) + "…"
    }

    /// `text` broken into lines of at most `maxChars` characters at spaces (a longer word gets a line of its own).
    static func wrap(_ text: String, maxChars: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(whereSeparator: \.isWhitespace) {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= maxChars {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    // MARK: - Frame

    /// The opening tag (responsive, `role="img"`, an `aria-label`), a `<title>` and a `<desc>` with the text alternative.
    static func open(height: Double, label: String, description: String, cssClass: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"\(escape(cssClass))\" viewBox=\"0 0 \(Int(width)) \(Int(height.rounded(.up)))\" "
            + "width=\"100%\" preserveAspectRatio=\"xMidYMin meet\" role=\"img\" aria-label=\"\(escape(label))\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\" "
            + "font-size=\"\(number(font))\" fill=\"\(Colour.ink)\"><title>\(escape(label))</title><desc>\(escape(description))</desc>"
    }

    /// A chart-sized box that says there is nothing to draw yet (never an empty string).
    static func placeholder(_ message: String, label: String, cssClass: String) -> String {
        open(height: 120, label: label, description: message, cssClass: cssClass)
            + "<rect x=\"1.0\" y=\"1.0\" width=\"\(fmt(width - 2))\" height=\"118.0\" fill=\"#FAFAFA\" stroke=\"#BBBBBB\" stroke-dasharray=\"6 4\" rx=\"6\"/>"
            + text(message, x: width / 2, y: 66, anchor: "middle", size: 16, fill: Colour.grey)
            + "</svg>"
    }

    /// A `<text>` element; the content is escaped.
    static func text(_ content: String, x: Double, y: Double, anchor: String = "start", size: Double = font, fill: String = Colour.ink,
                     weight: String? = nil, extra: String = "") -> String {
        "<text x=\"\(fmt(x))\" y=\"\(fmt(y))\" text-anchor=\"\(anchor)\" font-size=\"\(number(size))\" fill=\"\(fill)\""
            + (weight.map { " font-weight=\"\($0)\"" } ?? "") + extra + ">\(escape(content))</text>"
    }

    /// A straight `<line>`; `dash` becomes `stroke-dasharray`.
    static func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil,
                     opacity: Double? = nil) -> String {
        "<line x1=\"\(fmt(x1))\" y1=\"\(fmt(y1))\" x2=\"\(fmt(x2))\" y2=\"\(fmt(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(number(width))\""
            + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + (opacity.map { " stroke-opacity=\"\(self.opacity($0))\"" } ?? "") + "/>"
    }

    /// A tick label centred on `x` but kept inside the chart's width.
    static func axisLabel(_ content: String, x: Double, y: Double, size: Double = font) -> String {
        let half = textWidth(content, size: size) / 2
        if x - half < 2 { return text(content, x: 2, y: y, size: size) }
        if x + half > width - 2 { return text(content, x: width - 2, y: y, anchor: "end", size: size) }
        return text(content, x: x, y: y, anchor: "middle", size: size)
    }

    /// The text rotated to read upwards, for a y-axis title.
    static func verticalTitle(_ content: String, x: Double, centreY: Double) -> String {
        "<text x=\"\(fmt(x))\" y=\"\(fmt(centreY))\" text-anchor=\"middle\" font-size=\"\(number(font))\" fill=\"\(Colour.grey)\" "
            + "transform=\"rotate(-90 \(fmt(x)) \(fmt(centreY)))\">\(escape(content))</text>"
    }

    // MARK: - Markers

    /// The marker shapes charts use to tell kinds of point apart without colour.
    enum Shape: Sendable { case circle, triangle, square, diamond }

    /// A point marker of `shape` centred on (x, y) with radius-like size `r`.
    static func marker(_ shape: Shape, x: Double, y: Double, r: Double, fill: String, stroke: String, strokeWidth: Double = 1) -> String {
        let paint = " fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(number(strokeWidth))\"/>"
        switch shape {
        case .circle:
            return "<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"\(fmt(r))\"" + paint
        case .square:
            let h = r * 0.9
            return "<rect x=\"\(fmt(x - h))\" y=\"\(fmt(y - h))\" width=\"\(fmt(2 * h))\" height=\"\(fmt(2 * h))\"" + paint
        case .triangle:
            let t = r * 1.25
            return "<polygon points=\"\(fmt(x)),\(fmt(y - t)) \(fmt(x + t)),\(fmt(y + t * 0.8)) \(fmt(x - t)),\(fmt(y + t * 0.8))\"" + paint
        case .diamond:
            let d = r * 1.3
            return "<polygon points=\"\(fmt(x)),\(fmt(y - d)) \(fmt(x + d)),\(fmt(y)) \(fmt(x)),\(fmt(y + d)) \(fmt(x - d)),\(fmt(y))\"" + paint
        }
    }

    // MARK: - Legend

    /// One legend entry: a swatch and its label.
    struct LegendItem: Sendable {
        /// What the swatch looks like.
        enum Swatch: Sendable {
            case line(stroke: String, width: Double, dash: String?, marker: Shape?)
            case marker(Shape, fill: String, stroke: String)
            case area(fill: String, opacity: Double)
            case verticalLine(stroke: String, dash: String?)
        }
        var swatch: Swatch
        var label: String
    }

    /// Legend items laid out left to right from `x`, wrapping before `maxX`; returns the SVG and the rows used.
    static func legend(_ items: [LegendItem], x: Double, y: Double, maxX: Double) -> (svg: String, rows: Int) {
        guard !items.isEmpty else { return ("", 0) }
        var out = "<g class=\"legend\">"
        var cx = x
        var cy = y
        var rows = 1
        for item in items {
            let w = 28 + textWidth(item.label) + 18
            if cx > x, cx + w - 18 > maxX {
                cx = x
                cy += 18
                rows += 1
            }
            switch item.swatch {
            case let .line(stroke, width, dash, marker):
                out += line(x1: cx, y1: cy - 4, x2: cx + 22, y2: cy - 4, stroke: stroke, width: width, dash: dash)
                if let marker { out += self.marker(marker, x: cx + 11, y: cy - 4, r: 3.5, fill: stroke, stroke: "#FFFFFF") }
            case let .marker(shape, fill, stroke):
                out += self.marker(shape, x: cx + 11, y: cy - 4, r: 4, fill: fill, stroke: stroke, strokeWidth: 1.2)
            case let .area(fill, opacity):
                out += "<rect x=\"\(fmt(cx))\" y=\"\(fmt(cy - 10))\" width=\"22.0\" height=\"12.0\" fill=\"\(fill)\" fill-opacity=\"\(self.opacity(opacity))\" stroke=\"\(fill)\" stroke-width=\"0.5\"/>"
            case let .verticalLine(stroke, dash):
                out += line(x1: cx + 11, y1: cy - 12, x2: cx + 11, y2: cy + 3, stroke: stroke, width: 1.5, dash: dash)
            }
            out += text(item.label, x: cx + 28, y: cy)
            cx += w
        }
        return (out + "</g>", rows)
    }

    // MARK: - Label placement

    /// Rows of labels above a chart: each label goes to the first row where it clears the previous one, else is left out.
    struct LabelLanes {
        private var rightEdges: [Double]
        /// `count` rows, all empty.
        init(count: Int) { rightEdges = Array(repeating: -.infinity, count: count) }
        /// The row for a label spanning `left…left+width` (labels must come in increasing `left`), or nil when none has room.
        mutating func place(left: Double, width: Double, gap: Double = 4) -> Int? {
            for i in rightEdges.indices where left >= rightEdges[i] + gap {
                rightEdges[i] = left + width
                return i
            }
            return nil
        }
    }

    /// Moves label centres (sorted or not) apart so neighbours are at least `gap` apart, keeping their order by value.
    static func spread(_ ys: [Double], gap: Double) -> [Double] {
        let order = ys.indices.sorted { ys[$0] < ys[$1] }
        var out = ys
        var last = -Double.infinity
        for i in order {
            out[i] = max(ys[i], last + gap)
            last = out[i]
        }
        return out
    }

    // MARK: - Ticks

    /// A "nice" number ≥ `v` of the form 1, 2, 2.5 or 5 × 10ⁿ (for rounding an axis maximum up).
    static func niceStep(_ v: Double) -> Double {
        guard v.isFinite, v > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(v)))
        for m in [1.0, 2, 2.5, 5, 10] where m * magnitude >= v * (1 - 1e-9) { return m * magnitude }
        return 10 * magnitude
    }

    /// Ticks 0, step, … up to the first multiple of a nice step ≥ `maximum`, about `target` intervals.
    static func niceTicks(upTo maximum: Double, target: Int = 5) -> [Double] {
        let top = maximum.isFinite && maximum > 0 ? maximum : 1
        let step = niceStep(top / Double(max(1, target)))
        let count = Int((top / step - 1e-9).rounded(.up))
        return (0...max(1, count)).map { Double($0) * step }
    }

    /// Day ticks from 0 with a step a reader counts in (1, 2, 5, 7, 10, 14, 20, 30, 60, 90, … days), at most `maxCount` intervals.
    static func dayTicks(upTo maximum: Int, maxCount: Int = 8) -> [Int] {
        let top = max(1, maximum)
        let steps = [1, 2, 5, 7, 10, 14, 20, 30, 60, 90, 120, 180, 365, 730, 1825, 3650]
        let step = steps.first { (top + $0 - 1) / $0 <= maxCount } ?? ((top + maxCount - 1) / maxCount)
        let count = (top + step - 1) / step
        return (0...count).map { $0 * step }
    }

    /// One tick on a time axis.
    struct DateTick: Sendable, Equatable {
        var at: Date
        var label: String
    }

    /// Ticks between `lo` and `hi` by hours, days, weeks, months or years (the finest that gives ≤ `maxCount`), in `timeZone`.
    static func dateTicks(from lo: Date, to hi: Date, timeZone: TimeZone, maxCount: Int = 8) -> [DateTick] {
        guard hi > lo else { return [] }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        func label(_ d: Date, _ format: String) -> String {
            formatter.dateFormat = format
            return formatter.string(from: d)
        }
        enum Unit { case hour, day, week, month, year }
        let candidates: [(Unit, Int)] = [(.hour, 1), (.hour, 2), (.hour, 3), (.hour, 6), (.hour, 12), (.day, 1), (.day, 2), (.day, 3),
                                         (.week, 1), (.week, 2), (.month, 1), (.month, 2), (.month, 3), (.month, 6), (.year, 1),
                                         (.year, 2), (.year, 5), (.year, 10)]
        for (unit, step) in candidates {
            // Cheap pre-check on the span so a long span never walks hour by hour.
            let approx: Double = switch unit {
            case .hour: 3600
            case .day: 86400
            case .week: 7 * 86400
            case .month: 28 * 86400
            case .year: 365 * 86400
            }
            if hi.timeIntervalSince(lo) / (approx * Double(step)) > Double(maxCount + 1) { continue }
            var first: Date
            let component: Calendar.Component
            switch unit {
            case .hour:
                let c = calendar.dateComponents([.year, .month, .day, .hour], from: lo)
                first = calendar.date(from: c) ?? lo
                let h = c.hour ?? 0
                if h % step != 0 { first = calendar.date(byAdding: .hour, value: step - h % step, to: first) ?? first }
                component = .hour
            case .day:
                first = calendar.startOfDay(for: lo)
                component = .day
            case .week:
                first = calendar.dateInterval(of: .weekOfYear, for: lo)?.start ?? calendar.startOfDay(for: lo)
                component = .day
            case .month:
                let c = calendar.dateComponents([.year, .month], from: lo)
                first = calendar.date(from: c) ?? lo
                let m = (c.month ?? 1) - 1
                if m % step != 0 { first = calendar.date(byAdding: .month, value: step - m % step, to: first) ?? first }
                component = .month
            case .year:
                let c = calendar.dateComponents([.year], from: lo)
                first = calendar.date(from: c) ?? lo
                let y = c.year ?? 0
                if y % step != 0 { first = calendar.date(byAdding: .year, value: step - y % step, to: first) ?? first }
                component = .year
            }
            let increment = unit == .week ? 7 * step : step
            var dates: [Date] = []
            var k = 0
            while dates.count <= maxCount + 1, k < 4 * (maxCount + 2) {
                guard let d = calendar.date(byAdding: component, value: increment * k, to: first) else { break }
                k += 1
                if d > hi { break }
                if d >= lo { dates.append(d) }
            }
            guard dates.count <= maxCount else { continue }
            var previousDay: DateComponents?
            return dates.enumerated().map { i, d in
                switch unit {
                case .hour:
                    // The day is named on the first tick and wherever it changes.
                    let day = calendar.dateComponents([.year, .month, .day], from: d)
                    let text = day == previousDay ? label(d, "HH:mm") : label(d, "d MMM HH:mm")
                    previousDay = day
                    return DateTick(at: d, label: text)
                case .day, .week:
                    return DateTick(at: d, label: label(d, "d MMM"))
                case .month:
                    let isJanuary = calendar.component(.month, from: d) == 1
                    return DateTick(at: d, label: i == 0 || isJanuary ? label(d, "MMM yyyy") : label(d, "MMM"))
                case .year:
                    return DateTick(at: d, label: label(d, "yyyy"))
                }
            }
        }
        return []
    }

    /// A calendar date for a summary sentence ("3 Mar 2026") in `timeZone`.
    static func dayLabel(_ d: Date, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "d MMM yyyy"
        return formatter.string(from: d)
    }

    /// A time axis: the `lo…hi` span padded so points do not sit on the frame, at least `minimumSpan` seconds wide.
    static func timeDomain(_ dates: [Date], minimumSpan: TimeInterval = 86400, padding: Double = 0.04) -> (lo: Date, hi: Date)? {
        guard var lo = dates.min(), var hi = dates.max() else { return nil }
        if hi.timeIntervalSince(lo) < minimumSpan {
            let mid = lo.addingTimeInterval(hi.timeIntervalSince(lo) / 2)
            lo = mid.addingTimeInterval(-minimumSpan / 2)
            hi = mid.addingTimeInterval(minimumSpan / 2)
        }
        let pad = hi.timeIntervalSince(lo) * padding
        return (lo.addingTimeInterval(-pad), hi.addingTimeInterval(pad))
    }
}
