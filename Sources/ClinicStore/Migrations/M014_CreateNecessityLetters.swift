/// Medical-necessity letters (issue 6): one row per version, a document table like M013's. A signed version is frozen: a
/// trigger refuses any UPDATE or DELETE of a row whose status is `signed` (a draft becomes signed by one UPDATE; a
/// revision is a new row).
struct M014_CreateNecessityLetters: Migration {
    let version = 14
    let name = "CreateNecessityLetters"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        table + frozenWhenSigned(dialect)
    }

    var table: [String] {
        DocumentTableSchema.statements(["necessity_letters"], indexes: [.patientByStart, .ref, .day])
    }

    func frozenWhenSigned(_ dialect: SQLDialectKind) -> [String] {
        switch dialect {
        case .sqlite:
            return ["UPDATE", "DELETE"].map { op in
                "CREATE TRIGGER necessity_letters_signed_no_\(op.lowercased()) BEFORE \(op) ON necessity_letters WHEN OLD.status = 'signed' "
                    + "BEGIN SELECT RAISE(ABORT, 'signed letters are frozen'); END"
            }
        case .postgres:
            return [
                "CREATE FUNCTION necessity_letters_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF OLD.status = 'signed' THEN RAISE EXCEPTION 'signed letters are frozen'; END IF; "
                    + "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
                "CREATE TRIGGER necessity_letters_frozen BEFORE UPDATE OR DELETE ON necessity_letters FOR EACH ROW EXECUTE FUNCTION necessity_letters_frozen()",
            ]
        }
    }
}
