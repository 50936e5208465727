import ClinicCore
import Logging
import ServiceLifecycle

/// Escalates urgent clinician tasks left unacknowledged past the clinic's limit (clinical-reference §7 [D]: 15 minutes
/// to the medical director), checking every 30 seconds beside the HTTP server under the same lifecycle.
struct OutcomeTicker: Service {
    let clinic: Clinic
    let logger: Logger
    var interval: Duration = .seconds(30)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let escalated = try await clinic.escalateUnacknowledgedTasks()
                for task in escalated { logger.warning("urgent task escalated", metadata: ["task": "\(task.id.rawValue)"]) }
            } catch {
                logger.error("escalation check failed", metadata: ["error": "\(type(of: error))"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
