import Foundation
import Testing
import ClinicCore

@Suite("Screening blood pressure (clinical-reference §2–§3 [D])")
struct ScreeningBloodPressureTests {
    typealias F = ScreeningFixture

    /// The all-clear form with two seated readings of the same pressure, 5 min apart.
    static func form(_ systolic: Int, _ diastolic: Int) -> ScreeningForm {
        ScreeningForm.allClear.with { $0.bloodPressureReadings = F.seatedReadings([(systolic, diastolic), (systolic, diastolic)]) }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var systolic: Int
        var diastolic: Int
        var decision: ScreeningDecision
        var testDescription: String { "\(systolic)/\(diastolic) → \(decision.title)" }
    }

    @Test("clinical-reference §3 [D] — boundaries of the clearance (160/100) and not-eligible (180/120) thresholds", arguments: [
        Case(systolic: 159, diastolic: 99, decision: .eligible),
        Case(systolic: 160, diastolic: 99, decision: .needsClearance),
        Case(systolic: 159, diastolic: 100, decision: .needsClearance),   // diastolic alone crosses
        Case(systolic: 160, diastolic: 100, decision: .needsClearance),
        Case(systolic: 179, diastolic: 119, decision: .needsClearance),
        Case(systolic: 180, diastolic: 119, decision: .notEligible),
        Case(systolic: 179, diastolic: 120, decision: .notEligible),      // diastolic alone crosses
        Case(systolic: 180, diastolic: 120, decision: .notEligible),
        Case(systolic: 140, diastolic: 120, decision: .notEligible),      // diastolic alone, systolic normal
        Case(systolic: 185, diastolic: 80, decision: .notEligible),       // systolic alone, diastolic normal
    ])
    func thresholdBoundaries(_ c: Case) {
        // given
        let form = Self.form(c.systolic, c.diastolic)
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == c.decision)
        #expect(result.meanBloodPressure == MeanBloodPressure(systolic: c.systolic, diastolic: c.diastolic, readingsUsed: 2))
    }

    @Test("clinical-reference §3 [D] — a mean at or above 160/100 needs a blood-pressure clearance, citing local policy")
    func clearanceReason() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.bloodPressureReadings = F.seatedReadings([(150, 90), (170, 110)]) }
        // when
        let result = F.evaluate(form)
        // then the mean is 160/100
        #expect(result.decision == .needsClearance)
        #expect(result.requiredClearances == [.bloodPressure])
        let reason = try #require(result.reasons.sole)
        #expect(reason.ruleID == "bloodPressure.needsClearance")
        #expect(reason.clearance == .bloodPressure)
        #expect(reason.field == "bloodPressureReadings")
        #expect(reason.finding.contains("160/100 mmHg"))
        #expect(reason.source == "clinical-reference §2–§3 [D] (clinic policy, configurable)")
    }

    @Test("clinical-reference §2 [D] — a mean at or above 180/120 is not eligible until treated")
    func notEligibleReason() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.bloodPressureReadings = F.seatedReadings([(190, 100), (176, 96)]) }
        // when
        let result = F.evaluate(form)
        // then the mean is 183/98
        #expect(result.decision == .notEligible)
        let reason = try #require(result.reasons.sole)
        #expect(reason.ruleID == "bloodPressure.notEligible")
        #expect(reason.finding.contains("not eligible until treated"))
        #expect(result.meanBloodPressure == MeanBloodPressure(systolic: 183, diastolic: 98, readingsUsed: 2))
    }

    @Test("clinical-reference §2 [D] — the decision uses the mean, not the highest reading")
    func meanNotMaximum() {
        // given one reading over 180/120 and one normal
        let form = ScreeningForm.allClear.with { $0.bloodPressureReadings = F.seatedReadings([(186, 122), (120, 76)]) }
        // when
        let result = F.evaluate(form)
        // then the mean 153/99 is under both thresholds
        #expect(result.decision == .eligible)
        #expect(result.meanBloodPressure == MeanBloodPressure(systolic: 153, diastolic: 99, readingsUsed: 2))
    }

    @Test("The mean is rounded half-up before it is compared, so the decision matches the mean staff see")
    func roundedHalfUp() {
        // given systolic mean 159.5, diastolic mean 99.5
        let form = ScreeningForm.allClear.with { $0.bloodPressureReadings = F.seatedReadings([(159, 99), (160, 100)]) }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.meanBloodPressure == MeanBloodPressure(systolic: 160, diastolic: 100, readingsUsed: 2))
        #expect(result.decision == .needsClearance)
    }

    @Test("clinical-reference §2 [D] — a single reading is incomplete: recheck")
    func singleReading() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.bloodPressureReadings = F.seatedReadings([(120, 80)]) }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .incomplete)
        #expect(result.meanBloodPressure == nil)
        let reason = try #require(result.reasons.sole)
        #expect(reason.ruleID == "bloodPressure.recheck")
        #expect(reason.field == "bloodPressureReadings")
        #expect(reason.finding.contains("recheck"))
    }

    @Test("clinical-reference §2 [D] — no readings is incomplete: recheck")
    func noReadings() {
        // given
        let form = ScreeningForm.allClear.with { $0.bloodPressureReadings = [] }
        // when / then
        #expect(F.evaluate(form).missingFields == ["bloodPressureReadings"])
    }

    @Test("clinical-reference §2 [D] — two readings 4 min 59 s apart do not count; 5 min apart do")
    func readingsMustBeFiveMinutesApart() {
        // given
        let tooClose = ScreeningForm.allClear.with { $0.bloodPressureReadings = F.seatedReadings([(120, 80), (124, 82)], gapMinutes: 5 - 1.0 / 60) }
        let farEnough = ScreeningForm.allClear.with { $0.bloodPressureReadings = F.seatedReadings([(120, 80), (124, 82)], gapMinutes: 5) }
        // when
        let tooCloseResult = F.evaluate(tooClose)
        let farEnoughResult = F.evaluate(farEnough)
        // then
        #expect(tooCloseResult.decision == .incomplete)
        #expect(tooCloseResult.meanBloodPressure == nil)
        #expect(farEnoughResult.decision == .eligible)
        #expect(farEnoughResult.meanBloodPressure == MeanBloodPressure(systolic: 122, diastolic: 81, readingsUsed: 2))
    }

    @Test("clinical-reference §2 [D] — non-seated readings do not count")
    func nonSeatedReadingsIgnored() {
        // given a standing reading 5 min after a seated one
        let readings = [
            BloodPressureReading(systolic: 120, diastolic: 80, takenAt: F.t0, seated: true),
            BloodPressureReading(systolic: 124, diastolic: 82, takenAt: F.t0.addingTimeInterval(F.minutes(5)), seated: false),
        ]
        let form = ScreeningForm.allClear.with { $0.bloodPressureReadings = readings }
        // when / then
        #expect(F.evaluate(form).decision == .incomplete)
    }

    @Test("clinical-reference §2 [D] — a high standing reading does not raise the seated mean")
    func highStandingReadingIgnored() {
        // given
        let readings = F.seatedReadings([(120, 80), (122, 80)]) + [
            BloodPressureReading(systolic: 200, diastolic: 130, takenAt: F.t0.addingTimeInterval(F.minutes(10)), seated: false),
        ]
        let form = ScreeningForm.allClear.with { $0.bloodPressureReadings = readings }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .eligible)
        #expect(result.meanBloodPressure == MeanBloodPressure(systolic: 121, diastolic: 80, readingsUsed: 2))
    }

    @Test("clinical-reference §2 [D] — a reading too close to the one before is skipped; the rest are used, in time order")
    func readingTooCloseSkipped() {
        // given readings at 0, 2 and 6 min, listed out of order
        let readings = [
            BloodPressureReading(systolic: 150, diastolic: 90, takenAt: F.t0.addingTimeInterval(F.minutes(6))),
            BloodPressureReading(systolic: 170, diastolic: 110, takenAt: F.t0.addingTimeInterval(F.minutes(2))),
            BloodPressureReading(systolic: 130, diastolic: 80, takenAt: F.t0),
        ]
        let form = ScreeningForm.allClear.with { $0.bloodPressureReadings = readings }
        // when
        let result = F.evaluate(form)
        // then the 2-min reading is skipped: mean of 130/80 and 150/90
        #expect(result.meanBloodPressure == MeanBloodPressure(systolic: 140, diastolic: 85, readingsUsed: 2))
        #expect(result.decision == .eligible)
        #expect(ScreeningThresholds.standard.qualifyingReadings(readings).map(\.systolic) == [130, 150])
    }

    @Test("clinical-reference §2 [D] — all qualifying readings enter the mean")
    func threeReadings() {
        // given
        let form = ScreeningForm.allClear.with { $0.bloodPressureReadings = F.seatedReadings([(170, 104), (160, 100), (150, 96)]) }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.meanBloodPressure == MeanBloodPressure(systolic: 160, diastolic: 100, readingsUsed: 3))
        #expect(result.decision == .needsClearance)
    }

    @Test("clinical-reference §3 [D] — thresholds are configurable: a stricter clinic policy applies")
    func configurableThresholds() {
        // given
        let rules = ScreeningRuleSet(version: "local-1", thresholds: ScreeningThresholds(
            clearanceSystolic: 150, clearanceDiastolic: 95, notEligibleSystolic: 170, notEligibleDiastolic: 110,
            minimumSeatedReadings: 3, minimumMinutesBetweenReadings: 10))
        // when
        let twoReadings = rules.evaluate(form: Self.form(155, 90), chart: .empty)
        let threeReadings = rules.evaluate(
            form: ScreeningForm.allClear.with { $0.bloodPressureReadings = F.seatedReadings([(155, 90), (155, 90), (155, 90)], gapMinutes: 10) },
            chart: .empty)
        // then
        #expect(twoReadings.decision == .incomplete)
        #expect(twoReadings.reasons.sole?.finding.contains("Fewer than 3 seated") == true)
        #expect(threeReadings.decision == .needsClearance)
    }

    @Test("Threshold settings are checked for coherence, naming the bad fields")
    func thresholdValidation() {
        // given
        let bad = ScreeningThresholds(clearanceSystolic: 180, clearanceDiastolic: 100, notEligibleSystolic: 180,
                                      notEligibleDiastolic: 120, minimumSeatedReadings: 0, minimumMinutesBetweenReadings: -1,
                                      validityDays: 0)
        // when / then
        #expect(throws: ClinicError.invalid([
            FieldError("minimumSeatedReadings", "Must be at least 1."),
            FieldError("validityDays", "Must be at least 1."),
            FieldError("minimumMinutesBetweenReadings", "Must not be negative."),
            FieldError("notEligibleSystolic", "Must be above the clearance systolic threshold."),
        ])) {
            try bad.validated()
        }
        #expect(throws: Never.self) { try ScreeningThresholds.standard.validated() }
    }
}
