/// Follow-up and outcomes: filled forms, single-use follow-up links, urgent clinician tasks and their messages, and
/// accepted booster dates, and each patient's derived outcome summary for clinic analytics — document tables like M006's.
struct M009_CreateOutcomes: Migration {
    let version = 9
    let name = "CreateOutcomes"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        DocumentTableSchema.statements(["outcome_records", "follow_up_links", "clinician_tasks", "clinician_messages", "booster_decisions", "outcome_summaries"], indexes: [.patientByStart, .ref, .statusByStart])
    }
}
