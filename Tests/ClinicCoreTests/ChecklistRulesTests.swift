import Foundation
import Testing
@testable import ClinicCore

@Suite("Pre-infusion checklist (clinical-reference §10, §3)")
struct ChecklistRulesTests {
    typealias F = SessionFixture

    static func outcome(_ item: ChecklistItem, _ change: (inout PreInfusionChecklist) -> Void, at now: Date = F.at(5),
                        eligibility: ScreeningStatus = F.eligible, lastWeight: Weight? = F.lastWeight,
                        policy: ChecklistPolicy = .standard) -> ChecklistOutcome? {
        F.evaluate(F.passingForm.with(change), at: now, eligibility: eligibility, lastWeight: lastWeight, policy: policy)[item]?.outcome
    }

    @Test("clinical-reference §10 — a complete checklist passes every item")
    func passingForm() {
        let result = F.passingChecklist
        #expect(result.passed)
        #expect(result.items.map(\.item) == ChecklistItem.allCases)
        #expect(result.blockingItems.isEmpty)
        #expect(result.policy == .standard)
    }

    @Test("clinical-reference §10 — a result missing an item does not count as passed")
    func incompleteResultNotPassed() {
        var result = F.passingChecklist
        result.items.removeLast()
        #expect(!result.passed)
    }

    @Test("clinical-reference §10 — identity, medication review, mental status and IV site must be recorded")
    func simpleItems() {
        #expect(Self.outcome(.identity) { $0.identityConfirmed = false } == .fail)
        #expect(Self.outcome(.medicationChanges) { $0.medicationChangesReviewed = false } == .fail)
        #expect(Self.outcome(.mentalStatus) { $0.mentalStatus = "  " } == .fail)
        #expect(Self.outcome(.ivSite) { $0.ivSite = nil } == .fail)
        #expect(Self.outcome(.ivSite) { $0.ivSite = IVSiteCheck(site: "Right hand", condition: .infiltrated) } == .fail)
        #expect(Self.outcome(.escort) { $0.escort = nil } == .fail)
        #expect(Self.outcome(.escort) { $0.escort = EscortContact(name: "Sam Rivera", relationship: "Partner", phone: "") } == .fail)
    }

    @Test("clinical-reference §3 [D] — no solid food for 4 h: exactly 4 h passes, a second less fails")
    func solidFoodBoundary() {
        let now = F.at(5)
        #expect(Self.outcome(.solidFood, { $0.lastSolidFoodAt = now.addingTimeInterval(-4 * 3_600) }) == .pass)
        #expect(Self.outcome(.solidFood, { $0.lastSolidFoodAt = now.addingTimeInterval(-4 * 3_600 + 1) }) == .fail)
        #expect(Self.outcome(.solidFood, { $0.lastSolidFoodAt = nil }) == .fail)
    }

    @Test("clinical-reference §3 [D] — clear fluids up to 2 h before: exactly 2 h passes, a second less fails")
    func clearFluidBoundary() {
        let now = F.at(5)
        #expect(Self.outcome(.clearFluids, { $0.lastClearFluidAt = now.addingTimeInterval(-2 * 3_600) }) == .pass)
        #expect(Self.outcome(.clearFluids, { $0.lastClearFluidAt = now.addingTimeInterval(-2 * 3_600 + 1) }) == .fail)
        #expect(Self.outcome(.clearFluids, { $0.lastClearFluidAt = nil }) == .fail)
    }

