import Foundation

/// A patient's self-pay account: the ledger with its running balance, the estimates and the payment plans.
public struct PatientAccount: Sendable {
    public var patient: PatientSummary
    /// Oldest first, each with the balance after it.
    public var lines: [LedgerLine]
    public var totals: LedgerTotals
    /// Newest first.
    public var estimates: [GoodFaithEstimate]
    /// Newest first.
    public var plans: [PaymentPlanPosition]
    public var staffNames: [User.ID: String]
    public var settings: SelfPaySettings
    public var today: CalendarDate

    public var balance: Money { totals.balance }
    /// The plan payments count toward: the newest one not yet paid in full.
    public var activePlan: PaymentPlanPosition? { plans.first { !$0.isComplete } }
}

/// A new payment plan as entered: what it covers (an estimate's id, or blank for the account balance) and its terms.
public struct PaymentPlanForm: Sendable, Hashable {
    public var estimateID: String
    public var downPayment: String
    public var instalments: String
    public var frequency: String
    public var firstDueDate: String

    public init(estimateID: String, downPayment: String, instalments: String, frequency: String, firstDueDate: String) {
        self.estimateID = estimateID
        self.downPayment = downPayment
        self.instalments = instalments
        self.frequency = frequency
        self.firstDueDate = firstDueDate
    }
}

/// A regeneration as entered: blanks take the ledger's suggested amount, the unpaid count and the unpaid dates.
public struct PlanRegenerationForm: Sendable, Hashable {
    public var coveredAmount: String
    public var instalments: String
    public var firstDueDate: String
    public var reason: String

    public init(coveredAmount: String = "", instalments: String = "", firstDueDate: String = "", reason: String) {
        self.coveredAmount = coveredAmount
        self.instalments = instalments
        self.firstDueDate = firstDueDate
        self.reason = reason
    }
}

extension Clinic {
    // MARK: - Settings and prices

    /// The self-pay settings (currency, provider on estimates, the dispute figure).
    public func selfPaySettings() async throws -> SelfPaySettings {
        try await store.read { try await $0.get(SelfPaySettings.self, from: .clinicSettings, id: "self-pay") } ?? .standard
    }

    func currentPriceList(_ tx: any ClinicRecords) async throws -> PriceList {
        try await tx.all(PriceList.self, from: .priceLists).max { $0.version < $1.version } ?? .empty
    }

    /// The price list in force and the self-pay settings (admin, billing, front desk; audited).
    public func priceList(by actor: Actor) async throws -> (list: PriceList, settings: SelfPaySettings) {
        let request = AccessRequest(.read, .priceList, id: "price-list")
        try await require(actor, request)
        let list = try await store.read { try await self.currentPriceList($0) }
        let settings = try await selfPaySettings()
        try await recordRead(actor, request)
        return (list, settings)
    }

    /// Saves the price list as a new version (admin): infusion rows per protocol and add-on rows; a new add-on row with a
    /// blank name and price is skipped. Items missing from the rows stay on the list, retired (old estimates name them).
    public func savePriceList(_ rows: [PriceItemForm], by actor: Actor) async throws -> PriceList {
        let request = AccessRequest(.update, .priceList, id: "price-list")
        try await require(actor, request)
        var errors = FieldErrors()
        var items: [PriceItem] = []
        for (i, row) in rows.enumerated() {
            let name = row.name.trimmingCharacters(in: .whitespacesAndNewlines), code = row.code.trimmingCharacters(in: .whitespaces)
            let priceText = row.price.trimmingCharacters(in: .whitespaces)
            if row.id.isEmpty, row.kind == .addOn, name.isEmpty, priceText.isEmpty { continue }
            if row.kind == .infusion, row.protocolID == nil { errors.add("items[\(i)].protocolID", "An infusion price names its protocol"); continue }
            if row.kind == .infusion, row.id.isEmpty, priceText.isEmpty { continue }
            if name.isEmpty || name.count > 200 { errors.add("items[\(i)].name", "Give the name the patient reads (at most 200 characters)") }
            if code.count > 40 { errors.add("items[\(i)].code", "Must be at most 40 characters") }
            guard let price = Money.parse(priceText), price.cents > 0 else { errors.add("items[\(i)].price", "Give a price more than zero, such as 450 or 450.00"); continue }
            let id = !row.id.isEmpty ? row.id : row.kind == .infusion ? PriceItem.infusionID(row.protocolID!) : "addon:\(ids.next().uuidString)"
            if items.contains(where: { $0.id == id }) { errors.add("items[\(i)].protocolID", "This protocol is priced twice"); continue }
            items.append(PriceItem(id: id, kind: row.kind, protocolID: row.protocolID, name: name, code: code, unitPrice: price, active: row.active))
        }
        try errors.throwIfAny()
        let now = clock.now, typed = items
        return try await store.write { tx in
            var items = typed
            let current = try await self.currentPriceList(tx)
            for old in current.items where !items.contains(where: { $0.id == old.id }) {
                var retired = old
                retired.active = false
                items.append(retired)
            }
            let list = PriceList(version: current.version + 1, items: items, savedAt: now, savedBy: actor.userID)
            try await tx.put(list, in: .priceLists, id: "\(list.version)", index: DocumentIndex(start: now, status: "v\(list.version)"))
            try await self.audit(tx, actor, request, detail: "version:\(list.version) items:\(items.filter(\.active).count)")
            return list
        }
    }

