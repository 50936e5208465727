import Foundation

/// One question of an outcome instrument: what a form shows and which whole numbers it accepts.
public struct InstrumentItem: Sendable, Hashable {
    /// The item's stable id, used as the form field name and the key of `InstrumentResponse.answers`.
    public let id: String
    /// The question as the form shows it.
    public let prompt: String
    /// The whole numbers the item accepts.
    public let range: ClosedRange<Int>
    /// Labels of points on the scale, in ascending value (all points, or the two ends of an 11-point scale).
    public let anchors: [InstrumentAnchor]

    public init(id: String, prompt: String, range: ClosedRange<Int>, anchors: [InstrumentAnchor]) {
        self.id = id
        self.prompt = prompt
        self.range = range
        self.anchors = anchors
    }

    /// The anchor's words for a value, when that point has a label.
    public func anchor(for value: Int) -> String? {
        anchors.first { $0.value == value }?.label
    }

    /// "0 to 3 (0 = Not at all, 3 = Nearly every day)": the accepted values, for an error a clinician can act on.
    public var rangeDescription: String {
        let ends = [range.lowerBound, range.upperBound].compactMap { value in anchor(for: value).map { "\(value) = \($0)" } }
        let numbers = "\(range.lowerBound) to \(range.upperBound)"
        return ends.isEmpty ? numbers : "\(numbers) (\(ends.joined(separator: ", ")))"
    }
}

/// The label of one point of an item's scale, e.g. 0 "Not at all".
public struct InstrumentAnchor: Sendable, Hashable, Codable {
    /// The point on the scale.
    public let value: Int
    /// Its words, e.g. "Nearly every day".
    public let label: String

    public init(_ value: Int, _ label: String) {
        self.value = value
        self.label = label
    }
}

/// The period an instrument asks the patient to think back over.
public enum RecallPeriod: String, Sendable, Hashable, Codable, CaseIterable {
    /// This moment.
    case now
    /// This moment for "now" items, the last 24 hours for the rest (pain NRS, BPI).
    case nowAndLast24Hours
    /// The last 7 days.
    case last7Days
    /// The last 2 weeks (PHQ-9, GAD-7: clinical-reference §7).
    case last2Weeks
    /// Since the start of treatment (PGIC).
    case sinceTreatmentStarted

    /// Words for the form and the chart, e.g. "the last 2 weeks".
    public var label: String {
        switch self {
        case .now: "right now"
        case .nowAndLast24Hours: "now and over the last 24 hours"
        case .last7Days: "the last 7 days"
        case .last2Weeks: "the last 2 weeks"
        case .sinceTreatmentStarted: "since the start of treatment"
        }
    }

    /// The longest span in days the answers cover, where it is fixed; `nil` since the start of treatment.
    public var days: Int? {
        switch self {
        case .now: 0
        case .nowAndLast24Hours: 1
        case .last7Days: 7
        case .last2Weeks: 14
        case .sinceTreatmentStarted: nil
        }
    }
}
