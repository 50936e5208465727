import Foundation
import Tagged
import Testing
import ClinicCore

@Suite("Screening lifecycle (clinical-reference §2)")
struct ScreeningLifecycleTests {
    typealias F = ScreeningFixture

    static func lifecycle(_ form: ScreeningForm, chart: ScreeningChartFacts = .empty) -> ScreeningLifecycle {
        ScreeningLifecycle(evaluation: F.evaluate(form, chart: chart), screenedAt: F.t0, screenedBy: F.nurse)
    }

    static let needsCardiology = ScreeningForm.allClear.with { $0.cardiovascular = .stableKnownDisease }
    static let needsCardiologyAndLiver = ScreeningForm.allClear.with {
        $0.cardiovascular = .stableKnownDisease
        $0.heavyAlcoholUse = true
    }

    static func cardiologyLetter(date: CalendarDate = CalendarDate(year: 2026, month: 11, day: 20)!) -> ClearanceForm {
        ClearanceForm(kind: .cardiology, specialty: "Cardiology", clinician: "Dr A. Heart", date: date,
                      note: "Stable coronary disease; no objection to low-dose ketamine infusions.")
    }

    @Test("clinical-reference §2 [D] — an eligible screening is valid for 90 days")
    func eligibleUntil() {
        // given
        let lifecycle = Self.lifecycle(.allClear)
        // when
        let status = lifecycle.status(asOf: F.t0.addingTimeInterval(F.days(1)))
        // then
        #expect(status == .eligible(validUntil: F.t0.addingTimeInterval(F.days(90))))
        #expect(status.label == "Eligible until 2027-02-23")
        #expect(status.isEligibleNow)
        #expect(lifecycle.effectiveDecision == .eligible)
    }

    @Test("clinical-reference §2 [D] — an eligible screening expires at 90 days")
    func expiresAfterNinetyDays() {
        // given
        let lifecycle = Self.lifecycle(.allClear)
        // when
        let lastMoment = lifecycle.status(asOf: F.t0.addingTimeInterval(F.days(90) - 1))
        let expired = lifecycle.status(asOf: F.t0.addingTimeInterval(F.days(90)))
        // then
        #expect(lastMoment.isEligibleNow)
        #expect(expired == .expired)
        #expect(!expired.isEligibleNow)
        #expect(expired.label == "Expired: screen again")
    }

    @Test("clinical-reference §2 [D] — the validity period follows the configured thresholds")
    func validityFollowsThresholds() {
        // given
        let rules = ScreeningRuleSet(version: "local-1", thresholds: ScreeningThresholds(validityDays: 30))
        let lifecycle = ScreeningLifecycle(evaluation: rules.evaluate(form: .allClear, chart: .empty),
                                           screenedAt: F.t0, screenedBy: F.nurse)
        // when / then
        #expect(lifecycle.status(asOf: F.t0.addingTimeInterval(F.days(30))) == .expired)
    }

    @Test("Statuses other than eligible are shown as such")
    func otherStatuses() {
        // given
        let notEligible = Self.lifecycle(ScreeningForm.allClear.with { $0.psychosis = .poorlyControlled })
        let incomplete = Self.lifecycle(ScreeningForm())
        let needsClearance = Self.lifecycle(Self.needsCardiologyAndLiver)
        // when / then
        #expect(notEligible.status(asOf: F.t0) == .notEligible)
        #expect(notEligible.status(asOf: F.t0).label == "Not eligible")
        #expect(incomplete.status(asOf: F.t0) == .incomplete)
        #expect(needsClearance.status(asOf: F.t0) == .needsClearance([.cardiology, .liverTests]))
        #expect(needsClearance.status(asOf: F.t0).label == "Needs clearance: Cardiology, Liver tests reviewed")
        #expect(!needsClearance.status(asOf: F.t0).isEligibleNow)
    }

