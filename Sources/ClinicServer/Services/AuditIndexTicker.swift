import ClinicCore
import Logging
import ServiceLifecycle

/// Keeps the audit trail's per-resource index (M015) close to the chain's head: every second, the entries appended
/// since the last pass are indexed in one transaction, so a busy chart costs one index page per pass instead of one
/// per audited read.
struct AuditIndexTicker: Service {
    let clinic: Clinic
    let logger: Logger
    var interval: Duration = .seconds(1)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await clinic.indexAuditResources()
            } catch {
                logger.error("audit index pass failed", metadata: ["error": "\(type(of: error))"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
