import ClinicCore
import Logging
import ServiceLifecycle

/// Keeps the audit trail's per-resource index (M015) near the chain's head: every few seconds it looks at the backlog
/// and, when `AuditIndexSchedule` says so, indexes the entries appended since the last pass — a busy chart then costs
/// one index page per pass instead of one per audited read.
struct AuditIndexTicker: Service {
    let clinic: Clinic
    let logger: Logger
    var schedule = AuditIndexSchedule()
    var interval: Duration = .seconds(5)

    func run() async throws {
        var lastPass = ContinuousClock.now
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let backlog = try await clinic.auditIndexBacklog()
                if schedule.shouldIndex(backlog: backlog, sinceLastPass: lastPass.duration(to: .now)) {
                    try await clinic.indexAuditResources()
                    lastPass = .now
                }
            } catch {
                logger.error("audit index pass failed", metadata: ["error": "\(type(of: error))"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
