import Foundation

/// When in the course a measurement belongs: baseline, around an infusion, or a follow-up day.
public enum Timepoint: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// Before the first infusion of the series.
    case baseline
    /// Before infusion `n` of the course: series infusions count 1, 2, … and boosters continue the count in date order.
    case preInfusion(Int)
    /// After infusion `n` of the course, numbered as `preInfusion`.
    case postInfusion(Int)
    /// `day` days after the last infusion of the series.
    case afterSeries(day: Int)
    /// `day` days after booster `number` (1 for the first booster).
    case afterBooster(number: Int, day: Int)

    /// Words for staff and patients, e.g. "Day 7 after the series".
    public var label: String {
        switch self {
        case .baseline: "Baseline"
        case .preInfusion(let n): "Before infusion \(n)"
        case .postInfusion(let n): "After infusion \(n)"
        case .afterSeries(let day): "Day \(day) after the series"
        case .afterBooster(let number, let day): "Day \(day) after booster \(number)"
        }
    }

    /// A stable key for storage: "baseline", "pre3", "post3", "series+7", "booster2+30".
    public var key: String {
        switch self {
        case .baseline: "baseline"
        case .preInfusion(let n): "pre\(n)"
        case .postInfusion(let n): "post\(n)"
        case .afterSeries(let day): "series+\(day)"
        case .afterBooster(let number, let day): "booster\(number)+\(day)"
        }
    }

    /// Reads a key written by `key`; nil for anything else, including non-canonical spellings such as "pre03".
    public init?(key: String) {
        func number(_ text: Substring, minimum: Int) -> Int? {
            guard !text.isEmpty, text.count <= 6, text.allSatisfy({ $0.isASCII && $0.isNumber }),
                  text == "0" || !text.hasPrefix("0"), let n = Int(text), n >= minimum else { return nil }
            return n
        }
        if key == "baseline" {
            self = .baseline
        } else if key.hasPrefix("series+"), let day = number(key.dropFirst("series+".count), minimum: 0) {
            self = .afterSeries(day: day)
        } else if key.hasPrefix("booster") {
            let parts = key.dropFirst("booster".count).split(separator: "+", omittingEmptySubsequences: false)
            guard parts.count == 2, let n = number(parts[0], minimum: 1), let day = number(parts[1], minimum: 0) else { return nil }
            self = .afterBooster(number: n, day: day)
        } else if key.hasPrefix("post"), let n = number(key.dropFirst("post".count), minimum: 1) {
            self = .postInfusion(n)
        } else if key.hasPrefix("pre"), let n = number(key.dropFirst("pre".count), minimum: 1) {
            self = .preInfusion(n)
        } else {
            return nil
        }
    }

    public var description: String { key }

    /// Course order for timepoints on the same date: baseline, before, after an infusion, then follow-ups.
    public static func < (a: Timepoint, b: Timepoint) -> Bool {
        a.order < b.order
    }

    private var order: (Int, Int, Int) {
        switch self {
        case .baseline: (0, 0, 0)
        case .preInfusion(let n): (1, n, 0)
        case .postInfusion(let n): (1, n, 1)
        case .afterSeries(let day): (2, 0, day)
        case .afterBooster(let number, let day): (2, number, day)
        }
    }

    /// Encoded as its key, so stored JSON and database columns hold the same text.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let timepoint = Timepoint(key: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "expected a timepoint key such as baseline, pre3, post3, series+7 or booster2+30"))
        }
        self = timepoint
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(key)
    }
}
