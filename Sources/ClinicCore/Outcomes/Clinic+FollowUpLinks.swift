import Foundation

extension Clinic {
    /// Issues a single-use, expiring link for the measurements due at a timepoint (audited). Without a timepoint, the
    /// earliest measurement owed is used. The token is returned once and only its hash is stored.
    public func issueFollowUpLink(for patientID: Patient.ID, timepoint key: String?, by actor: Actor) async throws -> IssuedFollowUpLink {
        let request = AccessRequest(.create, .followUpLinks, patient: patientID)
        try await require(actor, request)
        let outcomes = try await patientOutcomes(patientID, by: actor)
        let settings = outcomes.settings
        let timepoint: Timepoint
        let trimmed = key?.trimmingCharacters(in: .whitespaces) ?? ""
        if trimmed.isEmpty {
            guard let next = outcomes.due.first(where: { !$0.instruments.isEmpty }) else {
                throw ClinicError.conflict("Nothing is due for this patient; choose a timepoint.")
            }
            timepoint = next.timepoint
        } else {
            guard let t = Timepoint(key: trimmed) else { throw ClinicError.invalid("timepoint", "Unknown timepoint.") }
            timepoint = t
        }
        let completed = outcomes.records.flatMap { r in
            r.responses.map { CompletedMeasurement(timepoint: r.timepoint, instrument: $0.instrument, date: CalendarDate(r.takenAt, in: self.settings.timeZone)) }
        }
        let instruments = settings.schedule.instruments(at: timepoint, on: today, completed: completed)
        guard !instruments.isEmpty else { throw ClinicError.conflict("No instrument is owed at \(timepoint.label).") }
        let token = Self.newToken()
        let now = clock.now
        let link = FollowUpLink(id: FollowUpLink.ID(ids.next()), tokenHash: Self.tokenHash(token), patientID: patientID, timepoint: timepoint,
                                instruments: instruments, createdAt: now, createdBy: actor.userID,
                                expiresAt: now.addingTimeInterval(Double(settings.linkLifetimeHours) * 3600))
        try await store.write { tx in
            try await tx.put(link, in: .followUpLinks, id: link.tokenHash, index: self.linkIndex(link))
            try await self.audit(tx, actor, AccessRequest(.create, .followUpLinks, patient: patientID, id: link.id.rawValue.uuidString),
                                 detail: "timepoint:\(timepoint.key)")
        }
        return IssuedFollowUpLink(link: link, token: token)
    }

    func linkIndex(_ l: FollowUpLink) -> DocumentIndex {
        DocumentIndex(patientID: l.patientID.rawValue.uuidString, refID: l.id.rawValue.uuidString, start: l.createdAt, end: l.expiresAt,
                      status: l.usedAt == nil ? "open" : "used")
    }

    /// The audit event of something done through a link: attributed to the link (the patient holding it), never to staff.
    func linkEvent(_ link: FollowUpLink, _ action: AccessAction, outcome: AuditOutcome, client: String, detail: String) -> AuditEvent {
        AuditEvent(at: clock.now, actorID: "follow-up-link:\(link.id.rawValue.uuidString)", actorRole: Role.patient.rawValue,
                   action: action.rawValue, resourceType: ResourceKind.outcomes.rawValue, resourceID: link.patientID.rawValue.uuidString,
                   outcome: outcome, client: client, detail: detail)
    }

    /// What a follow-up link opens to (no sign-in: the token is the credential). Opening a known link is audited
    /// under the link; an unknown token touches no patient and is not chained.
    public func openFollowUpLink(token: String, client: String) async throws -> FollowUpLinkView {
        let hash = Self.tokenHash(token)
        guard Self.isPlausibleToken(token),
              let (link, patient) = try await store.read({ tx -> (FollowUpLink, Patient)? in
                  guard let l = try await tx.get(FollowUpLink.self, from: .followUpLinks, id: hash), let p = try await tx.patient(l.patientID) else { return nil }
                  return (l, p)
              }) else { return .unknown }
        let now = clock.now
        switch link.status(at: now) {
        case .open:
            try await auditRecorder.record(linkEvent(link, .read, outcome: .success, client: client, detail: "follow-up-form"))
            return .open(link: link, givenName: patient.demographics.givenName)
        case .used:
            try await auditRecorder.record(linkEvent(link, .read, outcome: .denied, client: client, detail: "link-used"))
            return .used(at: link.usedAt!)
        case .expired:
            try await auditRecorder.record(linkEvent(link, .read, outcome: .denied, client: client, detail: "link-expired"))
            return .expired(at: link.expiresAt)
        }
    }

