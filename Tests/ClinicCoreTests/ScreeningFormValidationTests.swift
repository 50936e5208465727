import Foundation
import Testing
import ClinicCore

@Suite("Screening form validation")
struct ScreeningFormValidationTests {
    typealias F = ScreeningFixture

    /// The field errors a form throws, or [] when it is valid.
    static func fieldErrors(_ form: ScreeningForm) -> [FieldError] {
        do {
            _ = try form.validated()
            return []
        } catch ClinicError.invalid(let errors) {
            return errors
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test("A plausible form passes unchanged")
    func validFormPasses() throws {
        // given
        let form = ScreeningForm.allClear
        // when
        let validated = try form.validated()
        // then
        #expect(validated == form)
    }

    @Test("Missing answers are not validation errors (they make the result incomplete)")
    func missingAnswersAreValid() {
        #expect(Self.fieldErrors(ScreeningForm()).isEmpty)
    }

    @Test("Systolic and diastolic limits are inclusive: 50–300 and 20–200 mmHg pass")
    func plausibleLimitsInclusive() {
        // given
        let form = ScreeningForm.allClear.with { $0.bloodPressureReadings = F.seatedReadings([(300, 200), (50, 20)]) }
        // when / then
        #expect(Self.fieldErrors(form).isEmpty)
    }

    @Test("Implausible pressures are named by reading index and field")
    func implausiblePressures() {
        // given
        let form = ScreeningForm.allClear.with {
            $0.bloodPressureReadings = F.seatedReadings([(120, 80), (49, 19), (301, 201)])
        }
        // when
        let errors = Self.fieldErrors(form)
        // then
        #expect(errors == [
            FieldError("bloodPressureReadings[1].systolic", "Systolic pressure must be between 50 and 300 mmHg."),
            FieldError("bloodPressureReadings[1].diastolic", "Diastolic pressure must be between 20 and 200 mmHg."),
            FieldError("bloodPressureReadings[2].systolic", "Systolic pressure must be between 50 and 300 mmHg."),
            FieldError("bloodPressureReadings[2].diastolic", "Diastolic pressure must be between 20 and 200 mmHg."),
        ])
    }

    @Test("Diastolic must be lower than systolic", arguments: [(120, 120), (90, 110)])
    func diastolicBelowSystolic(systolic: Int, diastolic: Int) {
        // given
        let form = ScreeningForm.allClear.with {
            $0.bloodPressureReadings = F.seatedReadings([(120, 80), (systolic, diastolic)])
        }
        // when / then
        #expect(Self.fieldErrors(form) == [
            FieldError("bloodPressureReadings[1].diastolic", "Diastolic pressure must be lower than systolic pressure."),
        ])
    }

    @Test("Notes are limited to 4000 characters")
    func notesLength() {
        // given
        let atLimit = ScreeningForm.allClear.with { $0.notes = String(repeating: "é", count: 4000) }
        let overLimit = ScreeningForm.allClear.with { $0.notes = String(repeating: "a", count: 4001) }
        // when / then
        #expect(Self.fieldErrors(atLimit).isEmpty)
        #expect(Self.fieldErrors(overLimit) == [FieldError("notes", "Notes must be at most 4000 characters.")])
    }

    @Test("A severe-reaction answer without prior exposure = yes is contradictory",
          arguments: [(false as Bool?, true as Bool?), (nil, true), (false, false)])
    func severeReactionWithoutExposure(exposure: Bool?, reaction: Bool?) {
        // given
        let form = ScreeningForm.allClear.with {
            $0.priorKetamineExposure = exposure
            $0.priorSevereKetamineReaction = reaction
        }
        // when
        let errors = Self.fieldErrors(form)
        // then
        #expect(errors.map(\.field) == ["priorSevereKetamineReaction"])
        #expect(errors.first?.reason.contains("prior ketamine exposure is 'yes'") == true)
    }

    @Test("Every bad field is reported at once")
    func allErrorsTogether() {
        // given
        let form = ScreeningForm.allClear.with {
            $0.bloodPressureReadings = F.seatedReadings([(40, 80), (120, 80)])
            $0.priorKetamineExposure = false
            $0.priorSevereKetamineReaction = true
            $0.notes = String(repeating: "x", count: 5000)
        }
        // when
        let fields = Self.fieldErrors(form).map(\.field)
        // then
        #expect(fields == ["bloodPressureReadings[0].systolic", "priorSevereKetamineReaction", "notes"])
    }
}
