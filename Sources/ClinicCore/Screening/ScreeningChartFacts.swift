import Foundation

/// What the patient's chart contributes to a screening, besides the questionnaire.
public struct ScreeningChartFacts: Sendable, Hashable, Codable {
    /// Recorded allergies, as free text.
    public var allergies: [String]
    /// Recorded diagnoses as ICD-10-CM codes (with or without the dot).
    public var diagnosisCodes: [String]

    /// Creates chart facts.
    public init(allergies: [String] = [], diagnosisCodes: [String] = []) {
        self.allergies = allergies
        self.diagnosisCodes = diagnosisCodes
    }

    /// A chart with no allergies and no diagnoses.
    public static let empty = ScreeningChartFacts()

    /// Allergy entries that name ketamine (case-insensitive), which count as a known hypersensitivity.
    public var ketamineAllergies: [String] {
        allergies.filter { $0.range(of: "ketamine", options: [.caseInsensitive, .diacriticInsensitive]) != nil }
    }

    /// Diagnosis codes that record a pregnancy: Z33.1 (pregnant state) or chapter 15, O00–O9A (ICD-10-CM).
    public var pregnancyCodes: [String] {
        diagnosisCodes.filter(Self.isPregnancyCode)
    }

    /// Whether an ICD-10-CM code records a pregnancy: Z33.1, or any code in chapter 15 (O00–O9A).
    public static func isPregnancyCode(_ code: String) -> Bool {
        let normalized = code.trimmingCharacters(in: .whitespaces).uppercased().replacingOccurrences(of: ".", with: "")
        if normalized == "Z331" { return true }
        // Chapter 15 "Pregnancy, childbirth and the puerperium" spans O00–O99 and O9A.
        let chars = Array(normalized)
        guard chars.count >= 3, chars[0] == "O" else { return false }
        let category = String(chars[1...2])
        if category == "9A" { return true }
        return chars[1].isASCII && chars[1].isNumber && chars[2].isASCII && chars[2].isNumber
    }
}
