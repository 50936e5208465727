/// Candidacy screenings: the form, the evaluation and what followed (clearances, override), as one document.
struct M004_CreateScreenings: Migration {
    let version = 4
    let name = "CreateScreenings"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        [
            """
            CREATE TABLE screenings (
                id TEXT PRIMARY KEY,
                patient_id TEXT NOT NULL REFERENCES patients(id),
                screened_us BIGINT NOT NULL,
                decision TEXT NOT NULL,
                document TEXT NOT NULL
            )
            """,
            "CREATE INDEX screenings_patient ON screenings (patient_id, screened_us)",
        ]
    }
}
