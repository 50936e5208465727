import Foundation

/// A patient's charges over a date range, with what a superbill prints around them.
public struct Superbill: Sendable, Hashable {
    public var patient: Patient
    public var from: CalendarDate
    public var to: CalendarDate
    public var sessions: [SessionCharges]
    public var settings: ChargeSettings
    /// Every diagnosis the lines point to, in pointer order (A, B, …).
    public var diagnoses: [Diagnosis]
    public var issuedAt: Date
    /// The clinic's one currency (the self-pay settings hold it).
    public var currency: String

    public var lines: [ChargeLine] { sessions.flatMap(\.lines) }
    /// The pointer letter of the diagnosis at an index: A, B, C, …
    public static func pointer(_ index: Int) -> String { String(UnicodeScalar(UInt8(65 + index))) }
    /// A line's diagnosis pointers: the letters of its codes in `diagnoses` (A = the first).
    public func pointers(_ line: ChargeLine) -> String {
        line.diagnosisCodes.compactMap { code in
            diagnoses.firstIndex { $0.code.value == code }.map(Superbill.pointer)
        }.joined()
    }
    public var totalCents: Int64 { sessions.reduce(0) { $0 + $1.totalCents } }
}

/// One charged session on the billing work list.
public struct ChargedSession: Sendable, Hashable {
    public var charges: SessionCharges
    public var patient: PatientSummary
}

extension Clinic {
    // MARK: - Settings

    /// The charge-capture settings (codes, running-time rules, fees, billing provider).
    public func chargeSettings() async throws -> ChargeSettings {
        try await store.read { try await $0.get(ChargeSettings.self, from: .clinicSettings, id: "charges") } ?? .standard
    }

    /// The same, for a signed-in reader (billing, admin; a refusal is audited).
    public func chargeSettings(by actor: Actor) async throws -> ChargeSettings {
        try await require(actor, AccessRequest(.read, .chargeSettings, id: "charges"))
        return try await chargeSettings()
    }