    /// Changes the self-pay settings (admin; audited). The currency is fixed once the ledger has a line.
    public func saveSelfPaySettings(currency: String, disputeThreshold: String, providerName: String, providerNPI: String, providerTIN: String,
                                    providerAddress: String, by actor: Actor) async throws -> SelfPaySettings {
        let request = AccessRequest(.update, .priceList, id: "self-pay-settings")
        try await require(actor, request)
        var s = try await selfPaySettings()
        var errors = FieldErrors()
        let code = currency.trimmingCharacters(in: .whitespaces).uppercased()
        if !ClinicCurrency.supported.contains(code) { errors.add("currency", "Choose one of \(ClinicCurrency.supported.joined(separator: ", "))") }
        if let t = Money.parse(disputeThreshold), t.cents > 0 { s.disputeThreshold = t } else { errors.add("disputeThreshold", "Give an amount more than zero (check current CMS guidance)") }
        let name = providerName.trimmingCharacters(in: .whitespacesAndNewlines), address = providerAddress.trimmingCharacters(in: .whitespacesAndNewlines)
        let npi = providerNPI.trimmingCharacters(in: .whitespaces), tin = providerTIN.trimmingCharacters(in: .whitespaces)
        if name.count > 200 { errors.add("providerName", "Must be at most 200 characters") }
        if address.count > 500 { errors.add("providerAddress", "Must be at most 500 characters") }
        // An NPI is ten digits (45 CFR 162.406); a TIN (EIN) nine, written XX-XXXXXXX.
        if !npi.isEmpty, !(npi.count == 10 && npi.allSatisfy { $0.isASCII && $0.isNumber }) { errors.add("providerNPI", "An NPI is ten digits") }
        let tinDigits = tin.filter { $0 != "-" }
        if !tin.isEmpty, !(tinDigits.count == 9 && tinDigits.allSatisfy { $0.isASCII && $0.isNumber }) { errors.add("providerTIN", "A TIN is nine digits (XX-XXXXXXX)") }
        try errors.throwIfAny()
        s.providerName = name
        s.providerAddress = address
        s.providerNPI = npi
        s.providerTIN = tin
        let oldCode = s.currency.code, changed = code != oldCode
        s.currency = ClinicCurrency(code: code)
        let saved = s
        try await store.write { tx in
            if changed, !(try await tx.all(LedgerEntry.self, from: .ledgerEntries, DocumentQuery(limit: 1))).isEmpty {
                throw ClinicError.invalid("currency", "The ledger already holds amounts in \(oldCode): one currency per clinic")
            }
            try await tx.put(saved, in: .clinicSettings, id: "self-pay", index: DocumentIndex())
            try await self.audit(tx, actor, request)
        }
        return saved
    }

    // MARK: - The account

