/// Bedside monitoring: registered monitors, every HL7 message as received (filed or quarantined), the observations
/// filed under sessions, each session's alarm record and threshold changes.
struct M008_CreateMonitoring: Migration {
    let version = 8
    let name = "CreateMonitoring"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        // Document tables listed literally, as in M006.
        let documents = DocumentTableSchema.statements(["monitor_devices", "session_alarms", "threshold_changes"], indexes: [.patient, .ref])
        let double = dialect == .postgres ? "DOUBLE PRECISION" : "REAL"
        return documents + [
            // (sender, control id) is the message's identity: a resend is acknowledged again but stored once.
            """
            CREATE TABLE vital_messages (
                sender TEXT NOT NULL,
                control_id TEXT NOT NULL,
                device_id TEXT,
                source_address TEXT NOT NULL,
                received_us BIGINT NOT NULL,
                session_id TEXT,
                status TEXT NOT NULL,
                reason TEXT NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (sender, control_id)
            )
            """,
            // Only the rows staff must look at are indexed by status (a partial index: filed rows cost nothing here).
            "CREATE INDEX vital_messages_quarantined ON vital_messages (received_us) WHERE status = 'quarantined'",
            """
            CREATE TABLE vital_observations (
                session_id TEXT NOT NULL,
                observed_us BIGINT NOT NULL,
                parameter TEXT NOT NULL,
                value \(double) NOT NULL,
                sender TEXT NOT NULL,
                control_id TEXT NOT NULL
            )
            """,
            "CREATE INDEX vital_observations_session ON vital_observations (session_id, observed_us)",
        ]
    }
}
