import Foundation
import Testing
import ClinicCore

/// What each instrument shows on a form: items, ranges, anchors, recall, codes and citation (clinical-reference §7).
@Suite("Outcome instrument definitions (clinical-reference §7)")
struct OutcomeInstrumentDefinitionTests {
    @Test("the raw values are the storage and API names other modules use")
    func rawValues() {
        // given / when / then
        #expect(Instrument.allCases.map(\.rawValue) == ["pain-nrs", "bpi-sf", "phq-9", "gad-7", "pgic", "sleep"])
        #expect(Instrument(rawValue: "phq-9") == .phq9)
        #expect(Instrument.phq9SafetyItem == "item9")
    }

    @Test("item ids in display order, as the brief names them")
    func itemIDs() {
        // given / when / then
        #expect(Instrument.painNRS.items.map(\.id) == ["now", "average", "worst"])
        #expect(Instrument.bpi.items.map(\.id) == ["worst", "least", "average", "now",
                                                   "generalActivity", "mood", "walking", "work", "relations", "sleep", "enjoyment"])
        #expect(Instrument.phq9.items.map(\.id) == (1...9).map { "item\($0)" })
        #expect(Instrument.gad7.items.map(\.id) == (1...7).map { "item\($0)" })
        #expect(Instrument.pgic.items.map(\.id) == ["change"])
        #expect(Instrument.sleep.items.map(\.id) == ["quality"])
    }

    @Test("item ranges: PHQ-9 and GAD-7 0–3 (Kroenke 2001; Spitzer 2006), PGIC 1–7 (Farrar 2001), pain, BPI and sleep 0–10 (clinical-reference §7)")
    func itemRanges() {
        // given / when / then
        #expect(Instrument.phq9.items.allSatisfy { $0.range == 0...3 })
        #expect(Instrument.gad7.items.allSatisfy { $0.range == 0...3 })
        #expect(Instrument.pgic.items.allSatisfy { $0.range == 1...7 })
        for instrument in [Instrument.painNRS, .bpi, .sleep] {
            #expect(instrument.items.allSatisfy { $0.range == 0...10 }, "\(instrument)")
        }
        #expect(Instrument.phq9.totalRange == 0...27)
        #expect(Instrument.gad7.totalRange == 0...21)
        #expect(Instrument.pgic.totalRange == 1...7)
    }

    @Test("every instrument renders from its items alone: unique ids, a prompt, anchors inside the range in ascending order, both ends labelled",
          arguments: Instrument.allCases)
    func rendersFromItems(_ instrument: Instrument) {
        // given
        let items = instrument.items
        // then
        #expect(!items.isEmpty)
        #expect(Set(items.map(\.id)).count == items.count)
        for item in items {
            #expect(!item.prompt.isEmpty)
            #expect(item.anchors.allSatisfy { item.range.contains($0.value) && !$0.label.isEmpty })
            #expect(item.anchors.map(\.value) == item.anchors.map(\.value).sorted())
            #expect(item.anchor(for: item.range.lowerBound) != nil)
            #expect(item.anchor(for: item.range.upperBound) != nil)
            #expect(instrument.item(item.id) == item)
        }
        #expect(!instrument.title.isEmpty)
        #expect(!instrument.instructions.isEmpty)
        #expect(!instrument.source.isEmpty)
    }

    @Test("PHQ-9 and GAD-7 use the standard frequency anchors on every point (Kroenke 2001; Spitzer 2006)")
    func frequencyAnchors() {
        // given
        let expected = [InstrumentAnchor(0, "Not at all"), InstrumentAnchor(1, "Several days"),
                        InstrumentAnchor(2, "More than half the days"), InstrumentAnchor(3, "Nearly every day")]
        // when / then
        #expect((Instrument.phq9.items + Instrument.gad7.items).allSatisfy { $0.anchors == expected })
        #expect(Instrument.phq9.items[0].rangeDescription == "0 to 3 (0 = Not at all, 3 = Nearly every day)")
    }

    @Test("PHQ-9 carries the standard wording, item 9 being the self-harm question (Kroenke 2001; clinical-reference §7)")
    func phq9Wording() {
        // given / when
        let items = Instrument.phq9.items
        // then
        #expect(items[0].prompt == "Little interest or pleasure in doing things")
        #expect(items[1].prompt == "Feeling down, depressed, or hopeless")
        #expect(items[8].id == Instrument.phq9SafetyItem)
        #expect(items[8].prompt == "Thoughts that you would be better off dead or of hurting yourself in some way")
        #expect(Instrument.phq9.instructions.contains("last 2 weeks"))
    }

    @Test("GAD-7 carries the standard wording (Spitzer 2006; clinical-reference §7)")
    func gad7Wording() {
        // given / when
        let items = Instrument.gad7.items
        // then
        #expect(items[0].prompt == "Feeling nervous, anxious, or on edge")
        #expect(items[6].prompt == "Feeling afraid, as if something awful might happen")
        #expect(Instrument.gad7.instructions.contains("last 2 weeks"))
    }

    @Test("the BPI shows short neutral labels in place of its licensed wording (Cleeland 1994; clinical-reference §7)")
    func bpiNeutralLabels() {
        // given / when
        let prompts = Instrument.bpi.items.map(\.prompt)
        // then
        #expect(prompts[0] == "Worst pain, last 24 h")
        #expect(prompts.contains("Interference: mood"))
        #expect(prompts.allSatisfy { $0.count <= 40 })
        #expect(Instrument.bpi.source.contains("Cleeland"))
        #expect(Instrument.bpi.source.contains("Licensed"))
    }

    @Test("PGIC labels all seven points, very much improved … very much worse (Farrar 2001; clinical-reference §7)")
    func pgicAnchors() {
        // given / when
        let anchors = Instrument.pgic.items[0].anchors
        // then
        #expect(anchors.map(\.value) == Array(1...7))
        #expect(anchors.map(\.label) == ["Very much improved", "Much improved", "Minimally improved", "No change",
                                         "Minimally worse", "Much worse", "Very much worse"])
    }

    @Test("the sleep item is the clinic's own 0–10 question (local policy)")
    func sleepItem() {
        // given / when
        let item = Instrument.sleep.items[0]
        // then
        #expect(item.prompt == "How well did you sleep over the last 7 days? 0 = very poorly, 10 = very well")
        #expect(item.anchors == [InstrumentAnchor(0, "Very poorly"), InstrumentAnchor(10, "Very well")])
        #expect(Instrument.sleep.source.contains("local policy"))
    }

    @Test("LOINC: pain NRS 72514-3, PHQ-9 44261-6, GAD-7 70274-6; none given for BPI, PGIC, sleep (clinical-reference §7)")
    func loincCodes() {
        // given / when / then
        #expect(Instrument.painNRS.loinc == "72514-3")
        #expect(Instrument.phq9.loinc == "44261-6")
        #expect(Instrument.gad7.loinc == "70274-6")
        #expect(Instrument.bpi.loinc == nil)
        #expect(Instrument.pgic.loinc == nil)
        #expect(Instrument.sleep.loinc == nil)
    }

    @Test("recall: PHQ-9 and GAD-7 the last 2 weeks, pain now / last 24 h (clinical-reference §7)")
    func recallPeriods() {
        // given / when / then
        #expect(Instrument.phq9.recall == .last2Weeks)
        #expect(Instrument.gad7.recall == .last2Weeks)
        #expect(Instrument.phq9.recall.days == 14)
        #expect(Instrument.painNRS.recall == .nowAndLast24Hours)
        #expect(Instrument.bpi.recall == .nowAndLast24Hours)
        #expect(Instrument.pgic.recall == .sinceTreatmentStarted)
        #expect(Instrument.sleep.recall == .last7Days)
        #expect(RecallPeriod.last2Weeks.label == "the last 2 weeks")
    }

    @Test("each citation names its paper: Dworkin 2008, Cleeland, Kroenke 2001, Spitzer 2006, Farrar 2001")
    func sources() {
        // given / when / then
        #expect(Instrument.painNRS.source.contains("Dworkin"))
        #expect(Instrument.painNRS.source.contains("2008"))
        #expect(Instrument.phq9.source.contains("Kroenke"))
        #expect(Instrument.phq9.source.contains("2001"))
        #expect(Instrument.gad7.source.contains("Spitzer"))
        #expect(Instrument.gad7.source.contains("2006"))
        #expect(Instrument.pgic.source.contains("Farrar"))
        #expect(Instrument.pgic.source.contains("2001"))
    }

    @Test("a response and a score survive JSON encoding")
    func codableRoundTrip() throws {
        // given
        let response = InstrumentResponse(instrument: .phq9, answers: ["item1": 2, "item9": 1])
        // when
        let decoded = try JSONDecoder().decode(InstrumentResponse.self, from: JSONEncoder().encode(response))
        let score = try JSONDecoder().decode(InstrumentScore.self, from: JSONEncoder().encode(response.score))
        // then
        #expect(decoded == response)
        #expect(score == response.score)
        #expect(String(decoding: try JSONEncoder().encode(Instrument.bpi), as: UTF8.self) == "\"bpi-sf\"")
    }
}
