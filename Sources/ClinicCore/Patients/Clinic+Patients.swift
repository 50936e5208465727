import Foundation

/// A chart as one role may see it: parts the role may not read are nil.
public struct PatientChart: Sendable {
    public var patient: Patient
    /// Diagnosis codes (nil when the role may not read them).
    public var diagnoses: [Diagnosis]?
    /// Medicines, allergies and pain history (nil when the role may not read them).
    public var clinical: ClinicalHistory?
    public var mme: MMESummary?
    /// Who changed what, newest first (nil when the role may not read it).
    public var history: [PatientRevision]?
    /// Display names of the staff who made the revisions and screenings shown.
    public var staffNames: [User.ID: String]
    /// The latest screening's status (nil when none or when the role may not read it).
    public var screeningStatus: ScreeningStatus?
    /// Every screening with answers and reasons, newest first (nil when the role may not read them).
    public var screenings: [Screening]?
    /// What the role may do next.
    public var canEditDemographics: Bool
    public var canEditClinical: Bool
    public var canScreen: Bool
    public var canDecide: Bool
}

/// The result of registering: the new chart, or the possible duplicates to show first.
public enum Registration: Sendable {
    case registered(Patient)
    case possibleDuplicates([PatientSummary])
}

extension Clinic {
    /// Registers a new patient. Possible duplicates (same name and date of birth, or the same phone) are returned
    /// instead of saving unless the form confirms them.
    public func registerPatient(_ form: PatientForm, by actor: Actor) async throws -> Registration {
        try await require(actor, AccessRequest(.create, .patientDemographics))
        let valid = try form.validated(today: today, previousWeight: nil)
        if !valid.clinical.diagnoses.isEmpty { try await require(actor, AccessRequest(.update, .patientDiagnoses)) }
        let clinicalOnly = ClinicalHistory(diagnoses: [], medications: valid.clinical.medications, allergies: valid.clinical.allergies,
                                           painHistory: valid.clinical.painHistory)
        if clinicalOnly != ClinicalHistory() { try await require(actor, AccessRequest(.update, .patientClinical)) }
        let now = clock.now
        let id = Patient.ID(ids.next())
        return try await store.write { tx in
            if !form.confirmDuplicate {
                let dups = try await tx.possibleDuplicates(searchKey: valid.demographics.searchKey, dateOfBirth: valid.demographics.dateOfBirth,
                                                           phoneDigits: valid.contact.phoneDigits, excluding: nil)
                if !dups.isEmpty { return .possibleDuplicates(dups) }
            }
            let mrn = MRN(sequence: try await tx.nextMRNSequence())
            self.charts.remove(id)
            let patient = Patient(id: id, mrn: mrn, demographics: valid.demographics, contact: valid.contact, escorts: valid.escorts,
                                  body: valid.body, clinical: valid.clinical, revision: 1, createdAt: now, updatedAt: now)
            try await tx.insert(patient)
            try await tx.insert(PatientRevision(patientID: id, revision: 1, changedAt: now, changedBy: actor.userID,
                                                changedFields: ["created"], before: nil))
            try await self.audit(tx, actor, AccessRequest(.create, .patientDemographics, patient: id))
            return .registered(patient)
        }
    }