    @Test("clinical-reference §2 — a recorded clearance signed off by a physician makes the patient eligible")
    func clearanceAndSignOff() throws {
        // given
        var lifecycle = Self.lifecycle(Self.needsCardiology)
        let recordedAt = F.t0.addingTimeInterval(F.days(2))
        let signedAt = F.t0.addingTimeInterval(F.days(3))
        // when
        try lifecycle.recordClearance(Self.cardiologyLetter(), at: recordedAt, in: F.utc, by: F.nurse)
        let afterRecording = lifecycle.status(asOf: recordedAt)
        try lifecycle.signOff(kind: .cardiology, by: F.physician, at: signedAt)
        // then
        #expect(afterRecording == .needsClearance([.cardiology]))
        #expect(lifecycle.effectiveDecision == .eligible)
        #expect(lifecycle.status(asOf: signedAt) == .eligible(validUntil: signedAt.addingTimeInterval(F.days(90))))
        let record = try #require(lifecycle.clearances.first)
        #expect(record.kind == .cardiology)
        #expect(record.clinician == "Dr A. Heart")
        #expect(record.recordedBy == F.nurse && record.recordedAt == recordedAt)
        #expect(record.signedOffBy == F.physician && record.signedOffAt == signedAt)
    }

    @Test("clinical-reference §2 — eligibility after clearances runs 90 days from the last sign-off")
    func expiryFromLastSignOff() throws {
        // given
        var lifecycle = Self.lifecycle(Self.needsCardiologyAndLiver)
        let liver = ClearanceForm(kind: .liverTests, specialty: "Hepatology", clinician: "Dr B. Liver",
                                  date: CalendarDate(year: 2026, month: 11, day: 26)!, note: "LFTs within normal limits.")
        try lifecycle.recordClearance(Self.cardiologyLetter(), at: F.t0, in: F.utc, by: F.nurse)
        try lifecycle.recordClearance(liver, at: F.t0.addingTimeInterval(F.days(1)), in: F.utc, by: F.nurse)
        // when
        try lifecycle.signOff(kind: .cardiology, by: F.physician, at: F.t0.addingTimeInterval(F.days(1)))
        let oneSigned = lifecycle.status(asOf: F.t0.addingTimeInterval(F.days(1)))
        try lifecycle.signOff(kind: .liverTests, by: F.physician, at: F.t0.addingTimeInterval(F.days(10)))
        // then
        #expect(oneSigned == .needsClearance([.liverTests]))
        #expect(lifecycle.status(asOf: F.t0.addingTimeInterval(F.days(99) - 1)).isEligibleNow)
        #expect(lifecycle.status(asOf: F.t0.addingTimeInterval(F.days(100))) == .expired)
    }

