import ClinicCore
import Foundation
import HTTPTypes
import Hummingbird
import Prometheus
import Synchronization

/// Prometheus metrics of this app (its own registry, so tests and several apps in one process never share one).
/// Labels carry routes, methods, statuses and client addresses — never patient data.
public final class ClinicMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    static let buckets: [Duration] = [.microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                                      .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                      .milliseconds(500), .seconds(1), .seconds(2.5)]
    private let distinctClients = Mutex<Set<String>>([])
    /// Instruments by label set, made once: the registry's own lookup builds strings and takes a lock each time.
    private let counters = Mutex<[String: Counter]>([:])
    private let histograms = Mutex<[String: DurationHistogram]>([:])
    /// `deeprelief_mllp_messages_total` by outcome.
    private let mllpCounters = Mutex<[String: Counter]>([:])

    public init() {}

    func requestFinished(route: String, method: String, status: Int, duration: Duration) {
        let counterKey = route + " " + method + " " + String(status)
        let counter = counters.withLock { c in
            if let hit = c[counterKey] { return hit }
            let made = registry.makeCounter(name: "deeprelief_http_requests_total",
                                            labels: [("route", route), ("method", method), ("status", String(status))])
            c[counterKey] = made
            return made
        }
        counter.increment()
        let histogramKey = route + " " + method
        let histogram = histograms.withLock { h in
            if let hit = h[histogramKey] { return hit }
            let made = registry.makeDurationHistogram(descriptor: .init(metricName: "deeprelief_http_request", unitName: "duration_seconds",
                                                                        helpText: "Request latency by route"),
                                                      labels: [("route", route), ("method", method)], buckets: Self.buckets)
            h[histogramKey] = made
            return made
        }
        histogram.record(duration)
    }

    /// Counts an anonymous request refused by authentication, per client address (bounded: past 1,000 distinct
    /// addresses, new ones are counted as "other").
    public func refusedAnonymous(client: String) {
        let label = distinctClients.withLock { set -> String in
            if set.contains(client) { return client }
            if set.count < 1000 { set.insert(client); return client }
            return "other"
        }
        registry.makeCounter(name: "deeprelief_refused_anonymous_total", labels: [("client", label.isEmpty ? "unknown" : label)]).increment()
    }

    /// Counts a sign-in attempt for an account that does not exist (not chained into the audit trail).
    public func unknownAccountSignIn(client: String) {
        registry.makeCounter(name: "deeprelief_sign_in_unknown_account_total", labels: [("client", client.isEmpty ? "unknown" : client)]).increment()
    }

    // MARK: Monitor ingest (MLLP)

    private func counter(_ name: String, _ labels: [(String, String)]) -> Counter {
        let key = name + labels.map { $0.0 + "=" + $0.1 }.joined(separator: ",")
        return counters.withLock { c in
            if let hit = c[key] { return hit }
            let made = registry.makeCounter(name: name, labels: labels, help: "DeepRelief monitor ingest")
            c[key] = made
            return made
        }
    }

    /// Counts a monitor message by what became of it (filed, quarantined, duplicate, rejected, error, …).
    public func mllpMessage(outcome: String) {
        // Once per message: looked up by the outcome alone (no key string to build).
        let counter = mllpCounters.withLock { c in
            if let hit = c[outcome] { return hit }
            let made = self.counter("deeprelief_mllp_messages_total", [("outcome", outcome)])
            c[outcome] = made
            return made
        }
        counter.increment()
    }
    /// Counts bytes skipped before a frame start.
    public func mllpJunk(bytes: Int) { counter("deeprelief_mllp_junk_bytes_total", []).increment(by: Int64(bytes)) }
    /// Counts a connection refused because its address is not a registered monitor's.
    public func mllpConnectionRefused() { counter("deeprelief_mllp_connections_refused_total", []).increment() }
    /// Records one group commit of monitor messages.
    public func vitalsBatch(count: Int, took: Duration) {
        counter("deeprelief_vitals_batches_total", []).increment()
        counter("deeprelief_vitals_batched_messages_total", []).increment(by: Int64(count))
        let h = histograms.withLock { h in
            if let hit = h["vitals-batch"] { return hit }
            let made = registry.makeDurationHistogram(descriptor: .init(metricName: "deeprelief_vitals_batch", unitName: "duration_seconds",
                                                                        helpText: "Time to store one batch of monitor messages"),
                                                      labels: [], buckets: Self.buckets)
            h["vitals-batch"] = made
            return made
        }
        h.record(took)
    }

    /// The Prometheus text exposition.
    public func exposition() -> String { registry.emitToString() }
}

/// Times every request and counts it by route template (not by concrete path, so ids never reach a label).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = ClinicRequestContext
    let metrics: ClinicMetrics
    static let serverTiming = HTTPField.Name("Server-Timing")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            var response = try await next(request, context)
            let elapsed = ContinuousClock.now - start
            metrics.requestFinished(route: context.endpointPath ?? "unmatched", method: request.method.rawValue,
                                    status: response.status.code, duration: elapsed)
            // The server's own time for this request (W3C Server-Timing), for benchmarks and browser dev tools.
            // Integer arithmetic (no String(format:) on every response): hundredths of a millisecond.
            let hundredths = elapsed.components.seconds * 100_000 + elapsed.components.attoseconds / 10_000_000_000_000
            let fraction = hundredths % 100
            response.headers[Self.serverTiming] = "app;dur=\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
            return response
        } catch {
            let status = (error as? HTTPError)?.status.code ?? 500
            metrics.requestFinished(route: context.endpointPath ?? "unmatched", method: request.method.rawValue,
                                    status: status, duration: ContinuousClock.now - start)
            throw error
        }
    }
}
