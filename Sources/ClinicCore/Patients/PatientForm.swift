import Foundation

/// A chart as typed into the new/edit page or sent to the API: text as entered, validated in one place.
public struct PatientForm: Sendable, Hashable, Codable {
    public var givenName = ""
    public var familyName = ""
    /// `YYYY-MM-DD`.
    public var dateOfBirth = ""
    public var sex = "unknown"
    public var phone = ""
    public var email = ""
    public var address = ""
    public var escorts: [EscortContact] = []
    public var weight = ""
    public var weightUnit = "kg"
    public var height = ""
    public var heightUnit = "cm"
    public var diagnoses: [DiagnosisEntry] = []
    public var medications: [MedicationEntry] = []
    public var allergies: [Allergy] = []
    public var painOnset = ""
    public var monthsOfPain = ""
    public var treatmentsTried: [TreatmentEntry] = []
    /// The user has seen the possible duplicates and still wants a new chart.
    public var confirmDuplicate = false
    /// The user confirms a weight outside 30–250 kg or more than 10% from the last one.
    public var confirmWeight = false
    /// The form carries no clinical history (a demographics-only page or API body): an edit keeps the chart's
    /// diagnoses, medications, allergies and pain history as they are.
    public var keepsClinicalHistory = false

    public struct DiagnosisEntry: Sendable, Hashable, Codable {
        public var code: String
        public var description: String
        public var isPrimary: Bool
        public init(code: String, description: String = "", isPrimary: Bool = false) {
            self.code = code
            self.description = description
            self.isPrimary = isPrimary
        }
    }

    public struct MedicationEntry: Sendable, Hashable, Codable {
        public var name: String
        /// An `Opioid` raw value, or empty for a non-opioid.
        public var opioid: String
        public var route: String
        public var dailyAmount: String
        public var sig: String
        public init(name: String, opioid: String = "", route: String = "oral", dailyAmount: String = "", sig: String = "") {
            self.name = name
            self.opioid = opioid
            self.route = route
            self.dailyAmount = dailyAmount
            self.sig = sig
        }
    }

    public struct TreatmentEntry: Sendable, Hashable, Codable {
        public var treatment: String
        public var result: String
        public init(treatment: String, result: String) {
            self.treatment = treatment
            self.result = result
        }
    }

    public init() {}

    /// The form filled from an existing chart (for the edit page).
    public init(_ p: Patient) {
        givenName = p.demographics.givenName
        familyName = p.demographics.familyName
        dateOfBirth = p.demographics.dateOfBirth.description
        sex = p.demographics.sex.rawValue
        phone = p.contact.phone
        email = p.contact.email
        address = p.contact.address
        escorts = p.escorts
        if let w = p.body.weight {
            weightUnit = w.enteredUnit.rawValue
            weight = w.formText
        }
        if let h = p.body.height {
            heightUnit = h.enteredUnit.rawValue
            height = h.formText
        }
        diagnoses = p.clinical.diagnoses.map { DiagnosisEntry(code: $0.code.value, description: $0.description, isPrimary: $0.isPrimary) }
        medications = p.clinical.medications.map {
            MedicationEntry(name: $0.name, opioid: $0.opioid?.rawValue ?? "", route: $0.route.rawValue,
                            dailyAmount: $0.dailyAmount.map(Format.shortest) ?? "", sig: $0.sig)
        }
        allergies = p.clinical.allergies
        painOnset = p.clinical.painHistory.onset?.description ?? ""
        monthsOfPain = p.clinical.painHistory.monthsOfPain.map(String.init) ?? ""
        treatmentsTried = p.clinical.painHistory.treatmentsTried.map { TreatmentEntry(treatment: $0.treatment, result: $0.result.rawValue) }
    }

    /// The validated parts of a chart.
    public struct Validated: Sendable, Hashable {
        public var demographics: Demographics
        public var contact: ContactDetails
        public var escorts: [EscortContact]
        public var body: BodyMeasures
        public var clinical: ClinicalHistory
    }

