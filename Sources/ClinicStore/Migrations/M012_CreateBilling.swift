/// Billing (issue 6): session charges, payers, coverages, eligibility checks and prior authorisations — document
/// tables like M006's. Charge lines are appended, never rewritten.
struct M012_CreateBilling: Migration {
    let version = 12
    let name = "CreateBilling"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        ["session_charges", "payers", "coverages", "eligibility_checks", "prior_authorizations"].flatMap { table in
            [
                """
                CREATE TABLE \(table) (
                    id TEXT PRIMARY KEY,
                    patient_id TEXT,
                    ref_id TEXT,
                    day TEXT,
                    start_us BIGINT,
                    end_us BIGINT,
                    status TEXT,
                    document TEXT NOT NULL,
                    updated_us BIGINT NOT NULL
                )
                """,
                "CREATE INDEX \(table)_patient ON \(table) (patient_id, start_us)",
                "CREATE INDEX \(table)_ref ON \(table) (ref_id)",
                "CREATE INDEX \(table)_day ON \(table) (day)",
            ]
        }
    }
}
