import Foundation

/// Tables that keep one domain value per row as a JSON document, beside the columns that queries need.
public enum DocumentTable: String, Sendable, CaseIterable {
    case treatmentPlans = "treatment_plans"
    case chairs = "chairs"
    case staffShifts = "staff_shifts"
    case appointments = "appointments"
    case infusionSessions = "infusion_sessions"
    case clinicSettings = "clinic_settings"
    case monitorDevices = "monitor_devices"
    /// One session's alarm monitor (thresholds, alarm and prompt history), kept as the session's alarm record.
    case sessionAlarms = "session_alarms"
    case thresholdChanges = "threshold_changes"
    /// One filled follow-up form (one or more instruments at one timepoint).
    case outcomeRecords = "outcome_records"
    /// Single-use follow-up links, keyed by the SHA-256 of their token.
    case followUpLinks = "follow_up_links"
    /// Urgent tasks for clinicians.
    case clinicianTasks = "clinician_tasks"
    /// Messages sent to clinicians about tasks (the outbox of the configured route).
    case clinicianMessages = "clinician_messages"
    /// A physician's accepted booster dates, per plan.
    case boosterDecisions = "booster_decisions"
    /// Each patient's derived outcome summary (responder, relief episode, infusions, side effects, MME), refreshed in
    /// the transaction of every change it depends on; clinic analytics read only these.
    case outcomeSummaries = "outcome_summaries"
    /// Controlled-substance vials (one row each, from receipt on; never deleted).
    case controlledSubstanceVials = "cs_vials"
    /// Each infusion session's drug account: draws, the dose given, witnessed waste.
    case sessionDrugAccounts = "cs_session_accounts"
    /// The register's append-only lines.
    case registerEntries = "cs_register_entries"
    /// Physical counts (daily reconciliation, initial and biennial inventories).
    case stockCounts = "cs_stock_counts"
    /// Count discrepancies that block draws until a second person resolves them.
    case stockDiscrepancies = "cs_discrepancies"
    /// Destructions witnessed by two employees (DEA Form 41 fields).
    case destructionRecords = "cs_destructions"
    /// Thefts and significant losses (DEA Form 106 fields).
    case lossReports = "cs_loss_reports"
    /// Each charged session's charge lines (originals and adjustments) and the facts they were computed from.
    case sessionCharges = "session_charges"
    /// Insurance payers and their plans.
    case payers = "payers"
    /// A patient's insurance coverages (payer, plan, member, subscriber, dates, priority).
    case coverages = "coverages"
    /// Eligibility checks, each with its date, result and who checked.
    case eligibilityChecks = "eligibility_checks"
    /// Prior authorisations: codes covered, approved and used quantities, validity dates.
    case priorAuthorizations = "prior_authorizations"
    /// Self-pay price-list versions (one row per save; the latest is in force).
    case priceLists = "price_list"
    /// Good-faith estimates (No Surprises Act), never changed once issued.
    case goodFaithEstimates = "gfe_estimates"
    /// Payment plans with their schedules and regenerations.
    case paymentPlans = "payment_plans"
    /// Patients' account lines: insert-only.
    case ledgerEntries = "ledger_entries"
    /// Medical-necessity letters, one row per version; a signed version is never changed (a trigger refuses it).
    case necessityLetters = "necessity_letters"
}

/// The queryable columns stored beside a document.
public struct DocumentIndex: Sendable, Hashable {
    public var patientID: String?
    /// A second reference (a plan, a chair, a series…), by table.
    public var refID: String?
    /// A calendar date (`YYYY-MM-DD`).
    public var day: String?
    public var start: Date?
    public var end: Date?
    public var status: String?

    public init(patientID: String? = nil, refID: String? = nil, day: String? = nil, start: Date? = nil, end: Date? = nil, status: String? = nil) {
        self.patientID = patientID
        self.refID = refID
        self.day = day
        self.start = start
        self.end = end
        self.status = status
    }
}

/// A filter over documents; every condition given must hold. `overlapping` selects rows whose [start, end) meets it.
public struct DocumentQuery: Sendable, Hashable {
    public var patientID: String?
    public var refID: String?
    public var day: String?
    public var days: ClosedRange<String>?
    public var overlapping: Range<Date>?
    public var status: String?
    public var limit: Int

    public init(patientID: String? = nil, refID: String? = nil, day: String? = nil, days: ClosedRange<String>? = nil,
                overlapping: Range<Date>? = nil, status: String? = nil, limit: Int = 10_000) {
        self.patientID = patientID
        self.refID = refID
        self.day = day
        self.days = days
        self.overlapping = overlapping
        self.status = status
        self.limit = limit
    }
}

/// The one JSON form of stored documents: sorted keys, instants as integer microseconds (exact on both databases).
public enum DocumentCoder {
    /// Made once and shared: an encoder or decoder is not mutated after set-up, so concurrent use is safe.
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(date.microsecondsSince1970)
        }
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            Date(microsecondsSince1970: try decoder.singleValueContainer().decode(Int64.self))
        }
        return d
    }()

    public static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }
}

extension ClinicRecords {
    /// Stores (inserts or replaces) a value with its index columns.
    public func put<T: Encodable>(_ value: T, in table: DocumentTable, id: String, index: DocumentIndex) async throws {
        try await putDocument(table, id: id, index: index, body: try DocumentCoder.encode(value))
    }

    /// One stored value, or nil.
    public func get<T: Decodable>(_ type: T.Type, from table: DocumentTable, id: String) async throws -> T? {
        try await document(table, id: id).map { try DocumentCoder.decode(type, $0) }
    }

    /// The stored values matching a query, in start (then id) order.
    public func all<T: Decodable>(_ type: T.Type, from table: DocumentTable, _ query: DocumentQuery = DocumentQuery()) async throws -> [T] {
        try await documents(table, query).map { try DocumentCoder.decode(type, $0) }
    }
}
