import Foundation

/// Where a letter's next version starts from.
public enum NecessityLetterRevisionSource: String, Sendable, Hashable, CaseIterable {
    /// The signed version's text and facts, to be edited.
    case signedText = "text"
    /// A new text composed from the chart as it is now (as a first draft is).
    case chart
}

/// One letter version with the other versions of the same letter that the actor may read, newest first.
public struct NecessityLetterFile: Sendable, Hashable {
    public var letter: NecessityLetter
    public var versions: [NecessityLetter]
    /// The letterhead a draft prints with (a signed letter keeps its own).
    public var letterhead: Letterhead
}

extension Clinic {
    /// Drafts may be read only by those who write letters (physicians); billing and administrators read signed letters
    /// only (DESIGN §4: "billing: … signed medical-necessity letters").
    func mayReadDraftLetters(_ actor: Actor, _ patientID: Patient.ID) -> Bool {
        access.allows(actor, AccessRequest(.update, .necessityLetters, patient: patientID))
    }

    /// Drafts a medical-necessity letter composed from the chart (a physician; audited): diagnoses, duration of pain,
    /// treatments tried, the latest screening, the plan, outcomes so far and the current MME/day. Addressed to `to`, or
    /// when blank to the patient's primary coverage in effect, if any.
    public func draftNecessityLetter(for patientID: Patient.ID, to: String = "", by actor: Actor) async throws -> NecessityLetter {
        let request = AccessRequest(.create, .necessityLetters, patient: patientID)
        try await require(actor, request)
        let addressee = to.trimmingCharacters(in: .whitespacesAndNewlines)
        if addressee.count > 500 { throw ClinicError.invalid("to", "Must be at most 500 characters") }
        let (facts, payer) = try await store.read { tx in (try await self.necessityFacts(patientID, tx), try await self.primaryPayerAddress(patientID, tx)) }
        let now = clock.now, id = ids.next()
        let letter = NecessityLetter(id: id, patientID: patientID, seriesID: id, version: 1, status: .draft, to: addressee.isEmpty ? payer : addressee,
                                     body: NecessityLetterComposer.body(facts), facts: facts, createdAt: now, createdBy: actor.userID, updatedAt: now,
                                     revisedFrom: nil, signature: nil)
        try await store.write { tx in
            try await self.saveLetter(letter, tx)
            try await self.audit(tx, actor, AccessRequest(.create, .necessityLetters, patient: patientID, id: id.uuidString), detail: "letter:draft v1")
        }
        return letter
    }

    /// The chart facts a letter is composed from, read in one transaction.
    func necessityFacts(_ patientID: Patient.ID, _ tx: any ClinicRecords) async throws -> NecessityFacts {
        guard let patient = try await tx.patient(patientID) else { throw ClinicError.notFound("patient") }
        let q = DocumentQuery(patientID: patientID.rawValue.uuidString)
        let plans = try await tx.all(TreatmentPlan.self, from: .treatmentPlans, q)
        let sessions = try await tx.all(SessionRecord.self, from: .infusionSessions, q)
        let settings = try await tx.get(OutcomeSettings.self, from: .clinicSettings, id: "outcomes") ?? .standard
        let analysis = Self.analyse(records: try await tx.all(OutcomeRecord.self, from: .outcomeRecords, q), plans: plans, sessions: sessions,
                                    settings: settings, timeZone: self.settings.timeZone, today: today)
        let screening = try await tx.screenings(of: patientID).first
        let mme = Self.mmeHistory(patient: patient, revisions: try await tx.revisions(of: patientID))
        let current = MMESummary(patient.clinical.medications)
        let plan = analysis.course.plan
        var diagnoses: [Diagnosis] = plan.map { [$0.condition] } ?? []
        for d in patient.clinical.diagnoses where !diagnoses.contains(where: { $0.code == d.code }) { diagnoses.append(d) }
        let relief = analysis.relief
        let pain = patient.clinical.painHistory
        return NecessityFacts(
            patientName: patient.demographics.displayName, dateOfBirth: patient.demographics.dateOfBirth, mrn: patient.mrn.value,
            diagnoses: diagnoses, painOnset: pain.onset, monthsOfPain: pain.monthsOfPain, treatmentsTried: pain.treatmentsTried,
            screening: screening.map { s in
                .init(date: CalendarDate(s.screenedAt, in: self.settings.timeZone), decision: s.lifecycle.effectiveDecision.title,
                      overridden: s.lifecycle.override != nil, ruleSetVersion: s.evaluation.ruleSetVersion)
            },
            plan: plan.map { .init(protocolName: $0.protocolName, plannedInfusions: $0.plannedInfusions, boosterIntervalDays: $0.boosterIntervalDays, goal: $0.goal) },
            outcomes: .init(infusionsGiven: analysis.course.allGiven.count, baselinePain: relief.baseline,
                            latestReductionPercent: relief.latestChangePercent.map { -$0 }, latestBand: relief.latestBand, responder: relief.responder,
                            reliefDays: relief.duration?.days, reliefEnded: relief.duration?.ended),
            mmePerDay: current.total, mmeAtStart: mme.first.flatMap { $0.total != current.total ? $0.total : nil }, mmeUncounted: current.uncounted,
            asOf: today)
    }

