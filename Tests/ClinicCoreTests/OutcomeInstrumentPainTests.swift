import Foundation
import Testing
import ClinicCore

/// Pain NRS 0–10 (LOINC 72514-3): now, and average and worst over the last 24 hours; any subset may be answered.
/// Source: clinical-reference §7; the 0–10 NRS as recommended by IMMPACT, Dworkin RH et al., J Pain 2008;9:105–121 (Dworkin 2008).
@Suite("Pain NRS scoring (Dworkin 2008 IMMPACT; clinical-reference §7)")
struct OutcomeInstrumentPainNRSTests {
    @Test("clinical-reference §7, Dworkin 2008 — all three answered: each is a subscore, the total is the average")
    func allAnswered() {
        // given
        let response = InstrumentResponse(instrument: .painNRS, answers: ["now": 3, "average": 5, "worst": 8])
        // when
        let score = response.score
        // then
        #expect(score.subscores == ["now": 3, "average": 5, "worst": 8])
        #expect(score.total == 5)
        #expect(score.band == nil)
        #expect(score.isComplete)
        #expect(score.notes.isEmpty)
        #expect(!score.requiresSafetyAssessment)
        #expect(score.isClinicallyImportantImprovement == nil)
    }

    struct SubsetCase: Sendable, CustomTestStringConvertible {
        var answers: [String: Int]
        var total: Double
        var note: String?
        var testDescription: String { answers.keys.sorted().joined(separator: "+") }
    }

    @Test("clinical-reference §7, Dworkin 2008 — any subset may be answered; the total falls back average → now → worst with a note", arguments: [
        SubsetCase(answers: ["now": 4], total: 4, note: "Total is the “now” score: average pain was not answered."),
        SubsetCase(answers: ["average": 6], total: 6, note: nil),
        SubsetCase(answers: ["worst": 9], total: 9, note: "Total is the “worst” score: average pain was not answered."),
        SubsetCase(answers: ["now": 2, "worst": 7], total: 2, note: "Total is the “now” score: average pain was not answered."),
        SubsetCase(answers: ["now": 2, "average": 0], total: 0, note: nil),
        SubsetCase(answers: ["average": 10, "worst": 10], total: 10, note: nil),
    ])
    func subset(_ c: SubsetCase) {
        // given
        let response = InstrumentResponse(instrument: .painNRS, answers: c.answers)
        // when
        let score = response.score
        // then
        #expect(score.subscores == c.answers.mapValues(Double.init))
        #expect(score.total == c.total)
        #expect(score.isComplete)
        #expect(score.notes == (c.note.map { [$0] } ?? []))
    }

    @Test("clinical-reference §7 — at least one pain item is needed")
    func noneAnswered() {
        // given
        let response = InstrumentResponse(instrument: .painNRS, answers: [:])
        // when
        let score = response.score
        // then
        #expect(score.total == nil)
        #expect(score.subscores.isEmpty)
        #expect(!score.isComplete)
        #expect(score.notes == ["Not scored: no pain item answered (needs at least one)."])
    }

    @Test("clinical-reference §7 — the NRS ends are 0 and 10; 11 is left out with a note")
    func outOfRangeLeftOut() {
        // given
        let response = InstrumentResponse(instrument: .painNRS, answers: ["now": 11, "worst": 10, "average": 0])
        // when
        let score = response.score
        // then
        #expect(score.subscores == ["worst": 10, "average": 0])
        #expect(score.total == 0)
        #expect(score.notes == ["Answer to now left out: 11 is outside 0–10."])
    }
}

/// Brief Pain Inventory short form: severity = mean of worst, least, average, now; interference = mean of 7 items,
/// valid only if ≥ 4 answered. Source: clinical-reference §7; Cleeland CS & Ryan KM, Ann Acad Med Singapore 1994;23:129–138 (Cleeland/BPI).
@Suite("BPI short-form scoring (Cleeland 1994 BPI; clinical-reference §7)")
struct OutcomeInstrumentBPITests {
    static let severity = ["worst": 8, "least": 2, "average": 5, "now": 4]
    static let interference = ["generalActivity": 6, "mood": 5, "walking": 7, "work": 8, "relations": 3, "sleep": 6, "enjoyment": 7]

