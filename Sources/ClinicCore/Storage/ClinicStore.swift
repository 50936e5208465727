import Foundation

/// The storage behind `Clinic`: transactions over the records. Implemented with SQLKit in ClinicStore.
public protocol ClinicStore: Sendable {
    /// Runs `work` in one write transaction: everything it writes commits together or not at all.
    func write<T: Sendable>(_ work: @Sendable (any ClinicRecords) async throws -> T) async throws -> T
    /// Runs `work` against a consistent read snapshot; writing inside it is a programming error.
    func read<T: Sendable>(_ work: @Sendable (any ClinicRecords) async throws -> T) async throws -> T
    /// Whether the database answers.
    func isHealthy() async -> Bool
    /// A short name of the engine, for `/health` ("sqlite" or "postgresql").
    var engine: String { get }
    /// Closes every connection; call once, when the process is done with the store.
    func close() async throws
}

/// The records one transaction can read and write.
public protocol ClinicRecords: Sendable {
    // Users and sign-in
    func userCount() async throws -> Int
    func user(_ id: User.ID) async throws -> User?
    func user(email: String) async throws -> (User, passwordHash: String)?
    func users() async throws -> [User]
    func insert(_ user: User, passwordHash: String) async throws
    func update(_ user: User) async throws
    func setPassword(_ id: User.ID, hash: String, mustChange: Bool) async throws
    func insert(_ token: AuthToken) async throws
    func token(hash: String) async throws -> AuthToken?
    func touchToken(hash: String, at: Date) async throws
    func revokeToken(hash: String) async throws
    func revokeTokens(of user: User.ID, except keptHash: String?) async throws

    // Patients
    func nextMRNSequence() async throws -> Int
    func insert(_ patient: Patient) async throws
    func update(_ patient: Patient) async throws
    func patient(_ id: Patient.ID) async throws -> Patient?
    func patient(mrn: MRN) async throws -> Patient?
    /// A chart and its latest screening in one round trip (the hot JSON chart read).
    func patientWithLatestScreening(_ id: Patient.ID) async throws -> (Patient, Screening?)?
    func searchPatients(_ query: PatientQuery) async throws -> PatientPage
    /// The list summaries of these patients (those that exist), in one round trip per few hundred.
    func patientSummaries(_ ids: [Patient.ID]) async throws -> [Patient.ID: PatientSummary]
    func possibleDuplicates(searchKey: String, dateOfBirth: CalendarDate, phoneDigits: String, excluding: Patient.ID?) async throws -> [PatientSummary]
    func insert(_ revision: PatientRevision) async throws
    func revisions(of patient: Patient.ID) async throws -> [PatientRevision]

    // Screening
    func insert(_ screening: Screening) async throws
    func update(_ screening: Screening) async throws
    func screening(_ id: Screening.ID) async throws -> Screening?
    func screenings(of patient: Patient.ID) async throws -> [Screening]
    func latestScreenings(of patients: [Patient.ID]) async throws -> [Patient.ID: Screening]

    // Documents (plans, scheduling, sessions): JSON beside query columns
    func putDocument(_ table: DocumentTable, id: String, index: DocumentIndex, body: String) async throws
    func document(_ table: DocumentTable, id: String) async throws -> String?
    func documents(_ table: DocumentTable, _ query: DocumentQuery) async throws -> [String]

    // Protocol library: every version kept
    func insertProtocolVersion(id: UUID, version: Int, name: String, body: String, at: Date, by: User.ID?) async throws
    func protocolVersions(id: UUID) async throws -> [String]
    func latestProtocolVersions() async throws -> [String]

    // Vital signs from monitors (one multi-row statement per table per batch)
    /// Stores messages not stored before (by sender and control id); returns the keys it stored.
    func insertVitalMessages(_ messages: [StoredVitalMessage]) async throws -> Set<VitalMessageKey>
    func insertVitalObservations(_ rows: [StoredVitalObservation]) async throws
    /// A session's observations in time order, from `since` on.
    func vitalObservations(session: InfusionSession.ID, since: Date?) async throws -> [VitalObservation]
    /// The latest observation time per parameter of a session (to tell a repeated cuff reading after a restart).
    func latestObservationTimes(session: InfusionSession.ID) async throws -> [VitalParameter: Date]
    func vitalMessage(_ key: VitalMessageKey) async throws -> StoredVitalMessage?
    /// Messages with a status, newest first.
    func vitalMessages(status: VitalMessageStatus, limit: Int) async throws -> [StoredVitalMessage]
    func countVitalMessages(status: VitalMessageStatus) async throws -> Int
    func updateVitalMessage(_ key: VitalMessageKey, status: VitalMessageStatus, sessionID: InfusionSession.ID?, reason: String) async throws

