import Foundation
import PropertyBased
import Testing
import ClinicCore

/// Generators of screening forms for the property tests.
enum ScreeningGen {
    /// Up to four readings, 0–20 min after the previous one, mostly seated, plausible pressures.
    static let readings = zip(Gen.int(in: 80...230), Gen.int(in: 40...140), Gen.int(in: 0...20), Gen.bool(0.8))
        .map { systolic, diastolic, gap, seated in (systolic, min(diastolic, systolic - 10), gap, seated) }
        .array(of: 0...4)
        .map { items in
            var at = ScreeningFixture.t0
            return items.map { systolic, diastolic, gap, seated in
                at = at.addingTimeInterval(ScreeningFixture.minutes(Double(gap)))
                return BloodPressureReading(systolic: systolic, diastolic: diastolic, takenAt: at, seated: seated)
            }
        }

    static let answers = zip(
        Gen<CardiovascularStatus>.case.optional,
        Gen<PsychosisStatus>.case.optional,
        Gen<HepaticStatus>.case.optional,
        Gen.bool.optional,
        Gen.bool.optional,
        Gen.bool.optional,
        Gen.bool.optional,
        Gen<PregnancyStatus>.case.optional,
        Gen.bool.optional,
        Gen.bool.optional
    )

    /// Any form, answered or not, with or without findings.
    static let form = zip(answers, Gen.bool.optional, readings).map { answers, reaction, readings in
        ScreeningForm(
            bloodPressureReadings: readings,
            cardiovascular: answers.0, psychosis: answers.1, hepatic: answers.2, heavyAlcoholUse: answers.3,
            raisedIntracranialPressure: answers.4, raisedIntraocularPressure: answers.5, activeSubstanceAbuse: answers.6,
            pregnancy: answers.7, ketamineHypersensitivity: answers.8, priorKetamineExposure: answers.9,
            priorSevereKetamineReaction: answers.9 == true ? reaction : nil)
    }

    /// Any chart: with or without a ketamine allergy or a pregnancy code.
    static let chart = zip(Gen.int(in: 0...2), Gen.int(in: 0...3)).map { allergy, code in
        ScreeningChartFacts(allergies: [[], ["Penicillin"], ["Ketamine"]][allergy],
                            diagnosisCodes: [[], ["M79.7"], ["O09.90"], ["Z33.1"]][code])
    }

    /// The not-eligible findings of clinical-reference §2, one per row.
    enum NotEligibleFinding: CaseIterable, Sendable {
        case poorlyControlledCardiovascular, raisedIntracranialPressure, raisedIntraocularPressure, poorlyControlledPsychosis,
             severeHepatic, activeSubstanceAbuse, pregnancy, hypersensitivity, bloodPressureAt180

        func apply(to form: inout ScreeningForm) {
            switch self {
            case .poorlyControlledCardiovascular: form.cardiovascular = .poorlyControlled
            case .raisedIntracranialPressure: form.raisedIntracranialPressure = true
            case .raisedIntraocularPressure: form.raisedIntraocularPressure = true
            case .poorlyControlledPsychosis: form.psychosis = .poorlyControlled
            case .severeHepatic: form.hepatic = .severe
            case .activeSubstanceAbuse: form.activeSubstanceAbuse = true
            case .pregnancy: form.pregnancy = .pregnant
            case .hypersensitivity: form.ketamineHypersensitivity = true
            case .bloodPressureAt180: form.bloodPressureReadings = ScreeningFixture.seatedReadings([(180, 90), (180, 90)])
            }
        }
    }
}

@Suite("Screening properties (clinical-reference §2)")
struct ScreeningPropertyTests {
    typealias F = ScreeningFixture

    @Test("clinical-reference §2 [D] — adding any not-eligible finding to any form yields not eligible")
    func notEligibleFindingDominates() async {
        await propertyCheck(count: 300, input: ScreeningGen.form, ScreeningGen.chart, Gen<ScreeningGen.NotEligibleFinding>.case) {
            form, chart, finding in
            // given
            var worse = form
            finding.apply(to: &worse)
            // when
            let result = F.evaluate(worse, chart: chart)
            // then
            #expect(result.decision == .notEligible)
            #expect(result.requiredClearances.isEmpty)
        }
    }

    @Test("clinical-reference §3 [D] — the decision is monotone in blood pressure")
    func monotoneInBloodPressure() async {
        await propertyCheck(count: 300, input: ScreeningGen.form, Gen.int(in: 90...200), Gen.int(in: 50...130),
                            Gen.int(in: 0...40), Gen.int(in: 0...30)) { form, systolic, diastolic, raiseSystolic, raiseDiastolic in
            // given the same two seated readings, then both raised
            let lower = form.with { $0.bloodPressureReadings = F.seatedReadings([(systolic, diastolic), (systolic, diastolic)]) }
            let higher = form.with {
                $0.bloodPressureReadings = F.seatedReadings([(systolic + raiseSystolic, diastolic + raiseDiastolic),
                                                             (systolic + raiseSystolic, diastolic + raiseDiastolic)])
            }
            // when
            let before = F.evaluate(lower).decision
            let after = F.evaluate(higher).decision
            // then
            #expect(after.precedence >= before.precedence, "\(before) became \(after)")
        }
    }

    @Test("clinical-reference §2 [D] — the decision is the strongest reason; eligible exactly when there are no reasons")
    func decisionCombinesReasons() async {
        await propertyCheck(count: 300, input: ScreeningGen.form, ScreeningGen.chart) { form, chart in
            // when
            let result = F.evaluate(form, chart: chart)
            // then
            let strongest = result.reasons.map(\.decision).max { $0.precedence < $1.precedence } ?? .eligible
            #expect(result.decision == strongest)
            #expect((result.decision == .eligible) == result.reasons.isEmpty)
            #expect((result.decision == .needsClearance) == !result.requiredClearances.isEmpty)
            #expect(Set(result.requiredClearances).count == result.requiredClearances.count)
            #expect(result.reasons.allSatisfy { ($0.decision == .needsClearance) == ($0.clearance != nil) })
        }
    }

    @Test("Generated forms are valid input, and evaluations survive a JSON round trip")
    func generatedFormsAreValidAndCodable() async throws {
        await propertyCheck(count: 100, input: ScreeningGen.form, ScreeningGen.chart) { form, chart in
            // given
            let validated = try form.validated()
            let result = F.evaluate(validated, chart: chart)
            // when
            let decoded = try JSONDecoder().decode(ScreeningEvaluation.self, from: JSONEncoder().encode(result))
            // then
            #expect(decoded == result)
        }
    }
}
