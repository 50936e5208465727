import Foundation
import PropertyBased
import Testing
import ClinicCore

/// Generators of instrument responses for the property tests.
enum InstrumentGen {
    /// Raw draws for up to 11 items (the BPI's count): a value and whether the item is answered (about one in four left out).
    static let values = Gen.int(in: 0...1_000_000).array(of: 11)
    static let answered = Gen.bool(0.75).array(of: 11)

    /// The response to `instrument` the draws describe: each answered item gets a value inside its range.
    static func response(_ instrument: Instrument, _ values: [Int], _ answered: [Bool]) -> InstrumentResponse {
        var answers: [String: Int] = [:]
        for (index, item) in instrument.items.enumerated() where answered[index] {
            answers[item.id] = item.range.lowerBound + values[index] % item.range.count
        }
        return InstrumentResponse(instrument: instrument, answers: answers)
    }

    /// A complete PHQ-9: nine answers 0–3.
    static let completePHQ9 = Gen.int(in: 0...3).array(of: 9).map { values in
        InstrumentResponse(instrument: .phq9, answers: Dictionary(uniqueKeysWithValues: values.enumerated().map { ("item\($0.offset + 1)", $0.element) }))
    }
}

@Suite("Outcome instrument properties (clinical-reference §7)")
struct OutcomeInstrumentPropertyTests {
    @Test("clinical-reference §7 — any total is within the instrument's range and every subscore within 0–10", arguments: Instrument.allCases)
    func totalsWithinRange(_ instrument: Instrument) async {
        await propertyCheck(count: 200, input: InstrumentGen.values, InstrumentGen.answered) { values, answered in
            let response = InstrumentGen.response(instrument, values, answered)
            // when
            let score = response.score
            // then
            if let total = score.total {
                #expect(Double(instrument.totalRange.lowerBound) <= total && total <= Double(instrument.totalRange.upperBound))
            }
            #expect(score.subscores.values.allSatisfy { (0...10).contains($0) })
            #expect(score.instrument == instrument)
        }
    }

    @Test("clinical-reference §7, Kroenke 2001 — a complete PHQ-9's band always matches its total's band")
    func completePHQ9BandMatchesTotal() async {
        await propertyCheck(count: 300, input: InstrumentGen.completePHQ9) { response in
            // when
            let score = response.score
            let sum = response.answers.values.reduce(0, +)
            // then
            let expected = switch sum {
            case 0...4: "minimal"
            case 5...9: "mild"
            case 10...14: "moderate"
            case 15...19: "moderately severe"
            default: "severe"
            }
            #expect(score.total == Double(sum))
            #expect(score.band == expected)
            #expect(score.isComplete)
        }
    }

    @Test("clinical-reference §7, Kroenke 2001 — the safety flag is raised exactly when item 9 is above 0, whatever else is answered")
    func safetyExactlyWhenItem9AboveZero() async {
        await propertyCheck(count: 300, input: InstrumentGen.values, InstrumentGen.answered) { values, answered in
            let response = InstrumentGen.response(.phq9, values, answered)
            // when / then
            #expect(response.score.requiresSafetyAssessment == ((response.answers["item9"] ?? 0) > 0))
        }
    }

    @Test("clinical-reference §7, Kroenke 2001 / Spitzer 2006 — a PHQ-9 or GAD-7 has a total exactly when every item is answered",
          arguments: [Instrument.phq9, .gad7])
    func sumNeedsEveryItem(_ instrument: Instrument) async {
        await propertyCheck(count: 200, input: InstrumentGen.values, InstrumentGen.answered) { values, answered in
            let response = InstrumentGen.response(instrument, values, answered)
            // when
            let score = response.score
            // then
            #expect((score.total != nil) == (response.answers.count == instrument.items.count))
            #expect((score.band != nil) == (score.total != nil))
            #expect(score.isComplete == (score.total != nil))
        }
    }

    @Test("clinical-reference §7, Cleeland/BPI — interference is scored exactly when at least 4 of its 7 items are answered")
    func bpiInterferenceRule() async {
        await propertyCheck(count: 300, input: InstrumentGen.values, InstrumentGen.answered) { values, answered in
            let response = InstrumentGen.response(.bpi, values, answered)
            // given
            let interferenceIDs = Instrument.bpi.items.dropFirst(4).map(\.id)
            let answered = interferenceIDs.compactMap { response.answers[$0] }
            // when
            let score = response.score
            // then
            #expect((score.subscores["interference"] != nil) == (answered.count >= 4))
            if answered.count >= 4 {
                #expect(abs(score.subscores["interference"]! - Double(answered.reduce(0, +)) / Double(answered.count)) < 1e-9)
            }
        }
    }

    @Test("any response written back to form text parses to itself", arguments: Instrument.allCases)
    func parseRoundTrip(_ instrument: Instrument) async {
        await propertyCheck(count: 100, input: InstrumentGen.values, InstrumentGen.answered) { values, answered in
            let response = InstrumentGen.response(instrument, values, answered)
            guard !response.answers.isEmpty else { return }
            // given
            var form = response.answers.mapValues(String.init)
            for item in instrument.items where form[item.id] == nil { form[item.id] = "" }
            // when
            let parsed = try InstrumentResponse.parse(instrument, form: form)
            // then
            #expect(parsed == response)
        }
    }
}