    /// Records the patient's answers through a link: once only, before it expires, with the safety rule of
    /// clinical-reference §7 (a positive PHQ-9 item 9 shows crisis resources at once and alerts the on-call clinician).
    public func submitFollowUpLink(token: String, answers: [Instrument: [String: String]], client: String) async throws -> (FollowUpLinkView, FollowUpSubmission?) {
        let view = try await openFollowUpLink(token: token, client: client)
        guard case .open(let link, _) = view else { return (view, nil) }
        // Only the instruments the link asks; anything else in the form is ignored.
        var errors = FieldErrors()
        var responses: [InstrumentResponse] = []
        for instrument in link.instruments {
            do {
                let form = answers[instrument] ?? [:]
                if form.values.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
                responses.append(try InstrumentResponse.parse(instrument, form: form))
            } catch ClinicError.invalid(let fields) {
                for f in fields { errors.add(f.field, f.reason) }
            }
        }
        if responses.isEmpty && errors.isEmpty { errors.add("answers", "Please answer at least one question.") }
        try errors.throwIfAny()
        let now = clock.now
        let settings = try await outcomeSettings()
        let record = OutcomeRecord(id: OutcomeRecord.ID(ids.next()), patientID: link.patientID, timepoint: link.timepoint, takenAt: now,
                                   responses: responses, source: .link, linkID: link.id, recordedBy: nil, recordedAt: now)
        let asked = responses.map(\.instrument.rawValue).joined(separator: ",")
        let outcome: (FollowUpLinkView, ClinicianTask?) = try await store.write { tx in
            // Checked again inside the transaction: two submissions racing on one link store one form.
            guard var current = try await tx.get(FollowUpLink.self, from: .followUpLinks, id: link.tokenHash) else { return (.unknown, nil) }
            switch current.status(at: now) {
            case .used: return (.used(at: current.usedAt!), nil)
            case .expired: return (.expired(at: current.expiresAt), nil)
            case .open: break
            }
            current.usedAt = now
            current.outcomeRecordID = record.id
            try await tx.put(current, in: .followUpLinks, id: current.tokenHash, index: self.linkIndex(current))
            try await tx.put(record, in: .outcomeRecords, id: record.id.rawValue.uuidString, index: self.index(record))
            try await self.audit(tx, [self.linkEvent(current, .create, outcome: .success, client: client,
                                                     detail: "outcomes:" + asked)])
            let task = try await self.raiseSafetyTaskIfNeeded(record, settings: settings, tx: tx)
            try await self.refreshOutcomeSummary(current.patientID, tx)
            return (view, task)
        }
        guard case .open = outcome.0 else { return (outcome.0, nil) }
        if let task = outcome.1 { await deliverTaskMessages(task, settings: settings) }
        return (view, FollowUpSubmission(record: record, crisisResources: record.requiresSafetyAssessment ? settings.crisisResources : nil))
    }

