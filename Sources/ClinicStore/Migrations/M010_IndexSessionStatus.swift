/// Infusion sessions by state: the monitoring center loads every session still in a chair, whatever day it was
/// planned for, every few seconds.
struct M010_IndexSessionStatus: Migration {
    let version = 10
    let name = "IndexSessionStatus"
    func statements(_ dialect: SQLDialectKind) -> [String] {
        ["CREATE INDEX infusion_sessions_status ON infusion_sessions (status)"]
    }
}