    @Test("local policy [D] — consent counts for 365 days by default (the reference gives no period), configurable")
    func consentPeriod() {
        // Evaluated on 2026-11-25.
        let day365 = CalendarDate(year: 2026, month: 11, day: 25)!.adding(days: -365)
        #expect(Self.outcome(.consent) { $0.consentSignedOn = day365 } == .pass)
        #expect(Self.outcome(.consent) { $0.consentSignedOn = day365.adding(days: -1) } == .fail)
        #expect(Self.outcome(.consent) { $0.consentSignedOn = nil } == .fail)
        #expect(Self.outcome(.consent) { $0.consentSignedOn = CalendarDate(year: 2026, month: 11, day: 26)! } == .fail)
        #expect(Self.outcome(.consent, { $0.consentSignedOn = CalendarDate(year: 2026, month: 1, day: 1)! },
                             policy: ChecklistPolicy(consentValidityDays: 180)) == .fail)
    }

    @Test("clinical-reference §10, §2 — eligibility must still be valid; otherwise the status label is the reason")
    func eligibility() {
        let expired = F.evaluate(F.passingForm, eligibility: .expired)[.eligibility]
        #expect(expired?.outcome == .fail)
        #expect(expired?.reason == "Expired: screen again.")
        #expect(Self.outcome(.eligibility, { _ in }, eligibility: .needsClearance([.cardiology])) == .fail)
        #expect(Self.outcome(.eligibility, { _ in }, eligibility: .rescreenRequired("Pregnancy recorded")) == .fail)
        #expect(Self.outcome(.eligibility, { _ in }, eligibility: .eligible(validUntil: F.at(5))) == .fail)
    }

    @Test("Schwenk 2018 via clinical-reference §2 — pregnancy status is required unless not applicable")
    func pregnancy() {
        #expect(Self.outcome(.pregnancy) { $0.pregnancy = nil } == .fail)
        #expect(Self.outcome(.pregnancy) { $0.pregnancy = .notApplicable } == .pass)
        #expect(Self.outcome(.pregnancy) { $0.pregnancy = .notPregnant } == .pass)
        #expect(Self.outcome(.pregnancy) { $0.pregnancy = .pregnant } == .fail)
    }

    @Test("clinical-reference §3 [D] — a weight change of more than 10% must be confirmed: exactly 10% passes")
    func weightChangeBoundary() {
        // Last recorded 70 kg: 77 kg is exactly +10%, 77.001 kg is more; 63 kg is exactly −10%.
        #expect(Self.outcome(.weight) { $0.weightToday = Weight(grams: 77_000, enteredUnit: .kg) } == .pass)
        #expect(Self.outcome(.weight) { $0.weightToday = Weight(grams: 63_000, enteredUnit: .kg) } == .pass)
        #expect(Self.outcome(.weight) { $0.weightToday = Weight(grams: 77_001, enteredUnit: .kg) } == .needsConfirmation)
        #expect(Self.outcome(.weight) { $0.weightToday = Weight(grams: 62_999, enteredUnit: .kg) } == .needsConfirmation)
        #expect(Self.outcome(.weight) {
            $0.weightToday = Weight(grams: 77_001, enteredUnit: .kg)
            $0.weightConfirmed = true
        } == .pass)
        #expect(Self.outcome(.weight) { $0.weightToday = nil } == .fail)
    }

    @Test("clinical-reference §3 [D] — a weight outside 30–250 kg must be confirmed; the unit is shown")
    func weightPlausibility() {
        #expect(Self.outcome(.weight, { $0.weightToday = Weight(grams: 30_000, enteredUnit: .kg) }, lastWeight: nil) == .pass)
        #expect(Self.outcome(.weight, { $0.weightToday = Weight(grams: 29_999, enteredUnit: .kg) }, lastWeight: nil) == .needsConfirmation)
        #expect(Self.outcome(.weight, { $0.weightToday = Weight(grams: 250_000, enteredUnit: .kg) }, lastWeight: nil) == .pass)
        #expect(Self.outcome(.weight, { $0.weightToday = Weight(grams: 250_001, enteredUnit: .kg) }, lastWeight: nil) == .needsConfirmation)
        // 160 kg typed when 160 lb was meant.
        let result = F.evaluate(F.passingForm.with { $0.weightToday = Weight(value: 160, unit: .lb) }, lastWeight: Weight(value: 160, unit: .kg))
        #expect(result[.weight]?.outcome == .needsConfirmation)
        #expect(result[.weight]?.reason.contains("160.0 lb (72.6 kg)") == true)
    }

    static func withBloodPressure(_ systolic: Int, _ diastolic: Int) -> (inout PreInfusionChecklist) -> Void {
        { $0.baselineVitals = VitalsReading(takenAt: F.at(3), systolic: systolic, diastolic: diastolic, heartRate: 70, oxygenSaturation: 98, respiratoryRate: 14) }
    }

    @Test("clinical-reference §3 [D] — blood pressure 159/99 passes; 160 systolic or 100 diastolic holds for a recheck after 10 min")
    func bloodPressureHold() {
        let recheckFrom = ChecklistOutcome.needsRecheck(notBefore: F.at(13))
        #expect(Self.outcome(.bloodPressure, Self.withBloodPressure(159, 99)) == .pass)
        #expect(Self.outcome(.bloodPressure, Self.withBloodPressure(160, 99)) == recheckFrom)
        #expect(Self.outcome(.bloodPressure, Self.withBloodPressure(159, 100)) == recheckFrom)
        #expect(Self.outcome(.bloodPressure, Self.withBloodPressure(160, 100)) == recheckFrom)
        #expect(!F.evaluate(F.passingForm.with(Self.withBloodPressure(160, 100))).passed)
    }

    @Test("clinical-reference §3 [D] — the recheck counts only after 10 minutes' rest; below the threshold it passes")
    func recheckTiming() {
        func recheck(afterMinutes m: Double, _ systolic: Int, _ diastolic: Int) -> (inout PreInfusionChecklist) -> Void {
            { form in
                Self.withBloodPressure(164, 96)(&form)
                form.bloodPressureRecheck = VitalsReading(takenAt: F.at(3 + m), systolic: systolic, diastolic: diastolic)
            }
        }
        let now = F.at(20)
        #expect(Self.outcome(.bloodPressure, recheck(afterMinutes: 9, 150, 90), at: now) == .needsRecheck(notBefore: F.at(13)))
        #expect(Self.outcome(.bloodPressure, recheck(afterMinutes: 10, 150, 90), at: now) == .pass)
        #expect(Self.outcome(.bloodPressure, recheck(afterMinutes: 10, 159, 99), at: now) == .pass)
        #expect(Self.outcome(.bloodPressure, recheck(afterMinutes: 10, 160, 90), at: now) == .fail)
        // The session's baseline pressure is then the recheck's.
        #expect(F.evaluate(F.passingForm.with(recheck(afterMinutes: 10, 150, 90)), at: now).baseline?.systolic == 150)
    }

    @Test("clinical-reference §3 [D] — a pressure still held after the recheck passes only with a physician override with a reason")
    func overrideNeedsReason() throws {
        func held(_ override: PhysicianOverride?) -> (inout PreInfusionChecklist) -> Void {
            { form in
                Self.withBloodPressure(170, 104)(&form)
                form.bloodPressureRecheck = VitalsReading(takenAt: F.at(14), systolic: 166, diastolic: 102)
                form.bloodPressureOverride = override
            }
        }
        let now = F.at(20)
        #expect(Self.outcome(.bloodPressure, held(nil), at: now) == .fail)
        #expect(Self.outcome(.bloodPressure, held(PhysicianOverride(physician: F.physician, reason: "  ")), at: now) == .fail)
        let reason = "Known white-coat effect; home readings 130s/80s"
        let overridden = F.evaluate(F.passingForm.with(held(PhysicianOverride(physician: F.physician, reason: reason))), at: now)
        #expect(overridden[.bloodPressure]?.outcome == .pass)
        #expect(overridden[.bloodPressure]?.reason.contains(reason) == true)
        #expect(overridden.form.bloodPressureOverride?.physician == F.physician)
        // The form itself refuses a blank override reason.
        #expect(F.invalidFields { _ = try F.passingForm.with(held(PhysicianOverride(physician: F.physician, reason: ""))).validated(at: now) }
                == ["bloodPressureOverride.reason"])
        // An override does not replace the recheck.
        #expect(Self.outcome(.bloodPressure, { form in
            Self.withBloodPressure(170, 104)(&form)
            form.bloodPressureOverride = PhysicianOverride(physician: F.physician, reason: reason)
        }, at: now) == .needsRecheck(notBefore: F.at(13)))
    }

    @Test("clinical-reference §3 [D] — baseline heart rate, SpO₂ and respiratory rate hold at the medium-priority alarm limits")
    func alarmLimitsAsBaselineLimits() {
        func vitals(hr: Int = 70, spo2: Int = 98, rr: Int = 14) -> (inout PreInfusionChecklist) -> Void {
            { $0.baselineVitals = VitalsReading(takenAt: F.at(3), systolic: 120, diastolic: 80, heartRate: hr, oxygenSaturation: spo2, respiratoryRate: rr) }
        }
        #expect(Self.outcome(.heartRate, vitals(hr: 50)) == .pass)
        #expect(Self.outcome(.heartRate, vitals(hr: 49)) == .fail)
        #expect(Self.outcome(.heartRate, vitals(hr: 110)) == .pass)
        #expect(Self.outcome(.heartRate, vitals(hr: 111)) == .fail)
        #expect(Self.outcome(.oxygenSaturation, vitals(spo2: 92)) == .pass)
        #expect(Self.outcome(.oxygenSaturation, vitals(spo2: 91)) == .fail)
        #expect(Self.outcome(.respiratoryRate, vitals(rr: 10)) == .pass)
        #expect(Self.outcome(.respiratoryRate, vitals(rr: 9)) == .fail)
        #expect(Self.outcome(.respiratoryRate) { $0.baselineVitals?.respiratoryRate = nil } == .fail)
        // Configurable: a stricter local limit.
        #expect(Self.outcome(.heartRate, vitals(hr: 101), policy: ChecklistPolicy(holdHeartRateAbove: 100)) == .fail)
    }

    @Test("brief — implausible entries are refused before evaluation")
    func validation() {
        let form = F.passingForm.with {
            $0.baselineVitals = VitalsReading(takenAt: F.at(3), systolic: 400, diastolic: 80, heartRate: 70)
            $0.lastSolidFoodAt = F.at(60)
        }
        #expect(F.invalidFields { _ = try form.validated(at: F.at(5)) } == ["lastSolidFoodAt", "baselineVitals.systolic"])
    }

    @Test("clinical-reference §10 — the state machine moves to ready only on a passing checklist")
    func gatesTheStateMachine() throws {
        var session = F.session(in: .checkedIn)
        let held = F.evaluate(F.passingForm.with(Self.withBloodPressure(162, 98)))
        try session.apply(.checklistRecorded(held), at: F.at(5), by: F.nurse)
        #expect(session.state == .checkedIn)
        let rechecked = F.evaluate(F.passingForm.with {
            Self.withBloodPressure(162, 98)(&$0)
            $0.bloodPressureRecheck = VitalsReading(takenAt: F.at(13), systolic: 148, diastolic: 92)
        }, at: F.at(14))
        try session.apply(.checklistRecorded(rechecked), at: F.at(14), by: F.nurse)
        #expect(session.state == .ready)
        #expect(session.checklists.count == 2)
        #expect(session.baselineVitals?.systolic == 148)
    }
}
