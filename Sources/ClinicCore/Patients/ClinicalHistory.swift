import Foundation

/// The clinical part of the chart: diagnoses, medicines, allergies and pain history.
public struct ClinicalHistory: Sendable, Hashable, Codable {
    public var diagnoses: [Diagnosis]
    public var medications: [Medication]
    public var allergies: [Allergy]
    public var painHistory: PainHistory

    public init(diagnoses: [Diagnosis] = [], medications: [Medication] = [], allergies: [Allergy] = [],
                painHistory: PainHistory = PainHistory()) {
        self.diagnoses = diagnoses
        self.medications = medications
        self.allergies = allergies
        self.painHistory = painHistory
    }
}

/// A chronic-pain (or other) diagnosis coded in ICD-10-CM.
public struct Diagnosis: Sendable, Hashable, Codable {
    public var code: ICD10Code
    public var description: String
    public var isPrimary: Bool
    public init(code: ICD10Code, description: String, isPrimary: Bool = false) {
        self.code = code
        self.description = description
        self.isPrimary = isPrimary
    }
}

/// An ICD-10-CM code: a letter, two characters, then optionally a dot and up to four more (e.g. `G90.511`).
public struct ICD10Code: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let chars = Array(t)
        guard chars.count >= 3, chars[0].isASCII, chars[0].isLetter,
              chars[1].isASCII, chars[1].isNumber,
              chars[2].isASCII, (chars[2].isNumber || chars[2].isLetter) else { return nil }
        if chars.count > 3 {
            guard chars[3] == ".", (5...8).contains(chars.count),
                  chars[4...].allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }) else { return nil }
        }
        value = t
    }
    public var description: String { value }
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let c = ICD10Code(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ICD-10-CM code"))
        }
        self = c
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

/// The chronic-pain conditions the program treats, with their ICD-10-CM codes (clinical-reference §8).
public enum ChronicPainCondition: String, Sendable, CaseIterable {
    case crpsUpperRight, crpsLowerLeft, crpsII, fibromyalgia, diabeticPolyneuropathy, postherpeticNeuralgia,
         postProceduralPain, chronicPainSyndrome, chronicMigraine

    public var code: ICD10Code {
        switch self {
        case .crpsUpperRight: ICD10Code("G90.511")!
        case .crpsLowerLeft: ICD10Code("G90.522")!
        case .crpsII: ICD10Code("G56.40")!
        case .fibromyalgia: ICD10Code("M79.7")!
        case .diabeticPolyneuropathy: ICD10Code("E11.42")!
        case .postherpeticNeuralgia: ICD10Code("B02.29")!
        case .postProceduralPain: ICD10Code("G89.28")!
        case .chronicPainSyndrome: ICD10Code("G89.4")!
        case .chronicMigraine: ICD10Code("G43.709")!
        }
    }

    public var title: String {
        switch self {
        case .crpsUpperRight: "Complex regional pain syndrome I of right upper limb"
        case .crpsLowerLeft: "Complex regional pain syndrome I of left lower limb"
        case .crpsII: "Causalgia (CRPS II) of upper limb, unspecified"
        case .fibromyalgia: "Fibromyalgia"
        case .diabeticPolyneuropathy: "Type 2 diabetes mellitus with diabetic polyneuropathy"
        case .postherpeticNeuralgia: "Other postherpetic nervous system involvement (postherpetic neuralgia)"
        case .postProceduralPain: "Other chronic postprocedural pain"
        case .chronicPainSyndrome: "Chronic pain syndrome"
        case .chronicMigraine: "Chronic migraine without aura, not intractable, without status migrainosus"
        }
    }
}

/// A drug allergy or intolerance.
public struct Allergy: Sendable, Hashable, Codable {
    public var substance: String
    public var reaction: String
    public init(substance: String, reaction: String) {
        self.substance = substance
        self.reaction = reaction
    }
}

/// How the pain began and what has been tried.
public struct PainHistory: Sendable, Hashable, Codable {
    /// When the pain began (a calendar date; the day may be approximate).
    public var onset: CalendarDate?
    /// Months of pain as the patient reports them.
    public var monthsOfPain: Int?
    public var treatmentsTried: [TreatmentTried]
    public init(onset: CalendarDate? = nil, monthsOfPain: Int? = nil, treatmentsTried: [TreatmentTried] = []) {
        self.onset = onset
        self.monthsOfPain = monthsOfPain
        self.treatmentsTried = treatmentsTried
    }
}

/// A treatment tried before, and how it worked.
public struct TreatmentTried: Sendable, Hashable, Codable {
    public enum Result: String, Sendable, Hashable, Codable, CaseIterable {
        case noRelief, partialRelief, goodRelief, notTolerated
        public var title: String {
            switch self {
            case .noRelief: "No relief"
            case .partialRelief: "Partial relief"
            case .goodRelief: "Good relief"
            case .notTolerated: "Not tolerated"
            }
        }
    }
    public var treatment: String
    public var result: Result
    public init(treatment: String, result: Result) {
        self.treatment = treatment
        self.result = result
    }
}
