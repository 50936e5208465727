/// "Who touched this chart?" without a random B-tree insert per audited read.
///
/// `audit_entries_resource (resource_type, resource_id)` put every audit entry on the index leaf of its resource, and
/// resource ids are UUIDs: each group commit of chart reads dirtied one index page per read, and the WAL wrote (and the
/// checkpoint rewrote) 4 KiB per 60-byte key (BENCHMARKS.md, "Results after the chart fast path"). The index now lives
/// in its own table, filled in bulk by `Clinic.indexAuditResources` (a background ticker, every second): one pass
/// touches each busy resource's leaf once. Entries after `indexed_through` are found by a short scan of the chain's
/// tail, so a query by resource is always complete, whether or not the indexer has caught up. Existing entries are
/// indexed here.
struct M015_IndexAuditResourcesInBulk: Migration {
    let version = 15
    let name = "IndexAuditResourcesInBulk"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        [
            "DROP INDEX audit_entries_resource",
            """
            CREATE TABLE audit_resource_index (
                resource_type TEXT NOT NULL,
                resource_id TEXT NOT NULL,
                seq BIGINT NOT NULL,
                PRIMARY KEY (resource_type, resource_id, seq)
            )\(dialect == .sqlite ? " WITHOUT ROWID" : "")
            """,
            """
            CREATE TABLE audit_resource_index_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                indexed_through BIGINT NOT NULL
            )
            """,
            """
            INSERT INTO audit_resource_index (resource_type, resource_id, seq)
            SELECT resource_type, resource_id, seq FROM audit_entries ORDER BY resource_type, resource_id, seq
            """,
            "INSERT INTO audit_resource_index_state (id, indexed_through) SELECT 1, COALESCE(MAX(seq), 0) FROM audit_entries",
        ]
    }
}
