import ClinicCore
import Foundation

/// The vitals of one session as an SVG the server draws itself: heart rate and cuff pressures on one panel (mmHg and
/// beats/min share 0–220), SpO₂ on its own (80–100 %), the infusion's start and end marked, alarm times as ticks.
/// Every label goes through `escape`; values are numbers.
enum VitalsChart {
    static let width = 760.0
    static let left = 44.0
    static let right = 12.0

    static func svg(_ observations: [VitalObservation], from start: Date, to end: Date, markers: [(Date, String)], alarms: [Date],
                    timeZone: TimeZone) -> String {
        let span = max(end.timeIntervalSince(start), 60)
        let plotWidth = width - left - right
        func x(_ d: Date) -> Double { left + max(0, min(1, d.timeIntervalSince(start) / span)) * plotWidth }
        var out = "<svg class=\"vitals-chart\" viewBox=\"0 0 \(Int(width)) 330\" role=\"img\" aria-label=\"Vital signs during the session\">"
        // Panel 1: 0–220 (mmHg, beats/min), y from 20 to 200.
        func y1(_ v: Double) -> Double { 200 - max(0, min(220, v)) / 220 * 180 }
        // Panel 2: SpO₂ 80–100 %, y from 230 to 300.
        func y2(_ v: Double) -> Double { 300 - (max(80, min(100, v)) - 80) / 20 * 70 }
        for v in stride(from: 0.0, through: 220, by: 40) {
            out += "<line class=\"grid\" x1=\"\(fmt(left))\" x2=\"\(fmt(width - right))\" y1=\"\(fmt(y1(v)))\" y2=\"\(fmt(y1(v)))\"/>"
            out += "<text class=\"axis\" x=\"\(fmt(left - 6))\" y=\"\(fmt(y1(v) + 4))\" text-anchor=\"end\">\(Int(v))</text>"
        }
        for v in [80.0, 90, 100] {
            out += "<line class=\"grid\" x1=\"\(fmt(left))\" x2=\"\(fmt(width - right))\" y1=\"\(fmt(y2(v)))\" y2=\"\(fmt(y2(v)))\"/>"
            out += "<text class=\"axis\" x=\"\(fmt(left - 6))\" y=\"\(fmt(y2(v) + 4))\" text-anchor=\"end\">\(Int(v))%</text>"
        }
        // Time axis: about six ticks.
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        f.dateFormat = "HH:mm"
        for i in 0...5 {
            let t = start.addingTimeInterval(span * Double(i) / 5)
            out += "<text class=\"axis\" x=\"\(fmt(x(t)))\" y=\"322\" text-anchor=\"middle\">\(escape(f.string(from: t)))</text>"
        }
        for (t, label) in markers {
            out += "<line class=\"marker\" x1=\"\(fmt(x(t)))\" x2=\"\(fmt(x(t)))\" y1=\"16\" y2=\"304\"/>"
            out += "<text class=\"marker-label\" x=\"\(fmt(x(t) + 3))\" y=\"14\">\(escape(label))</text>"
        }
        for t in alarms {
            out += "<line class=\"alarm-tick\" x1=\"\(fmt(x(t)))\" x2=\"\(fmt(x(t)))\" y1=\"200\" y2=\"212\"/>"
        }
        func series(_ p: VitalParameter, _ cls: String, _ y: (Double) -> Double, dots: Bool) {
            let points = observations.filter { $0.parameter == p && $0.observedAt >= start && $0.observedAt <= end }
            guard !points.isEmpty else { return }
            if dots {
                for o in points { out += "<circle class=\"\(cls)\" cx=\"\(fmt(x(o.observedAt)))\" cy=\"\(fmt(y(o.value)))\" r=\"3\"/>" }
            }
            if points.count > 1 {
                out += "<polyline class=\"\(cls)\" fill=\"none\" points=\"" + points.map { "\(fmt(x($0.observedAt))),\(fmt(y($0.value)))" }.joined(separator: " ") + "\"/>"
            }
        }
        series(.systolic, "s-sys", y1, dots: true)
        series(.diastolic, "s-dia", y1, dots: true)
        series(.heartRate, "s-hr", y1, dots: false)
        series(.oxygenSaturation, "s-spo2", y2, dots: false)
        let legend = [("s-hr", "heart rate /min"), ("s-sys", "systolic mmHg"), ("s-dia", "diastolic mmHg"), ("s-spo2", "SpO₂ %")]
        for (i, (cls, label)) in legend.enumerated() {
            let lx = left + Double(i) * 170
            out += "<rect class=\"\(cls) key\" x=\"\(fmt(lx))\" y=\"212\" width=\"14\" height=\"4\"/><text class=\"axis\" x=\"\(fmt(lx + 18))\" y=\"218\">\(escape(label))</text>"
        }
        return out + "</svg>"
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ s: String) -> String { Sparkline.escape(s) }
}