    /// Tokens are 43 URL-safe base64 characters; anything else is not looked up.
    static func isPlausibleToken(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F }
    }

    // MARK: - Urgent tasks

    /// Open urgent tasks, newest first, with the patient each concerns (audited list).
    public func openClinicianTasks(by actor: Actor) async throws -> [(ClinicianTask, PatientSummary)] {
        let request = AccessRequest(.list, .clinicianTasks)
        try await require(actor, request)
        let rows = try await store.read { tx -> [(ClinicianTask, PatientSummary)] in
            var out: [(ClinicianTask, PatientSummary)] = []
            for t in try await tx.all(ClinicianTask.self, from: .clinicianTasks, DocumentQuery(status: "open")) {
                if let p = try await tx.patient(t.patientID) { out.append((t, PatientSummary(p))) }
            }
            return out
        }
        try await recordRead(actor, request, detail: "open-tasks")
        return rows.sorted { $0.0.createdAt > $1.0.createdAt }
    }

    /// How many urgent tasks are open (for the header badge; no patient data, not audited).
    public func openClinicianTaskCount(for actor: Actor) async throws -> Int {
        guard access.table[actor.role]?[.clinicianTasks]?.contains(.list) == true else { return 0 }
        return try await store.read { try await $0.documents(.clinicianTasks, DocumentQuery(status: "open")).count }
    }

    /// A clinician acknowledges an urgent task with what they did (audited); it leaves the open list.
    public func acknowledgeClinicianTask(_ id: ClinicianTask.ID, note: String, by actor: Actor) async throws -> ClinicianTask {
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard access.table[actor.role]?[.clinicianTasks]?.contains(.update) == true else {
            try await require(actor, AccessRequest(.update, .clinicianTasks, id: id.rawValue.uuidString))
            throw ClinicError.forbidden("")
        }
        var errors = FieldErrors()
        if text.isEmpty { errors.add("note", "Say what was done (e.g. called the patient, safety plan reviewed).") }
        if text.count > 2_000 { errors.add("note", "At most 2,000 characters.") }
        try errors.throwIfAny()
        let now = clock.now
        return try await store.write { tx in
            guard var task = try await tx.get(ClinicianTask.self, from: .clinicianTasks, id: id.rawValue.uuidString) else {
                throw ClinicError.notFound("task \(id.rawValue)")
            }
            guard task.isOpen else { throw ClinicError.conflict("The task was already acknowledged.") }
            task.acknowledgedAt = now
            task.acknowledgedBy = actor.userID
            task.acknowledgementNote = text
            try await tx.put(task, in: .clinicianTasks, id: id.rawValue.uuidString, index: self.taskIndex(task))
            try await self.audit(tx, actor, AccessRequest(.update, .clinicianTasks, patient: task.patientID, id: id.rawValue.uuidString),
                                 detail: "acknowledged")
            return task
        }
    }

    /// Escalates urgent tasks raised away from the clinic and not acknowledged in time to the medical director
    /// (clinical-reference §7 [D]: 15 minutes). Run by the server once a minute; returns the tasks escalated.
    @discardableResult
    public func escalateUnacknowledgedTasks() async throws -> [ClinicianTask] {
        let settings = try await outcomeSettings()
        let now = clock.now
        let escalated: [ClinicianTask] = try await store.write { tx in
            var out: [ClinicianTask] = []
            for var task in try await tx.all(ClinicianTask.self, from: .clinicianTasks, DocumentQuery(status: "open"))
            where task.needsEscalation(at: now, after: settings.escalationMinutes) {
                task.escalatedAt = now
                task.escalatedTo = settings.medicalDirector
                try await tx.put(task, in: .clinicianTasks, id: task.id.rawValue.uuidString, index: self.taskIndex(task))
                if let to = settings.medicalDirector {
                    let message = ClinicianMessage(id: ClinicianMessage.ID(self.ids.next()), to: to, taskID: task.id, reason: .escalation,
                                                   text: "Escalated: an urgent safety task in DeepRelief has not been acknowledged for \(settings.escalationMinutes) minutes. Open Tasks.",
                                                   createdAt: now, route: "in-app")
                    try await tx.put(message, in: .clinicianMessages, id: message.id.rawValue.uuidString, index: self.messageIndex(message))
                }
                try await self.audit(tx, [AuditEvent(at: now, actorID: "", actorRole: "system", action: "escalate",
                                                     resourceType: ResourceKind.clinicianTasks.rawValue, resourceID: task.id.rawValue.uuidString,
                                                     outcome: .success, client: "", detail: settings.medicalDirector == nil ? "no-medical-director" : "medical-director")])
                out.append(task)
            }
            return out
        }
        for task in escalated { await deliverTaskMessages(task, settings: settings) }
        return escalated
    }

    /// Messages for a clinician, newest first (their own inbox; no patient data in the texts).
    public func clinicianMessages(for actor: Actor, limit: Int = 50) async throws -> [ClinicianMessage] {
        try await store.read { tx in
            try await tx.all(ClinicianMessage.self, from: .clinicianMessages, DocumentQuery(refID: actor.userID.rawValue.uuidString))
        }.sorted { $0.createdAt > $1.createdAt }.prefix(limit).map { $0 }
    }
}
