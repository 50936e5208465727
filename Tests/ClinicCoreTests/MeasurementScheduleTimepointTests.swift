import Foundation
import Testing
import ClinicCore

/// Timepoints: words for people, a stable key for storage.
@Suite struct MeasurementScheduleTimepointTests {
    struct KeyCase: Sendable, CustomTestStringConvertible {
        var timepoint: Timepoint
        var key: String
        var label: String
        var testDescription: String { key }
    }

    @Test("each timepoint has a stable key and a label, and reads back from its key", arguments: [
        KeyCase(timepoint: .baseline, key: "baseline", label: "Baseline"),
        KeyCase(timepoint: .preInfusion(3), key: "pre3", label: "Before infusion 3"),
        KeyCase(timepoint: .postInfusion(3), key: "post3", label: "After infusion 3"),
        KeyCase(timepoint: .preInfusion(12), key: "pre12", label: "Before infusion 12"),
        KeyCase(timepoint: .afterSeries(day: 7), key: "series+7", label: "Day 7 after the series"),
        KeyCase(timepoint: .afterSeries(day: 0), key: "series+0", label: "Day 0 after the series"),
        KeyCase(timepoint: .afterBooster(number: 2, day: 30), key: "booster2+30", label: "Day 30 after booster 2"),
        KeyCase(timepoint: .afterBooster(number: 10, day: 90), key: "booster10+90", label: "Day 90 after booster 10"),
    ])
    func keyAndLabel(_ c: KeyCase) throws {
        // given / when / then
        #expect(c.timepoint.key == c.key)
        #expect(c.timepoint.label == c.label)
        #expect(Timepoint(key: c.key) == c.timepoint)
        #expect(c.timepoint.description == c.key)
    }

    @Test("anything but a canonical key is refused", arguments: [
        "", "Baseline", "baseline ", "pre", "pre0", "pre03", "pre-1", "pre+3", "post", "postx", "series", "series+",
        "series7", "series+07", "series+-7", "booster+7", "booster0+7", "booster2", "booster2+", "booster2+7+1",
        "booster02+7", "pre1234567", "pre٣",
    ])
    func invalidKey(_ key: String) {
        // given / when / then
        #expect(Timepoint(key: key) == nil)
    }

    @Test("a timepoint is stored as its key in JSON")
    func codableAsKey() throws {
        // given
        let timepoints: [Timepoint] = [.baseline, .postInfusion(7), .afterBooster(number: 1, day: 14)]
        // when
        let json = String(decoding: try JSONEncoder().encode(timepoints), as: UTF8.self)
        let decoded = try JSONDecoder().decode([Timepoint].self, from: Data(json.utf8))
        // then
        #expect(json == #"["baseline","post7","booster1+14"]"#)
        #expect(decoded == timepoints)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Timepoint.self, from: Data(#""pre03""#.utf8)) }
    }

    @Test("course order: baseline, before then after each infusion, series follow-ups, then booster follow-ups")
    func courseOrder() {
        // given
        let shuffled: [Timepoint] = [.afterBooster(number: 1, day: 1), .postInfusion(2), .afterSeries(day: 30), .preInfusion(2),
                                     .baseline, .afterSeries(day: 1), .postInfusion(1), .preInfusion(1), .afterBooster(number: 2, day: 1)]
        // when
        let sorted = shuffled.sorted()
        // then
        #expect(sorted.map(\.key) == ["baseline", "pre1", "post1", "pre2", "post2", "series+1", "series+30", "booster1+1", "booster2+1"])
    }
}
