/// The controlled-substance register (issue 6): vials, session drug accounts, append-only register lines, counts,
/// discrepancies, destructions and loss reports — document tables like M006's. Nothing in them is ever deleted.
struct M011_CreateControlledSubstanceRegister: Migration {
    let version = 11
    let name = "CreateControlledSubstanceRegister"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        DocumentTableSchema.statements(["cs_vials", "cs_session_accounts", "cs_register_entries", "cs_stock_counts", "cs_discrepancies", "cs_destructions", "cs_loss_reports"], indexes: [.patientByStart, .ref, .statusByStart, .day])
    }
}
