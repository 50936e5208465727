/// The protocol library: every version of every protocol, never overwritten, so a session records the exact version.
struct M005_CreateProtocolLibrary: Migration {
    let version = 5
    let name = "CreateProtocolLibrary"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        [
            """
            CREATE TABLE infusion_protocols (
                id TEXT NOT NULL,
                version INTEGER NOT NULL,
                name TEXT NOT NULL,
                document TEXT NOT NULL,
                created_us BIGINT NOT NULL,
                created_by TEXT,
                PRIMARY KEY (id, version)
            )
            """,
        ]
    }
}