    /// A patient's account: ledger lines with running balances, estimates and plans with their instalments (audited).
    public func patientAccount(_ patientID: Patient.ID, by actor: Actor) async throws -> PatientAccount {
        let request = AccessRequest(.read, .patientAccount, patient: patientID)
        try await require(actor, request)
        let day = today
        let settings = try await selfPaySettings()
        let account: PatientAccount? = try await store.read { tx in
            guard let patient = try await tx.patient(patientID) else { return nil }
            return try await self.loadAccount(patient, settings: settings, today: day, tx)
        }
        guard let account else {
            try await recordRead(actor, request, detail: "not-found")
            throw ClinicError.notFound("patient \(patientID.rawValue)")
        }
        try await recordRead(actor, request, detail: "account")
        return account
    }

    func loadAccount(_ patient: Patient, settings: SelfPaySettings, today day: CalendarDate, _ tx: any ClinicRecords) async throws -> PatientAccount {
        let key = patient.id.rawValue.uuidString
        let entries = try await tx.all(LedgerEntry.self, from: .ledgerEntries, DocumentQuery(patientID: key, limit: 100_000))
        let estimates = try await tx.all(GoodFaithEstimate.self, from: .goodFaithEstimates, DocumentQuery(patientID: key)).sorted { $0.issuedAt > $1.issuedAt }
        let plans = try await tx.all(PaymentPlan.self, from: .paymentPlans, DocumentQuery(patientID: key)).sorted { $0.createdAt > $1.createdAt }
        var names: [User.ID: String] = [:]
        for id in Set(entries.map(\.by) + plans.map(\.createdBy)) { names[id] = try await tx.user(id)?.displayName ?? "unknown" }
        return PatientAccount(patient: PatientSummary(patient), lines: Ledger.lines(entries), totals: Ledger.totals(entries), estimates: estimates,
                              plans: plans.map { p in PaymentPlanPosition(plan: p, entries: entries, estimate: estimates.first { $0.id == p.estimateID }, today: day) },
                              staffNames: names, settings: settings, today: day)
    }

    // MARK: - Good-faith estimates

    /// Issues a good-faith estimate (front desk or billing; No Surprises Act): priced from the list in force, with the
    /// provider and dispute figure from the settings and the chart's diagnosis codes when the issuer may read them.
    public func issueEstimate(for patientID: Patient.ID, _ form: GoodFaithEstimateForm, by actor: Actor) async throws -> GoodFaithEstimate {
        let request = AccessRequest(.create, .patientAccount, patient: patientID)
        try await require(actor, request)
        let settings = try await selfPaySettings()
        let day = today, now = clock.now, id = GoodFaithEstimate.ID(ids.next())
        let mayReadCodes = access.allows(actor, AccessRequest(.read, .patientDiagnoses, patient: patientID))
        return try await store.write { tx in
            guard let patient = try await tx.patient(patientID) else { throw ClinicError.notFound("patient \(patientID.rawValue)") }
            let list = try await self.currentPriceList(tx)
            let priced = try form.priced(with: list, today: day)
            let codes = !priced.codes.isEmpty ? priced.codes : mayReadCodes ? patient.clinical.diagnoses.map(\.code.value) : []
            let primary = form.primaryService.trimmingCharacters(in: .whitespacesAndNewlines)
            let infusions = priced.lines.first { list.item($0.itemID)?.kind == .infusion }
            let estimate = GoodFaithEstimate(
                id: id, patientID: patientID, patientName: "\(patient.demographics.givenName) \(patient.demographics.familyName)",
                dateOfBirth: patient.demographics.dateOfBirth,
                primaryService: !primary.isEmpty ? primary : infusions.map { "A series of \($0.quantity) ketamine infusion(s): \($0.description)" } ?? priced.lines[0].description,
                lines: priced.lines, total: priced.lines.reduce(Money.zero) { $0 + $1.total }, serviceFrom: priced.from, serviceTo: priced.to,
                diagnosisCodes: codes,
                provider: .init(name: settings.providerName, npi: settings.providerNPI, tin: settings.providerTIN, address: settings.providerAddress),
                separatelyScheduled: form.separatelyScheduled.trimmingCharacters(in: .whitespacesAndNewlines),
                note: form.note.trimmingCharacters(in: .whitespacesAndNewlines), currency: settings.currency, disputeThreshold: settings.disputeThreshold,
                priceListVersion: list.version, issuedOn: day, issuedAt: now, issuedBy: actor.userID,
                issuedByName: try await tx.user(actor.userID)?.displayName ?? "")
            try await tx.put(estimate, in: .goodFaithEstimates, id: id.rawValue.uuidString,
                             index: DocumentIndex(patientID: patientID.rawValue.uuidString, day: day.description, start: now, status: "issued"))
            try await self.audit(tx, actor, request, detail: "estimate:\(id.rawValue.uuidString) total:\(estimate.total)")
            return estimate
        }
    }

