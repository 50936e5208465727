import Foundation

/// One pain NRS answer set (0–10, LOINC 72514-3; clinical-reference §7): "now", average and worst over the last 24 h.
public struct PainRecord: Sendable, Hashable, Codable {
    /// When the answers were given.
    public var takenAt: Date
    /// Where in the patient's course the answers were given.
    public var context: Context
    /// Pain right now, 0–10.
    public var now: Int?
    /// Average pain over the last 24 h, 0–10: the score relief is measured with (clinical-reference §7).
    public var average: Int?
    /// Worst pain over the last 24 h, 0–10.
    public var worst: Int?

    /// Where in the course a pain record was taken; `number` is the 1-based infusion it belongs to.
    public enum Context: Sendable, Hashable, Codable, LosslessStringConvertible {
        case screening
        case preInfusion(Int)
        case postInfusion(Int)
        case followUp

        /// A stable text form for storage: `screening`, `preInfusion:1`, `postInfusion:2`, `followUp`.
        public var description: String {
            switch self {
            case .screening: "screening"
            case .preInfusion(let n): "preInfusion:\(n)"
            case .postInfusion(let n): "postInfusion:\(n)"
            case .followUp: "followUp"
            }
        }

        /// Parses the text form of `description`; nil for anything else (including an infusion number below 1).
        public init?(_ text: String) {
            switch text {
            case "screening": self = .screening
            case "followUp": self = .followUp
            default:
                let parts = text.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2, let n = Int(parts[1]), n >= 1 else { return nil }
                switch parts[0] {
                case "preInfusion": self = .preInfusion(n)
                case "postInfusion": self = .postInfusion(n)
                default: return nil
                }
            }
        }

        /// How the context is named to staff ("pre-infusion 1").
        public var title: String {
            switch self {
            case .screening: "screening"
            case .preInfusion(let n): "pre-infusion \(n)"
            case .postInfusion(let n): "post-infusion \(n)"
            case .followUp: "follow-up"
            }
        }

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let context = Context(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "expected screening, preInfusion:N, postInfusion:N or followUp"))
            }
            self = context
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(description)
        }
    }

    public init(takenAt: Date, context: Context, now: Int? = nil, average: Int? = nil, worst: Int? = nil) {
        self.takenAt = takenAt
        self.context = context
        self.now = now
        self.average = average
        self.worst = worst
    }

    /// The NRS range, 0–10 (clinical-reference §7).
    public static let scale: ClosedRange<Int> = 0...10

    /// The record itself, or `ClinicError.invalid` naming every score outside 0–10 and an infusion number below 1.
    public func validated() throws -> PainRecord {
        var errors = FieldErrors()
        for (field, value) in [("now", now), ("average", average), ("worst", worst)] {
            if let value, !Self.scale.contains(value) { errors.add(field, "Pain is scored 0 to 10.") }
        }
        switch context {
        case .preInfusion(let n), .postInfusion(let n):
            if n < 1 { errors.add("context", "The infusion number starts at 1.") }
        case .screening, .followUp: break
        }
        try errors.throwIfAny()
        return self
    }
}

/// The treatment facts relief is measured against.
public struct ReliefCourse: Sendable, Hashable, Codable {
    /// Induction infusions given, in order.
    public var seriesInfusions: [Date]
    /// Whether the induction series is finished (all planned infusions given, or the physician closed it).
    public var seriesComplete: Bool
    /// Maintenance boosters given.
    public var boosters: [Date]

    public init(seriesInfusions: [Date], seriesComplete: Bool, boosters: [Date] = []) {
        self.seriesInfusions = seriesInfusions
        self.seriesComplete = seriesComplete
        self.boosters = boosters
    }
}
