import ClinicCore
import Foundation
import NIOCore
import NIOPosix

/// Runs simulated bedside monitors against an MLLP receiver (`deeprelief simulate monitors`), or loads it for the
/// benchmark, and reports what came back. Prints nothing.
///
/// - `.monitors`: one connection per chair; chair k sends a numerics message every 1/`rate` s (the model's time is the
///   wall clock's), with cuff readings every `cuffInterval`, random artefacts and the scripted scenarios.
/// - `.load(totalRate:)`: `chairs` connections, each sending the same kind of message as fast as its window of
///   unacknowledged messages allows — or, with a total rate, at `totalRate / chairs` per connection. No scenarios.
///
/// After `duration` seconds nothing more is sent; outstanding ACKs are awaited (up to the ACK time-out), then every
/// connection is closed.
public enum MonitorSimulation {
    /// What to run.
    public struct Configuration: Sendable, Hashable {
        /// Monitors at a rate, or load.
        public enum Mode: Sendable, Hashable {
            /// One connection per chair, `rate` messages per second each, scenarios on.
            case monitors
            /// `chairs` connections as fast as the window allows, or at `totalRate` messages per second in all.
            case load(totalRate: Double?)
        }

        /// Chairs (monitors mode) or connections (load mode).
        public var chairs: Int
        /// Numerics messages per second per chair (monitors mode; default 0.5 = every 2 s).
        public var rate: Double
        /// Seconds to send for.
        public var duration: TimeInterval
        /// The receiver's host.
        public var host: String
        /// The receiver's MLLP port.
        public var port: Int
        /// Scripted events (monitors mode).
        public var scenarios: [SimulationScenario]
        /// Seconds between cuff readings (default 5 min).
        public var cuffInterval: TimeInterval
        /// Messages awaiting an ACK per connection.
        public var window: Int
        /// The seed of every patient, noise and artefact.
        public var seed: UInt64
        /// Monitors or load.
        public var mode: Mode
        /// Seconds to wait for an ACK.
        public var acknowledgmentTimeout: TimeInterval
        /// Whether a dropped connection is opened again (attempts every 0.5 s, 10 per drop).
        public var reconnect: Bool
        /// MDC or LOINC codes.
        public var coding: SimulatedMonitor.ObservationCoding
        /// Random artefacts per chair and hour.
        public var artefactsPerHour: Double
        /// Chair k starts `(k − 1) × infusionStagger` seconds into its infusion (modulo 40 min), so the room shows
        /// infusions at different stages.
        public var infusionStagger: TimeInterval
        /// PID-3 per chair, when the feed should name patients (otherwise the server maps by chair).
        public var patientIdentifiers: [Int: PatientIdentifier]

        /// Creates a configuration.
        public init(chairs: Int = 6, rate: Double = 0.5, duration: TimeInterval = 60, host: String = "127.0.0.1", port: Int = 2575,
                    scenarios: [SimulationScenario] = [], cuffInterval: TimeInterval = 300, window: Int = 8, seed: UInt64 = 1,
                    mode: Mode = .monitors, acknowledgmentTimeout: TimeInterval = 10, reconnect: Bool = true,
                    coding: SimulatedMonitor.ObservationCoding = .mdc, artefactsPerHour: Double = 4,
                    infusionStagger: TimeInterval = 420, patientIdentifiers: [Int: PatientIdentifier] = [:]) {
            self.chairs = chairs
            self.rate = rate
            self.duration = duration
            self.host = host
            self.port = port
            self.scenarios = scenarios
            self.cuffInterval = cuffInterval
            self.window = window
            self.seed = seed
            self.mode = mode
            self.acknowledgmentTimeout = acknowledgmentTimeout
            self.reconnect = reconnect
            self.coding = coding
            self.artefactsPerHour = artefactsPerHour
            self.infusionStagger = infusionStagger
            self.patientIdentifiers = patientIdentifiers
        }

        /// Creates a configuration for a `HOST:PORT` target (`[::1]:2575` for IPv6).
        public init(chairs: Int = 6, rate: Double = 0.5, duration: TimeInterval = 60, target: String,
                    scenarios: [SimulationScenario] = [], cuffInterval: TimeInterval = 300, window: Int = 8, seed: UInt64 = 1,
                    mode: Mode = .monitors) throws(MonitorSimulation.ConfigurationError) {
            let (host, port) = try MonitorSimulation.parseTarget(target)
            self.init(chairs: chairs, rate: rate, duration: duration, host: host, port: port, scenarios: scenarios,
                      cuffInterval: cuffInterval, window: window, seed: seed, mode: mode)
        }

