import ClinicCore
import Foundation
import Hummingbird

extension WebRoutes {
    struct PatientFormPage {
        struct Group {
            let title: String
            let hint: String
            let rows: [Row]
        }
        struct Row {
            let fields: [FormField]
        }
        let chrome: PageChrome
        let heading: String
        let action: String
        let isNew: Bool
        let expectedRevision: Int
        let errorSummary: [FieldError]
        let hasErrors: Bool
        let demographics: [FormField]
        let contact: [FormField]
        let body: [FormField]
        let escorts: Group
        let clinicalEditable: Bool
        let diagnoses: Group
        let medications: Group
        let allergies: Group
        let pain: [FormField]
        let treatments: Group
        let duplicates: [PatientListPage.Row]
        let hasDuplicates: Bool
        let confirmWeight: FormField?
        let conditions: [ConditionOption]
        let cancelHref: String
    }
    struct ConditionOption {
        let code: String
        let title: String
    }

    static let sexOptions = AdministrativeSex.allCases.map { ($0.rawValue, $0.title) }
    static let opioidOptions = [("", "Not an opioid")] + Opioid.allCases.map { ($0.rawValue, $0.title) }
    static let routeOptions = Medication.Route.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }
    static let resultOptions = TreatmentTried.Result.allCases.map { ($0.rawValue, $0.title) }

    func patientForm(id: Patient.ID?, form f: PatientForm, errors: [String: String], duplicates: [PatientSummary], context: ClinicRequestContext,
                     expectedRevision: Int = 0, status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let clinicalEditable = id == nil
            ? clinic.access.allows(actor, AccessRequest(.update, .patientClinical))
            : clinic.access.allows(actor, AccessRequest(.update, .patientClinical, patient: id))
        if id == nil, !clinic.access.allows(actor, AccessRequest(.create, .patientDemographics)) {
            throw ClinicError.forbidden("\(actor.role.title) may not register patients")
        }
        let e = errors
        func spare<T>(_ list: [T], _ extra: Int) -> [T?] { list.map { Optional($0) } + Array(repeating: nil, count: extra) }
        let escorts = spare(f.escorts, f.escorts.isEmpty ? 2 : 1).enumerated().map { i, x in
            PatientFormPage.Row(fields: [
                FormField("escorts[\(i)].name", "Name", value: x?.name ?? "", errors: e),
                FormField("escorts[\(i)].relationship", "Relationship", value: x?.relationship ?? "", errors: e),
                FormField("escorts[\(i)].phone", "Phone", value: x?.phone ?? "", type: "tel", errors: e),
            ])
        }
        let diagnoses = spare(f.diagnoses, 2).enumerated().map { i, x in
            PatientFormPage.Row(fields: [
                FormField("diagnoses[\(i)].code", "ICD-10-CM code", value: x?.code ?? "", errors: e, hint: "e.g. G90.511", list: "conditions"),
                FormField("diagnoses[\(i)].description", "Description", value: x?.description ?? "", errors: e),
                FormField("diagnoses[\(i)].isPrimary", "Primary", value: (x?.isPrimary ?? false) ? "true" : "", errors: e, checkbox: true),
            ])
        }
        let meds = spare(f.medications, 2).enumerated().map { i, x in
            PatientFormPage.Row(fields: [
                FormField("medications[\(i)].name", "Medicine", value: x?.name ?? "", errors: e),
                FormField("medications[\(i)].opioid", "Opioid", value: x?.opioid ?? "", errors: e, options: Self.opioidOptions),
                FormField("medications[\(i)].route", "Route", value: x?.route ?? "oral", errors: e, options: Self.routeOptions),
                FormField("medications[\(i)].dailyAmount", "Daily amount", value: x?.dailyAmount ?? "", errors: e, hint: "mg/day (fentanyl patch: µg/h)"),
                FormField("medications[\(i)].sig", "Directions", value: x?.sig ?? "", errors: e),
            ])
        }
        let allergies = spare(f.allergies, 2).enumerated().map { i, x in
            PatientFormPage.Row(fields: [
                FormField("allergies[\(i)].substance", "Substance", value: x?.substance ?? "", errors: e),
                FormField("allergies[\(i)].reaction", "Reaction", value: x?.reaction ?? "", errors: e),
            ])
        }
        let treatments = spare(f.treatmentsTried, 2).enumerated().map { i, x in
            PatientFormPage.Row(fields: [
                FormField("treatmentsTried[\(i)].treatment", "Treatment", value: x?.treatment ?? "", errors: e),
                FormField("treatmentsTried[\(i)].result", "Result", value: x?.result ?? "noRelief", errors: e, options: Self.resultOptions),
            ])
        }
        let today = clinic.today
        let summary = errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }
        let model = PatientFormPage(
            chrome: chrome(id == nil ? "New patient" : "Edit patient", context, active: "patients"),
            heading: id == nil ? "Register a new patient" : "Edit \(f.givenName) \(f.familyName)",
            action: id.map { "/patients/\($0.rawValue.uuidString)/edit" } ?? "/patients/new",
            isNew: id == nil, expectedRevision: expectedRevision, errorSummary: summary, hasErrors: !summary.isEmpty,
            demographics: [
                FormField("givenName", "Given name", value: f.givenName, errors: e, required: true),
                FormField("familyName", "Family name", value: f.familyName, errors: e, required: true),
                FormField("dateOfBirth", "Date of birth", value: f.dateOfBirth, type: "date", errors: e, hint: "YYYY-MM-DD", required: true),
                FormField("sex", "Sex", value: f.sex, errors: e, options: Self.sexOptions),
            ],
            contact: [
                FormField("phone", "Phone", value: f.phone, type: "tel", errors: e),
                FormField("email", "E-mail", value: f.email, type: "email", errors: e),
                FormField("address", "Address", value: f.address, errors: e, textarea: true),
            ],
            body: [
                FormField("weight", "Weight", value: f.weight, errors: e, hint: "Plausible range 30–250 kg"),
                FormField("weightUnit", "Weight unit", value: f.weightUnit, errors: e, options: [("kg", "kg"), ("lb", "lb")]),
                FormField("height", "Height", value: f.height, errors: e),
                FormField("heightUnit", "Height unit", value: f.heightUnit, errors: e, options: [("cm", "cm"), ("in", "in")]),
            ],
            escorts: .init(title: "Escorts and drivers", hint: "A responsible adult must drive the patient home after each infusion.", rows: escorts),
            clinicalEditable: clinicalEditable,
            diagnoses: .init(title: "Chronic-pain diagnoses (ICD-10-CM)", hint: "Pick a code from the list or type one.", rows: diagnoses),
            medications: .init(title: "Current medications", hint: "Opioids need the total daily amount so the MME/day can be counted (CDC 2022).", rows: meds),
            allergies: .init(title: "Allergies", hint: "", rows: allergies),
            pain: [
                FormField("painOnset", "Pain began on", value: f.painOnset, type: "date", errors: e, hint: "YYYY-MM-DD; approximate is fine"),
                FormField("monthsOfPain", "Months of pain", value: f.monthsOfPain, type: "number", errors: e),
            ],
            treatments: .init(title: "Treatments tried", hint: "", rows: treatments),
            duplicates: duplicates.map {
                PatientListPage.Row(id: $0.id.rawValue.uuidString, mrn: $0.mrn.value, name: "\($0.familyName), \($0.givenName)",
                                    dateOfBirth: $0.dateOfBirth.description, age: $0.dateOfBirth.wholeYears(until: today),
                                    primaryDiagnosis: $0.primaryDiagnosis ?? "—", status: "", statusClass: "")
            },
            hasDuplicates: !duplicates.isEmpty,
            confirmWeight: errors["weight"] != nil ? FormField("confirmWeight", "I have checked this weight and the unit; save it", value: f.confirmWeight ? "true" : "", checkbox: true) : nil,
            conditions: ChronicPainCondition.allCases.map { ConditionOption(code: $0.code.value, title: $0.title) },
            cancelHref: id.map { "/patients/\($0.rawValue.uuidString)" } ?? "/patients")
        return pages.render("patient-form", model, status: status)
    }

    /// Reads the page's fields into the domain form; spare blank rows are dropped.
    static func patientForm(from w: WebForm) -> PatientForm {
        var f = PatientForm()
        f.givenName = w["givenName"]
        f.familyName = w["familyName"]
        f.dateOfBirth = w["dateOfBirth"]
        f.sex = w["sex"].isEmpty ? "unknown" : w["sex"]
        f.phone = w["phone"]
        f.email = w["email"]
        f.address = w["address"]
        f.weight = w["weight"]
        f.weightUnit = w["weightUnit"].isEmpty ? "kg" : w["weightUnit"]
        f.height = w["height"]
        f.heightUnit = w["heightUnit"].isEmpty ? "cm" : w["heightUnit"]
        f.escorts = w.rows("escorts").filter { !$0.isBlank }.map { EscortContact(name: $0["name"] ?? "", relationship: $0["relationship"] ?? "", phone: $0["phone"] ?? "") }
        f.diagnoses = w.rows("diagnoses").filter { !($0["code"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty || !($0["description"] ?? "").isEmpty }
            .map { PatientForm.DiagnosisEntry(code: $0["code"] ?? "", description: $0["description"] ?? "", isPrimary: $0["isPrimary"] == "true" || $0["isPrimary"] == "on") }
        f.medications = w.rows("medications").filter { !($0["name"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty || !($0["dailyAmount"] ?? "").isEmpty }
            .map { PatientForm.MedicationEntry(name: $0["name"] ?? "", opioid: $0["opioid"] ?? "", route: $0["route"] ?? "oral", dailyAmount: $0["dailyAmount"] ?? "", sig: $0["sig"] ?? "") }
        f.allergies = w.rows("allergies").filter { !$0.isBlank }.map { Allergy(substance: $0["substance"] ?? "", reaction: $0["reaction"] ?? "") }
        f.painOnset = w["painOnset"]
        f.monthsOfPain = w["monthsOfPain"]
        f.treatmentsTried = w.rows("treatmentsTried").filter { !($0["treatment"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
            .map { PatientForm.TreatmentEntry(treatment: $0["treatment"] ?? "", result: $0["result"] ?? "noRelief") }
        f.confirmDuplicate = w.bool("confirmDuplicate")
        f.confirmWeight = w.bool("confirmWeight")
        return f
    }

    func createPatient(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let form = Self.patientForm(from: w)
        do {
            switch try await clinic.registerPatient(form, by: try context.actor()) {
            case .registered(let p): return .redirect(to: "/patients/\(p.id.rawValue.uuidString)")
            case .possibleDuplicates(let list):
                return try await patientForm(id: nil, form: form, errors: [:], duplicates: list, context: context, status: .conflict)
            }
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await patientForm(id: nil, form: form, errors: errors, duplicates: [], context: context, status: .unprocessableContent)
        }
    }

    func editPatientPage(_ context: ClinicRequestContext) async throws -> Response {
        let chart = try await clinic.chart(try patientID(context), by: try context.actor())
        guard chart.canEditDemographics || chart.canEditClinical else { throw ClinicError.forbidden("Your role may not edit charts.") }
        return try await patientForm(id: chart.patient.id, form: PatientForm(chart.patient), errors: [:], duplicates: [], context: context,
                                     expectedRevision: chart.patient.revision)
    }

    func updatePatient(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let id = try patientID(context)
        let actor = try context.actor()
        let w = try await WebForm.read(request, context: context)
        var form = Self.patientForm(from: w)
        // The page showed no clinical fields to this role: the chart's clinical history stays as it is.
        form.keepsClinicalHistory = !clinic.access.allows(actor, AccessRequest(.update, .patientClinical, patient: id))
        let revision = Int(w["expectedRevision"])
        do {
            _ = try await clinic.updatePatient(id, form, expectedRevision: revision, by: actor)
            return .redirect(to: "/patients/\(id.rawValue.uuidString)")
        } catch let e as ClinicError {
            if case .conflict(let why) = e {
                return try await patientForm(id: id, form: form, errors: ["form": why], duplicates: [], context: context,
                                             expectedRevision: revision ?? 0, status: .conflict)
            }
            guard let errors = Self.errorMap(e) else { throw e }
            return try await patientForm(id: id, form: form, errors: errors, duplicates: [], context: context,
                                         expectedRevision: revision ?? 0, status: .unprocessableContent)
        }
    }
}
