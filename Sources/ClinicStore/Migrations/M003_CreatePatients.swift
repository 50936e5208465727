/// Patient charts (searchable columns beside the chart document), their revisions and the MRN counter.
struct M003_CreatePatients: Migration {
    let version = 3
    let name = "CreatePatients"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        [
            "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
            "INSERT INTO counters (name, value) VALUES ('mrn', 0)",
            """
            CREATE TABLE patients (
                id TEXT PRIMARY KEY,
                mrn TEXT NOT NULL UNIQUE,
                given_name TEXT NOT NULL,
                family_name TEXT NOT NULL,
                search_key TEXT NOT NULL,
                sort_key TEXT NOT NULL,
                birth_date TEXT NOT NULL,
                phone_digits TEXT NOT NULL,
                primary_dx TEXT,
                revision INTEGER NOT NULL,
                chart TEXT NOT NULL,
                created_us BIGINT NOT NULL,
                updated_us BIGINT NOT NULL
            )
            """,
            "CREATE INDEX patients_search_key ON patients (search_key)",
            "CREATE INDEX patients_sort_key ON patients (sort_key)",
            "CREATE INDEX patients_birth_date ON patients (birth_date)",
            "CREATE INDEX patients_phone ON patients (phone_digits)",
            """
            CREATE TABLE patient_revisions (
                patient_id TEXT NOT NULL REFERENCES patients(id),
                revision INTEGER NOT NULL,
                changed_us BIGINT NOT NULL,
                changed_by TEXT NOT NULL,
                changed_fields TEXT NOT NULL,
                before_chart TEXT,
                PRIMARY KEY (patient_id, revision)
            )
            """,
        ]
    }
}
