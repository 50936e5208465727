import Foundation

/// The score of one response, with how missing or unusable answers were handled.
public struct InstrumentScore: Sendable, Hashable, Codable {
    /// The instrument scored.
    public var instrument: Instrument
    /// The headline number, nil when the instrument's missing-item rule says it cannot be scored: the PHQ-9/GAD-7 sum,
    /// the BPI severity, the pain NRS average (else now, else worst; a note says which), the PGIC category 1–7, the sleep value.
    public var total: Double?
    /// The band of the total: PHQ-9/GAD-7 severity band, PGIC category words; nil where the instrument has none.
    public var band: String?
    /// Parts scored on their own: BPI "severity", "interference"; pain NRS "now", "average", "worst".
    public var subscores: [String: Double]
    /// Nothing the scoring needs is missing: every item answered (the pain NRS: at least one of its items).
    public var isComplete: Bool
    /// Sentences explaining missing-item handling, e.g. "Interference not scored: 3 of 7 items answered (needs ≥ 4)."
    public var notes: [String]
    /// PHQ-9 item 9 > 0, whatever the total and even if other items are missing (Kroenke 2001; clinical-reference §7).
    public var requiresSafetyAssessment: Bool
    /// PGIC "much improved" or better (Farrar 2001); nil for other instruments and an unanswered PGIC.
    public var isClinicallyImportantImprovement: Bool?

    public init(instrument: Instrument, total: Double?, band: String?, subscores: [String: Double] = [:], isComplete: Bool,
                notes: [String] = [], requiresSafetyAssessment: Bool = false, isClinicallyImportantImprovement: Bool? = nil) {
        self.instrument = instrument
        self.total = total
        self.band = band
        self.subscores = subscores
        self.isComplete = isComplete
        self.notes = notes
        self.requiresSafetyAssessment = requiresSafetyAssessment
        self.isClinicallyImportantImprovement = isClinicallyImportantImprovement
    }

    /// Scores a response; answers to unknown items or outside an item's range are left out, each with a note.
    public init(_ response: InstrumentResponse) {
        let instrument = response.instrument
        var notes: [String] = []
        var valid: [String: Int] = [:]
        for item in instrument.items {
            guard let value = response.answers[item.id] else { continue }
            if item.range.contains(value) {
                valid[item.id] = value
            } else {
                notes.append("Answer to \(item.id) left out: \(value) is outside \(item.range.lowerBound)–\(item.range.upperBound).")
            }
        }
        for key in response.answers.keys.sorted() where instrument.item(key) == nil {
            notes.append("Answer to “\(key)” left out: the \(instrument.title) has no such item.")
        }
        self = Self.score(instrument, valid: valid, raw: response.answers, notes: notes)
    }

    private static func score(_ instrument: Instrument, valid: [String: Int], raw: [String: Int], notes: [String]) -> InstrumentScore {
        switch instrument {
        case .phq9, .gad7: sumScore(instrument, valid: valid, raw: raw, notes: notes)
        case .bpi: bpiScore(valid: valid, notes: notes)
        case .painNRS: nrsScore(valid: valid, notes: notes)
        case .pgic, .sleep: singleItemScore(instrument, valid: valid, notes: notes)
        }
    }

    /// PHQ-9 / GAD-7: the sum of all items, only when every item is answered (Kroenke 2001; Spitzer 2006; clinical-reference §7).
    private static func sumScore(_ instrument: Instrument, valid: [String: Int], raw: [String: Int], notes: [String]) -> InstrumentScore {
        var notes = notes
        let count = instrument.items.count
        let complete = valid.count == count
        let total = complete ? valid.values.reduce(0, +) : nil
        if !complete {
            notes.append("Total not scored: \(valid.count) of \(count) items answered (needs all \(count)).")
        }
        // Any answer above 0 counts, even one outside the item's range: the safety rule errs towards asking.
        let safety = instrument == .phq9 && (raw[Instrument.phq9SafetyItem] ?? 0) > 0
        if safety {
            notes.append("Item 9 answered above 0: an immediate safety assessment is needed, whatever the total (clinical-reference §7).")
        }
        return InstrumentScore(instrument: instrument, total: total.map(Double.init), band: total.flatMap(instrument.band(forTotal:)),
                               isComplete: complete, notes: notes, requiresSafetyAssessment: safety)
    }

