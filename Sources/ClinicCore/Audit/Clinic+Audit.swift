import Foundation

/// The outcome of checking the whole audit chain.
public struct AuditVerificationReport: Sendable {
    public var entriesChecked: Int64
    public var failure: AuditVerificationFailure?
    public var isIntact: Bool { failure == nil }
}

extension Clinic {
    /// Audit entries, newest first, filtered (admin only; the viewing is itself audited).
    public func auditLog(_ query: AuditQuery, by actor: Actor) async throws -> [AuditEntry] {
        let request = AccessRequest(.list, .auditLog)
        try await require(actor, request)
        var q = query
        q.limit = min(max(q.limit, 1), 500)
        let limited = q
        let entries = try await store.read { try await $0.auditEntries(limited) }
        try await recordRead(actor, request)
        return entries
    }

    /// Brings the per-resource audit index up to the chain's head, in transactions of at most `batch` entries; returns
    /// how many entries it indexed. Run every second by the server; queries by resource never depend on it.
    @discardableResult
    public func indexAuditResources(batch: Int = 20_000) async throws -> Int {
        var total = 0
        while true {
            let indexed = try await store.write { try await $0.indexAuditResources(limit: batch) }
            total += indexed
            if indexed < batch { return total }
        }
    }

    /// How many audit entries the per-resource index has not taken in yet (queries by resource scan them).
    public func auditIndexBacklog() async throws -> Int64 {
        try await store.read { try await $0.auditIndexBacklog() }
    }

    /// Walks the whole chain in pages and checks every link, then the sealed head and count.
    public func verifyAuditChain() async throws -> AuditVerificationReport {
        var verifier = chain.verifier()
        var after: Int64 = 0
        do {
            while true {
                let from = after
                let page = try await store.read { try await $0.auditEntries(afterSequence: from, limit: 5000) }
                if page.isEmpty { break }
                for entry in page { try verifier.check(entry) }
                after = page.last!.sequence
            }
            let head = try await store.read { try await $0.auditHead(forUpdate: false) }
            try verifier.finish(head: head)
        } catch let failure as AuditVerificationFailure {
            return AuditVerificationReport(entriesChecked: verifier.checked, failure: failure)
        }
        return AuditVerificationReport(entriesChecked: verifier.checked, failure: nil)
    }
}
