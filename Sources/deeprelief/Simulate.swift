import ArgumentParser
import ClinicHL7
import Foundation

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Simulate bedside monitors (demos and load).", subcommands: [Monitors.self])

    struct Monitors: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send realistic ORU^R01 streams over MLLP, one connection per chair.",
            discussion: """
            Each chair is a monitor (MSH-3 MONITOR-<chair>, MSH-4 DEEPRELIEF-SIM, as `serve --demo` registers them): heart rate, \
            pulse, SpO₂, respiratory rate and EtCO₂ every 1/rate s with the latest cuff reading, a cuff reading every \
            --cuff-interval s, the blood-pressure rise typical of ketamine and occasional short artefacts.
            Scenarios: NAME@CHAIR:SECONDS[+DURATION], NAME one of hypertensiveCrisis (a 190/125 cuff reading), desaturation, \
            bradycardia, monitorSilence, artefact. Example: --scenario hypertensiveCrisis@1:20
            --load sends as fast as each connection's window allows (or at --total-rate), for benchmarks.
            """)
        @Option(help: "Number of chairs (one monitor connection each).") var chairs = 6
        @Option(help: "Numerics messages per second per chair.") var rate = 0.5
        @Option(help: "Seconds to run.") var duration = 60.0
        @Option(help: "The MLLP listener, HOST:PORT.") var target = "127.0.0.1:2575"
        @Option(help: "Seconds between cuff readings.") var cuffInterval = 300.0
        @Option(parsing: .singleValue, help: "A scripted scenario (repeatable).") var scenario: [String] = []
        @Option(help: "Messages in flight per connection before waiting for ACKs.") var window = 8
        @Option(help: "Random seed (same seed, same patients and artefacts).") var seed: UInt64 = 1
        @Flag(help: "Load mode: send as fast as the window allows.") var load = false
        @Option(help: "With --load: a fixed total rate (messages/s across all connections).") var totalRate: Double?
        @Flag(help: "Print the report as JSON.") var json = false

        func run() async throws {
            let scenarios = try scenario.map { try MonitorSimulation.parseScenario($0) }
            let config = try MonitorSimulation.Configuration(chairs: chairs, rate: rate, duration: duration, target: target, scenarios: scenarios,
                                                             cuffInterval: cuffInterval, window: window, seed: seed,
                                                             mode: load ? .load(totalRate: totalRate) : .monitors)
            if !json {
                print("Simulating \(chairs) monitor(s) → \(target) for \(Int(duration)) s" + (load ? " (load)" : " at \(rate) Hz each")
                      + (scenarios.isEmpty ? "" : "; scenarios: " + scenarios.map(\.description).joined(separator: ", ")))
            }
            let report = try await MonitorSimulation.run(config)
            if json {
                print(String(decoding: try report.json(), as: UTF8.self))
            } else {
                print(report.text)
            }
            if report.sent == 0 { throw ExitCode.failure }
        }
    }
}
