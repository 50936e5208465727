/// Follow-up and outcomes: filled forms, single-use follow-up links, urgent clinician tasks and their messages, and
/// accepted booster dates, and each patient's derived outcome summary for clinic analytics — document tables like M006's.
struct M009_CreateOutcomes: Migration {
    let version = 9
    let name = "CreateOutcomes"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        ["outcome_records", "follow_up_links", "clinician_tasks", "clinician_messages", "booster_decisions", "outcome_summaries"].flatMap { table in
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
                "CREATE INDEX \(table)_status ON \(table) (status, start_us)",
            ]
        }
    }
}
