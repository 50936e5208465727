import Foundation
import Tagged
import Testing
import ClinicCore

// MARK: - Fixtures shared by the Screening*Tests files

/// Fixed instants, people and forms for the screening tests.
enum ScreeningFixture {
    /// 2026-11-25T10:00:00Z, the screening time.
    static let t0 = Date(timeIntervalSince1970: TimeInterval(CalendarDate(year: 2026, month: 11, day: 25)!.daysSinceEpoch * 86_400 + 10 * 3_600))
    static let utc = TimeZone(identifier: "UTC")!
    static let nurse = User.ID(rawValue: UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!)
    static let physician = User.ID(rawValue: UUID(uuidString: "00000000-0000-0000-0000-00000000000B")!)

    static func minutes(_ m: Double) -> TimeInterval { m * 60 }
    static func days(_ d: Double) -> TimeInterval { d * 86_400 }

    /// Seated readings taken `gapMinutes` apart, ending at `t0`.
    static func seatedReadings(_ pressures: [(Int, Int)], gapMinutes: Double = 5) -> [BloodPressureReading] {
        pressures.enumerated().map { index, bp in
            BloodPressureReading(systolic: bp.0, diastolic: bp.1,
                                 takenAt: t0.addingTimeInterval(-minutes(gapMinutes * Double(pressures.count - 1 - index))),
                                 seated: true)
        }
    }

    /// Evaluates with the standard rule set.
    static func evaluate(_ form: ScreeningForm, chart: ScreeningChartFacts = .empty) -> ScreeningEvaluation {
        ScreeningRuleSet.standard.evaluate(form: form, chart: chart)
    }
}

extension ScreeningForm {
    /// Every question answered with no contraindication, and two normal seated readings 5 min apart.
    static let allClear = ScreeningForm(
        bloodPressureReadings: ScreeningFixture.seatedReadings([(122, 78), (118, 80)]),
        cardiovascular: CardiovascularStatus.none,
        psychosis: PsychosisStatus.none,
        hepatic: HepaticStatus.none,
        heavyAlcoholUse: false,
        raisedIntracranialPressure: false,
        raisedIntraocularPressure: false,
        activeSubstanceAbuse: false,
        pregnancy: .notPregnant,
        ketamineHypersensitivity: false,
        priorKetamineExposure: false,
        priorSevereKetamineReaction: nil,
        notes: ""
    )

    /// A copy with one change.
    func with(_ change: (inout ScreeningForm) -> Void) -> ScreeningForm {
        var copy = self
        change(&copy)
        return copy
    }
}

// MARK: - The decision table of clinical-reference §2

@Suite("Screening decision table (clinical-reference §2)")
struct ScreeningRulesTests {
    typealias F = ScreeningFixture

