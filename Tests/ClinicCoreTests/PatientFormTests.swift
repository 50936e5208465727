import Foundation
import Testing
@testable import ClinicCore

@Suite("PatientForm validation (DESIGN §8; clinical-reference §3 [D] weight plausibility)")
struct PatientFormTests {
    /// The fixed "today" of these tests.
    static let today = CalendarDate(year: 2026, month: 11, day: 25)!

    /// A valid new-patient form with nothing optional filled in.
    static var minimal: PatientForm {
        var form = PatientForm()
        form.givenName = "Ana"
        form.familyName = "Reyes"
        form.dateOfBirth = "1980-05-17"
        return form
    }

    /// The form with one change.
    static func form(_ change: (inout PatientForm) -> Void) -> PatientForm {
        var form = minimal
        change(&form)
        return form
    }

    /// The invalid fields, in the order validation reports them; empty when the form is valid.
    static func invalidFields(_ form: PatientForm, previousWeight: Weight? = nil) -> [FieldError] {
        do {
            _ = try form.validated(today: today, previousWeight: previousWeight)
            return []
        } catch ClinicError.invalid(let errors) {
            return errors
        } catch {
            Issue.record("expected ClinicError.invalid, got \(error)")
            return []
        }
    }

    static func fieldNames(_ form: PatientForm, previousWeight: Weight? = nil) -> [String] {
        invalidFields(form, previousWeight: previousWeight).map(\.field)
    }

    // MARK: - Required fields and dates

    @Test("a minimal form is valid and its names are trimmed")
    func minimalFormValid() throws {
        // given
        let form = Self.form { $0.givenName = "  Ana "; $0.familyName = "Reyes\n" }

        // when
        let valid = try form.validated(today: Self.today, previousWeight: nil)

        // then
        #expect(valid.demographics.givenName == "Ana")
        #expect(valid.demographics.familyName == "Reyes")
        #expect(valid.demographics.dateOfBirth == CalendarDate(year: 1980, month: 5, day: 17))
        #expect(valid.demographics.sex == .unknown)
        #expect(valid.body.weight == nil)
    }

    @Test("an empty form names each required field")
    func requiredFieldsNamed() {
        // given
        let form = PatientForm()

        // when
        let errors = Self.invalidFields(form)

        // then
        #expect(errors.map(\.field) == ["givenName", "familyName", "dateOfBirth"])
        #expect(errors.allSatisfy { $0.reason == "is required" })
    }

    @Test("a name of spaces only is missing")
    func blankNameIsMissing() {
        // given
        let form = Self.form { $0.givenName = "   "; $0.familyName = "\t" }

        // when / then
        #expect(Self.fieldNames(form) == ["givenName", "familyName"])
    }

    @Test("a date of birth must be YYYY-MM-DD and a real day", arguments: [
        "1980-5-17", "17/05/1980", "1980-05-17T00:00:00Z", "1980-02-30", "1981-02-29", "yesterday",
    ])
    func badDateOfBirth(_ text: String) {
        // given
        let form = Self.form { $0.dateOfBirth = text }

        // when
        let errors = Self.invalidFields(form)

        // then
        #expect(errors == [FieldError("dateOfBirth", "must be a date as YYYY-MM-DD")])
    }

    @Test("a date of birth cannot be in the future; today is allowed")
    func futureDateOfBirth() {
        // given
        let tomorrow = Self.form { $0.dateOfBirth = "2026-11-26" }
        let today = Self.form { $0.dateOfBirth = "2026-11-25" }

        // when / then
        #expect(Self.invalidFields(tomorrow) == [FieldError("dateOfBirth", "cannot be in the future")])
        #expect(Self.fieldNames(today).isEmpty)
    }

    @Test("an age of 120 is allowed, 121 is not", arguments: [
        ("1906-11-25", true),   // 120 today
        ("1905-11-26", true),   // 120, 121 tomorrow
        ("1905-11-25", false),  // 121 today
    ])
    func ageLimit(_ dateOfBirth: String, _ valid: Bool) {
        // given
        let form = Self.form { $0.dateOfBirth = dateOfBirth }

        // when
        let fields = Self.fieldNames(form)

        // then
        #expect(fields == (valid ? [] : ["dateOfBirth"]))
    }

    // MARK: - Diagnoses (ICD-10-CM, clinical-reference §8)

    @Test("ICD-10-CM codes of the right shape are accepted and stored upper-case",
          arguments: ["G90.511", "M79.7", "G90", "g89.4", " E11.42 ", "G43.709", "S32.9XXA"])
    func goodDiagnosisCode(_ code: String) throws {
        // given
        let form = Self.form { $0.diagnoses = [.init(code: code, description: "x", isPrimary: true)] }

        // when
        let valid = try form.validated(today: Self.today, previousWeight: nil)

        // then
        #expect(valid.clinical.diagnoses.map(\.code.value) == [code.trimmingCharacters(in: .whitespaces).uppercased()])
    }

