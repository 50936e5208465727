/// Billing (issue 6): session charges, payers, coverages, eligibility checks and prior authorisations — document
/// tables like M006's. Charge lines are appended, never rewritten.
struct M012_CreateBilling: Migration {
    let version = 12
    let name = "CreateBilling"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        DocumentTableSchema.statements(["session_charges", "payers", "coverages", "eligibility_checks", "prior_authorizations"], indexes: [.patientByStart, .ref, .day])
    }
}
