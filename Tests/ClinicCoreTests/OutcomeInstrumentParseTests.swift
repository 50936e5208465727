import Foundation
import Testing
import ClinicCore

/// Reading a submitted form into a response: every bad field named "<instrument>.<item>" with a reason a clinician can act on.
@Suite("Outcome instrument form parsing")
struct OutcomeInstrumentParseTests {
    /// The errors `parse` throws, or [] when it succeeds.
    static func errors(_ instrument: Instrument, _ form: [String: String]) -> [FieldError] {
        do {
            _ = try InstrumentResponse.parse(instrument, form: form)
            return []
        } catch ClinicError.invalid(let errors) {
            return errors
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test("a complete PHQ-9 form reads into answers; surrounding spaces are ignored")
    func completeForm() throws {
        // given
        var form = Dictionary(uniqueKeysWithValues: (1...9).map { ("item\($0)", "1") })
        form["item3"] = " 2 "
        // when
        let response = try InstrumentResponse.parse(.phq9, form: form)
        // then
        #expect(response.instrument == .phq9)
        #expect(response.answers.count == 9)
        #expect(response.answers["item3"] == 2)
        #expect(response.score.total == 10)
        #expect(response.score.band == "moderate")
    }

    @Test("an empty or blank field is an unanswered item, not an error")
    func emptyIsUnanswered() throws {
        // given
        let form = ["now": "6", "average": "", "worst": "   "]
        // when
        let response = try InstrumentResponse.parse(.painNRS, form: form)
        // then
        #expect(response.answers == ["now": 6])
    }

    @Test("a missing field is an unanswered item")
    func missingFieldIsUnanswered() throws {
        // given / when
        let response = try InstrumentResponse.parse(.phq9, form: ["item9": "0", "item1": "3"])
        // then
        #expect(response.answers == ["item9": 0, "item1": 3])
    }

    @Test("out of range: the field is named and the reason gives the accepted values with their anchors")
    func outOfRange() {
        // given / when
        let errors = Self.errors(.phq9, ["item1": "1", "item9": "4"])
        // then
        #expect(errors == [FieldError("phq-9.item9", "4 is out of range: enter 0 to 3 (0 = Not at all, 3 = Nearly every day).")])
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var instrument: Instrument
        var item: String
        var text: String
        var reason: String
        var testDescription: String { "\(instrument.rawValue).\(item) = \(text)" }
    }

    @Test("each bad value names its field \"<instrument raw value>.<item id>\" with a reason", arguments: [
        BadCase(instrument: .phq9, item: "item2", text: "2.5",
                reason: "“2.5” is not a whole number: enter 0 to 3 (0 = Not at all, 3 = Nearly every day), or leave it empty if the patient did not answer."),
        BadCase(instrument: .gad7, item: "item1", text: "abc",
                reason: "“abc” is not a whole number: enter 0 to 3 (0 = Not at all, 3 = Nearly every day), or leave it empty if the patient did not answer."),
        BadCase(instrument: .gad7, item: "item4", text: "-1", reason: "-1 is out of range: enter 0 to 3 (0 = Not at all, 3 = Nearly every day)."),
        BadCase(instrument: .painNRS, item: "now", text: "11", reason: "11 is out of range: enter 0 to 10 (0 = No pain, 10 = Worst pain imaginable)."),
        BadCase(instrument: .painNRS, item: "worst", text: "٣",
                reason: "“٣” is not a whole number: enter 0 to 10 (0 = No pain, 10 = Worst pain imaginable), or leave it empty if the patient did not answer."),
        BadCase(instrument: .painNRS, item: "average", text: "99999999999999999999999",
                reason: "99999999999999999999999 is out of range: enter 0 to 10 (0 = No pain, 10 = Worst pain imaginable)."),
        BadCase(instrument: .bpi, item: "mood", text: "3/10",
                reason: "“3/10” is not a whole number: enter 0 to 10 (0 = No interference, 10 = Complete interference), or leave it empty if the patient did not answer."),
        BadCase(instrument: .pgic, item: "change", text: "0", reason: "0 is out of range: enter 1 to 7 (1 = Very much improved, 7 = Very much worse)."),
        BadCase(instrument: .pgic, item: "change", text: "8", reason: "8 is out of range: enter 1 to 7 (1 = Very much improved, 7 = Very much worse)."),
        BadCase(instrument: .sleep, item: "quality", text: "1e1",
                reason: "“1e1” is not a whole number: enter 0 to 10 (0 = Very poorly, 10 = Very well), or leave it empty if the patient did not answer."),
    ])
    func badValue(_ c: BadCase) {
        // given
        var form = [c.item: c.text]
        if let other = c.instrument.items.first(where: { $0.id != c.item }) { form[other.id] = String(other.range.lowerBound) }
        // when
        let errors = Self.errors(c.instrument, form)
        // then
        #expect(errors == [FieldError("\(c.instrument.rawValue).\(c.item)", c.reason)])
    }

    @Test("a signed whole number inside the range is accepted")
    func signedWholeNumber() throws {
        // given / when
        let response = try InstrumentResponse.parse(.painNRS, form: ["now": "+7", "worst": "08"])
        // then
        #expect(response.answers == ["now": 7, "worst": 8])
    }

    @Test("an unknown item is named and the reason lists the instrument's items")
    func unknownItem() {
        // given / when
        let errors = Self.errors(.phq9, ["item1": "0", "item10": "2"])
        // then
        #expect(errors == [FieldError("phq-9.item10",
                                      "“item10” is not an item of the PHQ-9: its items are item1, item2, item3, item4, item5, item6, item7, item8, item9.")])
    }

    @Test("every bad field is reported at once: items in display order, then unknown items in name order")
    func allErrorsAtOnce() {
        // given / when
        let errors = Self.errors(.bpi, ["zzz": "1", "mood": "x", "worst": "12", "aaa": "", "now": "3"])
        // then
        #expect(errors.map(\.field) == ["bpi-sf.worst", "bpi-sf.mood", "bpi-sf.aaa", "bpi-sf.zzz"])
    }

    @Test("a form with nothing answered is refused on its first item", arguments: Instrument.allCases)
    func nothingAnswered(_ instrument: Instrument) {
        // given
        let form = Dictionary(uniqueKeysWithValues: instrument.items.map { ($0.id, "") })
        // when
        let errors = Self.errors(instrument, form)
        // then
        #expect(errors.count == 1)
        #expect(errors.first?.field == "\(instrument.rawValue).\(instrument.items[0].id)")
        #expect(errors.first?.reason.contains("answer") == true)
    }

    @Test("clinical-reference §7 — a parsed PHQ-9 with only item 9 above 0 and other items missing still calls for a safety assessment")
    func parsedSafetyItem() throws {
        // given / when
        let response = try InstrumentResponse.parse(.phq9, form: ["item9": "2", "item1": "", "item2": "0"])
        // then
        #expect(response.score.requiresSafetyAssessment)
        #expect(response.score.total == nil)
    }
}