    @Test("a code that is not ICD-10-CM shaped is named by its index",
          arguments: ["XYZ", "G9", "", "G90.", "G90.12345", "9G0", "G90-511", "G90.5 1"])
    func badDiagnosisCode(_ code: String) {
        // given
        let form = Self.form { $0.diagnoses = [.init(code: code)] }

        // when / then
        #expect(Self.fieldNames(form) == ["diagnoses[0].code"])
    }

    @Test("the second of two diagnoses is named by its own index")
    func badSecondDiagnosis() {
        // given
        let form = Self.form { $0.diagnoses = [.init(code: "M79.7"), .init(code: "G9")] }

        // when / then
        #expect(Self.fieldNames(form) == ["diagnoses[1].code"])
    }

    @Test("only one diagnosis can be primary")
    func onePrimaryDiagnosis() {
        // given
        let form = Self.form {
            $0.diagnoses = [.init(code: "M79.7", isPrimary: true), .init(code: "G89.4", isPrimary: true)]
        }

        // when / then
        #expect(Self.fieldNames(form) == ["diagnoses"])
    }

    // MARK: - Weight (clinical-reference §3 [D]: 30–250 kg; > 10% change must be confirmed)

    @Test("weight plausibility is 30–250 kg inclusive (clinical-reference §3 [D])", arguments: [
        ("29.9", "kg", false), ("30", "kg", true), ("250", "kg", true), ("250.1", "kg", false),
        ("66", "lb", false), ("67", "lb", true), ("551", "lb", true), ("552", "lb", false),
    ])
    func weightPlausibility(_ weight: String, _ unit: String, _ plausible: Bool) {
        // given
        let form = Self.form { $0.weight = weight; $0.weightUnit = unit }

        // when / then
        #expect(Self.fieldNames(form) == (plausible ? [] : ["weight"]))
    }

    @Test("an implausible weight is accepted once confirmed (clinical-reference §3 [D])")
    func implausibleWeightConfirmed() throws {
        // given
        let form = Self.form { $0.weight = "29.9"; $0.confirmWeight = true }

        // when
        let valid = try form.validated(today: Self.today, previousWeight: nil)

        // then
        #expect(valid.body.weight == Weight(grams: 29_900, enteredUnit: .kg))
    }

    @Test("160 lb is stored as 72 575 g with its unit, shown as 160.0 lb (72.6 kg) (clinical-reference §3)")
    func poundsStoredAsGrams() throws {
        // given: 160 × 453.59237 g = 72 574.78 g
        let form = Self.form { $0.weight = "160"; $0.weightUnit = "lb" }

        // when
        let valid = try form.validated(today: Self.today, previousWeight: nil)

        // then
        let weight = try #require(valid.body.weight)
        #expect(weight.grams == 72_575)
        #expect(weight.enteredUnit == .lb)
        #expect(weight.display == "160.0 lb (72.6 kg)")
    }

    @Test("a change of exactly 10% is allowed; 10.1% needs confirmation (clinical-reference §3 [D])", arguments: [
        ("88", true),      // +10.0 % of 80 kg
        ("72", true),      // −10.0 %
        ("88.08", false),  // +10.1 %
        ("71.92", false),  // −10.1 %
        ("80", true),
    ])
    func weightChangeRule(_ weight: String, _ allowed: Bool) {
        // given: the last recorded weight is 80 kg
        let previous = Weight(grams: 80_000, enteredUnit: .kg)
        let form = Self.form { $0.weight = weight }

        // when / then
        #expect(Self.fieldNames(form, previousWeight: previous) == (allowed ? [] : ["weight"]))
    }

    @Test("a change of more than 10% is accepted once confirmed (clinical-reference §3 [D])")
    func weightChangeConfirmed() throws {
        // given
        let previous = Weight(grams: 80_000, enteredUnit: .kg)
        let form = Self.form { $0.weight = "95"; $0.confirmWeight = true }

        // when
        let valid = try form.validated(today: Self.today, previousWeight: previous)

        // then
        #expect(valid.body.weight?.grams == 95_000)
    }

    @Test("a 10% rise entered in pounds against a weight entered in pounds is allowed (clinical-reference §3 [D])")
    func weightChangeInPounds() {
        // given: 160 lb → 176 lb is +10.0 % (72 575 g → 79 832 g after rounding to grams)
        let previous = Weight(value: 160, unit: .lb)
        let form = Self.form { $0.weight = "176"; $0.weightUnit = "lb" }

        // when / then
        #expect(Self.fieldNames(form, previousWeight: previous).isEmpty)
    }