    /// Saves an edit of a chart. Each changed part needs the role's right to change it; the old version is kept.
    public func updatePatient(_ id: Patient.ID, _ form: PatientForm, expectedRevision: Int?, by actor: Actor) async throws -> Patient {
        guard access.allows(actor, AccessRequest(.update, .patientDemographics, patient: id))
                || access.allows(actor, AccessRequest(.update, .patientClinical, patient: id)) else {
            try await require(actor, AccessRequest(.update, .patientDemographics, patient: id))
            throw ClinicError.forbidden("")
        }
        guard let current = try await store.read({ try await $0.patient(id) }) else { throw ClinicError.notFound("patient \(id.rawValue)") }
        let valid = try form.validated(today: today, previousWeight: current.body.weight, previousHeight: current.body.height)
        var updated = current
        updated.demographics = valid.demographics
        updated.contact = valid.contact
        updated.escorts = valid.escorts
        updated.body = valid.body
        if !form.keepsClinicalHistory { updated.clinical = valid.clinical }
        let changed = PatientRevision.changes(from: current, to: updated)
        if changed.isEmpty { return current }
        // Every changed part must be one the role may change.
        for field in changed {
            let kind: ResourceKind = field == "clinical.diagnoses" ? .patientDiagnoses
                : field.hasPrefix("clinical.") ? .patientClinical : .patientDemographics
            try await require(actor, AccessRequest(.update, kind, patient: id))
        }
        let now = clock.now
        let proposed = updated
        defer { charts.remove(id) }  // again after the commit: no read that began before it may cache the old chart
        return try await store.write { tx in
            guard let latest = try await tx.patient(id) else { throw ClinicError.notFound("patient \(id.rawValue)") }
            if let expected = expectedRevision, expected != latest.revision {
                throw ClinicError.conflict("this chart was changed by someone else since you opened it (revision \(latest.revision)); reload and apply your change again")
            }
            if latest.revision != current.revision {
                throw ClinicError.conflict("this chart was changed while you were saving; reload and try again")
            }
            self.charts.remove(id)
            var saved = proposed
            saved.revision = latest.revision + 1
            saved.updatedAt = now
            try await tx.update(saved)
            try await tx.insert(PatientRevision(patientID: id, revision: saved.revision, changedAt: now, changedBy: actor.userID,
                                                changedFields: changed, before: latest))
            // The clinic's MME figures follow the medication list.
            if changed.contains("clinical.medications") { try await self.refreshOutcomeSummary(id, tx) }
            // A new contraindication on the chart sends the latest screening back to re-screen (clinical-reference §2).
            if changed.contains("clinical.diagnoses") || changed.contains("clinical.medications") || changed.contains("clinical.allergies"),
               var screening = try await tx.screenings(of: id).first,
               screening.lifecycle.rescreenRequired == nil {
                let what = changed.filter { $0.hasPrefix("clinical.") && $0 != "clinical.painHistory" }
                    .map { $0.replacingOccurrences(of: "clinical.", with: "") }.joined(separator: ", ")
                screening.lifecycle.invalidate(reason: "Chart changed after screening (\(what)): re-screen before the next infusion", at: now)
                try await tx.update(screening)
            }
            try await self.audit(tx, actor, AccessRequest(.update, .patientDemographics, patient: id),
                                 detail: "fields:" + changed.joined(separator: ","))
            return saved
        }
    }

