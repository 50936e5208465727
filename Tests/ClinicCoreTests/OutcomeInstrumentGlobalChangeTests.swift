import Foundation
import Testing
import ClinicCore

/// PGIC: 7 points, very much improved … very much worse; "much improved" or better is clinically important.
/// Source: Farrar JT et al., Pain 2001;94:149–158 (Farrar 2001); clinical-reference §7.
@Suite("PGIC scoring (Farrar 2001; clinical-reference §7)")
struct OutcomeInstrumentPGICTests {
    struct CategoryCase: Sendable, CustomTestStringConvertible {
        var value: Int
        var band: String
        var important: Bool
        var testDescription: String { "\(value) \(band)" }
    }

    @Test("clinical-reference §7, Farrar 2001 — each category's words, and whether it is a clinically important improvement", arguments: [
        CategoryCase(value: 1, band: "very much improved", important: true),
        CategoryCase(value: 2, band: "much improved", important: true),
        CategoryCase(value: 3, band: "minimally improved", important: false),
        CategoryCase(value: 4, band: "no change", important: false),
        CategoryCase(value: 5, band: "minimally worse", important: false),
        CategoryCase(value: 6, band: "much worse", important: false),
        CategoryCase(value: 7, band: "very much worse", important: false),
    ])
    func category(_ c: CategoryCase) {
        // given
        let response = InstrumentResponse(instrument: .pgic, answers: ["change": c.value])
        // when
        let score = response.score
        // then
        #expect(score.total == Double(c.value))
        #expect(score.band == c.band)
        #expect(score.isClinicallyImportantImprovement == c.important)
        #expect(score.isComplete)
        #expect(score.notes.isEmpty)
        #expect(!score.requiresSafetyAssessment)
        #expect(Instrument.pgic.band(forTotal: c.value) == c.band)
    }

    @Test("Farrar 2001 — the boundary of clinical importance is category 2, much improved")
    func importanceBoundary() {
        // given / when / then
        #expect(Instrument.pgicClinicallyImportantCategory == 2)
        #expect(InstrumentResponse(instrument: .pgic, answers: ["change": 2]).score.isClinicallyImportantImprovement == true)
        #expect(InstrumentResponse(instrument: .pgic, answers: ["change": 3]).score.isClinicallyImportantImprovement == false)
    }

    @Test("Farrar 2001 — unanswered: no total, no category, importance unknown (nil)")
    func unanswered() {
        // given
        let response = InstrumentResponse(instrument: .pgic, answers: [:])
        // when
        let score = response.score
        // then
        #expect(score.total == nil)
        #expect(score.band == nil)
        #expect(score.isClinicallyImportantImprovement == nil)
        #expect(!score.isComplete)
        #expect(score.notes == ["Not scored: the question was not answered."])
    }

    @Test("Farrar 2001 — 0 and 8 are not PGIC categories: left out, importance unknown", arguments: [0, 8])
    func outsideScale(_ value: Int) {
        // given
        let response = InstrumentResponse(instrument: .pgic, answers: ["change": value])
        // when
        let score = response.score
        // then
        #expect(score.total == nil)
        #expect(score.isClinicallyImportantImprovement == nil)
        #expect(Instrument.pgic.band(forTotal: value) == nil)
        #expect(score.notes.first == "Answer to change left out: \(value) is outside 1–7.")
    }
}

/// The sleep question: one 0–10 item, no bands (none in clinical-reference §7) — local policy.
@Suite("Sleep item scoring (local policy; clinical-reference §7 gives no sleep bands)")
struct OutcomeInstrumentSleepTests {
    @Test("local policy — the answer is the total, with no band", arguments: [0, 5, 10])
    func total(_ value: Int) {
        // given
        let response = InstrumentResponse(instrument: .sleep, answers: ["quality": value])
        // when
        let score = response.score
        // then
        #expect(score.total == Double(value))
        #expect(score.band == nil)
        #expect(score.isComplete)
        #expect(score.isClinicallyImportantImprovement == nil)
        #expect(Instrument.sleep.band(forTotal: value) == nil)
    }

    @Test("local policy — unanswered sleep is not scored")
    func unanswered() {
        // given
        let response = InstrumentResponse(instrument: .sleep, answers: [:])
        // when / then
        #expect(response.score.total == nil)
        #expect(!response.score.isComplete)
    }
}