    @Test("A fully answered form with no finding is eligible with no reasons")
    func allClearIsEligible() {
        // given
        let form = ScreeningForm.allClear
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .eligible)
        #expect(result.reasons.isEmpty)
        #expect(result.requiredClearances.isEmpty)
        #expect(result.meanBloodPressure == MeanBloodPressure(systolic: 120, diastolic: 79, readingsUsed: 2))
    }

    @Test("The result keeps the rule-set version and the thresholds in force (clinical-reference §2 [D])")
    func resultKeepsVersionAndThresholds() {
        // given
        let strict = ScreeningThresholds(clearanceSystolic: 150, clearanceDiastolic: 95)
        let rules = ScreeningRuleSet(version: "2027.01-2", thresholds: strict)
        // when
        let result = rules.evaluate(form: .allClear, chart: .empty)
        let standard = F.evaluate(.allClear)
        // then
        #expect(result.ruleSetVersion == "2027.01-2")
        #expect(result.thresholds == strict)
        #expect(standard.ruleSetVersion == "2026.11-1")
        #expect(standard.thresholds == .standard)
    }

    @Test("Cohen 2018 RAPM 43:521 — poorly controlled cardiovascular disease: do not use → not eligible")
    func poorlyControlledCardiovascular() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.cardiovascular = .poorlyControlled }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .notEligible)
        let reason = try #require(result.reasons.sole)
        #expect(reason.ruleID == "cardiovascular.poorlyControlled")
        #expect(reason.finding == "Poorly controlled cardiovascular disease")
        #expect(reason.decision == .notEligible)
        #expect(reason.clearance == nil)
        #expect(reason.field == "cardiovascular")
        #expect(reason.source == "Cohen SP et al. Reg Anesth Pain Med 2018;43(5):521–546 — do not use")
    }

    @Test("Cohen 2018 RAPM 43:521 — stable known heart disease: cardiac risk → needs cardiology clearance (clinical-reference §2 [D])")
    func stableHeartDisease() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.cardiovascular = .stableKnownDisease }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .needsClearance)
        #expect(result.requiredClearances == [.cardiology])
        let reason = try #require(result.reasons.sole)
        #expect(reason.ruleID == "cardiovascular.stableKnownDisease")
        #expect(reason.clearance == .cardiology)
        #expect(reason.source.contains("Cohen SP et al. Reg Anesth Pain Med 2018"))
    }

    @Test("Cohen 2018 RAPM 43:521 — raised intracranial pressure: do not use → not eligible")
    func raisedIntracranialPressure() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.raisedIntracranialPressure = true }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .notEligible)
        #expect(try #require(result.reasons.sole).ruleID == "intracranialPressure.raised")
    }

    @Test("Cohen 2018 RAPM 43:521 — raised intraocular pressure: do not use → not eligible")
    func raisedIntraocularPressure() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.raisedIntraocularPressure = true }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .notEligible)
        let reason = try #require(result.reasons.sole)
        #expect(reason.ruleID == "intraocularPressure.raised")
        #expect(reason.field == "raisedIntraocularPressure")
    }

    @Test("Cohen 2018 RAPM 43:521 — poorly controlled psychosis: avoid → not eligible")
    func poorlyControlledPsychosis() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.psychosis = .poorlyControlled }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .notEligible)
        let reason = try #require(result.reasons.sole)
        #expect(reason.ruleID == "psychosis.poorlyControlled")
        #expect(reason.source.hasSuffix("— avoid"))
    }

    @Test("Cohen 2018 RAPM 43:521 — a history of psychosis that is well controlled is no finding")
    func wellControlledPsychosisHistory() {
        // given
        let form = ScreeningForm.allClear.with { $0.psychosis = .historyWellControlled }
        // when / then
        #expect(F.evaluate(form).decision == .eligible)
    }

    @Test("Cohen 2018 RAPM 43:521 — severe hepatic disease: avoid → not eligible")
    func severeHepaticDisease() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.hepatic = .severe }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .notEligible)
        #expect(try #require(result.reasons.sole).ruleID == "hepatic.severe")
    }

    @Test("Cohen 2018 RAPM 43:521 — moderate hepatic disease: caution, liver tests → needs clearance (liver tests)")
    func moderateHepaticDisease() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.hepatic = .moderate }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .needsClearance)
        #expect(result.requiredClearances == [.liverTests])
        #expect(try #require(result.reasons.sole).ruleID == "hepatic.moderate")
    }

    @Test("Cohen 2018 RAPM 43:521 — mild hepatic disease is no finding")
    func mildHepaticDisease() {
        // given
        let form = ScreeningForm.allClear.with { $0.hepatic = .mild }
        // when / then
        #expect(F.evaluate(form).decision == .eligible)
    }

    @Test("Cohen 2018 RAPM 43:521 — heavy alcohol use: liver tests → needs clearance (liver tests)")
    func heavyAlcoholUse() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.heavyAlcoholUse = true }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .needsClearance)
        #expect(result.requiredClearances == [.liverTests])
        #expect(try #require(result.reasons.sole).ruleID == "alcohol.heavyUse")
    }

    @Test("Cohen 2018 RAPM 43:521 — moderate hepatic disease and heavy alcohol use need one liver-tests clearance")
    func liverClearanceListedOnce() {
        // given
        let form = ScreeningForm.allClear.with {
            $0.hepatic = .moderate
            $0.heavyAlcoholUse = true
        }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.reasons.map(\.ruleID) == ["hepatic.moderate", "alcohol.heavyUse"])
        #expect(result.requiredClearances == [.liverTests])
    }

    @Test("Cohen 2018 RAPM 43:521 — active substance abuse: no serial infusions → not eligible")
    func activeSubstanceAbuse() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.activeSubstanceAbuse = true }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .notEligible)
        let reason = try #require(result.reasons.sole)
        #expect(reason.ruleID == "substanceAbuse.active")
        #expect(reason.source.hasSuffix("— no serial infusions"))
    }

    @Test("Schwenk 2018 — pregnancy reported on the form → not eligible (clinical-reference §2 [D])")
    func pregnancyOnForm() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.pregnancy = .pregnant }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .notEligible)
        let reason = try #require(result.reasons.sole)
        #expect(reason.ruleID == "pregnancy.reported")
        #expect(reason.source.contains("Schwenk 2018"))
        #expect(reason.source.contains("10.1097/AAP.0000000000000806"))
    }

    @Test("Schwenk 2018 — a pregnancy code on the chart → not eligible, even when the form says not pregnant")
    func pregnancyOnChart() throws {
        // given
        let chart = ScreeningChartFacts(diagnosisCodes: ["M79.7", "Z33.1"])
        // when
        let result = F.evaluate(.allClear, chart: chart)
        // then
        #expect(result.decision == .notEligible)
        let reason = try #require(result.reasons.sole)
        #expect(reason.ruleID == "pregnancy.charted")
        #expect(reason.finding.contains("Z33.1"))
        #expect(reason.field == nil)
    }

    @Test("ICD-10-CM: Z33.1 and chapter 15 (O00–O9A) count as pregnancy", arguments: [
        "Z33.1", "z331", " O00.0 ", "O09.90", "O26.891", "O99.89", "O9A.111", "o9a311",
    ])
    func pregnancyCodes(code: String) {
        #expect(ScreeningChartFacts.isPregnancyCode(code))
    }

    @Test("ICD-10-CM: other codes are not pregnancy", arguments: [
        "Z33.2", "Z33", "M79.7", "G90.51", "E11.42", "O", "OX1.0", "",
    ])
    func nonPregnancyCodes(code: String) {
        #expect(!ScreeningChartFacts.isPregnancyCode(code))
    }

    @Test("clinical-reference §2 [D] — known hypersensitivity to ketamine on the form → not eligible")
    func hypersensitivityOnForm() throws {
        // given
        let form = ScreeningForm.allClear.with { $0.ketamineHypersensitivity = true }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .notEligible)
        let reason = try #require(result.reasons.sole)
        #expect(reason.ruleID == "hypersensitivity.reported")
        #expect(reason.source.contains("clinical-reference §2 [D]"))
    }

    @Test("clinical-reference §2 [D] — a chart allergy naming ketamine (any case) → not eligible",
          arguments: ["Ketamine (anaphylaxis)", "KETAMINE", "rash after ketamine 2019"])
    func hypersensitivityOnChart(allergy: String) throws {
        // given
        let chart = ScreeningChartFacts(allergies: ["Penicillin", allergy])
        // when
        let result = F.evaluate(.allClear, chart: chart)
        // then
        #expect(result.decision == .notEligible)
        let reason = try #require(result.reasons.sole)
        #expect(reason.ruleID == "hypersensitivity.chartedAllergy")
        #expect(reason.finding.contains(allergy))
    }

    @Test("clinical-reference §2 [D] — allergies not naming ketamine are no finding")
    func otherAllergies() {
        // given
        let chart = ScreeningChartFacts(allergies: ["Penicillin", "Latex"], diagnosisCodes: ["G90.51"])
        // when / then
        #expect(F.evaluate(.allClear, chart: chart).decision == .eligible)
    }

    @Test("clinical-reference §2 [D] — a prior severe reaction to ketamine → needs clearance (physician review)")
    func priorSevereReaction() throws {
        // given
        let form = ScreeningForm.allClear.with {
            $0.priorKetamineExposure = true
            $0.priorSevereKetamineReaction = true
        }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .needsClearance)
        #expect(result.requiredClearances == [.physicianReview])
        #expect(try #require(result.reasons.sole).ruleID == "ketamineReaction.priorSevere")
    }

    @Test("clinical-reference §2 [D] — prior exposure without a severe reaction is no finding")
    func priorExposureWithoutReaction() {
        // given
        let form = ScreeningForm.allClear.with {
            $0.priorKetamineExposure = true
            $0.priorSevereKetamineReaction = false
        }
        // when / then
        #expect(F.evaluate(form).decision == .eligible)
    }

    @Test("clinical-reference §2 [D] — the severe-reaction question is required only after prior exposure")
    func severeReactionRequiredOnlyAfterExposure() throws {
        // given
        let exposed = ScreeningForm.allClear.with { $0.priorKetamineExposure = true }
        let naive = ScreeningForm.allClear.with { $0.priorKetamineExposure = false }
        // when
        let exposedResult = F.evaluate(exposed)
        let naiveResult = F.evaluate(naive)
        // then
        #expect(exposedResult.decision == .incomplete)
        #expect(try #require(exposedResult.reasons.sole).field == "priorSevereKetamineReaction")
        #expect(naiveResult.decision == .eligible)
    }

    @Test("clinical-reference §2 [D] — an empty form lists every unanswered question and the blood-pressure recheck")
    func emptyFormIsIncomplete() {
        // given
        let form = ScreeningForm()
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .incomplete)
        #expect(result.missingFields == [
            "cardiovascular", "raisedIntracranialPressure", "raisedIntraocularPressure", "psychosis", "hepatic",
            "heavyAlcoholUse", "activeSubstanceAbuse", "pregnancy", "ketamineHypersensitivity", "priorKetamineExposure",
            "bloodPressureReadings",
        ])
        #expect(result.reasons.allSatisfy { $0.decision == .incomplete })
        #expect(result.reasons.first?.ruleID == "cardiovascular.unanswered")
        #expect(result.reasons.last?.ruleID == "bloodPressure.recheck")
    }

    @Test("clinical-reference §2 [D] — each unanswered question alone makes the result incomplete, naming its field",
          arguments: ["cardiovascular", "raisedIntracranialPressure", "raisedIntraocularPressure", "psychosis", "hepatic",
                      "heavyAlcoholUse", "activeSubstanceAbuse", "pregnancy", "ketamineHypersensitivity", "priorKetamineExposure"])
    func eachUnansweredQuestion(field: String) throws {
        // given
        let form = ScreeningForm.allClear.with { form in
            switch field {
            case "cardiovascular": form.cardiovascular = nil
            case "raisedIntracranialPressure": form.raisedIntracranialPressure = nil
            case "raisedIntraocularPressure": form.raisedIntraocularPressure = nil
            case "psychosis": form.psychosis = nil
            case "hepatic": form.hepatic = nil
            case "heavyAlcoholUse": form.heavyAlcoholUse = nil
            case "activeSubstanceAbuse": form.activeSubstanceAbuse = nil
            case "pregnancy": form.pregnancy = nil
            case "ketamineHypersensitivity": form.ketamineHypersensitivity = nil
            case "priorKetamineExposure": form.priorKetamineExposure = nil
            default: Issue.record("unknown field \(field)")
            }
        }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .incomplete)
        let reason = try #require(result.reasons.sole)
        #expect(reason.field == field)
        #expect(reason.ruleID == "\(field).unanswered")
        #expect(reason.finding.hasPrefix("Not answered: "))
    }

    @Test("clinical-reference §2 [D] — not eligible wins over incomplete, and the missing answers are still listed")
    func notEligibleWinsOverIncomplete() {
        // given
        let form = ScreeningForm.allClear.with {
            $0.activeSubstanceAbuse = true
            $0.pregnancy = nil
            $0.bloodPressureReadings = []
        }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .notEligible)
        #expect(result.reasons.map(\.ruleID) == ["substanceAbuse.active", "pregnancy.unanswered", "bloodPressure.recheck"])
        #expect(result.missingFields == ["pregnancy", "bloodPressureReadings"])
    }

    @Test("clinical-reference §2 [D] — incomplete wins over needs clearance; no clearance is required yet")
    func incompleteWinsOverClearance() {
        // given
        let form = ScreeningForm.allClear.with {
            $0.cardiovascular = .stableKnownDisease
            $0.hepatic = nil
        }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .incomplete)
        #expect(result.requiredClearances.isEmpty)
        #expect(result.reasons.map(\.decision) == [.needsClearance, .incomplete])
    }

    @Test("clinical-reference §2 [D] — not eligible wins over needs clearance")
    func notEligibleWinsOverClearance() {
        // given
        let form = ScreeningForm.allClear.with {
            $0.hepatic = .moderate
            $0.raisedIntraocularPressure = true
        }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .notEligible)
        #expect(result.requiredClearances.isEmpty)
        #expect(result.reasons.count == 2)
    }

    @Test("clinical-reference §2 [D] — several clearances are listed once each, in a stable order")
    func severalClearances() {
        // given
        let form = ScreeningForm.allClear.with {
            $0.bloodPressureReadings = ScreeningFixture.seatedReadings([(165, 90), (163, 92)])
            $0.priorKetamineExposure = true
            $0.priorSevereKetamineReaction = true
            $0.heavyAlcoholUse = true
            $0.cardiovascular = .stableKnownDisease
        }
        // when
        let result = F.evaluate(form)
        // then
        #expect(result.decision == .needsClearance)
        #expect(result.requiredClearances == [.cardiology, .liverTests, .physicianReview, .bloodPressure])
        #expect(result.reasons.allSatisfy { $0.decision == .needsClearance && $0.clearance != nil })
    }

    @Test("Every reason names a rule, a finding and a source")
    func reasonsAreComplete() {
        // given a form that fires many rules
        let form = ScreeningForm().with {
            $0.cardiovascular = .poorlyControlled
            $0.hepatic = .moderate
            $0.pregnancy = .pregnant
        }
        let chart = ScreeningChartFacts(allergies: ["ketamine"], diagnosisCodes: ["O09.90"])
        // when
        let reasons = F.evaluate(form, chart: chart).reasons
        // then
        #expect(reasons.count == 13)
        for reason in reasons {
            #expect(!reason.ruleID.isEmpty && !reason.finding.isEmpty && !reason.source.isEmpty)
            #expect((reason.decision == .needsClearance) == (reason.clearance != nil))
        }
    }
}

extension Array where Element == ScreeningReason {
    /// The single reason, or nil when there are zero or several.
    var sole: ScreeningReason? { count == 1 ? first : nil }
}