    /// One estimate (audited).
    public func estimate(_ id: GoodFaithEstimate.ID, by actor: Actor) async throws -> GoodFaithEstimate {
        let resource = "estimate:\(id.rawValue.uuidString)"
        try await require(actor, AccessRequest(.read, .patientAccount, id: resource))
        guard let e = try await store.read({ try await $0.get(GoodFaithEstimate.self, from: .goodFaithEstimates, id: id.rawValue.uuidString) }) else {
            throw ClinicError.notFound("estimate \(id.rawValue)")
        }
        try await recordRead(actor, AccessRequest(.read, .patientAccount, patient: e.patientID, id: resource))
        return e
    }

    // MARK: - Payment plans

    /// Sets up a payment plan over an estimate's total or the account balance (front desk or billing); one plan at a
    /// time is being paid: a second waits until the first is paid in full (regenerate the first instead).
    public func createPaymentPlan(for patientID: Patient.ID, _ form: PaymentPlanForm, by actor: Actor) async throws -> PaymentPlanPosition {
        let request = AccessRequest(.create, .patientAccount, patient: patientID)
        try await require(actor, request)
        let settings = try await selfPaySettings()
        let day = today, now = clock.now, id = PaymentPlan.ID(ids.next())
        return try await store.write { tx in
            guard let patient = try await tx.patient(patientID) else { throw ClinicError.notFound("patient \(patientID.rawValue)") }
            let account = try await self.loadAccount(patient, settings: settings, today: day, tx)
            if account.activePlan != nil { throw ClinicError.conflict("The patient already has a payment plan being paid: regenerate its schedule instead") }
            let estimateText = form.estimateID.trimmingCharacters(in: .whitespaces)
            var estimate: GoodFaithEstimate?
            if !estimateText.isEmpty {
                guard let uuid = UUID(uuidString: estimateText), let e = account.estimates.first(where: { $0.id.rawValue == uuid }) else {
                    throw ClinicError.invalid("estimateID", "is not an estimate of this patient")
                }
                estimate = e
            } else if account.balance.cents <= 0 {
                throw ClinicError.invalid("estimateID", "The account owes nothing: choose an estimate for the plan to cover")
            }
            let covered = estimate?.total ?? account.balance
            let terms = try PaymentPlan.validatedTerms(covered: covered, downPayment: form.downPayment, instalments: form.instalments,
                                                       frequency: form.frequency, firstDueDate: form.firstDueDate, today: day)
            let plan = PaymentPlan(id: id, patientID: patientID, basis: estimate == nil ? .balance : .estimate, estimateID: estimate?.id,
                                   coveredAmount: covered, downPayment: terms.down, frequency: terms.frequency,
                                   schedule: PaymentPlan.schedule(covered: covered, downPayment: terms.down, count: terms.count, frequency: terms.frequency,
                                                                  start: day, firstDue: terms.firstDue),
                                   createdOn: day, createdAt: now, createdBy: actor.userID)
            try await self.savePlan(plan, tx)
            try await self.audit(tx, actor, AccessRequest(.create, .patientAccount, patient: patientID, id: "plan:\(id.rawValue.uuidString)"),
                                 detail: "covered:\(covered) instalments:\(terms.count)")
            let entries = account.lines.map(\.entry)
            return PaymentPlanPosition(plan: plan, entries: entries, estimate: estimate, today: day)
        }
    }