    /// BPI short form: severity = mean of worst, least, average, now (all four needed: the reference gives no proration);
    /// interference = mean of the answered items of 7, valid only with ≥ 4 answered (Cleeland 1994; clinical-reference §7).
    private static func bpiScore(valid: [String: Int], notes: [String]) -> InstrumentScore {
        var notes = notes
        var subscores: [String: Double] = [:]
        let severity = Instrument.bpiSeverityItems.compactMap { valid[$0.id] }
        let severityCount = Instrument.bpiSeverityItems.count
        if severity.count == severityCount {
            subscores["severity"] = mean(severity)
        } else {
            notes.append("Severity not scored: \(severity.count) of \(severityCount) items answered (needs all \(severityCount); the reference gives no proration).")
        }
        let interference = Instrument.bpiInterferenceItems.compactMap { valid[$0.id] }
        let interferenceCount = Instrument.bpiInterferenceItems.count
        let needed = Instrument.bpiInterferenceMinimumAnswered
        if interference.count >= needed {
            subscores["interference"] = mean(interference)
            if interference.count < interferenceCount {
                notes.append("Interference is the mean of the \(interference.count) of \(interferenceCount) items answered (valid with ≥ \(needed)).")
            }
        } else {
            notes.append("Interference not scored: \(interference.count) of \(interferenceCount) items answered (needs ≥ \(needed)).")
        }
        return InstrumentScore(instrument: .bpi, total: subscores["severity"], band: nil, subscores: subscores,
                               isComplete: valid.count == severityCount + interferenceCount, notes: notes)
    }

    /// Pain NRS 0–10 (clinical-reference §7): each answered item is a subscore; any one of them makes a whole response.
    private static func nrsScore(valid: [String: Int], notes: [String]) -> InstrumentScore {
        var notes = notes
        var subscores: [String: Double] = [:]
        for (id, value) in valid { subscores[id] = Double(value) }
        let headline = ["average", "now", "worst"].first { valid[$0] != nil }
        switch headline {
        case nil: notes.append("Not scored: no pain item answered (needs at least one).")
        case "average": break
        case let id?: notes.append("Total is the “\(id)” score: average pain was not answered.")
        }
        return InstrumentScore(instrument: .painNRS, total: headline.flatMap { subscores[$0] }, band: nil, subscores: subscores,
                               isComplete: headline != nil, notes: notes)
    }

    /// PGIC (Farrar 2001) and the sleep item (local policy): the one answer is the total.
    private static func singleItemScore(_ instrument: Instrument, valid: [String: Int], notes: [String]) -> InstrumentScore {
        var notes = notes
        let value = instrument.items.first.flatMap { valid[$0.id] }
        if value == nil { notes.append("Not scored: the question was not answered.") }
        let important: Bool? = instrument == .pgic
            ? value.map { $0 <= Instrument.pgicClinicallyImportantCategory }
            : nil
        return InstrumentScore(instrument: instrument, total: value.map(Double.init), band: value.flatMap(instrument.band(forTotal:)),
                               isComplete: value != nil, notes: notes, isClinicallyImportantImprovement: important)
    }

    private static func mean(_ values: [Int]) -> Double {
        Double(values.reduce(0, +)) / Double(values.count)
    }
}

extension Instrument {
    /// PHQ-9 bands by lowest total: 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately severe, 20–27 severe (Kroenke 2001; clinical-reference §7).
    public static let phq9Bands: [(from: Int, band: String)] = [
        (0, "minimal"), (5, "mild"), (10, "moderate"), (15, "moderately severe"), (20, "severe"),
    ]
    /// GAD-7 bands by lowest total: 5 / 10 / 15 = mild / moderate / severe, below 5 minimal (Spitzer 2006; clinical-reference §7).
    public static let gad7Bands: [(from: Int, band: String)] = [
        (0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe"),
    ]
    /// BPI interference is valid only with at least 4 of its 7 items answered (clinical-reference §7).
    public static let bpiInterferenceMinimumAnswered = 4
    /// PGIC category 2, "much improved", or better is a clinically important improvement (Farrar 2001; clinical-reference §7).
    public static let pgicClinicallyImportantCategory = 2

    /// The total's band: PHQ-9/GAD-7 severity band, PGIC category words; nil for a total outside the instrument's range or an instrument without bands.
    public func band(forTotal total: Int) -> String? {
        switch self {
        case .phq9: Self.band(total, in: Self.phq9Bands, maximum: 27)
        case .gad7: Self.band(total, in: Self.gad7Bands, maximum: 21)
        case .pgic: Self.pgicCategories.indices.contains(total - 1) ? Self.pgicCategories[total - 1] : nil
        case .painNRS, .bpi, .sleep: nil
        }
    }

    /// The range of the total: PHQ-9 0–27, GAD-7 0–21 (clinical-reference §7), PGIC 1–7, the others 0–10.
    public var totalRange: ClosedRange<Int> {
        switch self {
        case .phq9, .gad7: 0...(items.count * 3)
        case .pgic: 1...7
        case .painNRS, .bpi, .sleep: 0...10
        }
    }

    private static func band(_ total: Int, in bands: [(from: Int, band: String)], maximum: Int) -> String? {
        guard (0...maximum).contains(total) else { return nil }
        return bands.last { $0.from <= total }?.band
    }
}