    /// "Payer — plan, member id …" of the primary coverage in effect today, or blank.
    func primaryPayerAddress(_ patientID: Patient.ID, _ tx: any ClinicRecords) async throws -> String {
        let file = try await loadCoverage(patientID, tx)
        guard let c = file.coverages.first(where: { $0.isEffective(on: today) }) else { return "" }
        return "\(c.payerName)\(c.planName.isEmpty ? "" : " — \(c.planName)"), member id \(c.memberID)"
    }

    func saveLetter(_ l: NecessityLetter, _ tx: any ClinicRecords) async throws {
        try await tx.put(l, in: .necessityLetters, id: l.id.uuidString,
                         index: DocumentIndex(patientID: l.patientID.rawValue.uuidString, refID: l.seriesID.uuidString,
                                              day: l.signature?.signedOn.description, start: l.createdAt, status: l.status.rawValue))
    }

    /// Loads a letter for `action`, checking access against its patient (a missing letter is checked without one, so the
    /// attempt is still audited).
    func letterForAccess(_ id: UUID, _ action: AccessAction, by actor: Actor) async throws -> (NecessityLetter, AccessRequest) {
        guard let letter = try await store.read({ try await $0.get(NecessityLetter.self, from: .necessityLetters, id: id.uuidString) }) else {
            try await require(actor, AccessRequest(action, .necessityLetters, id: id.uuidString))
            throw ClinicError.notFound("letter")
        }
        let request = AccessRequest(action, .necessityLetters, patient: letter.patientID, id: id.uuidString)
        try await require(actor, request)
        return (letter, request)
    }

    // MARK: - Reading

    /// A patient's letters, every version, by letter then newest version first (audited). Billing and administrators see
    /// signed versions only.
    public func necessityLetters(for patientID: Patient.ID, by actor: Actor) async throws -> [NecessityLetter] {
        let request = AccessRequest(.list, .necessityLetters, patient: patientID)
        try await require(actor, request)
        let drafts = mayReadDraftLetters(actor, patientID)
        let all = try await store.read { try await $0.all(NecessityLetter.self, from: .necessityLetters, DocumentQuery(patientID: patientID.rawValue.uuidString)) }
        try await recordRead(actor, request, detail: "letters")
        let firstCreated = Dictionary(all.map { ($0.seriesID, $0.createdAt) }, uniquingKeysWith: min)
        return all.filter { drafts || $0.isSigned }
            .sorted { (firstCreated[$0.seriesID]!, $0.version) > (firstCreated[$1.seriesID]!, $1.version) }
    }

    /// One letter version with the other versions the actor may read (audited). A draft is refused to billing and
    /// administrators, and the refusal audited.
    public func necessityLetter(_ id: UUID, by actor: Actor) async throws -> NecessityLetterFile {
        let (letter, request) = try await letterForAccess(id, .read, by: actor)
        let drafts = mayReadDraftLetters(actor, letter.patientID)
        guard drafts || letter.isSigned else {
            try await auditRecorder.record(AuditEvent(actor, request, outcome: .denied, at: clock.now, detail: "letter:draft"))
            throw ClinicError.forbidden("\(actor.role.title) may read signed letters only")
        }
        let (series, settings) = try await store.read { tx in
            (try await tx.all(NecessityLetter.self, from: .necessityLetters, DocumentQuery(refID: letter.seriesID.uuidString)),
             try await tx.get(ChargeSettings.self, from: .clinicSettings, id: "charges") ?? .standard)
        }
        try await recordRead(actor, request, detail: "letter v\(letter.version)")
        return NecessityLetterFile(letter: letter, versions: series.filter { drafts || $0.isSigned }.sorted { $0.version > $1.version },
                                   letterhead: Letterhead(settings))
    }