    // Audit
    func auditHead(forUpdate: Bool) async throws -> AuditHead?
    func append(_ entries: [AuditEntry], head: AuditHead) async throws
    func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry]
    func auditEntries(afterSequence: Int64, limit: Int) async throws -> [AuditEntry]
    /// Adds up to `limit` entries appended since the last pass to the per-resource index, in sequence order; returns
    /// how many. Queries by resource are complete without it (they scan the unindexed tail); it keeps that tail short.
    func indexAuditResources(limit: Int) async throws -> Int
    /// How many audit entries the per-resource index has not taken in yet.
    func auditIndexBacklog() async throws -> Int64
}

/// An opaque bearer token or browser session, stored only as its SHA-256 hash.
public struct AuthToken: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable { case api, browser }
    public var hash: String
    public var userID: User.ID
    public var kind: Kind
    /// The CSRF token that every form POST of this browser session must carry.
    public var csrf: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var expiresAt: Date
    public var revoked: Bool

    public init(hash: String, userID: User.ID, kind: Kind, csrf: String, createdAt: Date, lastSeenAt: Date, expiresAt: Date, revoked: Bool = false) {
        self.hash = hash
        self.userID = userID
        self.kind = kind
        self.csrf = csrf
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.revoked = revoked
    }
}

/// A patient search: by name (normalised), date of birth or MRN; paged.
public struct PatientQuery: Sendable, Hashable {
    public var text: String
    public var limit: Int
    public var offset: Int
    public init(text: String = "", limit: Int = 50, offset: Int = 0) {
        self.text = text
        self.limit = limit
        self.offset = offset
    }

    /// How the text is read.
    public enum Criterion: Sendable, Hashable {
        case all
        case mrn(MRN)
        case dateOfBirth(CalendarDate)
        /// Normalised name words; every word must prefix a word of the name.
        case name(String)
    }

    public var criterion: Criterion {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { return .all }
        if let mrn = MRN(t) { return .mrn(mrn) }
        if let dob = CalendarDate(t) { return .dateOfBirth(dob) }
        let key = SearchKey.make(t)
        return key.isEmpty ? .all : .name(key)
    }
}

/// One row of a patient list.
public struct PatientSummary: Sendable, Hashable, Codable {
    public var id: Patient.ID
    public var mrn: MRN
    public var givenName: String
    public var familyName: String
    public var dateOfBirth: CalendarDate
    public var phone: String
    public var primaryDiagnosis: String?

    public init(id: Patient.ID, mrn: MRN, givenName: String, familyName: String, dateOfBirth: CalendarDate, phone: String, primaryDiagnosis: String?) {
        self.id = id
        self.mrn = mrn
        self.givenName = givenName
        self.familyName = familyName
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.primaryDiagnosis = primaryDiagnosis
    }

    public init(_ p: Patient) {
        self.init(id: p.id, mrn: p.mrn, givenName: p.demographics.givenName, familyName: p.demographics.familyName,
                  dateOfBirth: p.demographics.dateOfBirth, phone: p.contact.phone,
                  primaryDiagnosis: (p.clinical.diagnoses.first(where: \.isPrimary) ?? p.clinical.diagnoses.first)?.code.value)
    }
}

/// A page of patients and how many match in all.
public struct PatientPage: Sendable, Hashable {
    public var patients: [PatientSummary]
    public var total: Int
    public init(patients: [PatientSummary], total: Int) {
        self.patients = patients
        self.total = total
    }
}

/// A filter over the audit trail, newest first.
public struct AuditQuery: Sendable, Hashable {
    public var actorID: String?
    public var resourceType: String?
    public var resourceID: String?
    public var outcome: AuditOutcome?
    public var from: Date?
    public var to: Date?
    public var limit: Int
    public var offset: Int
    public init(actorID: String? = nil, resourceType: String? = nil, resourceID: String? = nil, outcome: AuditOutcome? = nil,
                from: Date? = nil, to: Date? = nil, limit: Int = 100, offset: Int = 0) {
        self.actorID = actorID
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.outcome = outcome
        self.from = from
        self.to = to
        self.limit = limit
        self.offset = offset
    }
}
