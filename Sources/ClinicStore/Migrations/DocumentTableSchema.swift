/// The shape every document table has had since M006: the JSON document beside the columns queries filter on. Migrations
/// list their tables and indexes literally and share only this shape; it is part of landed migrations, so it never
/// changes — a different shape would be a new function.
enum DocumentTableSchema {
    /// One index: its name suffix and its columns.
    struct Index {
        let suffix: String
        let columns: String
        static let patient = Index(suffix: "patient", columns: "patient_id")
        static let patientByStart = Index(suffix: "patient", columns: "patient_id, start_us")
        static let ref = Index(suffix: "ref", columns: "ref_id")
        static let day = Index(suffix: "day", columns: "day")
        static let start = Index(suffix: "start", columns: "start_us")
        static let statusByStart = Index(suffix: "status", columns: "status, start_us")
    }

    /// CREATE TABLE for each table, each followed by its indexes (named `<table>_<suffix>`).
    static func statements(_ tables: [String], indexes: [Index]) -> [String] {
        tables.flatMap { table in
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
            ] + indexes.map { "CREATE INDEX \(table)_\($0.suffix) ON \(table) (\($0.columns))" }
        }
    }
}
