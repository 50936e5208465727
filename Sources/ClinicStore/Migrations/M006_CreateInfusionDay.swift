/// Treatment plans, chairs, staff shifts, appointments, infusion sessions and clinic settings: each a JSON document
/// beside the columns the day board, the week view and the chart query.
struct M006_CreateInfusionDay: Migration {
    let version = 6
    let name = "CreateInfusionDay"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        // Listed literally: a migration never changes once it has landed, whatever DocumentTable gains later.
        ["treatment_plans", "chairs", "staff_shifts", "appointments", "infusion_sessions", "clinic_settings"].flatMap { table in
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
                "CREATE INDEX \(table)_patient ON \(table) (patient_id)",
                "CREATE INDEX \(table)_ref ON \(table) (ref_id)",
                "CREATE INDEX \(table)_day ON \(table) (day)",
                "CREATE INDEX \(table)_start ON \(table) (start_us)",
            ]
        }
    }
}