        /// Checks the numbers and that every scenario names an existing chair.
        public func validate() throws(MonitorSimulation.ConfigurationError) {
            guard chairs >= 1 else { throw .invalid("chairs must be at least 1") }
            guard rate > 0, rate.isFinite else { throw .invalid("rate must be a positive number of messages per second") }
            guard duration > 0, duration.isFinite else { throw .invalid("duration must be a positive number of seconds") }
            guard (1...65_535).contains(port) else { throw .invalid("port must be 1–65535") }
            guard cuffInterval >= 1 else { throw .invalid("cuff interval must be at least 1 s") }
            guard window >= 1 else { throw .invalid("window must be at least 1") }
            guard acknowledgmentTimeout > 0 else { throw .invalid("ACK time-out must be positive") }
            if case .load(let total?) = mode, !(total > 0 && total.isFinite) {
                throw .invalid("load rate must be a positive number of messages per second")
            }
            if let scenario = scenarios.first(where: { $0.chair > chairs }) {
                throw .invalid("scenario \(scenario) names chair \(scenario.chair) of \(chairs)")
            }
        }
    }

    /// Why a configuration cannot run.
    public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The target is not `HOST:PORT`.
        case invalidTarget(String)
        /// A value is out of range.
        case invalid(String)

        /// A short reason for the command line.
        public var description: String {
            switch self {
            case .invalidTarget(let text): "target '\(text)' is not HOST:PORT"
            case .invalid(let reason): reason
            }
        }
    }

    /// Reads `--scenario NAME@CHAIR:SECONDS[+DURATION]` (see `SimulationScenario`).
    public static func parseScenario(_ text: String) throws(SimulationScenario.ParseError) -> SimulationScenario {
        try SimulationScenario.parse(text)
    }

    /// Reads `HOST:PORT`, `:PORT` (localhost) or `[IPv6]:PORT`.
    public static func parseTarget(_ text: String) throws(ConfigurationError) -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port)
        else { throw .invalidTarget(text) }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }
        guard !host.contains(" ") else { throw .invalidTarget(text) }
        return (host, port)
    }

    /// The monitor of `chair` as `run` builds it (its patient, settings and scenarios), for tests and previews.
    public static func monitor(chair: Int, configuration: Configuration, startedAt: Date, runTag: String) -> SimulatedMonitor {
        let settings = SimulatedMonitor.Settings(
            cuffInterval: configuration.cuffInterval, coding: configuration.coding,
            patientIdentifier: configuration.patientIdentifiers[chair],
            infusionElapsedAtStart: (Double(chair - 1) * configuration.infusionStagger).truncatingRemainder(dividingBy: 2400),
            artefactsPerHour: configuration.artefactsPerHour, controlIDPrefix: "\(runTag)-\(chair)-")
        let scenarios: [SimulationScenario] = if case .monitors = configuration.mode { configuration.scenarios } else { [] }
        return SimulatedMonitor(chair: chair, seed: configuration.seed, startedAt: startedAt, settings: settings, scenarios: scenarios)
    }

    /// A short tag that makes MSH-10 unique per run (a receiver stores a resent MSH-10 once): the start time in
    /// milliseconds mixed with the seed, in base 36.
    public static func runTag(seed: UInt64, startedAt: Date) -> String {
        let milliseconds = UInt64(max(0, startedAt.timeIntervalSince1970 * 1000))
        var random = SimulationRandom(seed: seed ^ milliseconds, stream: 99)
        return String(random.next() % 2_176_782_336, radix: 36, uppercase: true)  // at most 6 characters
    }

    /// Runs the simulation and reports. Throws only for an invalid configuration; a receiver that cannot be reached
    /// shows in the report (`unsent`, `failedConnections`).
    public static func run(_ configuration: Configuration,
                           group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> SimulationReport {
        try configuration.validate()
        let startedAt = Date()
        let tag = runTag(seed: configuration.seed, startedAt: startedAt)
        let clock = ContinuousClock()
        let start = clock.now
        let chairs = await withTaskGroup(of: ChairResult.self) { tasks in
            for chair in 1...configuration.chairs {
                let monitor = monitor(chair: chair, configuration: configuration, startedAt: startedAt, runTag: tag)
                tasks.addTask { await runChair(monitor, configuration: configuration, group: group, clock: clock, start: start) }
            }
            var results: [ChairResult] = []
            for await result in tasks { results.append(result) }
            return results.sorted { $0.chair < $1.chair }
        }
        let elapsed = start.duration(to: clock.now)
        return SimulationReport(configuration: configuration, startedAt: startedAt, runTag: tag, elapsed: elapsed.inSeconds, chairs: chairs)
    }

    struct ChairResult: Sendable {
        var chair: Int
        var generated = 0
        var unsent = 0
        var skipped = 0
        var statistics = MLLPClient.Statistics()
    }

    private static func runChair(_ monitor: SimulatedMonitor, configuration: Configuration, group: any EventLoopGroup,
                                 clock: ContinuousClock, start: ContinuousClock.Instant) async -> ChairResult {
        var monitor = monitor
        let client = MLLPClient(
            configuration: MLLPClient.Configuration(
                host: configuration.host, port: configuration.port, window: configuration.window,
                acknowledgmentTimeout: .seconds(configuration.acknowledgmentTimeout),
                reconnect: configuration.reconnect ? MLLPClient.ReconnectPolicy(maximumAttempts: 10, delay: .milliseconds(500)) : nil),
            group: group)
        var result = ChairResult(chair: monitor.chair)
        let end = start.advanced(by: .seconds(configuration.duration))
        let interval: Double? = switch configuration.mode {
        case .monitors: 1 / configuration.rate
        case .load(let total?): Double(configuration.chairs) / total
        case .load(nil): nil
        }
        var tick = 0
        while !Task.isCancelled {
            let due: ContinuousClock.Instant
            if let interval {
                due = start.advanced(by: .seconds(Double(tick) * interval))
                guard due < end else { break }
                if due > clock.now { try? await Task.sleep(until: due, clock: clock) }
            } else {
                due = clock.now
                guard due < end else { break }
            }
            tick += 1
            if let interval, case .monitors = configuration.mode {
                // A monitor does not queue up what it could not send: slots already past are dropped.
                let current = Int(start.duration(to: clock.now).inSeconds / interval)
                if current > tick {
                    result.skipped += current - tick
                    tick = current
                }
            }
            // The schedule's time (a late send still reports its due time); as fast as possible: the present.
            let elapsed = start.duration(to: due).inSeconds
            guard let generated = monitor.next(at: elapsed) else { continue }
            result.generated += 1
            do {
                _ = try await client.submit(payload: generated.encoded, controlID: generated.controlID)
            } catch {
                result.unsent += 1
                if case .load = configuration.mode {
                    // The receiver is gone: do not spin; the next submit reconnects (or fails fast when it may not).
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
        }
        // A paced run lasts its whole duration (the last slot may come well before the end).
        if interval != nil, end > clock.now { try? await Task.sleep(until: end, clock: clock) }
        await client.close()
        result.statistics = client.statistics
        return result
    }
}

extension Duration {
    /// The duration in seconds.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}

/// What a simulation or load run did: counts, AA throughput and ACK latency. Codable (JSON) and printable (`text`).
public struct SimulationReport: Sendable, Hashable, Codable {
    /// ACK round-trip times (write to ACK), milliseconds.
    public struct Latency: Sendable, Hashable, Codable {
        /// ACKs measured (AA, AE and AR).
        public var count: Int
        /// Median.
        public var p50: Double
        /// 90th percentile.
        public var p90: Double
        /// 99th percentile.
        public var p99: Double
        /// Largest.
        public var max: Double
        /// Mean.
        public var mean: Double

        /// Reads a histogram (values are exact below 0.128 ms, within 1.6 % above).
        public init(_ histogram: LatencyHistogram) {
            count = histogram.count
            p50 = Double(histogram.percentile(50)) / 1000
            p90 = Double(histogram.percentile(90)) / 1000
            p99 = Double(histogram.percentile(99)) / 1000
            max = Double(histogram.maximumMicroseconds) / 1000
            mean = histogram.meanMicroseconds / 1000
        }
    }

    /// One chair's (or connection's) counts.
    public struct Chair: Sendable, Hashable, Codable {
        /// The chair, from 1.
        public var chair: Int
        /// Messages generated (none during a `monitorSilence`).
        public var generated: Int
        /// Messages written.
        public var sent: Int
        /// Generated but not written (no connection).
        public var unsent: Int
        /// Send slots dropped because sending fell behind the rate (monitors mode).
        public var skipped: Int
        /// AA.
        public var accepted: Int
        /// AE.
        public var errors: Int
        /// AR.
        public var rejected: Int
        /// No ACK in time.
        public var timedOut: Int
        /// In flight when the connection ended.
        public var connectionLost: Int
    }

    /// `monitors` or `load`.
    public var mode: String
    /// Chairs or connections.
    public var chairs: Int
    /// Messages per second per chair (monitors), the total rate asked for (load at a fixed rate), or nil (as fast as
    /// the window allows).
    public var rate: Double?
    /// Messages awaiting an ACK per connection.
    public var window: Int
    /// Seconds of sending asked for.
    public var duration: Double
    /// Seconds from start until every connection was closed (sending, then waiting for the last ACKs).
    public var elapsed: Double
    /// The seed.
    public var seed: UInt64
    /// The prefix of every MSH-10 of the run (`<runTag>-<chair>-<n>`).
    public var runTag: String
    /// When the run started.
    public var startedAt: Date
    /// The scenarios, as text.
    public var scenarios: [String]
    /// Messages generated.
    public var generated: Int
    /// Messages written.
    public var sent: Int
    /// Generated but not written (no connection).
    public var unsent: Int
    /// Send slots dropped because sending fell behind the rate (monitors mode).
    public var skipped: Int
    /// AA.
    public var accepted: Int
    /// AE.
    public var errors: Int
    /// AR.
    public var rejected: Int
    /// No ACK in time.
    public var timedOut: Int
    /// In flight when a connection ended.
    public var connectionLost: Int
    /// ACKs that matched no message in flight.
    public var unmatchedAcknowledgments: Int
    /// Connections opened again after a drop.
    public var reconnects: Int
    /// Connection attempts that failed.
    public var failedConnections: Int
    /// AA per second over `elapsed`: the receiver's durable messages per second.
    public var acceptedPerSecond: Double
    /// ACK round-trip times.
    public var latency: Latency
    /// Per chair or connection.
    public var perChair: [Chair]

    init(configuration: MonitorSimulation.Configuration, startedAt: Date, runTag: String, elapsed: Double,
         chairs: [MonitorSimulation.ChairResult]) {
        var total = MLLPClient.Statistics()
        for chair in chairs { total.merge(chair.statistics) }
        switch configuration.mode {
        case .monitors: (mode, rate) = ("monitors", configuration.rate)
        case .load(let totalRate): (mode, rate) = ("load", totalRate)
        }
        self.chairs = configuration.chairs
        self.window = configuration.window
        self.duration = configuration.duration
        self.elapsed = elapsed
        self.seed = configuration.seed
        self.runTag = runTag
        self.startedAt = startedAt
        if case .monitors = configuration.mode { scenarios = configuration.scenarios.map(\.description) } else { scenarios = [] }
        generated = chairs.reduce(0) { $0 + $1.generated }
        unsent = chairs.reduce(0) { $0 + $1.unsent }
        skipped = chairs.reduce(0) { $0 + $1.skipped }
        sent = total.sent
        accepted = total.accepted
        errors = total.errors
        rejected = total.rejected
        timedOut = total.timedOut
        connectionLost = total.connectionLost
        unmatchedAcknowledgments = total.unmatchedAcknowledgments
        reconnects = total.reconnects
        failedConnections = total.failedConnections
        acceptedPerSecond = elapsed > 0 ? Double(total.accepted) / elapsed : 0
        latency = Latency(total.roundTrips)
        perChair = chairs.map {
            Chair(chair: $0.chair, generated: $0.generated, sent: $0.statistics.sent, unsent: $0.unsent, skipped: $0.skipped,
                  accepted: $0.statistics.accepted, errors: $0.statistics.errors, rejected: $0.statistics.rejected,
                  timedOut: $0.statistics.timedOut, connectionLost: $0.statistics.connectionLost)
        }
    }

    /// The report as pretty-printed JSON (dates ISO 8601, keys sorted).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    /// The report as lines for a terminal.
    public var text: String {
        func ms(_ value: Double) -> String { String(format: "%.2f ms", value) }
        let what = mode == "monitors" ? "\(chairs) chair(s) at \(rate.map { String(format: "%g", $0) } ?? "?") Hz"
            : "\(chairs) connection(s) at \(rate.map { String(format: "%g msg/s", $0) } ?? "full speed")"
        var lines = [
            "\(mode): \(what), window \(window), \(String(format: "%g", duration)) s (elapsed \(String(format: "%.1f", elapsed)) s), seed \(seed), run \(runTag)",
            "sent \(sent) of \(generated) generated (unsent \(unsent), slots skipped \(skipped)); AA \(accepted), AE \(errors), AR \(rejected), timed out \(timedOut), connection lost \(connectionLost), unmatched ACKs \(unmatchedAcknowledgments)",
            "connections: \(reconnects) reconnect(s), \(failedConnections) failed attempt(s)",
            String(format: "throughput: %.1f AA/s", acceptedPerSecond),
            "ACK latency (\(latency.count)): p50 \(ms(latency.p50)), p90 \(ms(latency.p90)), p99 \(ms(latency.p99)), max \(ms(latency.max)), mean \(ms(latency.mean))",
        ]
        if !scenarios.isEmpty { lines.append("scenarios: " + scenarios.joined(separator: ", ")) }
        for chair in perChair {
            lines.append("  chair \(chair.chair): sent \(chair.sent), AA \(chair.accepted), AE \(chair.errors), AR \(chair.rejected), "
                + "timed out \(chair.timedOut), lost \(chair.connectionLost), unsent \(chair.unsent), skipped \(chair.skipped)")
        }
        return lines.joined(separator: "\n")
    }
}
