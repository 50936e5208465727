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