    // MARK: - Writing

    /// Edits a draft's text and addressee (a physician; audited). A signed version is frozen: 409, revise it instead.
    public func editNecessityLetter(_ id: UUID, body: String, to: String, by actor: Actor) async throws -> NecessityLetter {
        let (_, request) = try await letterForAccess(id, .update, by: actor)
        var errors = FieldErrors()
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { errors.add("body", "Required: the letter's text") }
        if text.count > 20_000 { errors.add("body", "Must be at most 20,000 characters") }
        let addressee = to.trimmingCharacters(in: .whitespacesAndNewlines)
        if addressee.count > 500 { errors.add("to", "Must be at most 500 characters") }
        try errors.throwIfAny()
        return try await store.write { tx in
            guard var l = try await tx.get(NecessityLetter.self, from: .necessityLetters, id: id.uuidString) else { throw ClinicError.notFound("letter") }
            guard !l.isSigned else { throw ClinicError.conflict("Version \(l.version) is signed and frozen: revise it to write version \(l.version + 1)") }
            l.body = text
            l.to = addressee
            l.updatedAt = self.clock.now
            try await self.saveLetter(l, tx)
            try await self.audit(tx, actor, request, detail: "letter:edit v\(l.version)")
            return l
        }
    }

    /// Signs a draft (a physician; audited): it is frozen from then on, with the signer's name and NPI and the letterhead.
    public func signNecessityLetter(_ id: UUID, by actor: Actor) async throws -> NecessityLetter {
        let (_, request) = try await letterForAccess(id, .decide, by: actor)
        return try await store.write { tx in
            guard var l = try await tx.get(NecessityLetter.self, from: .necessityLetters, id: id.uuidString) else { throw ClinicError.notFound("letter") }
            guard !l.isSigned else { throw ClinicError.conflict("Version \(l.version) is already signed") }
            guard !l.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ClinicError.invalid("body", "Required: the letter's text") }
            let settings = try await tx.get(ChargeSettings.self, from: .clinicSettings, id: "charges") ?? .standard
            let signer = try await tx.user(actor.userID)
            let now = self.clock.now
            l.status = .signed
            l.updatedAt = now
            l.signature = NecessitySignature(signedAt: now, signedOn: self.today, signedBy: actor.userID, name: signer?.displayName ?? "",
                                             npi: settings.npi(of: actor.userID), letterhead: Letterhead(settings))
            try await self.saveLetter(l, tx)
            try await self.audit(tx, actor, request, detail: "letter:sign v\(l.version)")
            return l
        }
    }

    /// Revises a signed letter (a physician; audited): version N+1 as a new draft to the same addressee — from the signed
    /// text and its facts, or composed afresh from the chart as it is now (more infusions, new outcomes, another MME/day).
    /// Version N stays as it was signed. Only the newest version is revised.
    public func reviseNecessityLetter(_ id: UUID, from source: NecessityLetterRevisionSource = .signedText, by actor: Actor) async throws -> NecessityLetter {
        let (letter, _) = try await letterForAccess(id, .create, by: actor)
        return try await store.write { tx in
            guard letter.isSigned else { throw ClinicError.conflict("Version \(letter.version) is a draft: edit it instead of revising") }
            let series = try await tx.all(NecessityLetter.self, from: .necessityLetters, DocumentQuery(refID: letter.seriesID.uuidString))
            let newest = series.map(\.version).max() ?? letter.version
            guard newest == letter.version else { throw ClinicError.conflict("Version \(newest) of this letter already exists: open it instead") }
            let now = self.clock.now, newID = self.ids.next()
            var body = letter.body, facts = letter.facts
            if source == .chart {
                facts = try await self.necessityFacts(letter.patientID, tx)
                body = NecessityLetterComposer.body(facts)
            }
            let next = NecessityLetter(id: newID, patientID: letter.patientID, seriesID: letter.seriesID, version: letter.version + 1, status: .draft,
                                       to: letter.to, body: body, facts: facts, createdAt: now, createdBy: actor.userID, updatedAt: now,
                                       revisedFrom: letter.id, signature: nil)
            try await self.saveLetter(next, tx)
            try await self.audit(tx, actor, AccessRequest(.create, .necessityLetters, patient: letter.patientID, id: newID.uuidString),
                                 detail: "letter:revise v\(next.version) of \(letter.id.uuidString)\(source == .chart ? " from the chart" : "")")
            return next
        }
    }
}
