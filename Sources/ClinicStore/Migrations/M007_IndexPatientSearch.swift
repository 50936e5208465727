/// A covering index for the patient list and name search: the list and its count are answered from the index alone,
/// without reading each chart document (measured in BENCHMARKS.md).
struct M007_IndexPatientSearch: Migration {
    let version = 7
    let name = "IndexPatientSearch"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        [
            "CREATE INDEX patients_list ON patients (sort_key, search_key, mrn, id, given_name, family_name, birth_date, phone_digits, primary_dx)",
            "CREATE INDEX screenings_latest ON screenings (patient_id, screened_us DESC, id)",
        ]
    }
}
