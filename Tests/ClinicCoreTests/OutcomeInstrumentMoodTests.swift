import Foundation
import Testing
import ClinicCore

/// Answers for sum-scored instruments, built for a wanted total.
enum MoodFixture {
    /// A complete response whose items sum to `total`, filled from item 1 on; a given `item9` (PHQ-9) is held at that value.
    static func complete(_ instrument: Instrument, total: Int, item9: Int? = nil) -> InstrumentResponse {
        var answers: [String: Int] = [:]
        var left = total
        if instrument == .phq9, let item9 {
            answers["item9"] = item9
            left -= item9
        }
        for item in instrument.items where answers[item.id] == nil {
            let value = min(3, max(0, left))
            answers[item.id] = value
            left -= value
        }
        precondition(left == 0, "total \(total) does not fit")
        return InstrumentResponse(instrument: instrument, answers: answers)
    }

    /// The same response with some items left unanswered.
    static func without(_ ids: [String], _ response: InstrumentResponse) -> InstrumentResponse {
        var r = response
        for id in ids { r.answers[id] = nil }
        return r
    }
}

/// PHQ-9 scoring: 9 items 0–3, total 0–27, bands 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately severe,
/// 20–27 severe; item 9 > 0 → immediate safety assessment, whatever the total. Source: Kroenke K, Spitzer RL,
/// Williams JBW, J Gen Intern Med 2001;16:606–613 (Kroenke 2001); clinical-reference §7.
@Suite("PHQ-9 scoring (Kroenke 2001; clinical-reference §7)")
struct OutcomeInstrumentPHQ9Tests {
    struct BandCase: Sendable, CustomTestStringConvertible {
        var total: Int
        var band: String
        var testDescription: String { "\(total) → \(band)" }
    }

    /// Both sides of every band boundary, and the ends of the scale (Kroenke 2001; clinical-reference §7).
    static let bands: [BandCase] = [
        BandCase(total: 0, band: "minimal"), BandCase(total: 4, band: "minimal"),
        BandCase(total: 5, band: "mild"), BandCase(total: 9, band: "mild"),
        BandCase(total: 10, band: "moderate"), BandCase(total: 14, band: "moderate"),
        BandCase(total: 15, band: "moderately severe"), BandCase(total: 19, band: "moderately severe"),
        BandCase(total: 20, band: "severe"), BandCase(total: 27, band: "severe"),
    ]

    @Test("clinical-reference §7, Kroenke 2001 — a complete PHQ-9 is the sum of its items, banded at 5/10/15/20", arguments: bands)
    func band(_ c: BandCase) {
        // given
        let response = MoodFixture.complete(.phq9, total: c.total)
        // when
        let score = response.score
        // then
        #expect(score.total == Double(c.total))
        #expect(score.band == c.band)
        #expect(score.isComplete)
        #expect(score.isClinicallyImportantImprovement == nil)
        #expect(score.subscores.isEmpty)
        #expect(Instrument.phq9.band(forTotal: c.total) == c.band)
        // items 1–8 fill first, so only totals above 24 reach item 9
        #expect(score.requiresSafetyAssessment == (c.total > 24))
        #expect(score.notes.isEmpty == (c.total <= 24))
    }

    @Test("Kroenke 2001 — no band outside 0–27")
    func bandOutsideScale() {
        // given / when / then
        #expect(Instrument.phq9.band(forTotal: -1) == nil)
        #expect(Instrument.phq9.band(forTotal: 28) == nil)
    }

    @Test("clinical-reference §7, Kroenke 2001 — one item missing: no total, no band, a note says why", arguments: 1...9)
    func oneItemMissing(_ missing: Int) {
        // given
        let response = MoodFixture.without(["item\(missing)"], MoodFixture.complete(.phq9, total: 12))
        // when
        let score = response.score
        // then
        #expect(score.total == nil)
        #expect(score.band == nil)
        #expect(!score.isComplete)
        #expect(score.notes == ["Total not scored: 8 of 9 items answered (needs all 9)."])
    }

    @Test("clinical-reference §7 — item 9 > 0 calls for a safety assessment even with a minimal total (Kroenke 2001)", arguments: 1...3)
    func safetyWithLowTotal(_ item9: Int) {
        // given: the only positive answer is item 9
        let response = MoodFixture.complete(.phq9, total: item9, item9: item9)
        // when
        let score = response.score
        // then
        #expect(score.total == Double(item9))
        #expect(score.band == "minimal")
        #expect(score.requiresSafetyAssessment)
        #expect(score.notes == ["Item 9 answered above 0: an immediate safety assessment is needed, whatever the total (clinical-reference §7)."])
    }

