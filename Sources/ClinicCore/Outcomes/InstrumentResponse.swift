import Foundation

/// One filled-in instrument: the patient's answer to each item.
public struct InstrumentResponse: Sendable, Hashable, Codable {
    /// The instrument answered.
    public var instrument: Instrument
    /// Item id → value; a missing key is an unanswered item.
    public var answers: [String: Int]

    public init(instrument: Instrument, answers: [String: Int]) {
        self.instrument = instrument
        self.answers = answers
    }

    /// Parses form text (item id → text, empty = unanswered); throws ClinicError.invalid naming each bad field as "<instrument raw value>.<item id>" (e.g. "phq-9.item9") with a reason a clinician can act on (out of range, not a whole number, unknown item).
    public static func parse(_ instrument: Instrument, form: [String: String]) throws -> InstrumentResponse {
        var errors = FieldErrors()
        var answers: [String: Int] = [:]
        let items = instrument.items
        for item in items {
            let text = (form[item.id] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            let field = "\(instrument.rawValue).\(item.id)"
            guard let value = Self.wholeNumber(text) else {
                errors.add(field, "“\(text)” is not a whole number: enter \(item.rangeDescription), or leave it empty if the patient did not answer.")
                continue
            }
            guard item.range.contains(value) else {
                errors.add(field, "\(text) is out of range: enter \(item.rangeDescription).")
                continue
            }
            answers[item.id] = value
        }
        let known = Set(items.map(\.id))
        for key in form.keys.sorted() where !known.contains(key) {
            errors.add("\(instrument.rawValue).\(key)",
                       "“\(key)” is not an item of the \(instrument.title): its items are \(items.map(\.id).joined(separator: ", ")).")
        }
        if errors.isEmpty, answers.isEmpty, let first = items.first {
            errors.add("\(instrument.rawValue).\(first.id)",
                       items.count == 1 ? "No answer was given: answer the question." : "No item was answered: answer at least one.")
        }
        try errors.throwIfAny()
        return InstrumentResponse(instrument: instrument, answers: answers)
    }

    /// The response's score under the instrument's scoring and missing-item rules (clinical-reference §7).
    public var score: InstrumentScore { InstrumentScore(self) }

    /// ASCII digits with an optional sign, so "٣" or "3.0" are refused rather than read loosely;
    /// a whole number too long for `Int` reads as the extreme of its sign, so it is reported out of range.
    static func wholeNumber(_ text: String) -> Int? {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text) ?? (negative ? Int.min : Int.max)
    }
}
