/// Treatment plans, chairs, staff shifts, appointments, infusion sessions and clinic settings: each a JSON document
/// beside the columns the day board, the week view and the chart query.
struct M006_CreateInfusionDay: Migration {
    let version = 6
    let name = "CreateInfusionDay"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        // Listed literally: a migration never changes once it has landed, whatever DocumentTable gains later.
        DocumentTableSchema.statements(["treatment_plans", "chairs", "staff_shifts", "appointments", "infusion_sessions", "clinic_settings"], indexes: [.patient, .ref, .day, .start])
    }
}