    @Test("A clearance of a kind the screening does not need is refused")
    func clearanceNotRequired() {
        // given
        var lifecycle = Self.lifecycle(Self.needsCardiology)
        let liver = ClearanceForm(kind: .liverTests, specialty: "Hepatology", clinician: "Dr B. Liver",
                                  date: CalendarDate(year: 2026, month: 11, day: 20)!, note: "Normal.")
        // when / then
        #expect(throws: ClinicError.conflict("This screening does not need a liver tests reviewed clearance.")) {
            try lifecycle.recordClearance(liver, at: F.t0, in: F.utc, by: F.nurse)
        }
        #expect(lifecycle.clearances.isEmpty)
    }

    @Test("A clearance on a not-eligible or incomplete screening is refused")
    func clearanceOnOtherDecisions() {
        // given: stable heart disease, but also active substance abuse / an unanswered question
        var notEligible = Self.lifecycle(Self.needsCardiology.with { $0.activeSubstanceAbuse = true })
        var incomplete = Self.lifecycle(Self.needsCardiology.with { $0.pregnancy = nil })
        // when / then
        #expect(throws: ClinicError.self) {
            try notEligible.recordClearance(Self.cardiologyLetter(), at: F.t0, in: F.utc, by: F.nurse)
        }
        #expect(throws: ClinicError.self) {
            try incomplete.recordClearance(Self.cardiologyLetter(), at: F.t0, in: F.utc, by: F.nurse)
        }
    }

    @Test("A second clearance of the same kind is refused")
    func duplicateClearance() throws {
        // given
        var lifecycle = Self.lifecycle(Self.needsCardiology)
        try lifecycle.recordClearance(Self.cardiologyLetter(), at: F.t0, in: F.utc, by: F.nurse)
        // when / then
        #expect(throws: ClinicError.conflict("A cardiology clearance is already recorded.")) {
            try lifecycle.recordClearance(Self.cardiologyLetter(), at: F.t0, in: F.utc, by: F.nurse)
        }
    }

    @Test("clinical-reference §2 — a clearance needs specialty, clinician and the letter or note")
    func clearanceFieldsRequired() {
        // given
        var lifecycle = Self.lifecycle(Self.needsCardiology)
        let blank = ClearanceForm(kind: .cardiology, specialty: " ", clinician: "", date: CalendarDate(year: 2026, month: 11, day: 20)!,
                                  note: "\n")
        // when / then
        #expect(throws: ClinicError.invalid([
            FieldError("specialty", "Required."),
            FieldError("clinician", "Required."),
            FieldError("note", "Required: the clearance letter or note."),
        ])) {
            try lifecycle.recordClearance(blank, at: F.t0, in: F.utc, by: F.nurse)
        }
    }

    @Test("A clearance dated after today is refused; today is judged in the clinic's time zone")
    func clearanceDateNotInFuture() throws {
        // given 2026-11-25T23:30Z, already 2026-11-26 in Sydney
        let lateEvening = F.t0.addingTimeInterval(F.minutes(13.5 * 60))
        let sydney = try #require(TimeZone(identifier: "Australia/Sydney"))
        let letter = Self.cardiologyLetter(date: CalendarDate(year: 2026, month: 11, day: 26)!)
        var inUTC = Self.lifecycle(Self.needsCardiology)
        var inSydney = Self.lifecycle(Self.needsCardiology)
        // when / then
        #expect(throws: ClinicError.invalid("date", "The clearance date 2026-11-26 is after today (2026-11-25).")) {
            try inUTC.recordClearance(letter, at: lateEvening, in: F.utc, by: F.nurse)
        }
        try inSydney.recordClearance(letter, at: lateEvening, in: sydney, by: F.nurse)
        #expect(inSydney.clearances.count == 1)
    }

    @Test("Signing off needs a recorded clearance that is not yet signed")
    func signOffRules() throws {
        // given
        var lifecycle = Self.lifecycle(Self.needsCardiology)
        // when / then
        #expect(throws: ClinicError.conflict("No cardiology clearance has been recorded.")) {
            try lifecycle.signOff(kind: .cardiology, by: F.physician, at: F.t0)
        }
        try lifecycle.recordClearance(Self.cardiologyLetter(), at: F.t0, in: F.utc, by: F.nurse)
        try lifecycle.signOff(kind: .cardiology, by: F.physician, at: F.t0)
        #expect(throws: ClinicError.conflict("The cardiology clearance is already signed off.")) {
            try lifecycle.signOff(kind: .cardiology, by: F.physician, at: F.t0)
        }
    }

    @Test("clinical-reference §2 — a physician's override with a reason counts as the decision")
    func overrideToEligible() throws {
        // given
        var lifecycle = Self.lifecycle(ScreeningForm.allClear.with {
            $0.bloodPressureReadings = F.seatedReadings([(182, 100), (180, 98)])
        })
        let overriddenAt = F.t0.addingTimeInterval(F.days(5))
        // when
        try lifecycle.overrideDecision(.eligible, reason: "  Repeat readings at home 135/85; white-coat effect.  ",
                                       at: overriddenAt, by: F.physician)
        // then
        #expect(lifecycle.evaluation.decision == .notEligible)
        #expect(lifecycle.effectiveDecision == .eligible)
        #expect(lifecycle.override == ScreeningOverride(decision: .eligible, reason: "Repeat readings at home 135/85; white-coat effect.",
                                                        by: F.physician, at: overriddenAt))
        #expect(lifecycle.status(asOf: overriddenAt) == .eligible(validUntil: overriddenAt.addingTimeInterval(F.days(90))))
        #expect(lifecycle.status(asOf: overriddenAt.addingTimeInterval(F.days(90))) == .expired)
    }

    @Test("clinical-reference §2 — an override can also make an eligible patient not eligible")
    func overrideToNotEligible() throws {
        // given
        var lifecycle = Self.lifecycle(.allClear)
        // when
        try lifecycle.overrideDecision(.notEligible, reason: "Recent syncope under review.", at: F.t0, by: F.physician)
        // then
        #expect(lifecycle.status(asOf: F.t0) == .notEligible)
    }

    @Test("clinical-reference §2 — an override without a reason is refused")
    func overrideWithoutReason() {
        // given
        var lifecycle = Self.lifecycle(Self.needsCardiology)
        // when / then
        #expect(throws: ClinicError.invalid("reason", "Required: why the rules are overridden.")) {
            try lifecycle.overrideDecision(.eligible, reason: "   ", at: F.t0, by: F.physician)
        }
        #expect(lifecycle.override == nil)
    }

    @Test("An override may only decide eligible or not eligible", arguments: [ScreeningDecision.needsClearance, .incomplete])
    func overrideDecisionKinds(decision: ScreeningDecision) {
        // given
        var lifecycle = Self.lifecycle(.allClear)
        // when / then
        #expect(throws: ClinicError.invalid("decision", "An override must decide eligible or not eligible.")) {
            try lifecycle.overrideDecision(decision, reason: "Because.", at: F.t0, by: F.physician)
        }
    }

    @Test("A second override is refused")
    func secondOverride() throws {
        // given
        var lifecycle = Self.lifecycle(.allClear)
        try lifecycle.overrideDecision(.notEligible, reason: "Under review.", at: F.t0, by: F.physician)
        // when / then
        #expect(throws: ClinicError.conflict("This screening has already been overridden.")) {
            try lifecycle.overrideDecision(.eligible, reason: "Reviewed.", at: F.t0, by: F.physician)
        }
    }

    @Test("clinical-reference §2 — a new contraindication on the chart sends any screening back to re-screen")
    func invalidateRequiresRescreen() throws {
        // given an eligible, overridden screening
        var lifecycle = Self.lifecycle(.allClear)
        try lifecycle.overrideDecision(.eligible, reason: "Reviewed.", at: F.t0, by: F.physician)
        let chartedAt = F.t0.addingTimeInterval(F.days(3))
        // when
        lifecycle.invalidate(reason: "Pregnancy recorded (Z33.1)", at: chartedAt, by: F.nurse)
        lifecycle.invalidate(reason: "Allergy recorded", at: chartedAt.addingTimeInterval(60))
        // then
        let status = lifecycle.status(asOf: chartedAt)
        #expect(status == .rescreenRequired("Pregnancy recorded (Z33.1)"))
        #expect(status.label == "Re-screen required: Pregnancy recorded (Z33.1)")
        #expect(!status.isEligibleNow)
        #expect(lifecycle.rescreenRequired == RescreenReason(reason: "Pregnancy recorded (Z33.1)", at: chartedAt, by: F.nurse))
    }

    @Test("After invalidation, clearances, sign-offs and overrides are refused")
    func noChangesAfterInvalidation() throws {
        // given
        var lifecycle = Self.lifecycle(Self.needsCardiology)
        lifecycle.invalidate(reason: "New diagnosis", at: F.t0)
        // when / then
        #expect(throws: ClinicError.conflict("This screening must be repeated: New diagnosis")) {
            try lifecycle.recordClearance(Self.cardiologyLetter(), at: F.t0, in: F.utc, by: F.nurse)
        }
        #expect(throws: ClinicError.self) {
            try lifecycle.overrideDecision(.eligible, reason: "Reviewed.", at: F.t0, by: F.physician)
        }
        #expect(throws: ClinicError.self) {
            try lifecycle.signOff(kind: .cardiology, by: F.physician, at: F.t0)
        }
    }

    @Test("A lifecycle survives a JSON round trip")
    func codableRoundTrip() throws {
        // given
        var lifecycle = Self.lifecycle(Self.needsCardiology)
        try lifecycle.recordClearance(Self.cardiologyLetter(), at: F.t0, in: F.utc, by: F.nurse)
        try lifecycle.signOff(kind: .cardiology, by: F.physician, at: F.t0.addingTimeInterval(3600))
        // when
        let data = try JSONEncoder().encode(lifecycle)
        let decoded = try JSONDecoder().decode(ScreeningLifecycle.self, from: data)
        // then
        #expect(decoded == lifecycle)
        #expect(try JSONDecoder().decode(ScreeningStatus.self, from: JSONEncoder().encode(decoded.status(asOf: F.t0)))
                == lifecycle.status(asOf: F.t0))
    }
}