    @Test("clinical-reference §7 — item 9 > 0 calls for a safety assessment even when other items are missing (Kroenke 2001)")
    func safetyWithMissingItems() {
        // given: only item 9 answered
        let response = InstrumentResponse(instrument: .phq9, answers: ["item9": 1])
        // when
        let score = response.score
        // then
        #expect(score.total == nil)
        #expect(score.requiresSafetyAssessment)
        #expect(score.notes == [
            "Total not scored: 1 of 9 items answered (needs all 9).",
            "Item 9 answered above 0: an immediate safety assessment is needed, whatever the total (clinical-reference §7).",
        ])
    }

    @Test("clinical-reference §7 — item 9 answered 0 or unanswered raises no safety flag, whatever the total (Kroenke 2001)")
    func noSafetyFlag() {
        // given
        let severe = MoodFixture.complete(.phq9, total: 24, item9: 0)
        let unanswered = MoodFixture.without(["item9"], MoodFixture.complete(.phq9, total: 24, item9: 0))
        // when / then
        #expect(severe.score.band == "severe")
        #expect(!severe.score.requiresSafetyAssessment)
        #expect(!unanswered.score.requiresSafetyAssessment)
    }

    @Test("clinical-reference §7 — an item 9 value outside 0–3 still raises the safety flag; the value is left out of the total")
    func safetyFromOutOfRangeItem9() {
        // given: a stored response that bypassed parsing
        var response = MoodFixture.complete(.phq9, total: 0)
        response.answers["item9"] = 5
        // when
        let score = response.score
        // then
        #expect(score.requiresSafetyAssessment)
        #expect(score.total == nil)
        #expect(score.notes.first == "Answer to item9 left out: 5 is outside 0–3.")
    }

    @Test("Kroenke 2001 — an answer to an unknown item is left out with a note and does not change the total")
    func unknownItemLeftOut() {
        // given
        var response = MoodFixture.complete(.phq9, total: 7)
        response.answers["item10"] = 3
        // when
        let score = response.score
        // then
        #expect(score.total == 7)
        #expect(score.band == "mild")
        #expect(score.notes == ["Answer to “item10” left out: the PHQ-9 has no such item."])
    }
}

/// GAD-7 scoring: 7 items 0–3, total 0–21; 5 / 10 / 15 = mild / moderate / severe. Source: Spitzer RL, Kroenke K,
/// Williams JBW, Löwe B, Arch Intern Med 2006;166:1092–1097 (Spitzer 2006); clinical-reference §7.
@Suite("GAD-7 scoring (Spitzer 2006; clinical-reference §7)")
struct OutcomeInstrumentGAD7Tests {
    /// Both sides of every cut point, and the ends of the scale (Spitzer 2006; clinical-reference §7).
    static let bands: [OutcomeInstrumentPHQ9Tests.BandCase] = [
        .init(total: 0, band: "minimal"), .init(total: 4, band: "minimal"),
        .init(total: 5, band: "mild"), .init(total: 9, band: "mild"),
        .init(total: 10, band: "moderate"), .init(total: 14, band: "moderate"),
        .init(total: 15, band: "severe"), .init(total: 21, band: "severe"),
    ]

    @Test("clinical-reference §7, Spitzer 2006 — a complete GAD-7 is the sum of its items, banded at 5/10/15", arguments: bands)
    func band(_ c: OutcomeInstrumentPHQ9Tests.BandCase) {
        // given
        let response = MoodFixture.complete(.gad7, total: c.total)
        // when
        let score = response.score
        // then
        #expect(score.total == Double(c.total))
        #expect(score.band == c.band)
        #expect(score.isComplete)
        #expect(score.notes.isEmpty)
        #expect(!score.requiresSafetyAssessment)
        #expect(score.isClinicallyImportantImprovement == nil)
        #expect(Instrument.gad7.band(forTotal: c.total) == c.band)
    }

    @Test("Spitzer 2006 — no band outside 0–21")
    func bandOutsideScale() {
        // given / when / then
        #expect(Instrument.gad7.band(forTotal: -1) == nil)
        #expect(Instrument.gad7.band(forTotal: 22) == nil)
    }

    @Test("clinical-reference §7, Spitzer 2006 — one item missing: no total, no band, a note says why", arguments: 1...7)
    func oneItemMissing(_ missing: Int) {
        // given
        let response = MoodFixture.without(["item\(missing)"], MoodFixture.complete(.gad7, total: 10))
        // when
        let score = response.score
        // then
        #expect(score.total == nil)
        #expect(score.band == nil)
        #expect(!score.isComplete)
        #expect(score.notes == ["Total not scored: 6 of 7 items answered (needs all 7)."])
    }

    @Test("Spitzer 2006 — the GAD-7 has no safety item: a high item 7 raises no flag")
    func noSafetyItem() {
        // given
        let response = InstrumentResponse(instrument: .gad7, answers: ["item7": 3])
        // when / then
        #expect(!response.score.requiresSafetyAssessment)
    }

    @Test("Spitzer 2006 — an empty response is not scored and says so")
    func empty() {
        // given
        let response = InstrumentResponse(instrument: .gad7, answers: [:])
        // when
        let score = response.score
        // then
        #expect(score.total == nil)
        #expect(score.notes == ["Total not scored: 0 of 7 items answered (needs all 7)."])
    }
}
