/// The append-only, hash-chained audit trail and its sealed head.
struct M002_CreateAuditTrail: Migration {
    let version = 2
    let name = "CreateAuditTrail"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        [
            """
            CREATE TABLE audit_entries (
                seq BIGINT PRIMARY KEY,
                at_us BIGINT NOT NULL,
                actor_id TEXT NOT NULL,
                actor_role TEXT NOT NULL,
                action TEXT NOT NULL,
                resource_type TEXT NOT NULL,
                resource_id TEXT NOT NULL,
                outcome TEXT NOT NULL,
                client TEXT NOT NULL,
                detail TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_entries_resource ON audit_entries (resource_type, resource_id)",
            "CREATE INDEX audit_entries_actor ON audit_entries (actor_id)",
            "CREATE INDEX audit_entries_at ON audit_entries (at_us)",
            """
            CREATE TABLE audit_head (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                seq BIGINT NOT NULL,
                hash TEXT NOT NULL,
                entry_count BIGINT NOT NULL,
                seal TEXT NOT NULL
            )
            """,
        ]
    }
}
