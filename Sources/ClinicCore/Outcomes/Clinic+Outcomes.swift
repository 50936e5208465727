import Foundation

/// A patient's follow-up as one role may see it: the forms filled, the scores, relief and its duration, the booster
/// advice, what is due, urgent tasks and the links handed out.
public struct PatientOutcomes: Sendable {
    public var patient: Patient
    /// Every filled form, oldest first.
    public var records: [OutcomeRecord]
    public var course: TreatmentCourse
    public var settings: OutcomeSettings
    public var relief: ReliefSummary
    public var booster: BoosterRecommendation
    /// A physician's accepted booster date, when one was accepted for the current plan.
    public var acceptedBooster: BoosterDecision?
    public var due: [DueMeasurement]
    public var tasks: [ClinicianTask]
    /// Links handed out, newest first.
    public var links: [FollowUpLink]
    /// Opioid MME/day over time from the chart's medication list (CDC 2022 factors): when it changed and to what.
    public var mmeHistory: [MMEPoint]
    public var mmeChange: MMEChange
    /// Display names of the staff named on the page.
    public var staffNames: [User.ID: String]
    public var canRecord: Bool
    public var canIssueLinks: Bool
    public var canDecideBooster: Bool
    public var canAcknowledgeTasks: Bool
}

/// The MME/day total from one version of the medication list.
public struct MMEPoint: Sendable, Hashable {
    public var from: Date
    public var total: Double
    /// Opioids left out of the total ("no factor" or no dose): shown as a warning, never counted as 0.
    public var uncounted: [String]
}

/// A physician's acceptance of a booster date for a plan (the plan's date stays the default until then).
public struct BoosterDecision: Sendable, Hashable, Codable {
    public var planID: TreatmentPlan.ID
    public var patientID: Patient.ID
    public var date: CalendarDate
    public var decidedBy: User.ID
    public var decidedAt: Date
    /// The recommendation's advice when it was accepted, or "chosen" when the physician picked another date.
    public var basis: String
    public var note: String
}

/// One row of the clinic's due and overdue list.
public struct DueFollowUp: Sendable, Hashable {
    public var patient: PatientSummary
    public var due: DueMeasurement
}

extension Clinic {
    // MARK: - Settings

    /// The clinic's outcome settings (clinical-reference §7 defaults until changed).
    public func outcomeSettings() async throws -> OutcomeSettings {
        try await store.read { try await $0.get(OutcomeSettings.self, from: .clinicSettings, id: "outcomes") } ?? .standard
    }

