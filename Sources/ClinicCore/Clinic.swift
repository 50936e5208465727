import Foundation

/// The one service every entry point calls: check access → validate → store and audit in one transaction.
public final class Clinic: Sendable {
    public let store: any ClinicStore
    public let access: AccessPolicy
    public let clock: any ClinicClock
    public let ids: any IDGenerator
    public let passwords: any PasswordHasher
    public let settings: ClinicSettings
    let chain: AuditChain
    let auditKey: Data
    let auditRecorder: AuditRecorder
    let sessions: SignInCache
    /// Decoded charts with their latest screening, for the hot JSON read; every write through this instance removes
    /// the entry it changes, and entries expire after a few seconds so other instances' writes show up soon.
    let charts = ChartCache()
    /// The live room: registered monitors, who sits in which chair, alarm monitors; feeds the room board.
    public let monitoring = MonitoringCenter()
    /// Monitor messages are filed one batch at a time (their de-duplication and audit bookkeeping assume it).
    let filing = SerialGate()
    /// Where urgent-task messages go beyond the in-app inbox (a webhook, a pager); set by the server at start-up.
    public let clinicianMessages = ClinicianMessageRoute()

    public init(store: any ClinicStore, auditKey: Data, passwords: any PasswordHasher,
                access: AccessPolicy = .standard, clock: any ClinicClock = SystemClock(),
                ids: any IDGenerator = RandomIDGenerator(), settings: ClinicSettings = ClinicSettings()) {
        self.store = store
        self.access = access
        self.clock = clock
        self.ids = ids
        self.passwords = passwords
        self.settings = settings
        self.chain = AuditChain(key: auditKey)
        self.auditKey = auditKey
        self.auditRecorder = AuditRecorder(store: store, chain: AuditChain(key: auditKey))
        self.sessions = SignInCache()
    }

    /// The same clinic (store, audit chain, policy, settings) read through another clock: the demo uses it to replay a
    /// clinic's past through the real use cases, so every record and audit entry is made the way staff would make it.
    public func replaying(clock: any ClinicClock) -> Clinic {
        Clinic(store: store, auditKey: auditKey, passwords: passwords, access: access, clock: clock, ids: ids, settings: settings)
    }

    /// Today's calendar date in the clinic's time zone.
    public var today: CalendarDate { CalendarDate(clock.now, in: settings.timeZone) }

    // MARK: - Access

    /// Allows the request or records the denial (in a commit of its own) and throws `forbidden`.
    func require(_ actor: Actor, _ request: AccessRequest) async throws {
        guard access.allows(actor, request) else {
            try await auditRecorder.record(AuditEvent(actor, request, outcome: .denied, at: clock.now))
            throw ClinicError.forbidden("\(actor.role.title) may not \(request.action.rawValue) \(request.kind.rawValue)")
        }
    }

    /// Records a successful read; committed before the caller answers (group commit).
    func recordRead(_ actor: Actor, _ request: AccessRequest, detail: String = "") async throws {
        try await auditRecorder.record(AuditEvent(actor, request, outcome: .success, at: clock.now, detail: detail))
    }

    /// Appends events to the chain inside the caller's write transaction.
    func audit(_ tx: any ClinicRecords, _ events: [AuditEvent]) async throws {
        try await tx.appendAudit(events, chain: chain)
    }

    func audit(_ tx: any ClinicRecords, _ actor: Actor, _ request: AccessRequest, detail: String = "") async throws {
        try await audit(tx, [AuditEvent(actor, request, outcome: .success, at: clock.now, detail: detail)])
    }
}

/// Settings a clinic can change; defaults from clinical-reference and security practice.
public struct ClinicSettings: Sendable {
    /// The clinic's time zone, for calendar dates.
    public var timeZone: TimeZone = TimeZone(identifier: "UTC")!
    /// Browser sessions end after this long without a request (idle sign-out).
    public var idleTimeout: TimeInterval = 15 * 60
    /// Absolute lifetime of a browser session.
    public var browserSessionLifetime: TimeInterval = 12 * 3600
    /// Lifetime of an API bearer token.
    public var apiTokenLifetime: TimeInterval = 8 * 3600
    /// Failed sign-ins in a row that lock an account.
    public var maxFailedSignIns: Int = 5
    /// How long a locked account stays locked, unless an admin unlocks it sooner.
    public var lockDuration: TimeInterval = 15 * 60
    /// Minimum password length (NIST SP 800-63B asks for at least 8; the clinic uses 12).
    public var minimumPasswordLength: Int = 12
    /// The screening rule set and its thresholds (clinical-reference §2 [D]).
    public var screeningRules: ScreeningRuleSet = .standard
    public init() {}
}

/// Bcrypt (or another slow hash) behind a protocol, so ClinicCore stays free of server libraries.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, against hash: String) async throws -> Bool
}

extension ClinicRecords {
    /// Seals events after the chain head (locked for the transaction) and stores them with the new head.
    public func appendAudit(_ events: [AuditEvent], chain: AuditChain) async throws {
        guard !events.isEmpty else { return }
        let head = try await auditHead(forUpdate: true) ?? chain.emptyHead()
        let sealed = chain.append(events, after: head)
        try await append(sealed.entries, head: sealed.head)
    }
}

/// Group commit for audit records that accompany no change (reads, denials): callers wait until their record is
/// committed, and every record that arrived during one commit goes into the next one together.
actor AuditRecorder {
    let store: any ClinicStore
    let chain: AuditChain
    private var pending: [(AuditEvent, CheckedContinuation<Void, any Error>)] = []
    private var flushing = false

    init(store: any ClinicStore, chain: AuditChain) {
        self.store = store
        self.chain = chain
    }

    func record(_ event: AuditEvent) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            pending.append((event, c))
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            let events = batch.map(\.0)
            let chain = self.chain
            do {
                try await store.write { tx in try await tx.appendAudit(events, chain: chain) }
                for (_, c) in batch { c.resume() }
            } catch {
                for (_, c) in batch { c.resume(throwing: error) }
            }
        }
        flushing = false
    }
}
