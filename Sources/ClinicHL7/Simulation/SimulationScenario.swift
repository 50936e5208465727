import Foundation

/// A scripted event on one chair of a monitor simulation, for demos and alarm tests.
///
/// Text form (the CLI's `--scenario`): `NAME@CHAIR:SECONDS[+DURATION]` — `hypertensiveCrisis@1:20` puts a cuff
/// reading of 190/125 on chair 1 twenty seconds after the simulation starts; `desaturation@3:60+40` lets chair 3
/// desaturate for 40 s from second 60. Names are case-insensitive; `-` and `_` are ignored
/// (`hypertensive-crisis` works). Chairs count from 1.
public struct SimulationScenario: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What happens.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A cuff reading of 190/125 (mean 147) at the start, and every cuff reading during the scenario reads
        /// at least that: a single reading past systolic > 180 or diastolic > 120 raises a high-priority alarm at
        /// once (clinical-reference §3, ACC/AHA hypertensive crisis). Default 120 s.
        case hypertensiveCrisis
        /// SpO₂ falls from baseline to 85 % over 4 s, stays there and recovers over 4 s at the end: below 90 %
        /// for far more than the 10 s a continuous alarm needs (clinical-reference §3). Default 30 s, at least 20 s.
        case desaturation
        /// Heart rate (and pulse rate) fall to 40/min over 3 s, stay there and recover over 3 s: below 45 for more than
        /// 10 s (clinical-reference §3, high priority). Default 30 s, at least 20 s.
        case bradycardia
        /// The monitor sends nothing (the connection stays open): the server's "no data" after 30 s
        /// (clinical-reference §3). Default 45 s.
        case monitorSilence
        /// A motion artefact only: SpO₂ 80 % and heart rate 150/min for 3 s — shorter than the 10 s a
        /// continuous alarm must hold, so it must not alarm. Default 3 s, at most 9 s.
        case artefact

        /// How long the scenario lasts when the text gives no duration.
        public var defaultDuration: TimeInterval {
            switch self {
            case .hypertensiveCrisis: 120
            case .desaturation, .bradycardia: 30
            case .monitorSilence: 45
            case .artefact: 3
            }
        }

        /// The durations the scenario can take (a desaturation must outlast the 10 s confirmation; an artefact
        /// must not reach it).
        public var allowedDurations: ClosedRange<TimeInterval> {
            switch self {
            case .hypertensiveCrisis: 0...86_400
            case .desaturation, .bradycardia: 20...86_400
            case .monitorSilence: 1...86_400
            case .artefact: 1...9
            }
        }
    }

    /// Why a scenario text could not be read.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not of the form `NAME@CHAIR:SECONDS[+DURATION]`.
        case malformed(String)
        /// The name is none of `Kind`.
        case unknownName(String)
        /// The chair is not a whole number ≥ 1.
        case invalidChair(String)
        /// The start is not a number of seconds ≥ 0.
        case invalidStart(String)
        /// The duration is not a number, or outside the kind's allowed range.
        case invalidDuration(String)

        /// A short reason for the command line.
        public var description: String {
            switch self {
            case .malformed(let text): "scenario '\(text)' is not NAME@CHAIR:SECONDS[+DURATION]"
            case .unknownName(let name):
                "unknown scenario '\(name)' (known: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))"
            case .invalidChair(let text): "scenario chair '\(text)' is not a number from 1"
            case .invalidStart(let text): "scenario start '\(text)' is not a number of seconds ≥ 0"
            case .invalidDuration(let text): "scenario duration '\(text)' is not allowed for this scenario"
            }
        }
    }

    /// What happens.
    public var kind: Kind
    /// The chair it happens on, from 1.
    public var chair: Int
    /// When it starts, in seconds after the simulation starts.
    public var start: TimeInterval
    /// How long it lasts, in seconds.
    public var duration: TimeInterval

    /// Creates a scenario; the duration defaults to the kind's and is clamped to its allowed range.
    public init(_ kind: Kind, chair: Int, at start: TimeInterval, duration: TimeInterval? = nil) {
        self.kind = kind
        self.chair = chair
        self.start = max(0, start)
        let allowed = kind.allowedDurations
        self.duration = min(max(duration ?? kind.defaultDuration, allowed.lowerBound), allowed.upperBound)
    }

    /// When it ends, in seconds after the simulation starts.
    public var end: TimeInterval { start + duration }

    /// Whether the scenario is running `elapsed` seconds after the simulation starts.
    public func isActive(at elapsed: TimeInterval) -> Bool {
        elapsed >= start && elapsed < end
    }

    /// The text form, `NAME@CHAIR:SECONDS+DURATION`.
    public var description: String {
        "\(kind.rawValue)@\(chair):\(Self.number(start))+\(Self.number(duration))"
    }

    /// Reads `NAME@CHAIR:SECONDS[+DURATION]`.
    public static func parse(_ text: String) throws(ParseError) -> SimulationScenario {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let atParts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard atParts.count == 2 else { throw .malformed(text) }
        let colonParts = atParts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard colonParts.count == 2 else { throw .malformed(text) }
        let timeParts = colonParts[1].split(separator: "+", omittingEmptySubsequences: false)
        guard (1...2).contains(timeParts.count) else { throw .malformed(text) }

        let name = atParts[0].lowercased().filter { $0 != "-" && $0 != "_" }
        guard let kind = Kind.allCases.first(where: { $0.rawValue.lowercased() == name }) else {
            throw .unknownName(String(atParts[0]))
        }
        guard let chair = Int(colonParts[0]), chair >= 1 else { throw .invalidChair(String(colonParts[0])) }
        guard let start = Double(timeParts[0]), start.isFinite, start >= 0 else { throw .invalidStart(String(timeParts[0])) }
        var duration: TimeInterval?
        if timeParts.count == 2 {
            guard let value = Double(timeParts[1]), value.isFinite, kind.allowedDurations.contains(value) else {
                throw .invalidDuration(String(timeParts[1]))
            }
            duration = value
        }
        return SimulationScenario(kind, chair: chair, at: start, duration: duration)
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