    /// Checks every field and names each bad one; `today` bounds dates and `previousWeight` the weight-change rule.
    public func validated(today: CalendarDate, previousWeight: Weight?, previousHeight: Height? = nil) throws -> Validated {
        var errors = FieldErrors()
        func text(_ field: String, _ value: String, required: Bool, max: Int) -> String {
            let t = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if required && t.isEmpty { errors.add(field, "is required") }
            if t.count > max { errors.add(field, "must be at most \(max) characters") }
            if t.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
                errors.add(field, "contains control characters")
            }
            return t
        }
        let given = text("givenName", givenName, required: true, max: 100)
        let family = text("familyName", familyName, required: true, max: 100)
        var dob = CalendarDate(year: 1900, month: 1, day: 1)!
        let dobText = dateOfBirth.trimmingCharacters(in: .whitespaces)
        if dobText.isEmpty {
            errors.add("dateOfBirth", "is required")
        } else if let d = CalendarDate(dobText) {
            if d > today { errors.add("dateOfBirth", "cannot be in the future") }
            else if d.wholeYears(until: today) > 120 { errors.add("dateOfBirth", "gives an age over 120 years") }
            dob = d
        } else {
            errors.add("dateOfBirth", "must be a date as YYYY-MM-DD")
        }
        let sexValue = AdministrativeSex(rawValue: sex) ?? {
            errors.add("sex", "must be one of female, male, other, unknown")
            return .unknown
        }()
        let phoneText = text("phone", phone, required: false, max: 40)
        if !phoneText.isEmpty {
            let digits = Phone.digits(phoneText)
            if digits.count < 7 || digits.count > 15 { errors.add("phone", "must have 7 to 15 digits") }
            if phoneText.contains(where: { !($0.isNumber || " +-().".contains($0)) }) {
                errors.add("phone", "may contain only digits, spaces and + - ( ) .")
            }
        }
        let emailText = text("email", email, required: false, max: 200)
        if !emailText.isEmpty, !Self.looksLikeEmail(emailText) { errors.add("email", "must be an e-mail address like name@example.org") }
        let addressText = text("address", address, required: false, max: 500)

        var validEscorts: [EscortContact] = []
        for (i, e) in escorts.enumerated() {
            let name = text("escorts[\(i)].name", e.name, required: true, max: 100)
            let rel = text("escorts[\(i)].relationship", e.relationship, required: false, max: 60)
            let ph = text("escorts[\(i)].phone", e.phone, required: true, max: 40)
            if !ph.isEmpty, !(7...15).contains(Phone.digits(ph).count) { errors.add("escorts[\(i)].phone", "must have 7 to 15 digits") }
            validEscorts.append(EscortContact(name: name, relationship: rel, phone: ph))
        }

        var body = BodyMeasures()
        let weightText = weight.trimmingCharacters(in: .whitespaces)
        if !weightText.isEmpty {
            if let unit = Weight.Unit(rawValue: weightUnit) {
                if let prev = previousWeight, prev.enteredUnit == unit, weightText == prev.formText {
                    // Unchanged on the page: keep the exact stored value (the page shows it rounded in pounds).
                    body.weight = prev
                } else if let v = Double(weightText), v.isFinite, v > 0, v < 100_000 {
                    let w = Weight(value: v, unit: unit)
                    // Plausibility 30–250 kg and > 10% change must be confirmed (clinical-reference §3 [D]).
                    if !Weight.plausibleKilograms.contains(w.kilograms) && !confirmWeight {
                        errors.add("weight", "\(w.display) is outside 30–250 kg: check the unit, or confirm the weight")
                    } else if let prev = previousWeight, abs(w.kilograms - prev.kilograms) > prev.kilograms * 0.10, !confirmWeight {
                        errors.add("weight", "\(w.display) differs by more than 10% from the last recorded \(prev.display): confirm the weight")
                    }
                    body.weight = w
                } else {
                    errors.add("weight", "must be a positive number below 100000")
                }
            } else {
                errors.add("weightUnit", "must be kg or lb")
            }
        }
        let heightText = height.trimmingCharacters(in: .whitespaces)
        if !heightText.isEmpty {
            if let unit = Height.Unit(rawValue: heightUnit) {
                if let prev = previousHeight, prev.enteredUnit == unit, heightText == prev.formText {
                    body.height = prev
                } else if let v = Double(heightText), v.isFinite, v > 0, v < 100_000 {
                    let h = Height(value: v, unit: unit)
                    if !Height.plausibleCentimetres.contains(h.centimetres) {
                        errors.add("height", "\(h.display) is outside 100–250 cm: check the unit")
                    }
                    body.height = h
                } else {
                    errors.add("height", "must be a positive number below 100000")
                }
            } else {
                errors.add("heightUnit", "must be cm or in")
            }
        }

