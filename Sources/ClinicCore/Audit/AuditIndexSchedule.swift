/// When the per-resource audit index takes in the entries appended since its last pass.
///
/// A pass is one write transaction that touches one index page per busy resource, whatever the number of entries; while
/// it runs, audited reads wait for the writer. Rare, large passes therefore cost least in total and stall reads least
/// often: at 500 audited reads per second a pass every second held the writer for a few milliseconds each time and
/// doubled the 99th-percentile read (BENCHMARKS.md, 2026-12-07). Until a pass, queries by resource scan the unindexed
/// tail, so the backlog is also bounded: a pass runs once it reaches `maximumBacklog` entries, or when entries have
/// waited `maximumWait`.
public struct AuditIndexSchedule: Sendable, Hashable {
    public var maximumBacklog: Int64
    public var maximumWait: Duration

    public init(maximumBacklog: Int64 = 50_000, maximumWait: Duration = .seconds(60)) {
        self.maximumBacklog = maximumBacklog
        self.maximumWait = maximumWait
    }

    /// Whether to index now, given the entries waiting and the time since the last pass.
    public func shouldIndex(backlog: Int64, sinceLastPass: Duration) -> Bool {
        backlog > 0 && (backlog >= maximumBacklog || sinceLastPass >= maximumWait)
    }
}
