import ClinicCore
import Foundation
import SQLKit

/// ClinicCore's records over one SQLKit connection (inside a transaction for writes). Rows map to domain values here
/// and nowhere else.
struct SQLRecords: ClinicRecords {
    let db: any SQLDatabase
    let dialect: SQLDialectKind
    /// The same connection as `db` when it is SQLite's, for the monitor-ingest batch that binds `SQLiteData` directly.
    var sqlite: SQLiteWriterConnection? = nil
    /// On the SQLite writer: the chain head as last committed by this process (see `SQLiteAuditHeadCache`).
    var auditHeads: SQLiteTransactionAuditHead? = nil

    /// Charts, screenings and revisions use the same JSON form as every other stored document.
    func json<T: Encodable>(_ value: T) throws -> String { try DocumentCoder.encode(value) }

    func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try DocumentCoder.decode(type, text) }

    /// `FOR UPDATE` where the engine has it (SQLite's single writer already serialises).
    var forUpdate: String { dialect == .postgres ? " FOR UPDATE" : "" }

    // MARK: - Users

    func userCount() async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func user(_ id: User.ID) async throws -> User? {
        try await db.raw("SELECT * FROM users WHERE id = \(bind: id.rawValue.uuidString)").first().map(makeUser)
    }

    func user(email: String) async throws -> (User, passwordHash: String)? {
        guard let row = try await db.raw("SELECT * FROM users WHERE email = \(bind: email)").first() else { return nil }
        return (try makeUser(row), try row.decode(column: "password_hash", as: String.self))
    }

    func users() async throws -> [User] {
        try await db.raw("SELECT * FROM users ORDER BY email").all().map(makeUser)
    }

    func insert(_ u: User, passwordHash: String) async throws {
        try await db.raw("""
            INSERT INTO users (id, email, display_name, role, password_hash, must_change_password, disabled, failed_sign_ins, locked_until_us, created_us)
            VALUES (\(bind: u.id.rawValue.uuidString), \(bind: u.email), \(bind: u.displayName), \(bind: u.role.rawValue), \(bind: passwordHash),
                    \(bind: u.mustChangePassword ? 1 : 0), \(bind: u.isDisabled ? 1 : 0), \(bind: u.failedSignIns),
                    \(bind: u.lockedUntil?.microsecondsSince1970), \(bind: u.createdAt.microsecondsSince1970))
            """).run()
    }

    func update(_ u: User) async throws {
        try await db.raw("""
            UPDATE users SET email = \(bind: u.email), display_name = \(bind: u.displayName), role = \(bind: u.role.rawValue),
                must_change_password = \(bind: u.mustChangePassword ? 1 : 0), disabled = \(bind: u.isDisabled ? 1 : 0),
                failed_sign_ins = \(bind: u.failedSignIns), locked_until_us = \(bind: u.lockedUntil?.microsecondsSince1970)
            WHERE id = \(bind: u.id.rawValue.uuidString)
            """).run()
    }

    func setPassword(_ id: User.ID, hash: String, mustChange: Bool) async throws {
        try await db.raw("UPDATE users SET password_hash = \(bind: hash), must_change_password = \(bind: mustChange ? 1 : 0) WHERE id = \(bind: id.rawValue.uuidString)").run()
    }

    func makeUser(_ row: any SQLRow) throws -> User {
        User(id: User.ID(UUID(uuidString: try row.decode(column: "id", as: String.self))!),
             email: try row.decode(column: "email", as: String.self),
             displayName: try row.decode(column: "display_name", as: String.self),
             role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .nurse,
             isDisabled: try row.decode(column: "disabled", as: Int.self) != 0,
             mustChangePassword: try row.decode(column: "must_change_password", as: Int.self) != 0,
             failedSignIns: try row.decode(column: "failed_sign_ins", as: Int.self),
             lockedUntil: try row.decode(column: "locked_until_us", as: Int64?.self).map(Date.init(microsecondsSince1970:)),
             createdAt: Date(microsecondsSince1970: try row.decode(column: "created_us", as: Int64.self)))
    }

    // MARK: - Tokens

    func insert(_ t: AuthToken) async throws {
        try await db.raw("""
            INSERT INTO auth_tokens (token_hash, user_id, kind, csrf, created_us, last_seen_us, expires_us, revoked)
            VALUES (\(bind: t.hash), \(bind: t.userID.rawValue.uuidString), \(bind: t.kind.rawValue), \(bind: t.csrf),
                    \(bind: t.createdAt.microsecondsSince1970), \(bind: t.lastSeenAt.microsecondsSince1970),
                    \(bind: t.expiresAt.microsecondsSince1970), \(bind: t.revoked ? 1 : 0))
            """).run()
    }

    func token(hash: String) async throws -> AuthToken? {
        guard let row = try await db.raw("SELECT * FROM auth_tokens WHERE token_hash = \(bind: hash)").first() else { return nil }
        return AuthToken(hash: hash,
                         userID: User.ID(UUID(uuidString: try row.decode(column: "user_id", as: String.self))!),
                         kind: AuthToken.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .api,
                         csrf: try row.decode(column: "csrf", as: String.self),
                         createdAt: Date(microsecondsSince1970: try row.decode(column: "created_us", as: Int64.self)),
                         lastSeenAt: Date(microsecondsSince1970: try row.decode(column: "last_seen_us", as: Int64.self)),
                         expiresAt: Date(microsecondsSince1970: try row.decode(column: "expires_us", as: Int64.self)),
                         revoked: try row.decode(column: "revoked", as: Int.self) != 0)
    }

    func touchToken(hash: String, at: Date) async throws {
        try await db.raw("UPDATE auth_tokens SET last_seen_us = \(bind: at.microsecondsSince1970) WHERE token_hash = \(bind: hash)").run()
    }

    func revokeToken(hash: String) async throws {
        try await db.raw("UPDATE auth_tokens SET revoked = 1 WHERE token_hash = \(bind: hash)").run()
    }

    func revokeTokens(of user: User.ID, except keptHash: String?) async throws {
        try await db.raw("UPDATE auth_tokens SET revoked = 1 WHERE user_id = \(bind: user.rawValue.uuidString) AND token_hash <> \(bind: keptHash ?? "")").run()
    }

    // MARK: - Patients

    func nextMRNSequence() async throws -> Int {
        let row = try await db.raw("UPDATE counters SET value = value + 1 WHERE name = 'mrn' RETURNING value").first()
        guard let value = try row?.decode(column: "value", as: Int.self) else { throw ClinicError.conflict("MRN counter missing") }
        return value
    }

    func sortKey(_ p: Patient) -> String { SearchKey.make("\(p.demographics.familyName) \(p.demographics.givenName)") }

    func insert(_ p: Patient) async throws {
        let summary = PatientSummary(p)
        try await db.raw("""
            INSERT INTO patients (id, mrn, given_name, family_name, search_key, sort_key, birth_date, phone_digits, primary_dx, revision, chart, created_us, updated_us)
            VALUES (\(bind: p.id.rawValue.uuidString), \(bind: p.mrn.value), \(bind: p.demographics.givenName), \(bind: p.demographics.familyName),
                    \(bind: p.demographics.searchKey), \(bind: sortKey(p)), \(bind: p.demographics.dateOfBirth.description), \(bind: p.contact.phoneDigits),
                    \(bind: summary.primaryDiagnosis), \(bind: p.revision), \(bind: try json(p)), \(bind: p.createdAt.microsecondsSince1970),
                    \(bind: p.updatedAt.microsecondsSince1970))
            """).run()
    }

    func update(_ p: Patient) async throws {
        let summary = PatientSummary(p)
        try await db.raw("""
            UPDATE patients SET given_name = \(bind: p.demographics.givenName), family_name = \(bind: p.demographics.familyName),
                search_key = \(bind: p.demographics.searchKey), sort_key = \(bind: sortKey(p)), birth_date = \(bind: p.demographics.dateOfBirth.description),
                phone_digits = \(bind: p.contact.phoneDigits), primary_dx = \(bind: summary.primaryDiagnosis), revision = \(bind: p.revision),
                chart = \(bind: try json(p)), updated_us = \(bind: p.updatedAt.microsecondsSince1970)
            WHERE id = \(bind: p.id.rawValue.uuidString)
            """).run()
    }

    func patient(_ id: Patient.ID) async throws -> Patient? {
        guard let row = try await db.raw("SELECT chart FROM patients WHERE id = \(bind: id.rawValue.uuidString)").first() else { return nil }
        return try decodeJSON(Patient.self, try row.decode(column: "chart", as: String.self))
    }

    func patient(mrn: MRN) async throws -> Patient? {
        guard let row = try await db.raw("SELECT chart FROM patients WHERE mrn = \(bind: mrn.value)").first() else { return nil }
        return try decodeJSON(Patient.self, try row.decode(column: "chart", as: String.self))
    }

    func patientWithLatestScreening(_ id: Patient.ID) async throws -> (Patient, Screening?)? {
        guard let row = try await db.raw("""
            SELECT p.chart AS chart,
                   (SELECT s.document FROM screenings s WHERE s.patient_id = p.id ORDER BY s.screened_us DESC, s.id LIMIT 1) AS latest
            FROM patients p WHERE p.id = \(bind: id.rawValue.uuidString)
            """).first() else { return nil }
        let patient = try decodeJSON(Patient.self, try row.decode(column: "chart", as: String.self))
        let latest = try row.decode(column: "latest", as: String?.self).map { try decodeJSON(Screening.self, $0) }
        return (patient, latest)
    }

    static let summaryColumns = "id, mrn, given_name, family_name, birth_date, phone_digits, primary_dx"

    func makeSummary(_ row: any SQLRow) throws -> PatientSummary {
        PatientSummary(id: Patient.ID(UUID(uuidString: try row.decode(column: "id", as: String.self))!),
                       mrn: MRN(try row.decode(column: "mrn", as: String.self))!,
                       givenName: try row.decode(column: "given_name", as: String.self),
                       familyName: try row.decode(column: "family_name", as: String.self),
                       dateOfBirth: CalendarDate(try row.decode(column: "birth_date", as: String.self))!,
                       phone: try row.decode(column: "phone_digits", as: String.self),
                       primaryDiagnosis: try row.decode(column: "primary_dx", as: String?.self))
    }

    /// Byte-order sorting on both engines, so both list patients in the same order.
    var binaryCollation: String { dialect == .postgres ? " COLLATE \"C\"" : "" }

    func searchPatients(_ query: PatientQuery) async throws -> PatientPage {
        var condition = SQLQueryString("1 = 1")
        switch query.criterion {
        case .all: break
        case .mrn(let mrn): condition = "mrn = \(bind: mrn.value)"
        case .dateOfBirth(let d): condition = "birth_date = \(bind: d.description)"
        case .name(let key):
            // Every word typed must begin a word of the name: "mar gar" finds "María García".
            var c = SQLQueryString("1 = 1")
            for word in key.split(separator: " ") {
                let pattern = "% " + String(word).filter { $0 != "%" && $0 != "_" } + "%"
                c = c + SQLQueryString(" AND (' ' || search_key) LIKE \(bind: pattern)")
            }
            condition = c
        }
        let total = try await db.raw("SELECT COUNT(*) AS n FROM patients WHERE " + condition).first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await db.raw("SELECT \(unsafeRaw: Self.summaryColumns) FROM patients WHERE " + condition
                                    + SQLQueryString(" ORDER BY sort_key\(unsafeRaw: binaryCollation), mrn LIMIT \(bind: query.limit) OFFSET \(bind: query.offset)")).all()
        return PatientPage(patients: try rows.map(makeSummary), total: total)
    }

    func possibleDuplicates(searchKey: String, dateOfBirth: CalendarDate, phoneDigits: String, excluding: Patient.ID?) async throws -> [PatientSummary] {
        let phone = phoneDigits.count >= 7 ? phoneDigits : "-"
        let rows = try await db.raw("""
            SELECT \(unsafeRaw: Self.summaryColumns) FROM patients
            WHERE ((search_key = \(bind: searchKey) AND birth_date = \(bind: dateOfBirth.description)) OR phone_digits = \(bind: phone))
              AND id <> \(bind: excluding?.rawValue.uuidString ?? "")
            ORDER BY sort_key\(unsafeRaw: binaryCollation) LIMIT 20
            """).all()
        return try rows.map(makeSummary)
    }

    func patientSummaries(_ ids: [Patient.ID]) async throws -> [Patient.ID: PatientSummary] {
        var out: [Patient.ID: PatientSummary] = [:]
        // In slices well under either engine's bind-parameter limit.
        for start in stride(from: 0, to: ids.count, by: 500) {
            var list = SQLQueryString("")
            for (i, p) in ids[start..<min(start + 500, ids.count)].enumerated() {
                list = list + (i == 0 ? SQLQueryString("\(bind: p.rawValue.uuidString)") : SQLQueryString(", \(bind: p.rawValue.uuidString)"))
            }
            for row in try await db.raw("SELECT \(unsafeRaw: Self.summaryColumns) FROM patients WHERE id IN (" + list + ")").all() {
                let summary = try makeSummary(row)
                out[summary.id] = summary
            }
        }
        return out
    }

    func insert(_ r: PatientRevision) async throws {
        try await db.raw("""
            INSERT INTO patient_revisions (patient_id, revision, changed_us, changed_by, changed_fields, before_chart)
            VALUES (\(bind: r.patientID.rawValue.uuidString), \(bind: r.revision), \(bind: r.changedAt.microsecondsSince1970),
                    \(bind: r.changedBy.rawValue.uuidString), \(bind: r.changedFields.joined(separator: ",")), \(bind: try r.before.map(json)))
            """).run()
    }

    func revisions(of patient: Patient.ID) async throws -> [PatientRevision] {
        let rows = try await db.raw("SELECT * FROM patient_revisions WHERE patient_id = \(bind: patient.rawValue.uuidString) ORDER BY revision DESC").all()
        return try rows.map { row in
            PatientRevision(patientID: patient, revision: try row.decode(column: "revision", as: Int.self),
                            changedAt: Date(microsecondsSince1970: try row.decode(column: "changed_us", as: Int64.self)),
                            changedBy: User.ID(UUID(uuidString: try row.decode(column: "changed_by", as: String.self))!),
                            changedFields: try row.decode(column: "changed_fields", as: String.self).split(separator: ",").map(String.init),
                            before: try row.decode(column: "before_chart", as: String?.self).map { try decodeJSON(Patient.self, $0) })
        }
    }

    // MARK: - Screening

    func insert(_ s: Screening) async throws {
        try await db.raw("""
            INSERT INTO screenings (id, patient_id, screened_us, decision, document)
            VALUES (\(bind: s.id.rawValue.uuidString), \(bind: s.patientID.rawValue.uuidString), \(bind: s.screenedAt.microsecondsSince1970),
                    \(bind: s.lifecycle.effectiveDecision.rawValue), \(bind: try json(s)))
            """).run()
    }

    func update(_ s: Screening) async throws {
        try await db.raw("""
            UPDATE screenings SET decision = \(bind: s.lifecycle.effectiveDecision.rawValue), document = \(bind: try json(s))
            WHERE id = \(bind: s.id.rawValue.uuidString)
            """).run()
    }

    func screening(_ id: Screening.ID) async throws -> Screening? {
        guard let row = try await db.raw("SELECT document FROM screenings WHERE id = \(bind: id.rawValue.uuidString)").first() else { return nil }
        return try decodeJSON(Screening.self, try row.decode(column: "document", as: String.self))
    }

    func screenings(of patient: Patient.ID) async throws -> [Screening] {
        let rows = try await db.raw("SELECT document FROM screenings WHERE patient_id = \(bind: patient.rawValue.uuidString) ORDER BY screened_us DESC, id").all()
        return try rows.map { try decodeJSON(Screening.self, try $0.decode(column: "document", as: String.self)) }
    }

    func latestScreenings(of patients: [Patient.ID]) async throws -> [Patient.ID: Screening] {
        guard !patients.isEmpty else { return [:] }
        var list = SQLQueryString("")
        for (i, p) in patients.enumerated() {
            list = list + (i == 0 ? SQLQueryString("\(bind: p.rawValue.uuidString)") : SQLQueryString(", \(bind: p.rawValue.uuidString)"))
        }
        let rows = try await db.raw("SELECT document FROM screenings WHERE patient_id IN (" + list + ") ORDER BY screened_us ASC").all()
        var out: [Patient.ID: Screening] = [:]
        for row in rows {
            let s = try decodeJSON(Screening.self, try row.decode(column: "document", as: String.self))
            out[s.patientID] = s
        }
        return out
    }

    // MARK: - Documents

    func putDocument(_ table: DocumentTable, id: String, index: DocumentIndex, body: String) async throws {
        try await db.raw("""
            INSERT INTO \(unsafeRaw: table.rawValue) (id, patient_id, ref_id, day, start_us, end_us, status, document, updated_us)
            VALUES (\(bind: id), \(bind: index.patientID), \(bind: index.refID), \(bind: index.day), \(bind: index.start?.microsecondsSince1970),
                    \(bind: index.end?.microsecondsSince1970), \(bind: index.status), \(bind: body), \(bind: Date().microsecondsSince1970))
            ON CONFLICT (id) DO UPDATE SET patient_id = excluded.patient_id, ref_id = excluded.ref_id, day = excluded.day,
                start_us = excluded.start_us, end_us = excluded.end_us, status = excluded.status, document = excluded.document,
                updated_us = excluded.updated_us
            """).run()
    }

    func document(_ table: DocumentTable, id: String) async throws -> String? {
        try await db.raw("SELECT document FROM \(unsafeRaw: table.rawValue) WHERE id = \(bind: id)").first()?.decode(column: "document", as: String.self)
    }

    func documents(_ table: DocumentTable, _ q: DocumentQuery) async throws -> [String] {
        var c = SQLQueryString("1 = 1")
        if let v = q.patientID { c = c + SQLQueryString(" AND patient_id = \(bind: v)") }
        if let v = q.refID { c = c + SQLQueryString(" AND ref_id = \(bind: v)") }
        if let v = q.day { c = c + SQLQueryString(" AND day = \(bind: v)") }
        if let r = q.days { c = c + SQLQueryString(" AND day >= \(bind: r.lowerBound) AND day <= \(bind: r.upperBound)") }
        if let r = q.overlapping {
            c = c + SQLQueryString(" AND start_us < \(bind: r.upperBound.microsecondsSince1970) AND end_us > \(bind: r.lowerBound.microsecondsSince1970)")
        }
        if let v = q.status { c = c + SQLQueryString(" AND status = \(bind: v)") }
        let rows = try await db.raw("SELECT document FROM \(unsafeRaw: table.rawValue) WHERE " + c
                                    + SQLQueryString(" ORDER BY start_us, id LIMIT \(bind: q.limit)")).all()
        return try rows.map { try $0.decode(column: "document", as: String.self) }
    }

    // MARK: - Protocol library

    func insertProtocolVersion(id: UUID, version: Int, name: String, body: String, at: Date, by: User.ID?) async throws {
        try await db.raw("""
            INSERT INTO infusion_protocols (id, version, name, document, created_us, created_by)
            VALUES (\(bind: id.uuidString), \(bind: version), \(bind: name), \(bind: body), \(bind: at.microsecondsSince1970), \(bind: by?.rawValue.uuidString))
            """).run()
    }

    func protocolVersions(id: UUID) async throws -> [String] {
        try await db.raw("SELECT document FROM infusion_protocols WHERE id = \(bind: id.uuidString) ORDER BY version").all()
            .map { try $0.decode(column: "document", as: String.self) }
    }

    func latestProtocolVersions() async throws -> [String] {
        try await db.raw("""
            SELECT p.document FROM infusion_protocols p
            WHERE p.version = (SELECT MAX(q.version) FROM infusion_protocols q WHERE q.id = p.id)
            ORDER BY p.name\(unsafeRaw: binaryCollation), p.id
            """).all().map { try $0.decode(column: "document", as: String.self) }
    }

    // MARK: - Vital signs

    func insertVitalMessages(_ messages: [StoredVitalMessage]) async throws -> Set<VitalMessageKey> {
        if let sqlite { return try await sqliteInsertVitalMessages(messages, on: sqlite) }
        var stored = Set<VitalMessageKey>()
        // One multi-row statement per chunk (ci-recipes); 9 parameters a row stays far below SQLite's 32,766.
        for start in stride(from: 0, to: messages.count, by: 2000) {
            let chunk = messages[start ..< min(start + 2000, messages.count)]
            var insert = db.insert(into: "vital_messages")
                .columns("sender", "control_id", "device_id", "source_address", "received_us", "session_id", "status", "reason", "body")
            for m in chunk {
                insert = insert.values([m.sender, m.controlID, m.deviceID?.rawValue.uuidString, m.sourceAddress, m.receivedAt.microsecondsSince1970,
                                        m.sessionID?.rawValue.uuidString, m.status.rawValue, m.reason, m.body] as [any Encodable & Sendable])
            }
            let rows = try await insert.ignoringConflicts(with: ["sender", "control_id"]).returning("sender", "control_id").all()
            for row in rows {
                stored.insert(VitalMessageKey(sender: try row.decode(column: "sender", as: String.self),
                                              controlID: try row.decode(column: "control_id", as: String.self)))
            }
        }
        return stored
    }

    func insertVitalObservations(_ rows: [StoredVitalObservation]) async throws {
        if let sqlite { return try await sqliteInsertVitalObservations(rows, on: sqlite) }
        for start in stride(from: 0, to: rows.count, by: 5000) {
            var insert = db.insert(into: "vital_observations").columns("session_id", "observed_us", "parameter", "value", "sender", "control_id")
            for r in rows[start ..< min(start + 5000, rows.count)] {
                insert = insert.values([r.sessionID.rawValue.uuidString, r.observation.observedAt.microsecondsSince1970, r.observation.parameter.rawValue,
                                        r.observation.value, r.key.sender, r.key.controlID] as [any Encodable & Sendable])
            }
            try await insert.run()
        }
    }

    func vitalObservations(session: InfusionSession.ID, since: Date?) async throws -> [VitalObservation] {
        let from = since?.microsecondsSince1970 ?? Int64.min
        return try await db.raw("""
            SELECT observed_us, parameter, value FROM vital_observations
            WHERE session_id = \(bind: session.rawValue.uuidString) AND observed_us >= \(bind: from) ORDER BY observed_us
            """).all().compactMap { row in
            guard let p = VitalParameter(rawValue: try row.decode(column: "parameter", as: String.self)) else { return nil }
            return VitalObservation(p, try row.decode(column: "value", as: Double.self),
                                    at: Date(microsecondsSince1970: try row.decode(column: "observed_us", as: Int64.self)))
        }
    }

    func latestObservationTimes(session: InfusionSession.ID) async throws -> [VitalParameter: Date] {
        var out: [VitalParameter: Date] = [:]
        let rows = try await db.raw("SELECT parameter, MAX(observed_us) AS latest FROM vital_observations WHERE session_id = \(bind: session.rawValue.uuidString) GROUP BY parameter").all()
        for row in rows {
            if let p = VitalParameter(rawValue: try row.decode(column: "parameter", as: String.self)) {
                out[p] = Date(microsecondsSince1970: try row.decode(column: "latest", as: Int64.self))
            }
        }
        return out
    }

    func makeVitalMessage(_ row: any SQLRow) throws -> StoredVitalMessage {
        let device: MonitorDevice.ID? = try row.decode(column: "device_id", as: String?.self).flatMap { UUID(uuidString: $0) }.map { MonitorDevice.ID($0) }
        let session: InfusionSession.ID? = try row.decode(column: "session_id", as: String?.self).flatMap { UUID(uuidString: $0) }.map { InfusionSession.ID($0) }
        return StoredVitalMessage(
            sender: try row.decode(column: "sender", as: String.self), controlID: try row.decode(column: "control_id", as: String.self),
            deviceID: device,
            sourceAddress: try row.decode(column: "source_address", as: String.self),
            receivedAt: Date(microsecondsSince1970: try row.decode(column: "received_us", as: Int64.self)),
            sessionID: session,
            status: VitalMessageStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .quarantined,
            reason: try row.decode(column: "reason", as: String.self), body: try row.decode(column: "body", as: String.self))
    }

    func vitalMessage(_ key: VitalMessageKey) async throws -> StoredVitalMessage? {
        try await db.raw("SELECT * FROM vital_messages WHERE sender = \(bind: key.sender) AND control_id = \(bind: key.controlID)")
            .first().map(makeVitalMessage)
    }

    func vitalMessages(status: VitalMessageStatus, limit: Int) async throws -> [StoredVitalMessage] {
        try await db.raw("SELECT * FROM vital_messages WHERE status = \(bind: status.rawValue) ORDER BY received_us DESC LIMIT \(bind: limit)")
            .all().map(makeVitalMessage)
    }

    func countVitalMessages(status: VitalMessageStatus) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM vital_messages WHERE status = \(bind: status.rawValue)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func updateVitalMessage(_ key: VitalMessageKey, status: VitalMessageStatus, sessionID: InfusionSession.ID?, reason: String) async throws {
        try await db.raw("""
            UPDATE vital_messages SET status = \(bind: status.rawValue), session_id = \(bind: sessionID?.rawValue.uuidString), reason = \(bind: reason)
            WHERE sender = \(bind: key.sender) AND control_id = \(bind: key.controlID)
            """).run()
    }

    // MARK: - Audit

    func auditHead(forUpdate: Bool) async throws -> AuditHead? {
        if forUpdate, let cached = sqliteCachedAuditHead() { return cached }
        if forUpdate && dialect == .postgres {
            // Serialise appenders across instances, even before the head row exists.
            try await db.raw("SELECT pg_advisory_xact_lock(7302)").run()
        }
        guard let row = try await db.raw("SELECT * FROM audit_head WHERE id = 1").first() else { return nil }
        return AuditHead(sequence: try row.decode(column: "seq", as: Int64.self), hash: try row.decode(column: "hash", as: String.self),
                         count: try row.decode(column: "entry_count", as: Int64.self), seal: try row.decode(column: "seal", as: String.self))
    }

    func append(_ entries: [AuditEntry], head: AuditHead) async throws {
        if let sqlite { return try await sqliteAppend(entries, head: head, on: sqlite) }
        // One multi-row statement per chunk (ci-recipes: each awaited statement costs tens of µs).
        for chunk in stride(from: 0, to: entries.count, by: 1000).map({ entries[$0..<min($0 + 1000, entries.count)] }) {
            var insert = db.insert(into: "audit_entries")
                .columns("seq", "at_us", "actor_id", "actor_role", "action", "resource_type", "resource_id", "outcome", "client", "detail", "hash")
            for e in chunk {
                let v = e.event
                insert = insert.values([e.sequence, v.at.microsecondsSince1970, v.actorID, v.actorRole, v.action, v.resourceType,
                                        v.resourceID, v.outcome.rawValue, v.client, v.detail, e.hash] as [any Encodable & Sendable])
            }
            try await insert.run()
        }
        try await db.raw("""
            INSERT INTO audit_head (id, seq, hash, entry_count, seal) VALUES (1, \(bind: head.sequence), \(bind: head.hash), \(bind: head.count), \(bind: head.seal))
            ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, entry_count = excluded.entry_count, seal = excluded.seal
            """).run()
    }

    func makeAuditEntry(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            sequence: try row.decode(column: "seq", as: Int64.self),
            event: AuditEvent(at: Date(microsecondsSince1970: try row.decode(column: "at_us", as: Int64.self)),
                              actorID: try row.decode(column: "actor_id", as: String.self),
                              actorRole: try row.decode(column: "actor_role", as: String.self),
                              action: try row.decode(column: "action", as: String.self),
                              resourceType: try row.decode(column: "resource_type", as: String.self),
                              resourceID: try row.decode(column: "resource_id", as: String.self),
                              outcome: AuditOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) ?? .failure,
                              client: try row.decode(column: "client", as: String.self),
                              detail: try row.decode(column: "detail", as: String.self)),
            hash: try row.decode(column: "hash", as: String.self))
    }

    func auditEntries(_ q: AuditQuery) async throws -> [AuditEntry] {
        var c = SQLQueryString("1 = 1")
        if let a = q.actorID, !a.isEmpty { c = c + SQLQueryString(" AND actor_id = \(bind: a)") }
        let type = q.resourceType.flatMap { $0.isEmpty ? nil : $0 }
        let id = q.resourceID.flatMap { $0.isEmpty ? nil : $0 }
        if type != nil || id != nil {
            // The per-resource index (M015) up to its watermark, then the chain's unindexed tail.
            var byResource = SQLQueryString("1 = 1")
            if let type { byResource = byResource + SQLQueryString(" AND resource_type = \(bind: type)") }
            if let id { byResource = byResource + SQLQueryString(" AND resource_id = \(bind: id)") }
            c = c + SQLQueryString(" AND seq IN (SELECT seq FROM audit_resource_index WHERE ") + byResource
                + SQLQueryString(" UNION ALL SELECT seq FROM audit_entries WHERE seq > (SELECT indexed_through FROM audit_resource_index_state WHERE id = 1) AND ")
                + byResource + SQLQueryString(")")
        }
        if let o = q.outcome { c = c + SQLQueryString(" AND outcome = \(bind: o.rawValue)") }
        if let f = q.from { c = c + SQLQueryString(" AND at_us >= \(bind: f.microsecondsSince1970)") }
        if let t = q.to { c = c + SQLQueryString(" AND at_us < \(bind: t.microsecondsSince1970)") }
        let rows = try await db.raw("SELECT * FROM audit_entries WHERE " + c
                                    + SQLQueryString(" ORDER BY seq DESC LIMIT \(bind: q.limit) OFFSET \(bind: q.offset)")).all()
        return try rows.map(makeAuditEntry)
    }

    func indexAuditResources(limit: Int) async throws -> Int {
        let lock = dialect == .postgres ? " FOR UPDATE" : ""
        guard let state = try await db.raw(SQLQueryString("SELECT indexed_through FROM audit_resource_index_state WHERE id = 1" + lock)).first() else {
            return 0
        }
        let from = try state.decode(column: "indexed_through", as: Int64.self)
        guard let last = try await db.raw("SELECT MAX(seq) AS last FROM audit_entries").first()?.decode(column: "last", as: Int64?.self),
              last > from else { return 0 }
        // Sequence numbers have no gaps (the chain checks it), so the window holds at most `limit` entries.
        let through = min(last, from + Int64(limit))
        try await db.raw("""
            INSERT INTO audit_resource_index (resource_type, resource_id, seq)
            SELECT resource_type, resource_id, seq FROM audit_entries WHERE seq > \(bind: from) AND seq <= \(bind: through)
            ORDER BY resource_type, resource_id, seq
            ON CONFLICT DO NOTHING
            """).run()
        try await db.raw("UPDATE audit_resource_index_state SET indexed_through = \(bind: through) WHERE id = 1").run()
        return Int(through - from)
    }

    func auditIndexBacklog() async throws -> Int64 {
        try await db.raw("""
            SELECT COALESCE((SELECT MAX(seq) FROM audit_entries), 0) - COALESCE((SELECT indexed_through FROM audit_resource_index_state WHERE id = 1), 0) AS backlog
            """).first()?.decode(column: "backlog", as: Int64.self) ?? 0
    }

    func auditEntries(afterSequence: Int64, limit: Int) async throws -> [AuditEntry] {
        let rows = try await db.raw("SELECT * FROM audit_entries WHERE seq > \(bind: afterSequence) ORDER BY seq ASC LIMIT \(bind: limit)").all()
        return try rows.map(makeAuditEntry)
    }
}