    @Test("clinical-reference §7, Cleeland/BPI — complete: severity and interference are the means, total is the severity")
    func complete() {
        // given
        let response = InstrumentResponse(instrument: .bpi, answers: Self.severity.merging(Self.interference) { a, _ in a })
        // when
        let score = response.score
        // then
        #expect(score.subscores["severity"] == 19.0 / 4)
        #expect(score.subscores["interference"] == 42.0 / 7)
        #expect(score.total == 4.75)
        #expect(score.band == nil)
        #expect(score.isComplete)
        #expect(score.notes.isEmpty)
        #expect(score.isClinicallyImportantImprovement == nil)
    }

    @Test("clinical-reference §7, Cleeland/BPI — severity needs all four items: the reference gives no proration",
          arguments: ["worst", "least", "average", "now"])
    func severityNeedsAllFour(_ missing: String) {
        // given
        var answers = Self.severity.merging(Self.interference) { a, _ in a }
        answers[missing] = nil
        // when
        let score = InstrumentResponse(instrument: .bpi, answers: answers).score
        // then
        #expect(score.subscores["severity"] == nil)
        #expect(score.total == nil)
        #expect(score.subscores["interference"] == 42.0 / 7)
        #expect(!score.isComplete)
        #expect(score.notes == ["Severity not scored: 3 of 4 items answered (needs all 4; the reference gives no proration)."])
    }

    @Test("clinical-reference §7, Cleeland/BPI — interference with 4 of 7 answered is valid: the mean of those four, with a note")
    func interferenceFourOfSeven() {
        // given
        let answers = Self.severity.merging(["generalActivity": 2, "mood": 3, "walking": 4, "work": 6]) { a, _ in a }
        // when
        let score = InstrumentResponse(instrument: .bpi, answers: answers).score
        // then
        #expect(score.subscores["interference"] == 15.0 / 4)
        #expect(score.total == 4.75)
        #expect(!score.isComplete)
        #expect(score.notes == ["Interference is the mean of the 4 of 7 items answered (valid with ≥ 4)."])
    }

    @Test("clinical-reference §7, Cleeland/BPI — interference with 3 of 7 answered is not scored, and the note says so")
    func interferenceThreeOfSeven() {
        // given
        let answers = Self.severity.merging(["mood": 3, "sleep": 4, "enjoyment": 6]) { a, _ in a }
        // when
        let score = InstrumentResponse(instrument: .bpi, answers: answers).score
        // then
        #expect(score.subscores["interference"] == nil)
        #expect(score.subscores["severity"] == 4.75)
        #expect(score.notes == ["Interference not scored: 3 of 7 items answered (needs ≥ 4)."])
    }

    @Test("clinical-reference §7, Cleeland/BPI — interference needs ≥ 4 answered, for every count 0–7", arguments: 0...7)
    func interferenceThreshold(_ answered: Int) {
        // given: the first `answered` interference items, each answered 5
        let ids = Instrument.bpi.items.dropFirst(4).prefix(answered).map(\.id)
        let answers = Dictionary(uniqueKeysWithValues: ids.map { ($0, 5) })
        // when
        let score = InstrumentResponse(instrument: .bpi, answers: answers).score
        // then
        #expect((score.subscores["interference"] != nil) == (answered >= Instrument.bpiInterferenceMinimumAnswered))
        if answered >= 4 { #expect(score.subscores["interference"] == 5) }
        #expect(Instrument.bpiInterferenceMinimumAnswered == 4)
    }

    @Test("clinical-reference §7, Cleeland/BPI — neither part scorable: two notes, no total")
    func nothingScorable() {
        // given
        let response = InstrumentResponse(instrument: .bpi, answers: ["worst": 7])
        // when
        let score = response.score
        // then
        #expect(score.total == nil)
        #expect(score.subscores.isEmpty)
        #expect(score.notes == [
            "Severity not scored: 1 of 4 items answered (needs all 4; the reference gives no proration).",
            "Interference not scored: 0 of 7 items answered (needs ≥ 4).",
        ])
    }
}