    /// A chart as the actor's role may see it; the read is audited. `withHistory: false` leaves out the revision
    /// history and staff names (the JSON chart read does not show them).
    public func chart(_ id: Patient.ID, by actor: Actor, withHistory: Bool = true) async throws -> PatientChart {
        let request = AccessRequest(.read, .patientDemographics, patient: id)
        try await require(actor, request)
        let kinds = access.readableKinds(for: actor, patient: id)
        let wantsHistory = withHistory && kinds.contains(.patientHistory)
        let wantsScreening = kinds.contains(.screening) || kinds.contains(.screeningStatus)
        let loaded: (Patient, [PatientRevision], [Screening], [User.ID: String])?
        if withHistory {
            loaded = try await store.read { tx in
                guard let p = try await tx.patient(id) else { return nil }
                let history = wantsHistory ? try await tx.revisions(of: id) : []
                let screenings = wantsScreening ? try await tx.screenings(of: id) : []
                var names: [User.ID: String] = [:]
                for author in Set(history.map(\.changedBy) + screenings.map(\.lifecycle.screenedBy)) {
                    names[author] = try await tx.user(author)?.displayName ?? "unknown"
                }
                return (p, history, screenings, names)
            }
        } else if let cached = charts.get(id, now: clock.now) {
            // The hot JSON read: the chart and its latest screening, from this instance's cache when fresh.
            loaded = (cached.patient, [], cached.latestScreening.map { [$0] } ?? [], [:])
        } else {
            let generation = charts.currentGeneration
            let fetched = try await store.read { try await $0.patientWithLatestScreening(id) }
            if let (p, latest) = fetched { charts.put(p, latest, now: clock.now, readAt: generation) }
            loaded = fetched.map { ($0.0, [], $0.1.map { [$0] } ?? [], [:]) }
        }
        guard let (patient, history, screenings, names) = loaded else {
            try await recordRead(actor, request, detail: "not-found")
            throw ClinicError.notFound("patient \(id.rawValue)")
        }
        try await recordRead(actor, request, detail: "sections:" + kinds.map(\.rawValue).sorted().joined(separator: ","))
        var shown = patient
        if !kinds.contains(.patientClinical) { shown.clinical = ClinicalHistory() }
        if !kinds.contains(.patientDiagnoses) { shown.clinical.diagnoses = [] }
        let now = clock.now
        return PatientChart(
            patient: shown,
            diagnoses: kinds.contains(.patientDiagnoses) ? patient.clinical.diagnoses : nil,
            clinical: kinds.contains(.patientClinical) ? patient.clinical : nil,
            mme: kinds.contains(.patientClinical) ? MMESummary(patient.clinical.medications) : nil,
            history: wantsHistory ? history : nil,
            staffNames: names,
            screeningStatus: kinds.contains(.screeningStatus) ? screenings.first?.lifecycle.status(asOf: now) : nil,
            screenings: kinds.contains(.screening) ? screenings : nil,
            canEditDemographics: access.allows(actor, AccessRequest(.update, .patientDemographics, patient: id)),
            canEditClinical: access.allows(actor, AccessRequest(.update, .patientClinical, patient: id)),
            canScreen: access.allows(actor, AccessRequest(.create, .screening, patient: id)),
            canDecide: access.allows(actor, AccessRequest(.decide, .screeningDecision, patient: id))
        )
    }

    /// Patients matching a name (accent- and case-insensitive), a date of birth or an MRN; audited as a list read.
    public func searchPatients(_ query: PatientQuery, by actor: Actor) async throws -> (page: PatientPage, statuses: [Patient.ID: ScreeningStatus]) {
        let request = AccessRequest(.list, .patientDemographics)
        try await require(actor, request)
        var q = query
        q.limit = min(max(q.limit, 1), 200)
        q.offset = max(q.offset, 0)
        let limited = q
        let showStatus = access.allows(actor, AccessRequest(.read, .screeningStatus))
        let (page, latest) = try await store.read { tx in
            let page = try await tx.searchPatients(limited)
            let latest = showStatus ? try await tx.latestScreenings(of: page.patients.map(\.id)) : [:]
            return (page, latest)
        }
        try await recordRead(actor, request, detail: "results:\(page.patients.count)")
        let now = clock.now
        return (page, latest.mapValues { $0.lifecycle.status(asOf: now) })
    }

    /// Possible duplicates of a form's patient (for the new-patient page before saving).
    public func possibleDuplicates(of form: PatientForm, by actor: Actor) async throws -> [PatientSummary] {
        let request = AccessRequest(.list, .patientDemographics)
        try await require(actor, request)
        guard let dob = CalendarDate(form.dateOfBirth.trimmingCharacters(in: .whitespaces)) else { return [] }
        let key = SearchKey.make("\(form.givenName) \(form.familyName)")
        let dups = try await store.read { try await $0.possibleDuplicates(searchKey: key, dateOfBirth: dob, phoneDigits: Phone.digits(form.phone), excluding: nil) }
        try await recordRead(actor, request, detail: "duplicate-check")
        return dups
    }
}