    /// One plan against the account (audited).
    public func paymentPlan(_ id: PaymentPlan.ID, by actor: Actor) async throws -> (position: PaymentPlanPosition, account: PatientAccount) {
        let resource = "plan:\(id.rawValue.uuidString)"
        try await require(actor, AccessRequest(.read, .patientAccount, id: resource))
        let day = today
        let settings = try await selfPaySettings()
        let found: (PaymentPlanPosition, PatientAccount)? = try await store.read { tx in
            guard let plan = try await tx.get(PaymentPlan.self, from: .paymentPlans, id: id.rawValue.uuidString),
                  let patient = try await tx.patient(plan.patientID) else { return nil }
            let account = try await self.loadAccount(patient, settings: settings, today: day, tx)
            guard let position = account.plans.first(where: { $0.plan.id == id }) else { return nil }
            return (position, account)
        }
        guard let found else { throw ClinicError.notFound("payment plan \(id.rawValue)") }
        try await recordRead(actor, AccessRequest(.read, .patientAccount, patient: found.1.patient.id, id: resource))
        return found
    }

    /// Makes a plan's remaining schedule again for a new covered amount (billing): blank amount → what the ledger
    /// suggests (paid toward the plan + what the account still owes, counting an estimate's charges not posted yet).
    /// Paid instalments are kept; the change is recorded on the plan and in the audit trail.
    public func regeneratePaymentPlan(_ id: PaymentPlan.ID, _ form: PlanRegenerationForm, by actor: Actor) async throws -> PaymentPlanPosition {
        let resource = "plan:\(id.rawValue.uuidString)"
        try await require(actor, AccessRequest(.update, .patientAccount, id: resource))
        var errors = FieldErrors()
        let amountText = form.coveredAmount.trimmingCharacters(in: .whitespaces)
        let amount = amountText.isEmpty ? nil : Money.parse(amountText)
        if !amountText.isEmpty, amount == nil { errors.add("coveredAmount", "Give an amount such as 2700 or 2700.00 (blank: the ledger's figure)") }
        let countText = form.instalments.trimmingCharacters(in: .whitespaces)
        let count = countText.isEmpty ? nil : Int(countText)
        if !countText.isEmpty, count == nil { errors.add("instalments", "Give the number of instalments, 1 to 60 (blank: as many as are unpaid)") }
        let dueText = form.firstDueDate.trimmingCharacters(in: .whitespaces)
        let due = dueText.isEmpty ? nil : CalendarDate(dueText)
        if !dueText.isEmpty, due == nil { errors.add("firstDueDate", "Give the date as YYYY-MM-DD (blank: the unpaid instalments' dates)") }
        let why = form.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if why.isEmpty || why.count > 500 { errors.add("reason", "Say why the covered amount changes (e.g. charges differ from the estimate)") }
        try errors.throwIfAny()
        let day = today, now = clock.now
        let settings = try await selfPaySettings()
        return try await store.write { tx in
            guard var plan = try await tx.get(PaymentPlan.self, from: .paymentPlans, id: id.rawValue.uuidString),
                  let patient = try await tx.patient(plan.patientID) else { throw ClinicError.notFound("payment plan \(id.rawValue)") }
            let account = try await self.loadAccount(patient, settings: settings, today: day, tx)
            guard let before = account.plans.first(where: { $0.plan.id == id }) else { throw ClinicError.notFound("payment plan \(id.rawValue)") }
            let newCovered = amount ?? before.suggestedCovered
            try plan.regenerate(newCovered: newCovered, paid: before.paid, count: count, firstDue: due, today: day, at: now, by: actor.userID, reason: why)
            try await self.savePlan(plan, tx)
            try await self.audit(tx, actor, AccessRequest(.update, .patientAccount, patient: plan.patientID, id: resource),
                                 detail: "regenerated:\(before.plan.coveredAmount)->\(newCovered)")
            return PaymentPlanPosition(plan: plan, entries: account.lines.map(\.entry), estimate: account.estimates.first { $0.id == plan.estimateID }, today: day)
        }
    }

