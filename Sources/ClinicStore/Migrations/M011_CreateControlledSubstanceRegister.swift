/// The controlled-substance register (issue 6): vials, session drug accounts, append-only register lines, counts,
/// discrepancies, destructions and loss reports — document tables like M006's. Nothing in them is ever deleted.
struct M011_CreateControlledSubstanceRegister: Migration {
    let version = 11
    let name = "CreateControlledSubstanceRegister"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        ["cs_vials", "cs_session_accounts", "cs_register_entries", "cs_stock_counts", "cs_discrepancies", "cs_destructions", "cs_loss_reports"].flatMap { table in
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
                "CREATE INDEX \(table)_day ON \(table) (day)",
            ]
        }
    }
}
