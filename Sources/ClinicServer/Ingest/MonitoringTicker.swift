import ClinicCore
import ServiceLifecycle

/// Ticks the alarm monitors once a second (confirmations, "no data", escalations, manual-vitals prompts) beside the
/// HTTP server and the MLLP listener, under the same lifecycle.
struct MonitoringTicker: Service {
    let clinic: Clinic
    var interval: Duration = .seconds(1)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await clinic.monitoringTick()
            try? await Task.sleep(for: interval)
        }
    }
}