    func savePlan(_ plan: PaymentPlan, _ tx: any ClinicRecords) async throws {
        try await tx.put(plan, in: .paymentPlans, id: plan.id.rawValue.uuidString,
                         index: DocumentIndex(patientID: plan.patientID.rawValue.uuidString, refID: plan.estimateID?.rawValue.uuidString,
                                              day: plan.createdOn.description, start: plan.createdAt))
    }

    // MARK: - The ledger

    /// Records a payment (front desk or billing), a refund or a write-off (billing only) on the patient's ledger. A
    /// payment counts toward the plan being paid, applied to its oldest amounts due first; a refund comes off the newest
    /// plan it fits (never more than was paid); a write-off never exceeds what is owed.
    public func recordLedgerEntry(for patientID: Patient.ID, _ form: LedgerEntryForm, by actor: Actor) async throws -> LedgerEntry {
        let request = AccessRequest(form.kind == .payment ? .create : .decide, .patientAccount, patient: patientID)
        try await require(actor, request)
        let day = today, now = clock.now, id = LedgerEntry.ID(ids.next())
        let settings = try await selfPaySettings()
        return try await store.write { tx in
            guard let patient = try await tx.patient(patientID) else { throw ClinicError.notFound("patient \(patientID.rawValue)") }
            let account = try await self.loadAccount(patient, settings: settings, today: day, tx)
            let entries = account.lines.map(\.entry)
            let v = try form.validated(entries: entries, today: day)
            var planID: PaymentPlan.ID?
            switch form.kind {
            case .payment: planID = account.activePlan?.plan.id
            case .refund: planID = account.plans.first { $0.paid >= v.amount }?.plan.id
            default: planID = nil
            }
            let description = form.kind == .payment ? (v.reason.isEmpty ? "Payment" : v.reason) : v.reason
            let entry = LedgerEntry(id: id, patientID: patientID, kind: form.kind, amount: v.amount, on: v.on, at: now, by: actor.userID,
                                    description: description, reference: v.reference, method: v.method, planID: planID)
            return try await self.postLedgerEntry(entry, patient: patientID, by: actor, tx)
        }
    }

    /// Posts one ledger line inside the caller's write transaction, with its audit entry — for other capabilities that
    /// charge a patient as part of their own change (a completed session, a superbill). The caller has checked access.
    /// An entry with a `source` (e.g. `session:<uuid>`, see `LedgerEntry.charge`) is posted at most once: when that
    /// source is already on the ledger, the earlier line is returned and nothing is written.
    @discardableResult
    public func postLedgerEntry(_ entry: LedgerEntry, patient: Patient.ID, by actor: Actor, _ tx: any ClinicRecords) async throws -> LedgerEntry {
        var e = entry
        e.patientID = patient
        if e.kind == .adjustment ? e.amount.isZero : e.amount.cents <= 0 { throw ClinicError.invalid("amount", "A \(e.kind.title) must be more than zero") }
        if let source = e.source {
            if source.isEmpty || source.count > 200 { throw ClinicError.invalid("source", "A source is 1 to 200 characters, e.g. session:<id>") }
            if let earlier = try await tx.all(LedgerEntry.self, from: .ledgerEntries, DocumentQuery(refID: source, limit: 1)).first { return earlier }
            if e.id != LedgerEntry.sourcedID(source) {
                e = LedgerEntry(id: LedgerEntry.sourcedID(source), patientID: patient, kind: e.kind, amount: e.amount, on: e.on, at: e.at, by: e.by,
                                description: e.description, reference: e.reference, method: e.method, source: source, planID: e.planID)
            }
        }
        guard try await tx.patient(patient) != nil else { throw ClinicError.notFound("patient \(patient.rawValue)") }
        try await tx.put(e, in: .ledgerEntries, id: e.id.rawValue.uuidString,
                         index: DocumentIndex(patientID: patient.rawValue.uuidString, refID: e.source, day: e.on.description, start: e.at, status: e.kind.rawValue))
        try await audit(tx, actor, AccessRequest(e.kind == .payment || e.kind == .charge ? .create : .decide, .patientAccount, patient: patient),
                        detail: "ledger:\(e.kind.rawValue):\(e.id.rawValue.uuidString) \(e.amount)")
        return e
    }
}