        var diagnoses: [Diagnosis] = []
        for (i, d) in diagnoses_.enumerated() {
            guard let code = ICD10Code(d.code) else {
                errors.add("diagnoses[\(i)].code", "must be an ICD-10-CM code such as G90.511")
                continue
            }
            let desc = text("diagnoses[\(i)].description", d.description, required: false, max: 200)
            diagnoses.append(Diagnosis(code: code, description: desc, isPrimary: d.isPrimary))
        }
        if diagnoses.filter(\.isPrimary).count > 1 { errors.add("diagnoses", "only one diagnosis can be primary") }

        var meds: [Medication] = []
        for (i, m) in medications.enumerated() {
            let name = text("medications[\(i)].name", m.name, required: true, max: 120)
            var opioid: Opioid?
            if !m.opioid.isEmpty {
                opioid = Opioid(rawValue: m.opioid)
                if opioid == nil { errors.add("medications[\(i)].opioid", "is not a known opioid") }
            }
            let route = Medication.Route(rawValue: m.route.isEmpty ? "oral" : m.route) ?? {
                errors.add("medications[\(i)].route", "must be oral, transdermal, parenteral, sublingual or other")
                return .other
            }()
            var amount: Double?
            let a = m.dailyAmount.trimmingCharacters(in: .whitespaces)
            if !a.isEmpty {
                if let v = Double(a), v.isFinite, v > 0, v < 100_000 { amount = v }
                else { errors.add("medications[\(i)].dailyAmount", "must be a positive number") }
            } else if opioid != nil {
                errors.add("medications[\(i)].dailyAmount", "is required for an opioid (total per day), so its MME can be counted")
            }
            let sig = text("medications[\(i)].sig", m.sig, required: false, max: 200)
            meds.append(Medication(name: name, opioid: opioid, route: route, dailyAmount: amount, sig: sig))
        }

        var allergies: [Allergy] = []
        for (i, a) in self.allergies.enumerated() {
            let s = text("allergies[\(i)].substance", a.substance, required: true, max: 120)
            let r = text("allergies[\(i)].reaction", a.reaction, required: false, max: 200)
            allergies.append(Allergy(substance: s, reaction: r))
        }

        var onset: CalendarDate?
        let onsetText = painOnset.trimmingCharacters(in: .whitespaces)
        if !onsetText.isEmpty {
            if let d = CalendarDate(onsetText) {
                if d > today { errors.add("painOnset", "cannot be in the future") }
                else if d < dob { errors.add("painOnset", "cannot be before the date of birth") }
                onset = d
            } else {
                errors.add("painOnset", "must be a date as YYYY-MM-DD")
            }
        }
        var months: Int?
        let monthsText = monthsOfPain.trimmingCharacters(in: .whitespaces)
        if !monthsText.isEmpty {
            if let m = Int(monthsText), (0...1500).contains(m) { months = m }
            else { errors.add("monthsOfPain", "must be a whole number of months from 0 to 1500") }
        }
        var treatments: [TreatmentTried] = []
        for (i, t) in treatmentsTried.enumerated() {
            let name = text("treatmentsTried[\(i)].treatment", t.treatment, required: true, max: 120)
            guard let result = TreatmentTried.Result(rawValue: t.result) else {
                errors.add("treatmentsTried[\(i)].result", "must be noRelief, partialRelief, goodRelief or notTolerated")
                continue
            }
            treatments.append(TreatmentTried(treatment: name, result: result))
        }

        try errors.throwIfAny()
        return Validated(
            demographics: Demographics(givenName: given, familyName: family, dateOfBirth: dob, sex: sexValue),
            contact: ContactDetails(phone: phoneText, email: emailText, address: addressText),
            escorts: validEscorts,
            body: body,
            clinical: ClinicalHistory(diagnoses: diagnoses, medications: meds, allergies: allergies,
                                      painHistory: PainHistory(onset: onset, monthsOfPain: months, treatmentsTried: treatments))
        )
    }

    private var diagnoses_: [DiagnosisEntry] { diagnoses }

    static func looksLikeEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !s.contains(" ")
    }
}