    @Test("a weight that is not a positive number, or an unknown unit, is named", arguments: [
        ("abc", "kg", "weight"), ("-70", "kg", "weight"), ("0", "kg", "weight"), ("inf", "kg", "weight"),
        ("70", "stone", "weightUnit"),
    ])
    func badWeightText(_ weight: String, _ unit: String, _ field: String) {
        // given
        let form = Self.form { $0.weight = weight; $0.weightUnit = unit }

        // when / then
        #expect(Self.fieldNames(form) == [field])
    }

    // MARK: - Medications (CDC 2022 MME needs a daily amount; clinical-reference §7)

    @Test("an opioid without a daily amount names medications[0].dailyAmount (clinical-reference §7)")
    func opioidNeedsDailyAmount() {
        // given
        let form = Self.form { $0.medications = [.init(name: "Oxycodone", opioid: "oxycodone", route: "oral")] }

        // when / then
        #expect(Self.fieldNames(form) == ["medications[0].dailyAmount"])
    }

    @Test("a non-opioid needs no daily amount; an opioid with one is stored")
    func medicationsStored() throws {
        // given
        let form = Self.form {
            $0.medications = [
                .init(name: "Gabapentin"),
                .init(name: "Oxycodone", opioid: "oxycodone", route: "oral", dailyAmount: "30", sig: "15 mg twice daily"),
            ]
        }

        // when
        let valid = try form.validated(today: Self.today, previousWeight: nil)

        // then
        #expect(valid.clinical.medications == [
            Medication(name: "Gabapentin", opioid: nil, route: .oral, dailyAmount: nil),
            Medication(name: "Oxycodone", opioid: .oxycodone, route: .oral, dailyAmount: 30, sig: "15 mg twice daily"),
        ])
        #expect(MMESummary(valid.clinical.medications).total == 45)
    }

    @Test("an unknown opioid or route is named")
    func unknownOpioidAndRoute() {
        // given
        let form = Self.form { $0.medications = [.init(name: "X", opioid: "heroin", route: "nasal", dailyAmount: "10")] }

        // when / then
        #expect(Self.fieldNames(form) == ["medications[0].opioid", "medications[0].route"])
    }

    // MARK: - All together

    @Test("all errors come back together in one ClinicError.invalid list")
    func allErrorsTogether() {
        // given
        var form = PatientForm()
        form.familyName = "Reyes"
        form.dateOfBirth = "2027-01-01"
        form.weight = "300"
        form.diagnoses = [.init(code: "XYZ")]
        form.medications = [.init(name: "Morphine", opioid: "morphine")]

        // when
        let thrown = #expect(throws: ClinicError.self) {
            try form.validated(today: Self.today, previousWeight: nil)
        }

        // then
        guard case .invalid(let errors) = thrown else {
            Issue.record("expected ClinicError.invalid, got \(String(describing: thrown))")
            return
        }
        #expect(errors.map(\.field) == ["givenName", "dateOfBirth", "weight", "diagnoses[0].code", "medications[0].dailyAmount"])
    }

    // MARK: - Edit page round trip and revisions

    static let patientID = Patient.ID(rawValue: UUID(uuidString: "00000000-0000-0000-0000-0000000000D1")!)
    static let createdAt = Date(timeIntervalSince1970: 1_795_600_800)

    static func chart(_ valid: PatientForm.Validated) -> Patient {
        Patient(id: patientID, mrn: MRN(sequence: 1), demographics: valid.demographics, contact: valid.contact,
                escorts: valid.escorts, body: valid.body, clinical: valid.clinical, createdAt: createdAt, updatedAt: createdAt)
    }

    static var fullForm: PatientForm {
        form {
            $0.sex = "female"
            $0.phone = "+1 (555) 010-2000"
            $0.email = "ana@example.org"
            $0.address = "1 Main St"
            $0.escorts = [EscortContact(name: "Luis Reyes", relationship: "husband", phone: "555-010-2001")]
            $0.weight = "160"
            $0.weightUnit = "lb"
            $0.height = "165"
            $0.diagnoses = [.init(code: "M79.7", description: "Fibromyalgia", isPrimary: true)]
            $0.medications = [.init(name: "Oxycodone", opioid: "oxycodone", route: "oral", dailyAmount: "22.5")]
            $0.allergies = [Allergy(substance: "Penicillin", reaction: "rash")]
            $0.painOnset = "2019-03-01"
            $0.monthsOfPain = "80"
            $0.treatmentsTried = [.init(treatment: "Pregabalin", result: "partialRelief")]
        }
    }

    @Test("the edit page's form, filled from a chart, validates back to the same chart")
    func editPageRoundTrip() throws {
        // given
        let original = Self.chart(try Self.fullForm.validated(today: Self.today, previousWeight: nil))

        // when
        let refilled = PatientForm(original)
        let again = Self.chart(try refilled.validated(today: Self.today, previousWeight: original.body.weight))

        // then
        #expect(again == original)
        #expect(PatientRevision.changes(from: original, to: again).isEmpty)
    }

    @Test("saving the edit page unchanged keeps weight, height and daily amount exactly as entered")
    func editPageKeepsPrecision() throws {
        // given: values entered more precisely than the edit page prints them
        let form = Self.form {
            $0.weight = "72.55"
            $0.height = "165.5"
            $0.medications = [.init(name: "Oxycodone", opioid: "oxycodone", route: "oral", dailyAmount: "22.125")]
        }
        let original = Self.chart(try form.validated(today: Self.today, previousWeight: nil))

        // when
        let again = Self.chart(try PatientForm(original).validated(today: Self.today, previousWeight: original.body.weight))

        // then
        #expect(again.body.weight == original.body.weight)
        #expect(again.body.height == original.body.height)
        #expect(again.clinical.medications == original.clinical.medications)
        #expect(PatientRevision.changes(from: original, to: again).isEmpty)
    }

    struct Edit: Sendable, CustomTestStringConvertible {
        var field: String
        var change: @Sendable (inout Patient) -> Void
        var testDescription: String { field }
    }

    @Test("PatientRevision.changes names exactly the changed field", arguments: [
        Edit(field: "demographics.givenName") { $0.demographics.givenName = "Anna" },
        Edit(field: "demographics.familyName") { $0.demographics.familyName = "Reyes Soto" },
        Edit(field: "demographics.dateOfBirth") { $0.demographics.dateOfBirth = CalendarDate(year: 1980, month: 5, day: 18)! },
        Edit(field: "demographics.sex") { $0.demographics.sex = .other },
        Edit(field: "contact.phone") { $0.contact.phone = "555-010-3000" },
        Edit(field: "contact.email") { $0.contact.email = "ana.reyes@example.org" },
        Edit(field: "contact.address") { $0.contact.address = "2 Main St" },
        Edit(field: "escorts") { $0.escorts = [] },
        Edit(field: "body.weight") { $0.body.weight = Weight(grams: 73_000, enteredUnit: .kg) },
        Edit(field: "body.height") { $0.body.height = Height(millimetres: 1_660, enteredUnit: .cm) },
        Edit(field: "clinical.diagnoses") { $0.clinical.diagnoses[0].isPrimary = false },
        Edit(field: "clinical.medications") { $0.clinical.medications[0].dailyAmount = 30 },
        Edit(field: "clinical.allergies") { $0.clinical.allergies = [] },
        Edit(field: "clinical.painHistory") { $0.clinical.painHistory.monthsOfPain = 81 },
    ])
    func revisionNamesChangedField(_ edit: Edit) throws {
        // given
        let old = Self.chart(try Self.fullForm.validated(today: Self.today, previousWeight: nil))
        var new = old

        // when
        edit.change(&new)

        // then
        #expect(PatientRevision.changes(from: old, to: new) == [edit.field])
    }

    @Test("PatientRevision.changes lists several changes in chart order, and ignores bookkeeping")
    func revisionSeveralChanges() throws {
        // given
        let old = Self.chart(try Self.fullForm.validated(today: Self.today, previousWeight: nil))
        var new = old

        // when
        new.body.weight = Weight(grams: 74_000, enteredUnit: .kg)
        new.contact.phone = "555-010-3000"
        new.revision += 1
        new.updatedAt = Self.createdAt.addingTimeInterval(3_600)

        // then
        #expect(PatientRevision.changes(from: old, to: new) == ["contact.phone", "body.weight"])
    }
}

/// Found by fuzzing the API (schemathesis): absurd numbers are refused with a field error, never a crash.
@Suite struct PatientFormExtremeNumberTests {
    @Test(arguments: ["1e300", "9999999999999999999", "inf", "nan", "-5", "0"])
    func absurdWeightsAndHeightsAreInvalid(_ text: String) throws {
        // given
        var f = PatientForm()
        f.givenName = "A"
        f.familyName = "B"
        f.dateOfBirth = "1980-01-01"
        f.weight = text
        f.height = text
        f.confirmWeight = true
        // when / then
        do {
            _ = try f.validated(today: CalendarDate("2026-11-25")!, previousWeight: nil)
            Issue.record("expected invalid")
        } catch ClinicError.invalid(let errors) {
            #expect(Set(errors.map(\.field)) == ["weight", "height"])
        }
    }
}
