/// Staff accounts and their sessions/tokens (stored only as hashes).
struct M001_CreateAccounts: Migration {
    let version = 1
    let name = "CreateAccounts"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        [
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                email TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                role TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                must_change_password INTEGER NOT NULL,
                disabled INTEGER NOT NULL,
                failed_sign_ins INTEGER NOT NULL,
                locked_until_us BIGINT,
                created_us BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE auth_tokens (
                token_hash TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id),
                kind TEXT NOT NULL,
                csrf TEXT NOT NULL,
                created_us BIGINT NOT NULL,
                last_seen_us BIGINT NOT NULL,
                expires_us BIGINT NOT NULL,
                revoked INTEGER NOT NULL
            )
            """,
            "CREATE INDEX auth_tokens_user ON auth_tokens (user_id)",
        ]
    }
}
