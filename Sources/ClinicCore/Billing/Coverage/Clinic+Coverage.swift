import Foundation

/// A patient's coverage file: coverages by priority, eligibility checks newest first, authorisations.
public struct PatientCoverage: Sendable, Hashable {
    public var coverages: [Coverage]
    public var checks: [EligibilityCheck]
    public var authorizations: [PriorAuthorization]
}

extension Clinic {
    // MARK: - Payers

    /// Every payer, by name (front desk, billing, admin; audited as a list).
    public func payers(by actor: Actor) async throws -> [Payer] {
        try await require(actor, AccessRequest(.list, .coverage, id: "payers"))
        return try await store.read { try await $0.all(Payer.self, from: .payers, DocumentQuery(limit: 100_000)) }
            .sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
    }

    /// Adds a payer with its plans ("Gold PPO:commercial", one per line).
    public func addPayer(name: String, electronicID: String, phone: String, plans: String, by actor: Actor) async throws -> Payer {
        let request = AccessRequest(.create, .coverage, id: "payers")
        try await require(actor, request)
        var errors = FieldErrors()
        let n = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if n.isEmpty || n.count > 200 { errors.add("name", "Required: the payer's name (at most 200 characters)") }
        let eid = electronicID.trimmingCharacters(in: .whitespaces)
        if eid.count > 20 || !eid.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { errors.add("electronicID", "Letters and digits only, at most 20") }
        var list: [Payer.Plan] = []
        for (i, line) in plans.split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let planName = parts.first, !planName.isEmpty else { continue }
            let type = parts.count > 1 ? parts[1] : "commercial"
            guard Payer.planTypes.contains(type) else {
                errors.add("plans", "Line \(i + 1): the type must be one of \(Payer.planTypes.joined(separator: ", "))")
                continue
            }
            list.append(Payer.Plan(name: planName, type: type))
        }
        try errors.throwIfAny()
        let existing = try await store.read { try await $0.all(Payer.self, from: .payers, DocumentQuery(limit: 100_000)) }
        if existing.contains(where: { $0.name.caseInsensitiveCompare(n) == .orderedSame }) { throw ClinicError.invalid("name", "A payer of this name is on file") }
        let payer = Payer(id: ids.next(), name: n, electronicID: eid, phone: phone.trimmingCharacters(in: .whitespaces), plans: list,
                          createdAt: clock.now, createdBy: actor.userID)
        try await store.write { tx in
            try await tx.put(payer, in: .payers, id: payer.id.uuidString, index: DocumentIndex(start: payer.createdAt))
            try await self.audit(tx, actor, request, detail: "payer:add")
        }
        return payer
    }

    // MARK: - A patient's coverage

    /// A patient's coverages, eligibility checks and authorisations (audited read).
    public func patientCoverage(_ patientID: Patient.ID, by actor: Actor) async throws -> PatientCoverage {
        let request = AccessRequest(.read, .coverage, patient: patientID)
        try await require(actor, request)
        let file = try await store.read { try await self.loadCoverage(patientID, $0) }
        try await recordRead(actor, request)
        return file
    }

    func loadCoverage(_ patientID: Patient.ID, _ tx: any ClinicRecords) async throws -> PatientCoverage {
        let q = DocumentQuery(patientID: patientID.rawValue.uuidString)
        return PatientCoverage(
            coverages: try await tx.all(Coverage.self, from: .coverages, q).sorted { ($0.priority, $0.effectiveFrom) < ($1.priority, $1.effectiveFrom) },
            checks: try await tx.all(EligibilityCheck.self, from: .eligibilityChecks, q).sorted { $0.at > $1.at },
            authorizations: try await tx.all(PriorAuthorization.self, from: .priorAuthorizations, q).sorted { $0.validFrom < $1.validFrom })
    }

    static func date(_ text: String, _ field: String, _ errors: inout FieldErrors, required: Bool = true) -> CalendarDate? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty {
            if required { errors.add(field, "Required: a date (YYYY-MM-DD)") }
            return nil
        }
        guard let d = CalendarDate(t) else { errors.add(field, "Give a date as YYYY-MM-DD"); return nil }
        return d
    }

    /// Adds a coverage: payer and plan, member id, group, subscriber and relationship, effective dates, priority.
    public func addCoverage(for patientID: Patient.ID, _ form: [String: String], by actor: Actor) async throws -> Coverage {
        let request = AccessRequest(.create, .coverage, patient: patientID)
        try await require(actor, request)
        func text(_ k: String) -> String { (form[k] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var errors = FieldErrors()
        let payers = try await store.read { try await $0.all(Payer.self, from: .payers, DocumentQuery(limit: 100_000)) }
        let payer = UUID(uuidString: text("payerID")).flatMap { id in payers.first { $0.id == id } }
        if payer == nil { errors.add("payerID", "Choose a payer on file (add it under Payers first)") }
        let member = text("memberID")
        if member.isEmpty || member.count > 40 { errors.add("memberID", "Required: the member id on the card (at most 40 characters)") }
        let group = text("groupNumber")
        if group.count > 40 { errors.add("groupNumber", "At most 40 characters") }
        let relationship = Coverage.Relationship(rawValue: text("relationship").isEmpty ? "self" : text("relationship"))
        if relationship == nil { errors.add("relationship", "Choose self, spouse, child or other") }
        let subscriber = text("subscriberName")
        if relationship != .`self` && subscriber.isEmpty { errors.add("subscriberName", "Required when the patient is not the subscriber") }
        let from = Self.date(text("effectiveFrom"), "effectiveFrom", &errors)
        let to = Self.date(text("effectiveTo"), "effectiveTo", &errors, required: false)
        if let from, let to, to < from { errors.add("effectiveTo", "Must not be before the start date") }
        let priority = Int(text("priority")).flatMap(Coverage.Priority.init(rawValue:))
        if priority == nil { errors.add("priority", "Choose primary, secondary or tertiary") }
        let planName = text("planName")
        if planName.count > 200 { errors.add("planName", "At most 200 characters") }
        try errors.throwIfAny()
        let now = clock.now
        let patient = try await store.read { try await $0.patient(patientID) }
        guard let patient else { throw ClinicError.notFound("patient") }
        let coverage = Coverage(id: ids.next(), patientID: patientID, payerID: payer!.id, payerName: payer!.name, planName: planName, memberID: member,
                                groupNumber: group, subscriberName: relationship == .`self` ? patient.demographics.displayName : subscriber,
                                relationship: relationship!, effectiveFrom: from!, effectiveTo: to, priority: priority!, createdAt: now, createdBy: actor.userID)
        try await store.write { tx in
            let others = try await tx.all(Coverage.self, from: .coverages, DocumentQuery(patientID: patientID.rawValue.uuidString))
            if others.contains(where: { $0.priority == coverage.priority && Self.overlap($0, coverage) }) {
                throw ClinicError.invalid("priority", "The patient already has a \(coverage.priority.title) coverage for these dates")
            }
            try await tx.put(coverage, in: .coverages, id: coverage.id.uuidString,
                             index: DocumentIndex(patientID: patientID.rawValue.uuidString, refID: coverage.payerID.uuidString, day: coverage.effectiveFrom.description, start: now))
            try await self.audit(tx, actor, request, detail: "coverage:add")
        }
        return coverage
    }

    static func overlap(_ a: Coverage, _ b: Coverage) -> Bool {
        let aEnd = a.effectiveTo ?? CalendarDate(year: 9999, month: 12, day: 31)!, bEnd = b.effectiveTo ?? CalendarDate(year: 9999, month: 12, day: 31)!
        return a.effectiveFrom <= bEnd && b.effectiveFrom <= aEnd
    }

    /// Records an eligibility check of a coverage: the date, the result, how and who.
    public func recordEligibilityCheck(_ coverageID: UUID, _ form: [String: String], by actor: Actor) async throws -> EligibilityCheck {
        guard let coverage = try await store.read({ try await $0.get(Coverage.self, from: .coverages, id: coverageID.uuidString) }) else {
            try await require(actor, AccessRequest(.update, .coverage, id: coverageID.uuidString))
            throw ClinicError.notFound("coverage")
        }
        let request = AccessRequest(.update, .coverage, patient: coverage.patientID, id: coverageID.uuidString)
        try await require(actor, request)
        func text(_ k: String) -> String { (form[k] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var errors = FieldErrors()
        let result = EligibilityCheck.Result(rawValue: text("result"))
        if result == nil { errors.add("result", "Choose the result the payer gave") }
        let on = text("checkedOn").isEmpty ? today : Self.date(text("checkedOn"), "checkedOn", &errors)
        if let on, on > today { errors.add("checkedOn", "A check cannot be in the future") }
        let method = text("method").isEmpty ? "portal" : text("method")
        if !["portal", "phone", "electronic"].contains(method) { errors.add("method", "Choose portal, phone or electronic") }
        if text("reference").count > 60 { errors.add("reference", "At most 60 characters") }
        if text("note").count > 1_000 { errors.add("note", "At most 1,000 characters") }
        try errors.throwIfAny()
        let check = EligibilityCheck(id: ids.next(), coverageID: coverageID, patientID: coverage.patientID, checkedOn: on!, result: result!, method: method,
                                     reference: text("reference"), note: text("note"), checkedBy: actor.userID, at: clock.now)
        try await store.write { tx in
            try await tx.put(check, in: .eligibilityChecks, id: check.id.uuidString,
                             index: DocumentIndex(patientID: coverage.patientID.rawValue.uuidString, refID: coverageID.uuidString, day: check.checkedOn.description, start: check.at,
                                                  status: check.result.rawValue))
            try await self.audit(tx, actor, request, detail: "eligibility:\(check.result.rawValue)")
        }
        return check
    }

    /// Records a prior authorisation: its number, the CPT/HCPCS codes it covers, the approved quantity in the payer's unit
    /// and its validity dates. Billed sessions count against it automatically.
    public func addAuthorization(for patientID: Patient.ID, _ form: [String: String], by actor: Actor) async throws -> PriorAuthorization {
        let request = AccessRequest(.create, .coverage, patient: patientID)
        try await require(actor, request)
        func text(_ k: String) -> String { (form[k] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var errors = FieldErrors()
        let file = try await store.read { try await self.loadCoverage(patientID, $0) }
        let coverage = UUID(uuidString: text("coverageID")).flatMap { id in file.coverages.first { $0.id == id } }
        if coverage == nil { errors.add("coverageID", "Choose one of the patient's coverages") }
        let number = text("number")
        if number.isEmpty || number.count > 40 { errors.add("number", "Required: the authorisation number (at most 40 characters)") }
        let codes = text("codes").uppercased().split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        if codes.isEmpty || !codes.allSatisfy(ChargeSettings.isValidProcedureCode) { errors.add("codes", "Give the CPT/HCPCS codes it covers, e.g. 96365, 96366, J3490") }
        let unit = PriorAuthorization.Unit(rawValue: text("unit"))
        if unit == nil { errors.add("unit", "Choose visits or units") }
        let approved = Int(text("approved"))
        if approved == nil || !(1...1_000).contains(approved!) { errors.add("approved", "Give a whole number from 1 to 1,000") }
        let from = Self.date(text("validFrom"), "validFrom", &errors), to = Self.date(text("validTo"), "validTo", &errors)
        if let from, let to, to < from { errors.add("validTo", "Must not be before the start date") }
        if file.authorizations.contains(where: { $0.number == number }) { errors.add("number", "This authorisation is already on file") }
        try errors.throwIfAny()
        let auth = PriorAuthorization(id: ids.next(), patientID: patientID, coverageID: coverage!.id, number: number, codes: codes, unit: unit!,
                                      approved: approved!, validFrom: from!, validTo: to!, createdAt: clock.now, createdBy: actor.userID)
        try await store.write { tx in
            try await self.saveAuthorization(auth, tx)
            try await self.audit(tx, actor, request, detail: "authorization:add")
        }
        return auth
    }

    func saveAuthorization(_ a: PriorAuthorization, _ tx: any ClinicRecords) async throws {
        try await tx.put(a, in: .priorAuthorizations, id: a.id.uuidString,
                         index: DocumentIndex(patientID: a.patientID.rawValue.uuidString, refID: a.coverageID.uuidString, day: a.validTo.description,
                                              start: a.createdAt, status: a.number))
    }

    // MARK: - Counting and warnings

    /// Counts a charged session against the patient's authorisation that covers its codes on its service date (the one
    /// ending first), or re-counts it after an amendment; in the transaction that writes the charges.
    func countAgainstAuthorization(_ charges: inout SessionCharges, _ tx: any ClinicRecords) async throws {
        let auths = try await tx.all(PriorAuthorization.self, from: .priorAuthorizations, DocumentQuery(patientID: charges.patientID.rawValue.uuidString))
        let net = charges.netUnits
        let chosen = auths.first { $0.id == charges.authorizationID }
            ?? auths.filter { $0.isValid(on: charges.serviceDate) && $0.quantity(for: net) > 0 }.sorted { $0.validTo < $1.validTo }.first
        guard var auth = chosen else { return }
        auth.record(session: charges.sessionID, on: charges.serviceDate, quantity: auth.quantity(for: net))
        charges.authorizationID = auth.id
        charges.authorizationNumber = auth.number
        charges.authorizationQuantity = "\(auth.quantity(for: net)) \(auth.unit.title); \(auth.remaining) of \(auth.approved) left"
        try await saveAuthorization(auth, tx)
    }

    /// What staff should know before planning or booking a patient's infusions: coverage, self-pay agreement,
    /// eligibility, and authorisations running out by date or by quantity for the booked series (issue 6). Plain
    /// sentences, so the day board and plan pages can show them to anyone who books or plans.
    /// `planning` are the days of infusions about to be booked (a proposed series), counted with those already booked.
    public func coverageWarnings(for patientID: Patient.ID, planning: [CalendarDate] = [], by actor: Actor) async throws -> [CoverageWarning] {
        let allowed = [AccessRequest(.read, .coverage, patient: patientID), AccessRequest(.list, .scheduling, patient: patientID),
                       AccessRequest(.read, .treatmentPlan, patient: patientID)].contains { access.allows(actor, $0) }
        if !allowed { try await require(actor, AccessRequest(.read, .coverage, patient: patientID)) }
        let now = clock.now, today = self.today
        let (file, booked, hasEstimate, settings) = try await store.read { tx in
            let q = DocumentQuery(patientID: patientID.rawValue.uuidString)
            let appointments = try await tx.all(AppointmentRecord.self, from: .appointments, q)
                .filter { $0.appointment.status == .booked && $0.appointment.start >= now }
            return (try await self.loadCoverage(patientID, tx), appointments,
                    !(try await tx.all(GoodFaithEstimate.self, from: .goodFaithEstimates, DocumentQuery(patientID: patientID.rawValue.uuidString, limit: 1))).isEmpty,
                    try await tx.get(ChargeSettings.self, from: .clinicSettings, id: "charges") ?? .standard)
        }
        try await recordRead(actor, AccessRequest(.read, .coverage, patient: patientID), detail: "coverage-warnings")
        let lastDay = (booked.map { CalendarDate($0.appointment.start, in: self.settings.timeZone) } + planning).max()
        return CoverageRules.warnings(coverages: file.coverages, checks: file.checks, authorizations: file.authorizations, hasSelfPayAgreement: hasEstimate,
                                      sessions: booked.count + planning.count, lastDay: lastDay, today: today, initialHourCode: settings.initialHourCode)
    }
}
