import Foundation

/// One saved edit of a chart: who changed which parts, when, and what they were before.
public struct PatientRevision: Sendable, Hashable, Codable {
    public var patientID: Patient.ID
    public var revision: Int
    public var changedAt: Date
    public var changedBy: User.ID
    /// The names of the parts that changed, e.g. `contact.phone`, `clinical.medications`.
    public var changedFields: [String]
    /// The chart as it was before this edit (nil for the first revision).
    public var before: Patient?

    public init(patientID: Patient.ID, revision: Int, changedAt: Date, changedBy: User.ID, changedFields: [String], before: Patient?) {
        self.patientID = patientID
        self.revision = revision
        self.changedAt = changedAt
        self.changedBy = changedBy
        self.changedFields = changedFields
        self.before = before
    }

    /// The field names that differ between two versions of a chart.
    public static func changes(from old: Patient, to new: Patient) -> [String] {
        var out: [String] = []
        func check<T: Equatable>(_ name: String, _ a: T, _ b: T) { if a != b { out.append(name) } }
        check("demographics.givenName", old.demographics.givenName, new.demographics.givenName)
        check("demographics.familyName", old.demographics.familyName, new.demographics.familyName)
        check("demographics.dateOfBirth", old.demographics.dateOfBirth, new.demographics.dateOfBirth)
        check("demographics.sex", old.demographics.sex, new.demographics.sex)
        check("contact.phone", old.contact.phone, new.contact.phone)
        check("contact.email", old.contact.email, new.contact.email)
        check("contact.address", old.contact.address, new.contact.address)
        check("escorts", old.escorts, new.escorts)
        check("body.weight", old.body.weight, new.body.weight)
        check("body.height", old.body.height, new.body.height)
        check("clinical.diagnoses", old.clinical.diagnoses, new.clinical.diagnoses)
        check("clinical.medications", old.clinical.medications, new.clinical.medications)
        check("clinical.allergies", old.clinical.allergies, new.clinical.allergies)
        check("clinical.painHistory", old.clinical.painHistory, new.clinical.painHistory)
        return out
    }
}