    /// Changes the charge-capture settings (admin or billing; audited). Codes are five letters or digits; fees are
    /// amounts in the clinic's currency; NPIs carry their check digit.
    public func saveChargeSettings(_ form: [String: String], providerNPIs: [User.ID: String], by actor: Actor) async throws -> ChargeSettings {
        let request = AccessRequest(.update, .chargeSettings, id: "charges")
        try await require(actor, request)
        var s = try await chargeSettings()
        var errors = FieldErrors()
        func text(_ key: String) -> String { (form[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        for (key, path) in [("initialHourCode", \ChargeSettings.initialHourCode), ("additionalHourCode", \.additionalHourCode), ("drugCode", \.drugCode)] {
            let code = text(key).uppercased()
            if ChargeSettings.isValidProcedureCode(code) { s[keyPath: path] = code } else { errors.add(key, "Must be a 5-character CPT or HCPCS code") }
        }
        if let m = Int(text("initialHourMoreThanMinutes")), (0...59).contains(m) { s.initialHourMoreThanMinutes = m } else {
            errors.add("initialHourMoreThanMinutes", "Give whole minutes from 0 to 59")
        }
        if let rule = PartialHourRule(rawValue: text("partialHourRule")) { s.partialHourRule = rule } else { errors.add("partialHourRule", "Choose a rule") }
        s.excludePauses = text("excludePauses") == "on" || text("excludePauses") == "true"
        let pos = text("placeOfService")
        if pos.count == 2, pos.allSatisfy({ $0.isASCII && $0.isNumber }) { s.placeOfService = pos } else { errors.add("placeOfService", "Must be a two-digit place-of-service code") }
        var fees: [CodeFee] = []
        for (key, code) in [("feeInitialHour", s.initialHourCode), ("feeAdditionalHour", s.additionalHourCode), ("feeDrugPerMg", s.drugCode)] {
            guard let cents = Money.parse(text(key))?.cents, cents >= 0, cents <= 10_000_000 else {
                errors.add(key, "Give an amount such as 450.00 (at most 100,000.00)")
                continue
            }
            fees.append(CodeFee(code: code, cents: cents))
        }
        s.fees = fees
        let name = text("billingProviderName"), address = text("billingProviderAddress")
        if name.count > 200 { errors.add("billingProviderName", "Must be at most 200 characters") } else { s.billingProviderName = name }
        if address.count > 500 { errors.add("billingProviderAddress", "Must be at most 500 characters") } else { s.billingProviderAddress = address }
        let npi = text("billingProviderNPI")
        if npi.isEmpty || ChargeSettings.isValidNPI(npi) { s.billingProviderNPI = npi } else { errors.add("billingProviderNPI", "Must be a 10-digit NPI with a valid check digit") }
        let tax = text("taxID")
        if tax.isEmpty || tax.filter(\.isNumber).count == 9 && tax.allSatisfy({ $0.isNumber || $0 == "-" }) { s.taxID = tax } else { errors.add("taxID", "Must be a 9-digit EIN (12-3456789)") }
        var providers: [ProviderNumber] = []
        for (user, raw) in providerNPIs.sorted(by: { $0.key.rawValue.uuidString < $1.key.rawValue.uuidString }) {
            let n = raw.trimmingCharacters(in: .whitespaces)
            if n.isEmpty { continue }
            if ChargeSettings.isValidNPI(n) { providers.append(ProviderNumber(userID: user, npi: n)) } else {
                errors.add("npi.\(user.rawValue.uuidString)", "Must be a 10-digit NPI with a valid check digit")
            }
        }
        s.providers = providers
        try errors.throwIfAny()
        let saved = s
        try await store.write { tx in
            try await tx.put(saved, in: .clinicSettings, id: "charges", index: DocumentIndex())
            try await self.audit(tx, actor, request, detail: "charge-settings")
        }
        return saved
    }

    // MARK: - Capture

    /// Whether a finished session is billed: it was discharged or transferred, and the infusion ran or drug was drawn.
    static func isBillable(_ s: InfusionSession, drawn: Bool) -> Bool {
        [.discharged, .transferred].contains(s.state) && (s.infusionStartedAt != nil || drawn)
    }

    /// Generates a session's charges from what was recorded, once, in the transaction that ends the session.
    func captureChargesIfEnded(_ r: SessionRecord, at now: Date, by actor: Actor, _ tx: any ClinicRecords) async throws {
        guard r.session.state.isFinal else { return }
        guard try await tx.get(SessionCharges.self, from: .sessionCharges, id: r.id.rawValue.uuidString) == nil else { return }
        let account = try await tx.get(SessionDrugAccount.self, from: .sessionDrugAccounts, id: r.id.rawValue.uuidString)
        guard Self.isBillable(r.session, drawn: !(account?.draws.isEmpty ?? true)) else { return }
        guard let plan = try await tx.get(TreatmentPlan.self, from: .treatmentPlans, id: r.planID.rawValue.uuidString) else { return }
        let settings = try await tx.get(ChargeSettings.self, from: .clinicSettings, id: "charges") ?? .standard
        let facts = Self.billableFacts(r.session, account: account, at: now)
        let provider = try await plan.orders.signedBy.asyncMap { try await tx.user($0) } ?? nil
        var charges = SessionCharges(sessionID: r.id, patientID: r.session.patientID, planID: plan.id,
                                     serviceDate: CalendarDate(r.session.infusionStartedAt ?? r.session.plannedStart, in: self.settings.timeZone),
                                     diagnoses: [plan.condition], renderingProvider: provider?.displayName ?? "", renderingProviderID: provider?.id,
                                     protocolName: r.protocolName)
        let items = ChargeRules.items(for: facts, settings: settings)
        charges.lines = items.map { line($0, kind: .original, charges: charges, settings: settings, reason: nil, at: now, by: actor.userID) }
        charges.captures = [SessionCharges.Capture(facts: facts, at: now, by: actor.userID, reason: "session ended (\(r.session.state.title))")]
        try await countAgainstAuthorization(&charges, tx)
        try await saveCharges(charges, tx)
        try await postSelfPayCharge(charges, protocolID: plan.protocolID, at: now, by: actor, tx)
        try await audit(tx, actor, AccessRequest(.create, .charges, patient: r.session.patientID, id: r.id.rawValue.uuidString), detail: "charges:captured")
    }

    /// The facts charges are computed from: running and paused time from the rate history, the dose given (the
    /// register's account when it has one), the stock drawn from and its strength.
    static func billableFacts(_ s: InfusionSession, account: SessionDrugAccount?, at now: Date) -> BillableFacts {
        let start = s.infusionStartedAt, end = s.infusionEndedAt ?? now
        let running = Int64(s.elapsedInfusionTime(until: end).rounded(.down))
        let span = start.map { Int64(end.timeIntervalSince($0).rounded(.down)) } ?? 0
        let given = account?.administered ?? (start == nil ? .zero : s.deliveredDose(until: end))
        let draw = account?.draws.first
        let strength = draw.flatMap { d in d.volume.microlitres > 0 ? d.amount.micrograms * 1_000 / d.volume.microlitres : nil }
        return BillableFacts(runningSeconds: running, pausedSeconds: max(0, span - running), administered: given, stock: draw?.stock,
                             microgramsPerMillilitre: strength)
    }

    /// A self-pay patient's session goes on their account at the self-pay price of the protocol's infusion (or, when the
    /// price list has none, at the charges' total), once per session. Self-pay: a good-faith estimate on file and no
    /// insurance coverage in effect on the service date.
    func postSelfPayCharge(_ charges: SessionCharges, protocolID: InfusionProtocol.ID, at now: Date, by actor: Actor, _ tx: any ClinicRecords) async throws {
        let q = DocumentQuery(patientID: charges.patientID.rawValue.uuidString)
        guard !(try await tx.all(GoodFaithEstimate.self, from: .goodFaithEstimates, q)).isEmpty else { return }
        guard !(try await tx.all(Coverage.self, from: .coverages, q)).contains(where: { $0.isEffective(on: charges.serviceDate) }) else { return }
        let price = try await currentPriceList(tx).item(PriceItem.infusionID(protocolID))?.unitPrice
        let amount = price ?? Money(cents: charges.totalCents)
        guard amount.cents > 0 else { return }
        try await postLedgerEntry(.charge(amount, patient: charges.patientID, on: charges.serviceDate, at: now, by: actor.userID,
                                          description: "\(charges.protocolName) infusion on \(charges.serviceDate)" + (price == nil ? " (charges total)" : " (self-pay price)"),
                                          source: "session:\(charges.sessionID.rawValue.uuidString)"),
                                  patient: charges.patientID, by: actor, tx)
    }

    func line(_ item: ChargeRules.Item, kind: ChargeLine.Kind, charges: SessionCharges, settings: ChargeSettings, reason: String?,
              at now: Date, by user: User.ID) -> ChargeLine {
        ChargeLine(id: ids.next(), kind: kind, serviceDate: charges.serviceDate, code: item.code, description: item.description, units: item.units,
                   unitFeeCents: item.unitFeeCents, amountCents: item.amountCents, ndc: item.ndc, ndcMillilitres: item.ndcMillilitres,
                   drugMicrograms: item.drugMicrograms, diagnosisCodes: charges.diagnoses.map(\.code.value), placeOfService: settings.placeOfService,
                   renderingProvider: charges.renderingProvider, renderingNPI: settings.npi(of: charges.renderingProviderID), reason: reason,
                   createdAt: now, createdBy: user)
    }

    func saveCharges(_ c: SessionCharges, _ tx: any ClinicRecords) async throws {
        try await tx.put(c, in: .sessionCharges, id: c.sessionID.rawValue.uuidString,
                         index: DocumentIndex(patientID: c.patientID.rawValue.uuidString, refID: c.planID.rawValue.uuidString,
                                              day: c.serviceDate.description, start: c.captures.first?.at, status: "charged"))
    }

    // MARK: - Amendment

    /// Corrects the running time of a charged session by an amendment (a clinician's; audited): the session gets the
    /// amendment, and the charges get adjustment lines with the reason. Nothing already charged is rewritten.
    public func amendBilledRunningTime(_ id: InfusionSession.ID, minutes: String, reason: String, by actor: Actor) async throws -> SessionCharges {
        var errors = FieldErrors()
        let m = Int(minutes.trimmingCharacters(in: .whitespaces))
        if m == nil || !(0...24 * 60).contains(m!) { errors.add("runningMinutes", "Give whole minutes from 0 to 1440") }
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if why.isEmpty { errors.add("reason", "Required: why the recorded running time was wrong") }
        if why.count > 1_000 { errors.add("reason", "Must be at most 1,000 characters") }
        try errors.throwIfAny()
        let newSeconds = Int64(m!) * 60
        _ = try await updateSession(id, detail: "amendment:running-time", by: actor) { (r: inout SessionRecord, now: Date, tx: any ClinicRecords) in
            guard var charges = try await tx.get(SessionCharges.self, from: .sessionCharges, id: id.rawValue.uuidString),
                  var facts = charges.currentFacts else {
                throw ClinicError.conflict("This session has no charges to correct; only a charged session's running time is amended here")
            }
            let settings = try await tx.get(ChargeSettings.self, from: .clinicSettings, id: "charges") ?? .standard
            let before = facts.billedSeconds(excludingPauses: settings.excludePauses)
            facts.runningSeconds = settings.excludePauses ? newSeconds : max(0, newSeconds - facts.pausedSeconds)
            try r.session.amend("Running time corrected from \(before / 60) to \(m!) min: \(why)", at: now, by: actor.userID)
            let target = ChargeRules.items(for: facts, settings: settings)
            for item in ChargeRules.adjustments(from: charges.lines, to: target) {
                charges.lines.append(self.line(item, kind: .adjustment, charges: charges, settings: settings, reason: why, at: now, by: actor.userID))
            }
            charges.captures.append(SessionCharges.Capture(facts: facts, at: now, by: actor.userID, reason: why))
            try await self.countAgainstAuthorization(&charges, tx)
            try await self.saveCharges(charges, tx)
            try await self.audit(tx, actor, AccessRequest(.update, .charges, patient: r.session.patientID, id: id.rawValue.uuidString),
                                 detail: "charges:adjusted")
        }
        guard let saved = try await store.read({ try await $0.get(SessionCharges.self, from: .sessionCharges, id: id.rawValue.uuidString) }) else {
            throw ClinicError.notFound("charges")
        }
        return saved
    }

    // MARK: - Reading

    /// A session's charges (billing, admin, physician; audited).
    public func sessionCharges(_ id: InfusionSession.ID, by actor: Actor) async throws -> SessionCharges? {
        guard access.table[actor.role]?[.charges]?.contains(.read) == true else {
            try await require(actor, AccessRequest(.read, .charges, id: id.rawValue.uuidString))
            throw ClinicError.forbidden("")
        }
        guard let r = try await store.read({ try await $0.get(SessionRecord.self, from: .infusionSessions, id: id.rawValue.uuidString) }) else {
            throw ClinicError.notFound("session \(id.rawValue)")
        }
        let request = AccessRequest(.read, .charges, patient: r.session.patientID, id: id.rawValue.uuidString)
        try await require(actor, request)
        let charges = try await store.read { try await $0.get(SessionCharges.self, from: .sessionCharges, id: id.rawValue.uuidString) }
        try await recordRead(actor, request)
        return charges
    }

    /// Charged sessions with service dates in a range, newest first (the billing work list; audited).
    public func chargedSessions(from: CalendarDate, to: CalendarDate, by actor: Actor) async throws -> [ChargedSession] {
        let request = AccessRequest(.list, .charges, id: "\(from)..\(to)")
        try await require(actor, request)
        guard from <= to else { throw ClinicError.invalid("from", "Must not be after the end date") }
        let rows = try await store.read { tx -> [ChargedSession] in
            let charges = try await tx.all(SessionCharges.self, from: .sessionCharges,
                                           DocumentQuery(days: from.description...to.description, limit: Int(Int32.max)))
            let patients = try await tx.patientSummaries(Array(Set(charges.map(\.patientID))))
            return charges.compactMap { c in patients[c.patientID].map { ChargedSession(charges: c, patient: $0) } }
        }
        try await recordRead(actor, request, detail: "charges-list")
        return rows.sorted { ($0.charges.serviceDate, $0.patient.familyName) > ($1.charges.serviceDate, $1.patient.familyName) }
    }

    /// A superbill: one patient's charged sessions between two dates (billing, admin, physician; audited).
    public func superbill(_ patientID: Patient.ID, from: CalendarDate, to: CalendarDate, by actor: Actor) async throws -> Superbill {
        let request = AccessRequest(.read, .charges, patient: patientID, id: "superbill:\(from)..\(to)")
        try await require(actor, request)
        guard from <= to else { throw ClinicError.invalid("from", "Must not be after the end date") }
        let currency = try await selfPaySettings().currency.code
        let (patient, sessions, settings): (Patient, [SessionCharges], ChargeSettings) = try await store.read { tx in
            guard let p = try await tx.patient(patientID) else { throw ClinicError.notFound("patient") }
            let all = try await tx.all(SessionCharges.self, from: .sessionCharges,
                                       DocumentQuery(patientID: patientID.rawValue.uuidString, days: from.description...to.description))
            return (p, all, try await tx.get(ChargeSettings.self, from: .clinicSettings, id: "charges") ?? .standard)
        }
        try await recordRead(actor, request, detail: "superbill")
        let ordered = sessions.sorted { ($0.serviceDate, $0.sessionID.rawValue.uuidString) < ($1.serviceDate, $1.sessionID.rawValue.uuidString) }
        var diagnoses: [Diagnosis] = []
        for d in ordered.flatMap(\.diagnoses) where !diagnoses.contains(where: { $0.code == d.code }) { diagnoses.append(d) }
        return Superbill(patient: patient, from: from, to: to, sessions: ordered, settings: settings, diagnoses: diagnoses, issuedAt: clock.now, currency: currency)
    }
}

extension Clinic {
    /// The active physicians, whose NPIs the charge settings hold (they sign the orders, so they render the infusion).
    public func billingProviders(by actor: Actor) async throws -> [User] {
        try await require(actor, AccessRequest(.read, .chargeSettings, id: "charges"))
        return try await store.read { try await $0.users() }
            .filter { !$0.isDisabled && $0.role == .physician }
            .sorted { $0.displayName < $1.displayName }
    }
}
