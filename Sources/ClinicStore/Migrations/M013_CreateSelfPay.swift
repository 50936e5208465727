/// Self-pay (issue 6): price-list versions, good-faith estimates, payment plans and the patients' ledger — document
/// tables like M011's. Ledger lines are insert-only: a trigger refuses any UPDATE or DELETE of one (so even an upsert of
/// an existing line fails instead of changing it).
struct M013_CreateSelfPay: Migration {
    let version = 13
    let name = "CreateSelfPay"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        tables + insertOnly(dialect)
    }

    func insertOnly(_ dialect: SQLDialectKind) -> [String] {
        switch dialect {
        case .sqlite:
            return ["UPDATE", "DELETE"].map { op in
                "CREATE TRIGGER ledger_entries_no_\(op.lowercased()) BEFORE \(op) ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger entries are insert-only'); END"
            }
        case .postgres:
            return [
                "CREATE FUNCTION ledger_entries_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'ledger entries are insert-only'; END $$",
                "CREATE TRIGGER ledger_entries_insert_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_entries_insert_only()",
            ]
        }
    }

    var tables: [String] {
        DocumentTableSchema.statements(["price_list", "gfe_estimates", "payment_plans", "ledger_entries"], indexes: [.patientByStart, .ref, .statusByStart, .day])
    }
}