    /// Changes the routing and link settings (physician or admin; audited). The on-call clinician and the medical
    /// director must be active physicians or nurses.
    public func saveOutcomeSettings(onCall: String, medicalDirector: String, escalationMinutes: String, linkLifetimeHours: String,
                                    crisisResources: String, by actor: Actor) async throws -> OutcomeSettings {
        let request = AccessRequest(.update, .outcomeSettings, id: "outcomes")
        try await require(actor, request)
        var errors = FieldErrors()
        let users = try await store.read { try await $0.users() }
        func clinician(_ text: String, _ field: String) -> User.ID? {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return nil }
            guard let uuid = UUID(uuidString: t), let u = users.first(where: { $0.id.rawValue == uuid }),
                  !u.isDisabled, u.role == .physician || u.role == .nurse else {
                errors.add(field, "Choose an active physician or nurse.")
                return nil
            }
            return u.id
        }
        var settings = try await outcomeSettings()
        settings.onCallClinician = clinician(onCall, "onCall")
        settings.medicalDirector = clinician(medicalDirector, "medicalDirector")
        // Input plausibility bounds of ours, not clinical thresholds (clinical-reference §7 gives only the 15-minute default).
        if let m = Int(escalationMinutes.trimmingCharacters(in: .whitespaces)), (1...120).contains(m) {
            settings.escalationMinutes = m
        } else {
            errors.add("escalationMinutes", "A whole number of minutes from 1 to 120 (clinical-reference §7 default: 15).")
        }
        if let h = Int(linkLifetimeHours.trimmingCharacters(in: .whitespaces)), (1...(31 * 24)).contains(h) {
            settings.linkLifetimeHours = h
        } else {
            errors.add("linkLifetimeHours", "A whole number of hours from 1 to 744 (31 days).")
        }
        let crisis = crisisResources.trimmingCharacters(in: .whitespacesAndNewlines)
        if crisis.isEmpty { errors.add("crisisResources", "Crisis resources must never be empty (clinical-reference §7).") }
        if crisis.count > 2_000 { errors.add("crisisResources", "At most 2,000 characters.") }
        settings.crisisResources = crisis
        try errors.throwIfAny()
        let saved = settings
        try await store.write { tx in
            try await tx.put(saved, in: .clinicSettings, id: "outcomes", index: DocumentIndex())
            try await self.audit(tx, actor, request, detail: "outcome-settings")
        }
        return saved
    }

    /// Changes the schedule, relief definitions and booster rule (a physician; audited). Every value is local policy
    /// except where clinical-reference §7 bounds it (PHQ-9/GAD-7 no more often than every 14 days). Every patient's
    /// analytics summary is recomputed under the new rules in the same transaction.
    public func saveOutcomeRules(_ form: [String: String], by actor: Actor) async throws -> OutcomeSettings {
        let request = AccessRequest(.decide, .outcomeSettings, id: "outcome-rules")
        try await require(actor, request)
        var errors = FieldErrors()
        var settings = try await outcomeSettings()
        func text(_ field: String) -> String { (form[field] ?? "").trimmingCharacters(in: .whitespaces) }
        func whole(_ field: String) -> Int? {
            guard let v = Int(text(field)) else { errors.add(field, "A whole number."); return nil }
            return v
        }
        func number(_ field: String) -> Double? {
            guard let v = Double(text(field).replacingOccurrences(of: ",", with: ".")), v.isFinite else { errors.add(field, "A number."); return nil }
            return v
        }
        let days = text("followUpDays").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        let parsedDays = days.compactMap { Int($0) }
        if days.isEmpty || parsedDays.count != days.count {
            errors.add("followUpDays", "Whole numbers of days separated by commas, e.g. 1, 7, 14, 30, 60, 90.")
        } else {
            settings.schedule.followUpDays = parsedDays.sorted()
        }
        if let v = whole("moodMinimumIntervalDays") { settings.schedule.moodMinimumIntervalDays = v }
        if let v = whole("overdueAfterDays") { settings.schedule.overdueAfterDays = v }
        if let v = number("responderReductionPercent") { settings.relief.responderReductionPercent = v }
        if let v = whole("responderWindowDays") { settings.relief.responderWindowDays = v }
        if let v = number("onsetReductionPercent") { settings.relief.onsetReductionPercent = v }
        if let v = number("durationReductionPercent") { settings.relief.durationReductionPercent = v }
        if let v = number("reliefReductionPercent") { settings.booster.reliefReductionPercent = v }
        if let v = number("risingPoints") { settings.booster.risingPoints = v }
        if let v = whole("leadDays") { settings.booster.leadDays = v }
        if let v = number("pushBackReductionPercent") { settings.booster.pushBackReductionPercent = v }
        if let v = whole("lookbackDays") { settings.booster.lookbackDays = v }
        if let v = whole("pushBackDays") { settings.booster.pushBackDays = v }
        for check in [{ _ = try settings.schedule.validated() }, { _ = try settings.relief.validated() }, { _ = try settings.booster.validated() }] as [() throws -> Void] {
            do { try check() } catch ClinicError.invalid(let fields) { for f in fields { errors.add(f.field, f.reason) } }
        }
        try errors.throwIfAny()
        let saved = settings
        try await store.write { tx in
            try await tx.put(saved, in: .clinicSettings, id: "outcomes", index: DocumentIndex())
            try await self.audit(tx, actor, request, detail: "outcome-rules")
            let patients = Set(try await tx.all(TreatmentPlan.self, from: .treatmentPlans, DocumentQuery(limit: Int(Int32.max))).map(\.patientID))
            for patient in patients { try await self.refreshOutcomeSummary(patient, tx) }
        }
        return saved
    }

    /// Active physicians and nurses, for choosing the on-call clinician and the medical director (names and roles only).
    public func clinicians(by actor: Actor) async throws -> [User] {
        try await require(actor, AccessRequest(.read, .outcomeSettings, id: "outcomes"))
        return try await store.read { try await $0.users() }
            .filter { !$0.isDisabled && ($0.role == .physician || $0.role == .nurse) }
            .sorted { $0.displayName < $1.displayName }
    }

    // MARK: - Recording

    /// Records a filled form for a patient (in the clinic, or the patient's answers entered on their behalf). A
    /// positive PHQ-9 item 9 raises an urgent task in the same transaction (clinical-reference §7).
    public func recordOutcomes(for patientID: Patient.ID, _ form: OutcomeEntryForm, by actor: Actor) async throws -> OutcomeRecord {
        let request = AccessRequest(.create, .outcomes, patient: patientID)
        try await require(actor, request)
        guard form.source != .link else { throw ClinicError.invalid("source", "Staff record answers in the clinic or on the patient's behalf.") }
        var errors = FieldErrors()
        let timepoint = Timepoint(key: form.timepoint.trimmingCharacters(in: .whitespaces))
        if timepoint == nil { errors.add("timepoint", "Choose when this measurement belongs (e.g. before infusion 2, day 7 after the series).") }
        let now = clock.now
        var takenAt = now
        let typed = form.takenAt.trimmingCharacters(in: .whitespaces)
        if !typed.isEmpty {
            if let t = Self.parseLocalDateTime(typed, timeZone: settings.timeZone) {
                if t > now.addingTimeInterval(5 * 60) { errors.add("takenAt", "Cannot be in the future.") }
                takenAt = t
            } else {
                errors.add("takenAt", "Use YYYY-MM-DDTHH:MM.")
            }
        }
        var responses: [InstrumentResponse] = []
        do { responses = try form.responses() } catch ClinicError.invalid(let fields) { for f in fields { errors.add(f.field, f.reason) } }
        try errors.throwIfAny()
        let record = OutcomeRecord(id: OutcomeRecord.ID(ids.next()), patientID: patientID, timepoint: timepoint!, takenAt: takenAt,
                                   responses: responses, source: form.source, sessionID: form.sessionID, recordedBy: actor.userID,
                                   recordedAt: now)
        let settings = try await outcomeSettings()
        let asked = responses.map(\.instrument.rawValue).joined(separator: ",")
        let task: ClinicianTask? = try await store.write { tx in
            guard try await tx.patient(patientID) != nil else { throw ClinicError.notFound("patient \(patientID.rawValue)") }
            if let sid = form.sessionID {
                guard let s = try await tx.get(SessionRecord.self, from: .infusionSessions, id: sid.rawValue.uuidString),
                      s.session.patientID == patientID else {
                    throw ClinicError.invalid("sessionID", "Not a session of this patient.")
                }
            }
            try await tx.put(record, in: .outcomeRecords, id: record.id.rawValue.uuidString, index: self.index(record))
            try await self.audit(tx, actor, request, detail: "outcomes:" + asked)
            let task = try await self.raiseSafetyTaskIfNeeded(record, settings: settings, tx: tx)
            try await self.refreshOutcomeSummary(patientID, tx)
            return task
        }
        if let task { await deliverTaskMessages(task, settings: settings) }
        return record
    }

    func index(_ r: OutcomeRecord) -> DocumentIndex {
        DocumentIndex(patientID: r.patientID.rawValue.uuidString, refID: r.sessionID?.rawValue.uuidString,
                      day: CalendarDate(r.takenAt, in: settings.timeZone).description, start: r.takenAt, end: r.takenAt,
                      status: r.timepoint.key)
    }

    /// Raises the urgent safety task for a positive PHQ-9 item 9 (clinical-reference §7), with the in-app messages to the
    /// on-call clinician, inside the caller's transaction; returns it for delivery after the commit.
    func raiseSafetyTaskIfNeeded(_ record: OutcomeRecord, settings: OutcomeSettings, tx: any ClinicRecords) async throws -> ClinicianTask? {
        guard record.requiresSafetyAssessment, let phq = record.response(.phq9) else { return nil }
        let item9 = phq.answers[Instrument.phq9SafetyItem] ?? 0
        let total = phq.score.total.map { "total \(Int($0))" } ?? "total not scored"
        let where_ = record.source.isAwayFromClinic ? "on a form filled away from the clinic" : "in the clinic"
        let task = ClinicianTask(id: ClinicianTask.ID(ids.next()), patientID: record.patientID, kind: .phq9SafetyAssessment,
                                 detail: "PHQ-9 item 9 answered \(item9) (\(total)) \(where_) on \(Format.dateTime(record.takenAt, in: self.settings.timeZone)). "
                                     + "Assess the patient's safety now (clinical-reference §7).",
                                 createdAt: record.recordedAt, outcomeRecordID: record.id, awayFromClinic: record.source.isAwayFromClinic,
                                 alerted: record.source.isAwayFromClinic ? settings.onCallClinician : nil)
        try await tx.put(task, in: .clinicianTasks, id: task.id.rawValue.uuidString, index: taskIndex(task))
        try await audit(tx, [AuditEvent(at: record.recordedAt, actorID: "", actorRole: "system", action: "create",
                                        resourceType: ResourceKind.clinicianTasks.rawValue, resourceID: task.id.rawValue.uuidString,
                                        outcome: .success, client: "", detail: "phq9-item9 patient:\(record.patientID.rawValue.uuidString)")])
        if let to = task.alerted {
            let message = ClinicianMessage(id: ClinicianMessage.ID(ids.next()), to: to, taskID: task.id, reason: .urgentTask,
                                           text: "Urgent task waiting in DeepRelief: a safety assessment (PHQ-9 item 9). Open Tasks.",
                                           createdAt: record.recordedAt, route: "in-app")
            try await tx.put(message, in: .clinicianMessages, id: message.id.rawValue.uuidString, index: messageIndex(message))
        }
        return task
    }

    func taskIndex(_ t: ClinicianTask) -> DocumentIndex {
        DocumentIndex(patientID: t.patientID.rawValue.uuidString, refID: t.outcomeRecordID.rawValue.uuidString, start: t.createdAt,
                      end: t.acknowledgedAt, status: t.isOpen ? "open" : "acknowledged")
    }

    func messageIndex(_ m: ClinicianMessage) -> DocumentIndex {
        DocumentIndex(refID: m.to.rawValue.uuidString, start: m.createdAt, status: m.readAt == nil ? "unread" : "read")
    }

    /// Sends the stored in-app messages of a task through the configured route too, recording delivery or its failure.
    func deliverTaskMessages(_ task: ClinicianTask, settings: OutcomeSettings) async {
        guard let sender = clinicianMessages.current else { return }
        let messages = (try? await store.read { try await $0.all(ClinicianMessage.self, from: .clinicianMessages) }) ?? []
        for var m in messages where m.taskID == task.id && m.deliveredAt == nil && m.deliveryError == nil {
            do {
                try await sender.send(m)
                m.deliveredAt = clock.now
            } catch {
                m.deliveryError = "\(sender.route): \(type(of: error))"
            }
            m.route = "in-app+\(sender.route)"
            let saved = m
            try? await store.write { tx in try await tx.put(saved, in: .clinicianMessages, id: saved.id.rawValue.uuidString, index: self.messageIndex(saved)) }
        }
    }

    // MARK: - Reading

    /// A patient's follow-up page: records, scores, relief, booster advice, what is due, tasks and links (audited read).
    public func patientOutcomes(_ patientID: Patient.ID, by actor: Actor) async throws -> PatientOutcomes {
        let request = AccessRequest(.read, .outcomes, patient: patientID)
        try await require(actor, request)
        let settings = try await outcomeSettings()
        let loaded = try await store.read { tx -> (Patient, [PatientRevision], [OutcomeRecord], [TreatmentPlan], [SessionRecord], [ClinicianTask], [FollowUpLink], [BoosterDecision], [User])? in
            guard let p = try await tx.patient(patientID) else { return nil }
            let q = DocumentQuery(patientID: patientID.rawValue.uuidString)
            return (p, try await tx.revisions(of: patientID),
                    try await tx.all(OutcomeRecord.self, from: .outcomeRecords, q),
                    try await tx.all(TreatmentPlan.self, from: .treatmentPlans, q),
                    try await tx.all(SessionRecord.self, from: .infusionSessions, q),
                    try await tx.all(ClinicianTask.self, from: .clinicianTasks, q),
                    try await tx.all(FollowUpLink.self, from: .followUpLinks, q),
                    try await tx.all(BoosterDecision.self, from: .boosterDecisions, q),
                    try await tx.users())
        }
        guard let (patient, revisions, records, plans, sessions, tasks, links, decisions, users) = loaded else {
            try await recordRead(actor, request, detail: "not-found")
            throw ClinicError.notFound("patient \(patientID.rawValue)")
        }
        try await recordRead(actor, request)
        let analysis = Self.analyse(records: records, plans: plans, sessions: sessions, settings: settings, timeZone: self.settings.timeZone,
                                    today: today)
        let accepted = analysis.course.plan.flatMap { plan in decisions.filter { $0.planID == plan.id }.max { $0.decidedAt < $1.decidedAt } }
        var booster = settings.booster.recommend(summary: analysis.relief, pain: analysis.pain,
                                                 plannedBoosterDate: accepted?.date ?? analysis.course.plannedBoosterDate(in: self.settings.timeZone),
                                                 today: today, timeZone: self.settings.timeZone)
        if let accepted, booster.plannedDate == nil { booster.plannedDate = accepted.date }
        let mme = Self.mmeHistory(patient: patient, revisions: revisions)
        var names: [User.ID: String] = [:]
        for u in users { names[u.id] = u.displayName }
        return PatientOutcomes(
            patient: patient, records: analysis.records, course: analysis.course, settings: settings, relief: analysis.relief,
            booster: booster, acceptedBooster: accepted, due: analysis.due,
            tasks: tasks.sorted { $0.createdAt > $1.createdAt }, links: links.sorted { $0.createdAt > $1.createdAt },
            mmeHistory: mme, mmeChange: MMEChange.between(baseline: mme.first?.total, latest: mme.last?.total), staffNames: names,
            canRecord: access.allows(actor, AccessRequest(.create, .outcomes, patient: patientID)),
            canIssueLinks: access.allows(actor, AccessRequest(.create, .followUpLinks, patient: patientID)),
            canDecideBooster: access.allows(actor, AccessRequest(.decide, .outcomes, patient: patientID)),
            canAcknowledgeTasks: access.allows(actor, AccessRequest(.update, .clinicianTasks, patient: patientID)))
    }

    /// The pure part of the follow-up page: course, pain records with their contexts, relief and what is due.
    struct OutcomeAnalysis {
        var records: [OutcomeRecord]
        var course: TreatmentCourse
        var pain: [PainRecord]
        var relief: ReliefSummary
        var due: [DueMeasurement]
    }

    /// The measurements still owed, without the relief analysis (the clinic-wide due list needs only these).
    static func dueMeasurements(records: [OutcomeRecord], plans: [TreatmentPlan], sessions: [SessionRecord], settings: OutcomeSettings,
                                timeZone: TimeZone, today: CalendarDate) -> [DueMeasurement] {
        let course = TreatmentCourse.assemble(plans: plans, sessions: sessions)
        guard course.plan != nil else { return [] }
        return settings.schedule.dueMeasurements(for: course.events(in: timeZone), completed: completedMeasurements(records, timeZone: timeZone), today: today)
    }

    /// Every instrument answered, with its timepoint and local date.
    static func completedMeasurements(_ records: [OutcomeRecord], timeZone: TimeZone) -> [CompletedMeasurement] {
        records.flatMap { r in
            r.responses.map { CompletedMeasurement(timepoint: r.timepoint, instrument: $0.instrument, date: CalendarDate(r.takenAt, in: timeZone)) }
        }
    }

    static func analyse(records: [OutcomeRecord], plans: [TreatmentPlan], sessions: [SessionRecord], settings: OutcomeSettings,
                        timeZone: TimeZone, today: CalendarDate) -> OutcomeAnalysis {
        let sorted = records.sorted { $0.takenAt < $1.takenAt }
        let course = TreatmentCourse.assemble(plans: plans, sessions: sessions)
        let pain = sorted.compactMap { r -> PainRecord? in
            let context: PainRecord.Context
            switch r.timepoint {
            case .baseline: context = .screening
            case .preInfusion(let n): context = .preInfusion(n)
            case .postInfusion(let n): context = .postInfusion(n)
            case .afterSeries, .afterBooster: context = .followUp
            }
            return r.painRecord(context: context)
        }
        let relief = settings.relief.summarize(pain: pain, course: course.relief, timeZone: timeZone)
        let completed = completedMeasurements(sorted, timeZone: timeZone)
        let due = course.plan == nil ? [] : settings.schedule.dueMeasurements(for: course.events(in: timeZone), completed: completed, today: today)
        return OutcomeAnalysis(records: sorted, course: course, pain: pain, relief: relief, due: due)
    }

    /// MME/day per version of the medication list, oldest first (from the chart's revisions).
    static func mmeHistory(patient: Patient, revisions: [PatientRevision]) -> [MMEPoint] {
        let ordered = revisions.sorted { $0.revision < $1.revision }
        var points: [MMEPoint] = []
        var start = patient.createdAt
        var meds: [Medication]? = nil
        for r in ordered {
            if let before = r.before {
                if meds == nil || before.clinical.medications != meds! {
                    let s = MMESummary(before.clinical.medications)
                    points.append(MMEPoint(from: start, total: s.total, uncounted: s.uncounted))
                    meds = before.clinical.medications
                }
                if r.changedFields.contains("clinical.medications") { start = r.changedAt }
            }
        }
        if meds == nil || meds! != patient.clinical.medications {
            let s = MMESummary(patient.clinical.medications)
            points.append(MMEPoint(from: start, total: s.total, uncounted: s.uncounted))
        }
        return points
    }

    // MARK: - Booster decision

    /// A physician accepts the recommended booster date, or picks another (audited; the plan's date stays the default
    /// until this is done).
    public func acceptBoosterDate(for patientID: Patient.ID, date text: String, note: String, by actor: Actor) async throws -> BoosterDecision {
        let request = AccessRequest(.decide, .outcomes, patient: patientID)
        try await require(actor, request)
        guard let date = CalendarDate(text.trimmingCharacters(in: .whitespaces)) else {
            throw ClinicError.invalid("date", "Use YYYY-MM-DD.")
        }
        if date < today { throw ClinicError.invalid("date", "A booster date cannot be in the past.") }
        if note.count > 1_000 { throw ClinicError.invalid("note", "At most 1,000 characters.") }
        let outcomes = try await patientOutcomes(patientID, by: actor)
        guard let plan = outcomes.course.plan else { throw ClinicError.conflict("The patient has no active plan.") }
        guard outcomes.course.seriesComplete else { throw ClinicError.conflict("Boosters follow a completed series.") }
        let basis = outcomes.booster.suggestedDate == date ? outcomes.booster.advice.rawValue : "chosen"
        let decision = BoosterDecision(planID: plan.id, patientID: patientID, date: date, decidedBy: actor.userID, decidedAt: clock.now,
                                       basis: basis, note: note.trimmingCharacters(in: .whitespacesAndNewlines))
        try await store.write { tx in
            try await tx.put(decision, in: .boosterDecisions, id: self.ids.next().uuidString,
                             index: DocumentIndex(patientID: patientID.rawValue.uuidString, refID: plan.id.rawValue.uuidString,
                                                  day: date.description, start: decision.decidedAt))
            try await self.audit(tx, actor, request, detail: "booster-date:\(basis)")
        }
        return decision
    }

    // MARK: - Due list

    /// Every patient with a plan and a measurement due or overdue within `days` from today, overdue first (audited list).
    public func dueFollowUps(withinDays days: Int = 7, by actor: Actor) async throws -> [DueFollowUp] {
        let request = AccessRequest(.list, .outcomes)
        try await require(actor, request)
        let settings = try await outcomeSettings()
        let tz = self.settings.timeZone
        let today = self.today
        let horizon = today.adding(days: days)
        // Each patient's summary row carries the schedule's inputs (refreshed in the transaction of every change they
        // depend on), so today's owed measurements are recomputed from small rows; a patient whose summary predates
        // them is worked out from the records.
        let rows = try await store.read { tx -> [DueFollowUp] in
            let everything = DocumentQuery(limit: Int(Int32.max))
            let planned = Set(try await tx.all(TreatmentPlan.self, from: .treatmentPlans, everything).filter { $0.status != .draft }.map(\.patientID))
            guard !planned.isEmpty else { return [] }
            var inputs: [Patient.ID: OutcomeSummary.DueInputs] = [:]
            for s in try await tx.all(OutcomeSummary.self, from: .outcomeSummaries, everything) { inputs[s.patientID] = s.dueInputs }
            var soon: [(Patient.ID, DueMeasurement)] = []
            for patientID in planned {
                let due: [DueMeasurement]
                if let i = inputs[patientID] {
                    due = settings.schedule.dueMeasurements(for: i.events, completed: i.completed, today: today)
                } else {
                    let q = DocumentQuery(patientID: patientID.rawValue.uuidString)
                    due = Self.dueMeasurements(records: try await tx.all(OutcomeRecord.self, from: .outcomeRecords, q),
                                               plans: try await tx.all(TreatmentPlan.self, from: .treatmentPlans, q).filter { $0.status != .draft },
                                               sessions: try await tx.all(SessionRecord.self, from: .infusionSessions, q),
                                               settings: settings, timeZone: tz, today: today)
                }
                for d in due where d.dueOn <= horizon { soon.append((patientID, d)) }
            }
            let summaries = try await tx.patientSummaries(Array(Set(soon.map(\.0))))
            return soon.compactMap { patientID, due in summaries[patientID].map { DueFollowUp(patient: $0, due: due) } }
        }
        try await recordRead(actor, request, detail: "due-follow-ups")
        return rows.sorted { ($0.due.dueOn, $0.patient.familyName) < ($1.due.dueOn, $1.patient.familyName) }
    }

    /// Parses `YYYY-MM-DDTHH:MM` (a datetime-local field) in the clinic's time zone.
    static func parseLocalDateTime(_ text: String, timeZone: TimeZone) -> Date? {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let date = CalendarDate(String(parts[0])) else { return nil }
        let hm = parts[1].split(separator: ":")
        guard hm.count >= 2, let h = Int(hm[0]), let m = Int(hm[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: h, minute: m))
    }
}
