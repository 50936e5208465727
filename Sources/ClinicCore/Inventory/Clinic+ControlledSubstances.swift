import Foundation

/// A receipt of vials as typed on the form or sent to the API (text fields, validated together).
public struct VialReceiptForm: Sendable, Hashable {
    public var drugName: String
    public var ndc: String
    public var lot: String
    public var expiry: String
    public var strengthMgPerMl: String
    public var volumeMl: String
    public var quantity: String
    public var multiDose: Bool
    /// Blank: the clinic's setting (USP <797>: 28 days).
    public var beyondUseDays: String
    public var supplier: String
    public var invoice: String

    public init(drugName: String = "", ndc: String, lot: String, expiry: String, strengthMgPerMl: String, volumeMl: String, quantity: String,
                multiDose: Bool, beyondUseDays: String = "", supplier: String, invoice: String) {
        self.drugName = drugName
        self.ndc = ndc
        self.lot = lot
        self.expiry = expiry
        self.strengthMgPerMl = strengthMgPerMl
        self.volumeMl = volumeMl
        self.quantity = quantity
        self.multiDose = multiDose
        self.beyondUseDays = beyondUseDays
        self.supplier = supplier
        self.invoice = invoice
    }
}

/// A physical count as entered: the number of sealed vials per stock and the measured volume of each opened vial.
public struct StockCountForm: Sendable, Hashable {
    public var purpose: StockCount.Purpose
    public var timeOfDay: StockCount.TimeOfDay
    /// Stock id ("NDC digits|lot") → sealed vials counted, as typed.
    public var sealed: [String: String]
    /// Vial id → measured mL, as typed.
    public var opened: [String: String]

    public init(purpose: StockCount.Purpose = .daily, timeOfDay: StockCount.TimeOfDay = .closeOfBusiness, sealed: [String: String], opened: [String: String]) {
        self.purpose = purpose
        self.timeOfDay = timeOfDay
        self.sealed = sealed
        self.opened = opened
    }
}

/// The register at a glance.
public struct RegisterOverview: Sendable {
    public var vials: [ControlledSubstanceVial]
    public var openDiscrepancies: [StockDiscrepancy]
    /// Sessions whose drawn drug is not yet all given or wasted.
    public var unsettledAccounts: [SessionDrugAccount]
    public var latestCount: StockCount?
    public var settings: RegisterSettings
    public var today: CalendarDate
}

/// Exact decimals typed on forms: "2.5" mL → 2 500 µL, "37.125" mg → 37 125 µg (never through floating point).
public enum ExactQuantity {
    /// Thousandths of a non-negative decimal with at most three places; nil for anything else.
    public static func thousandths(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty || parts.count == 2,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }), whole.count <= 9 else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= 3, fraction.allSatisfy({ $0.isASCII && $0.isNumber }), !(whole.isEmpty && fraction.isEmpty) else { return nil }
        fraction += String(repeating: "0", count: 3 - fraction.count)
        return (Int64(whole) ?? 0) * 1000 + (Int64(fraction) ?? 0)
    }
}

extension Clinic {
    // MARK: - Settings

    /// The register's settings (defaults from clinical-reference §9).
    public func registerSettings() async throws -> RegisterSettings {
        try await store.read { try await $0.get(RegisterSettings.self, from: .clinicSettings, id: "controlled-substances") } ?? .standard
    }

    /// Changes the register's settings (admin; audited).
    public func saveRegisterSettings(toleranceMl: String, beyondUseDays: String, lossNotificationBusinessDays: String, registrantName: String,
                                     deaRegistrationNumber: String, by actor: Actor) async throws -> RegisterSettings {
        let request = AccessRequest(.update, .controlledSubstanceSettings, id: "controlled-substances")
        try await require(actor, request)
        var s = try await registerSettings()
        var errors = FieldErrors()
        if let t = ExactQuantity.thousandths(toleranceMl), t <= 5_000 { s.countToleranceMicrolitres = t } else { errors.add("toleranceMl", "Give a volume in mL from 0 to 5 (to 0.001 mL)") }
        if let d = Int(beyondUseDays.trimmingCharacters(in: .whitespaces)), (1...365).contains(d) { s.beyondUseDays = d } else { errors.add("beyondUseDays", "Give whole days from 1 to 365") }
        if let d = Int(lossNotificationBusinessDays.trimmingCharacters(in: .whitespaces)), (0...30).contains(d) { s.lossNotificationBusinessDays = d } else { errors.add("lossNotificationBusinessDays", "Give whole business days from 0 to 30") }
        let name = registrantName.trimmingCharacters(in: .whitespacesAndNewlines), dea = deaRegistrationNumber.trimmingCharacters(in: .whitespaces).uppercased()
        if name.count > 200 { errors.add("registrantName", "Must be at most 200 characters") }
        // A DEA registration number is two letters and seven digits.
        if !dea.isEmpty, !(dea.count == 9 && dea.prefix(2).allSatisfy({ $0.isASCII && $0.isLetter }) && dea.suffix(7).allSatisfy({ $0.isASCII && $0.isNumber })) {
            errors.add("deaRegistrationNumber", "Must be two letters and seven digits")
        }
        try errors.throwIfAny()
        s.registrantName = name
        s.deaRegistrationNumber = dea
        let saved = s
        try await store.write { tx in
            try await tx.put(saved, in: .clinicSettings, id: "controlled-substances", index: DocumentIndex())
            try await self.audit(tx, actor, request)
        }
        return saved
    }

    // MARK: - Receipt

    /// Records vials received (admin, physician or nurse): one register line per vial, in one commit with its audit entry.
    public func receiveVials(_ form: VialReceiptForm, by actor: Actor) async throws -> [ControlledSubstanceVial] {
        try await require(actor, AccessRequest(.create, .controlledSubstances, id: "receipt"))
        let settings = try await registerSettings()
        var errors = FieldErrors()
        let ndc = NationalDrugCode(form.ndc)
        if ndc == nil { errors.add("ndc", "Give the NDC as on the label (4-4-2, 5-3-2 or 5-4-1 with hyphens, or 11 digits)") }
        let lot = form.lot.trimmingCharacters(in: .whitespaces)
        if lot.isEmpty || lot.count > 40 { errors.add("lot", "Give the lot number (at most 40 characters)") }
        let expiry = CalendarDate(form.expiry.trimmingCharacters(in: .whitespaces))
        if expiry == nil { errors.add("expiry", "Give the expiry date as YYYY-MM-DD") } else if expiry! < today { errors.add("expiry", "This stock has already expired") }
        let strength = Int64(form.strengthMgPerMl.trimmingCharacters(in: .whitespaces))
        if strength == nil || !(1...500).contains(strength!) { errors.add("strengthMgPerMl", "Give the labelled strength as whole mg/mL (ketamine: 10, 50 or 100)") }
        let volume = ExactQuantity.thousandths(form.volumeMl)
        if volume == nil || volume! <= 0 || volume! > 100_000 { errors.add("volumeMl", "Give the vial's volume in mL (more than 0, at most 100)") }
        let quantity = Int(form.quantity.trimmingCharacters(in: .whitespaces))
        if quantity == nil || !(1...500).contains(quantity!) { errors.add("quantity", "Give the number of vials, 1 to 500") }
        var bud = settings.beyondUseDays
        if !form.beyondUseDays.trimmingCharacters(in: .whitespaces).isEmpty {
            if let d = Int(form.beyondUseDays.trimmingCharacters(in: .whitespaces)), (1...365).contains(d) { bud = d }
            else { errors.add("beyondUseDays", "Give whole days from 1 to 365, or leave blank for \(settings.beyondUseDays)") }
        }
        let supplier = form.supplier.trimmingCharacters(in: .whitespacesAndNewlines), invoice = form.invoice.trimmingCharacters(in: .whitespacesAndNewlines)
        if supplier.isEmpty || supplier.count > 200 { errors.add("supplier", "Name the supplier") }
        if invoice.isEmpty || invoice.count > 100 { errors.add("invoice", "Give the invoice or packing-slip number") }
        let drug = form.drugName.trimmingCharacters(in: .whitespaces).isEmpty ? settings.defaultDrugName : form.drugName.trimmingCharacters(in: .whitespaces)
        if drug.count > 200 { errors.add("drugName", "Must be at most 200 characters") }
        try errors.throwIfAny()
        let now = clock.now
        let vials = (0..<quantity!).map { _ in
            ControlledSubstanceVial(id: .init(ids.next()), drugName: drug, ndc: ndc!, lot: lot, expiry: expiry!,
                                    strength: VialStrength(milligramsPerMillilitre: strength!), labelledVolume: FluidVolume(microlitres: volume!),
                                    multiDose: form.multiDose, beyondUseDays: bud, supplier: supplier, invoice: invoice, receivedAt: now, receivedBy: actor.userID)
        }
        let entries = vials.map { v in
            RegisterEntry(id: .init(ids.next()), kind: .received, at: now, by: actor.userID, stock: v.stock, vialID: v.id, volumeChange: v.labelledVolume,
                          amount: v.remainingAmount, remainingAfter: v.remaining, note: "invoice \(invoice) from \(supplier)")
        }
        try await store.write { tx in
            for v in vials { try await self.saveVial(v, tx) }
            try await self.saveEntries(entries, tx)
            try await self.audit(tx, actor, AccessRequest(.create, .controlledSubstances, id: "receipt:\(lot)"), detail: "received \(vials.count)")
        }
        return vials
    }

    // MARK: - Reading

    /// The register: vials in stock, open discrepancies, sessions with drug to account for (audited).
    public func registerOverview(by actor: Actor) async throws -> RegisterOverview {
        let request = AccessRequest(.list, .controlledSubstances, id: "register")
        try await require(actor, request)
        let settings = try await registerSettings()
        let (vials, open, accounts, counts) = try await store.read { tx in
            let sealed = try await tx.all(ControlledSubstanceVial.self, from: .controlledSubstanceVials, DocumentQuery(status: VialStatus.sealed.rawValue))
            let opened = try await tx.all(ControlledSubstanceVial.self, from: .controlledSubstanceVials, DocumentQuery(status: VialStatus.open.rawValue))
            let d = try await tx.all(StockDiscrepancy.self, from: .stockDiscrepancies, DocumentQuery(status: "open"))
            let a = try await tx.all(SessionDrugAccount.self, from: .sessionDrugAccounts, DocumentQuery(status: "open"))
            let c = try await tx.all(StockCount.self, from: .stockCounts, DocumentQuery(days: self.today.adding(days: -400).description...self.today.description))
            return (opened + sealed, d, a, c)
        }
        try await recordRead(actor, request)
        return RegisterOverview(vials: vials.sorted { ($0.stock, $0.status == .open ? 0 : 1, $0.receivedAt) < ($1.stock, $1.status == .open ? 0 : 1, $1.receivedAt) },
                                openDiscrepancies: open, unsettledAccounts: accounts, latestCount: counts.max { $0.at < $1.at },
                                settings: settings, today: today)
    }

    /// One vial with every register line about it (audited).
    public func vial(_ id: ControlledSubstanceVial.ID, by actor: Actor) async throws -> (ControlledSubstanceVial, [RegisterEntry]) {
        let request = AccessRequest(.read, .controlledSubstances, id: id.rawValue.uuidString)
        try await require(actor, request)
        let found: (ControlledSubstanceVial, [RegisterEntry])? = try await store.read { tx in
            guard let v = try await tx.get(ControlledSubstanceVial.self, from: .controlledSubstanceVials, id: id.rawValue.uuidString) else { return nil }
            return (v, try await tx.all(RegisterEntry.self, from: .registerEntries, DocumentQuery(refID: id.rawValue.uuidString)))
        }
        guard let found else { throw ClinicError.notFound("vial \(id.rawValue)") }
        try await recordRead(actor, request)
        return found
    }

    /// The vials a nurse may draw from today for a session, with the reason any other in-stock vial is refused.
    public func drawableVials(for session: InfusionSession.ID, by actor: Actor) async throws -> (drawable: [ControlledSubstanceVial], refused: [(ControlledSubstanceVial, String)]) {
        let request = AccessRequest(.list, .controlledSubstances, id: "drawable:\(session.rawValue.uuidString)")
        try await require(actor, request)
        let day = today
        let result = try await store.read { tx in try await self.drawable(for: session, on: day, tx) }
        try await recordRead(actor, request)
        return result
    }

    func drawable(for session: InfusionSession.ID, on day: CalendarDate, _ tx: any ClinicRecords) async throws -> (drawable: [ControlledSubstanceVial], refused: [(ControlledSubstanceVial, String)]) {
        let opened = try await tx.all(ControlledSubstanceVial.self, from: .controlledSubstanceVials, DocumentQuery(status: VialStatus.open.rawValue))
        let sealed = try await tx.all(ControlledSubstanceVial.self, from: .controlledSubstanceVials, DocumentQuery(status: VialStatus.sealed.rawValue))
        let blocked = try await openDiscrepancyByStock(tx)
        var ok: [ControlledSubstanceVial] = [], refused: [(ControlledSubstanceVial, String)] = []
        // Opened vials first (use them up before puncturing another), then sealed ones by expiry.
        for v in opened + sealed.sorted(by: { ($0.expiry, $0.receivedAt) < ($1.expiry, $1.receivedAt) }) {
            if let why = v.drawRefusal(volume: FluidVolume(microlitres: 1), for: session, on: day, blocked: blocked[v.stock]) { refused.append((v, why)) } else { ok.append(v) }
        }
        return (ok, refused)
    }

    func openDiscrepancyByStock(_ tx: any ClinicRecords) async throws -> [StockKey: String] {
        var out: [StockKey: String] = [:]
        for d in try await tx.all(StockDiscrepancy.self, from: .stockDiscrepancies, DocumentQuery(status: "open")) {
            out[d.stock] = d.findings.joined(separator: "; ")
        }
        return out
    }

    /// A session's drug account, if drug was drawn for it (audited).
    public func sessionDrugAccount(_ session: InfusionSession.ID, by actor: Actor) async throws -> SessionDrugAccount? {
        let request = AccessRequest(.read, .controlledSubstances, id: "session:\(session.rawValue.uuidString)")
        try await require(actor, request)
        let a = try await store.read { try await $0.get(SessionDrugAccount.self, from: .sessionDrugAccounts, id: session.rawValue.uuidString) }
        try await recordRead(actor, AccessRequest(.read, .controlledSubstances, patient: a?.patientID, id: "session:\(session.rawValue.uuidString)"))
        return a
    }

    // MARK: - Draws (inside the session's preparation step)

    /// Draws the preparation's volume from a register vial for the session, in the session's transaction: the vial
    /// must be in date, within its beyond-use date and free of an open discrepancy; its strength must be the one
    /// prepared. Without a vial, the preparation is refused while the register holds drawable stock.
    func drawForPreparation(_ vialID: ControlledSubstanceVial.ID?, preparation: Preparation, session r: SessionRecord, at now: Date,
                            by actor: Actor, _ tx: any ClinicRecords) async throws -> String? {
        let day = CalendarDate(now, in: settings.timeZone)
        guard let vialID else {
            let (drawable, _) = try await drawable(for: r.id, on: day, tx)
            if !drawable.isEmpty { throw ClinicError.invalid("vialID", "Choose the register vial the drug was drawn from") }
            return nil
        }
        guard access.allows(actor, AccessRequest(.update, .controlledSubstances, id: vialID.rawValue.uuidString)) else {
            throw ClinicError.forbidden("\(actor.role.title) may not draw from the controlled-substance register")
        }
        guard var vial = try await tx.get(ControlledSubstanceVial.self, from: .controlledSubstanceVials, id: vialID.rawValue.uuidString) else {
            throw ClinicError.invalid("vialID", "is not a vial in the register")
        }
        if vial.strength != preparation.vialStrength {
            throw ClinicError.invalid("vialStrength", "The vial is \(vial.strength); the preparation says \(preparation.vialStrength)")
        }
        let blocked = try await openDiscrepancyByStock(tx)[vial.stock]
        let amount = try vial.draw(preparation.volumeDrawn, for: r.id, at: now, on: day, blocked: blocked)
        var account = try await tx.get(SessionDrugAccount.self, from: .sessionDrugAccounts, id: r.id.rawValue.uuidString)
            ?? SessionDrugAccount(sessionID: r.id, patientID: r.session.patientID)
        account.draws.append(.init(vialID: vial.id, stock: vial.stock, volume: preparation.volumeDrawn, amount: amount, at: now, by: actor.userID))
        try await saveVial(vial, tx)
        try await saveAccount(account, tx)
        try await saveEntries([RegisterEntry(id: .init(ids.next()), kind: .drawn, at: now, by: actor.userID, stock: vial.stock, vialID: vial.id,
                                             sessionID: r.id, patientID: r.session.patientID,
                                             volumeChange: FluidVolume(microlitres: -preparation.volumeDrawn.microlitres),
                                             amount: DrugAmount(micrograms: -amount.micrograms), remainingAfter: vial.remaining)], tx)
        try await audit(tx, actor, AccessRequest(.update, .controlledSubstances, patient: r.session.patientID, id: vial.id.rawValue.uuidString), detail: "draw")
        return vial.lot
    }

    /// When a session's infusion has ended, records the delivered dose as administered on its drug account (once).
    func recordAdministeredIfEnded(_ r: SessionRecord, at now: Date, by actor: Actor, _ tx: any ClinicRecords) async throws {
        guard let end = r.session.infusionEndedAt else { return }
        guard var account = try await tx.get(SessionDrugAccount.self, from: .sessionDrugAccounts, id: r.id.rawValue.uuidString),
              account.administered == nil else { return }
        let given = r.session.deliveredDose(until: end)
        account.recordAdministered(given, at: now)
        try await saveAccount(account, tx)
        try await saveEntries([RegisterEntry(id: .init(ids.next()), kind: .administered, at: now, by: actor.userID, stock: account.draws.first?.stock,
                                             sessionID: r.id, patientID: r.session.patientID, amount: given,
                                             note: "delivered dose from the session's rate history")], tx)
    }

    // MARK: - Waste

    /// Verifies a witness who signs in on the same screen: an active nurse or physician, never the person recording.
    func witness(_ second: SecondClinician, for actor: Actor, field: String = "witness") async throws -> WitnessConfirmation {
        let email = Self.normalisedEmail(second.email)
        guard !email.isEmpty, !second.password.isEmpty,
              let (user, hash) = try await store.read({ try await $0.user(email: email) }),
              !user.isDisabled, [.nurse, .physician].contains(user.role), try await passwords.verify(second.password, against: hash) else {
            throw ClinicError.invalid(field, "The witness's e-mail or password is not right (a second nurse or physician must sign in as witness)")
        }
        if user.id == actor.userID { throw ClinicError.invalid(field, "The witness must be a second clinician, never the person recording") }
        return WitnessConfirmation(userID: user.id, name: user.displayName)
    }

    /// Records drug drawn for a session and not given as wasted, with a second clinician as witness (clinical-reference
    /// §9: forced whenever waste > 0).
    public func wasteSessionDrug(_ session: InfusionSession.ID, wastedMg: String, reason: String, witness second: SecondClinician,
                                 by actor: Actor) async throws -> SessionDrugAccount {
        try await require(actor, AccessRequest(.update, .controlledSubstances, id: "session:\(session.rawValue.uuidString)"))
        guard let micrograms = ExactQuantity.thousandths(wastedMg) else { throw ClinicError.invalid("wastedMg", "Give the amount wasted in mg (to 0.001 mg)") }
        let w = try await witness(second, for: actor)
        let now = clock.now
        return try await store.write { tx in
            guard var account = try await tx.get(SessionDrugAccount.self, from: .sessionDrugAccounts, id: session.rawValue.uuidString) else {
                throw ClinicError.conflict("No drug was drawn from the register for this session")
            }
            let amount = DrugAmount(micrograms: micrograms)
            try account.waste(amount, reason: reason, witness: w, at: now, by: actor.userID)
            try await self.saveAccount(account, tx)
            try await self.saveEntries([RegisterEntry(id: .init(self.ids.next()), kind: .wasted, at: now, by: actor.userID, stock: account.draws.first?.stock,
                                                      sessionID: session, patientID: account.patientID, amount: amount, witnesses: [w],
                                                      note: account.wastes.last?.reason ?? "")], tx)
            try await self.audit(tx, actor, AccessRequest(.update, .controlledSubstances, patient: account.patientID, id: "session:\(session.rawValue.uuidString)"), detail: "waste")
            return account
        }
    }

    /// Wastes a volume straight from a vial (a broken vial, the rest of a single-dose vial), witnessed.
    public func wasteFromVial(_ id: ControlledSubstanceVial.ID, volumeMl: String, reason: String, witness second: SecondClinician,
                              by actor: Actor) async throws -> ControlledSubstanceVial {
        try await require(actor, AccessRequest(.update, .controlledSubstances, id: id.rawValue.uuidString))
        var errors = FieldErrors()
        let volume = ExactQuantity.thousandths(volumeMl)
        if volume == nil { errors.add("volumeMl", "Give the volume wasted in mL (to 0.001 mL)") }
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if why.isEmpty || why.count > 500 { errors.add("reason", "Say why the drug was wasted") }
        try errors.throwIfAny()
        let w = try await witness(second, for: actor)
        let now = clock.now
        return try await store.write { tx in
            guard var vial = try await tx.get(ControlledSubstanceVial.self, from: .controlledSubstanceVials, id: id.rawValue.uuidString) else {
                throw ClinicError.notFound("vial \(id.rawValue)")
            }
            let v = FluidVolume(microlitres: volume!)
            let amount = try vial.remove(v, field: "volumeMl", at: now, on: CalendarDate(now, in: self.settings.timeZone))
            try await self.saveVial(vial, tx)
            try await self.saveEntries([RegisterEntry(id: .init(self.ids.next()), kind: .vialWasted, at: now, by: actor.userID, stock: vial.stock, vialID: vial.id,
                                                      volumeChange: FluidVolume(microlitres: -v.microlitres), amount: DrugAmount(micrograms: -amount.micrograms),
                                                      remainingAfter: vial.remaining, witnesses: [w], note: why)], tx)
            try await self.audit(tx, actor, AccessRequest(.update, .controlledSubstances, id: id.rawValue.uuidString), detail: "vial-waste")
            return vial
        }
    }

    // MARK: - Counts and reconciliation

    /// Records a physical count against the computed balance: matches pass, differences within tolerance on opened
    /// vials are recorded as variance (the balance follows the measured volume), anything else raises a discrepancy
    /// that blocks draws from that stock until a second person resolves it.
    public func recordCount(_ form: StockCountForm, by actor: Actor) async throws -> StockCount {
        try await require(actor, AccessRequest(.create, .controlledSubstances, id: "count"))
        let settings = try await registerSettings()
        var errors = FieldErrors()
        var sealedCounts: [StockKey: Int] = [:]
        for (key, text) in form.sealed {
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            guard parts.count == 2, let ndc = NationalDrugCode(parts[0]) else { errors.add("sealed[\(key)]", "is not a stock of the register"); continue }
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else { errors.add("sealed[\(key)]", "Give the number of sealed vials counted"); continue }
            sealedCounts[StockKey(ndc: ndc, lot: parts[1])] = n
        }
        var openedCounts: [ControlledSubstanceVial.ID: FluidVolume] = [:]
        for (key, text) in form.opened {
            guard let uuid = UUID(uuidString: key) else { errors.add("opened[\(key)]", "is not a vial of the register"); continue }
            guard let t = ExactQuantity.thousandths(text) else { errors.add("opened[\(key)]", "Give the measured volume in mL (to 0.001 mL)"); continue }
            openedCounts[.init(uuid)] = FluidVolume(microlitres: t)
        }
        try errors.throwIfAny()
        let now = clock.now, day = today
        let typedSealed = sealedCounts, typedOpened = openedCounts
        return try await store.write { tx in
            let vials = try await tx.all(ControlledSubstanceVial.self, from: .controlledSubstanceVials, DocumentQuery(status: VialStatus.sealed.rawValue))
                + tx.all(ControlledSubstanceVial.self, from: .controlledSubstanceVials, DocumentQuery(status: VialStatus.open.rawValue))
            // A count typed for a stock with no sealed vials by the register is compared too (it holds 0 by the register).
            let (sealed, opened) = try StockCount.compare(vials: vials, sealedCounts: typedSealed, openedCounts: typedOpened,
                                                          tolerance: settings.countToleranceMicrolitres)
            let count = StockCount(id: .init(self.ids.next()), purpose: form.purpose, timeOfDay: form.timeOfDay, day: day, at: now, by: actor.userID,
                                   sealed: sealed, opened: opened)
            var entries: [RegisterEntry] = []
            // Variance within tolerance: the balance follows the measured volume, explained by its own line.
            for line in opened where line.outcome == .variance {
                guard var v = vials.first(where: { $0.id == line.vialID }) else { continue }
                let change = v.adjust(to: line.counted)
                try await self.saveVial(v, tx)
                entries.append(RegisterEntry(id: .init(self.ids.next()), kind: .variance, at: now, by: actor.userID, stock: v.stock, vialID: v.id,
                                             volumeChange: line.difference, amount: change, remainingAfter: v.remaining,
                                             note: "counted \(line.counted) against \(line.expected) (within ±\(FluidVolume(microlitres: settings.countToleranceMicrolitres)))"))
            }
            for stock in count.discrepantStocks {
                var findings: [String] = []
                for l in sealed where l.stock == stock && l.outcome == .discrepancy { findings.append("sealed vials: \(l.expected) by the register, \(l.counted) counted") }
                for l in opened where l.stock == stock && l.outcome == .discrepancy {
                    findings.append("opened vial \(l.vialID.rawValue.uuidString.prefix(8)): \(l.expected) by the register, \(l.counted) measured")
                }
                let d = StockDiscrepancy(id: .init(self.ids.next()), stock: stock, countID: count.id, raisedAt: now, raisedBy: actor.userID, findings: findings)
                try await tx.put(d, in: .stockDiscrepancies, id: d.id.rawValue.uuidString, index: DocumentIndex(refID: stock.id, day: day.description, start: now, status: "open"))
                entries.append(RegisterEntry(id: .init(self.ids.next()), kind: .discrepancy, at: now, by: actor.userID, stock: stock, amount: .zero,
                                             note: findings.joined(separator: "; ")))
            }
            try await tx.put(count, in: .stockCounts, id: count.id.rawValue.uuidString,
                             index: DocumentIndex(day: day.description, start: now, status: count.purpose.rawValue))
            try await self.saveEntries(entries, tx)
            try await self.audit(tx, actor, AccessRequest(.create, .controlledSubstances, id: "count:\(count.id.rawValue.uuidString)"), detail: count.outcome.rawValue)
            return count
        }
    }

    /// The counts taken, newest first (audited).
    public func stockCounts(by actor: Actor) async throws -> [StockCount] {
        let request = AccessRequest(.list, .controlledSubstances, id: "counts")
        try await require(actor, request)
        let counts = try await store.read { try await $0.all(StockCount.self, from: .stockCounts) }
        try await recordRead(actor, request)
        return counts.sorted { $0.at > $1.at }
    }

    /// One count (audited).
    public func stockCount(_ id: StockCount.ID, by actor: Actor) async throws -> StockCount {
        let request = AccessRequest(.read, .controlledSubstances, id: "count:\(id.rawValue.uuidString)")
        try await require(actor, request)
        guard let c = try await store.read({ try await $0.get(StockCount.self, from: .stockCounts, id: id.rawValue.uuidString) }) else {
            throw ClinicError.notFound("count \(id.rawValue)")
        }
        try await recordRead(actor, request)
        return c
    }

    /// A second person (admin or physician, never the one who counted) resolves a discrepancy with a reason. With
    /// `acceptCount`, the register follows the physical count: opened vials take the measured volume and missing sealed
    /// vials are recorded as lost (file a Form 106 report for a theft or significant loss); each change is its own line.
    public func resolveDiscrepancy(_ id: StockDiscrepancy.ID, resolution: String, acceptCount: Bool, by actor: Actor) async throws -> StockDiscrepancy {
        try await require(actor, AccessRequest(.decide, .controlledSubstances, id: "discrepancy:\(id.rawValue.uuidString)"))
        let why = resolution.trimmingCharacters(in: .whitespacesAndNewlines)
        if why.isEmpty || why.count > 2000 { throw ClinicError.invalid("resolution", "Say how the difference was explained") }
        let now = clock.now
        return try await store.write { tx in
            guard var d = try await tx.get(StockDiscrepancy.self, from: .stockDiscrepancies, id: id.rawValue.uuidString) else {
                throw ClinicError.notFound("discrepancy \(id.rawValue)")
            }
            guard d.isOpen else { throw ClinicError.conflict("This discrepancy was already resolved") }
            guard d.raisedBy != actor.userID else { throw ClinicError.invalid("resolution", "A second person, not the one who counted, must resolve the discrepancy") }
            var entries: [RegisterEntry] = []
            if acceptCount, let count = try await tx.get(StockCount.self, from: .stockCounts, id: d.countID.rawValue.uuidString) {
                for line in count.opened where line.stock == d.stock && line.outcome == .discrepancy {
                    guard var v = try await tx.get(ControlledSubstanceVial.self, from: .controlledSubstanceVials, id: line.vialID.rawValue.uuidString) else { continue }
                    let before = v.remaining
                    let change = v.adjust(to: line.counted)
                    try await self.saveVial(v, tx)
                    entries.append(RegisterEntry(id: .init(self.ids.next()), kind: .resolved, at: now, by: actor.userID, stock: v.stock, vialID: v.id,
                                                 volumeChange: FluidVolume(microlitres: line.counted.microlitres - before.microlitres), amount: change,
                                                 remainingAfter: v.remaining, note: why))
                }
                for line in count.sealed where line.stock == d.stock && line.counted < line.expected {
                    let sealedVials = try await tx.all(ControlledSubstanceVial.self, from: .controlledSubstanceVials, DocumentQuery(refID: d.stock.id, status: VialStatus.sealed.rawValue))
                    for var v in sealedVials.sorted(by: { $0.receivedAt > $1.receivedAt }).prefix(line.expected - line.counted) {
                        let amount = v.remainingAmount, volume = v.remaining
                        v.remaining = .zero
                        v.status = .lost
                        try await self.saveVial(v, tx)
                        entries.append(RegisterEntry(id: .init(self.ids.next()), kind: .lost, at: now, by: actor.userID, stock: v.stock, vialID: v.id,
                                                     volumeChange: FluidVolume(microlitres: -volume.microlitres), amount: DrugAmount(micrograms: -amount.micrograms),
                                                     remainingAfter: .zero, note: "missing at count: \(why)"))
                    }
                }
            }
            entries.append(RegisterEntry(id: .init(self.ids.next()), kind: .resolved, at: now, by: actor.userID, stock: d.stock, amount: .zero, note: why))
            d.resolvedAt = now
            d.resolvedBy = actor.userID
            d.resolution = why
            try await tx.put(d, in: .stockDiscrepancies, id: d.id.rawValue.uuidString, index: DocumentIndex(refID: d.stock.id, day: CalendarDate(d.raisedAt, in: self.settings.timeZone).description, start: d.raisedAt, status: "resolved"))
            try await self.saveEntries(entries, tx)
            try await self.audit(tx, actor, AccessRequest(.decide, .controlledSubstances, id: "discrepancy:\(id.rawValue.uuidString)"), detail: acceptCount ? "resolved:accept-count" : "resolved")
            return d
        }
    }

    /// Discrepancies, open first then newest (audited).
    public func stockDiscrepancies(by actor: Actor) async throws -> [StockDiscrepancy] {
        let request = AccessRequest(.list, .controlledSubstances, id: "discrepancies")
        try await require(actor, request)
        let all = try await store.read { try await $0.all(StockDiscrepancy.self, from: .stockDiscrepancies) }
        try await recordRead(actor, request)
        return all.sorted { ($0.isOpen ? 0 : 1, -$0.raisedAt.timeIntervalSince1970) < ($1.isOpen ? 0 : 1, -$1.raisedAt.timeIntervalSince1970) }
    }

    // MARK: - Destruction and loss

    /// Destroys what is left of vials (expired, past use, unwanted) with two witnesses: the person recording and a
    /// second employee who signs in on the same screen (DEA Form 41).
    public func recordDestruction(vials ids: [ControlledSubstanceVial.ID], method: String, reason: String, witness second: SecondClinician,
                                  by actor: Actor) async throws -> DestructionRecord {
        try await require(actor, AccessRequest(.decide, .controlledSubstances, id: "destruction"))
        var errors = FieldErrors()
        if ids.isEmpty { errors.add("vials", "Choose the vials destroyed") }
        let m = method.trimmingCharacters(in: .whitespacesAndNewlines), why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if m.isEmpty || m.count > 500 { errors.add("method", "Say how the drug was destroyed (e.g. a chemical digestion system)") }
        if why.isEmpty || why.count > 500 { errors.add("reason", "Say why (expired, past the beyond-use date, …)") }
        try errors.throwIfAny()
        let w = try await witness(second, for: actor)
        let settings = try await registerSettings()
        let me = try await store.read { try await $0.user(actor.userID) }
        let now = clock.now, day = today
        return try await store.write { tx in
            var items: [DestructionRecord.Item] = [], entries: [RegisterEntry] = []
            for id in ids {
                guard var v = try await tx.get(ControlledSubstanceVial.self, from: .controlledSubstanceVials, id: id.rawValue.uuidString) else {
                    throw ClinicError.invalid("vials", "\(id.rawValue) is not a vial in the register")
                }
                guard v.status.isInStock, v.remaining.microlitres > 0 else { throw ClinicError.invalid("vials", "The vial \(v.stock) is \(v.status.title): nothing to destroy") }
                let whole = v.status == .sealed, volume = v.remaining, amount = v.remainingAmount
                v.remaining = .zero
                v.status = .destroyed
                try await self.saveVial(v, tx)
                items.append(.init(vialID: v.id, drugName: v.drugName, ndc: v.ndc, lot: v.lot, strength: v.strength, volume: volume, amount: amount, wholeSealedVial: whole))
                entries.append(RegisterEntry(id: .init(self.ids.next()), kind: .destroyed, at: now, by: actor.userID, stock: v.stock, vialID: v.id,
                                             volumeChange: FluidVolume(microlitres: -volume.microlitres), amount: DrugAmount(micrograms: -amount.micrograms),
                                             remainingAfter: .zero, witnesses: [WitnessConfirmation(userID: actor.userID, name: me?.displayName ?? ""), w], note: "\(m): \(why)"))
            }
            let record = DestructionRecord(id: .init(self.ids.next()), day: day, at: now, registrantName: settings.registrantName,
                                           deaRegistrationNumber: settings.deaRegistrationNumber, items: items, method: m, reason: why,
                                           witnesses: [WitnessConfirmation(userID: actor.userID, name: me?.displayName ?? ""), w])
            try await tx.put(record, in: .destructionRecords, id: record.id.rawValue.uuidString, index: DocumentIndex(day: day.description, start: now))
            try await self.saveEntries(entries, tx)
            try await self.audit(tx, actor, AccessRequest(.decide, .controlledSubstances, id: "destruction:\(record.id.rawValue.uuidString)"), detail: "\(items.count) vial(s)")
            return record
        }
    }

    /// Records a theft or significant loss of vials (DEA Form 106 fields), with the notification deadline from the
    /// clinic's setting.
    public func recordLoss(vials ids: [ControlledSubstanceVial.ID], kind: LossReport.Kind, discoveredOn: String, circumstances: String,
                           policeNotified: Bool, policeReport: String, by actor: Actor) async throws -> LossReport {
        try await require(actor, AccessRequest(.decide, .controlledSubstances, id: "loss"))
        var errors = FieldErrors()
        if ids.isEmpty { errors.add("vials", "Choose the vials lost or stolen") }
        let discovered = CalendarDate(discoveredOn.trimmingCharacters(in: .whitespaces))
        if discovered == nil { errors.add("discoveredOn", "Give the date of discovery as YYYY-MM-DD") } else if discovered! > today { errors.add("discoveredOn", "Cannot be in the future") }
        let what = circumstances.trimmingCharacters(in: .whitespacesAndNewlines)
        if what.isEmpty || what.count > 4000 { errors.add("circumstances", "Describe what happened") }
        let report = policeReport.trimmingCharacters(in: .whitespaces)
        if policeNotified, report.isEmpty { errors.add("policeReport", "Give the police report number, or leave the police unticked") }
        try errors.throwIfAny()
        let settings = try await registerSettings()
        let now = clock.now
        return try await store.write { tx in
            var items: [LossReport.Item] = [], entries: [RegisterEntry] = []
            for id in ids {
                guard var v = try await tx.get(ControlledSubstanceVial.self, from: .controlledSubstanceVials, id: id.rawValue.uuidString) else {
                    throw ClinicError.invalid("vials", "\(id.rawValue) is not a vial in the register")
                }
                let alreadyLost = v.status == .lost
                guard v.status.isInStock || alreadyLost else { throw ClinicError.invalid("vials", "The vial \(v.stock) is \(v.status.title)") }
                // A vial already recorded lost at a count resolution is reported with what it held when received or last counted.
                let volume = alreadyLost ? (try await tx.all(RegisterEntry.self, from: .registerEntries, DocumentQuery(refID: v.id.rawValue.uuidString))
                    .last { $0.kind == .lost }?.volumeChange.map { FluidVolume(microlitres: -$0.microlitres) } ?? .zero) : v.remaining
                let amount = v.amount(of: volume)
                if !alreadyLost {
                    v.remaining = .zero
                    v.status = .lost
                    try await self.saveVial(v, tx)
                    entries.append(RegisterEntry(id: .init(self.ids.next()), kind: .lost, at: now, by: actor.userID, stock: v.stock, vialID: v.id,
                                                 volumeChange: FluidVolume(microlitres: -volume.microlitres), amount: DrugAmount(micrograms: -amount.micrograms),
                                                 remainingAfter: .zero, note: "\(kind.title): \(what)"))
                }
                items.append(.init(vialID: v.id, drugName: v.drugName, ndc: v.ndc, lot: v.lot, strength: v.strength, volume: volume, amount: amount))
            }
            let r = LossReport(id: .init(self.ids.next()), kind: kind, discoveredOn: discovered!, at: now, by: actor.userID,
                               registrantName: settings.registrantName, deaRegistrationNumber: settings.deaRegistrationNumber, items: items,
                               circumstances: what, policeNotified: policeNotified, policeReport: report,
                               notifyBy: discovered!.addingBusinessDays(settings.lossNotificationBusinessDays))
            try await tx.put(r, in: .lossReports, id: r.id.rawValue.uuidString, index: DocumentIndex(day: discovered!.description, start: now, status: kind.rawValue))
            try await self.saveEntries(entries, tx)
            try await self.audit(tx, actor, AccessRequest(.decide, .controlledSubstances, id: "loss:\(r.id.rawValue.uuidString)"), detail: kind.rawValue)
            return r
        }
    }

    /// Destruction records and loss reports, newest first (audited).
    public func destructionsAndLosses(by actor: Actor) async throws -> (destructions: [DestructionRecord], losses: [LossReport]) {
        let request = AccessRequest(.list, .controlledSubstances, id: "forms")
        try await require(actor, request)
        let (d, l) = try await store.read { tx in
            (try await tx.all(DestructionRecord.self, from: .destructionRecords), try await tx.all(LossReport.self, from: .lossReports))
        }
        try await recordRead(actor, request)
        return (d.sorted { $0.at > $1.at }, l.sorted { $0.at > $1.at })
    }

    // MARK: - Reports

    /// Every register line between two days (inclusive), oldest first: the dispensing log (audited; kept ≥ 2 years,
    /// 21 CFR 1304.04).
    public func dispensingLog(from: CalendarDate, to: CalendarDate, by actor: Actor) async throws -> [RegisterEntry] {
        guard from <= to else { throw ClinicError.invalid("from", "Must be on or before the end date") }
        guard to.daysSinceEpoch - from.daysSinceEpoch <= 3 * 366 else { throw ClinicError.invalid("to", "Choose a range of at most three years") }
        let request = AccessRequest(.list, .controlledSubstances, id: "log:\(from)..\(to)")
        try await require(actor, request)
        let entries = try await store.read { try await $0.all(RegisterEntry.self, from: .registerEntries, DocumentQuery(days: from.description...to.description, limit: 200_000)) }
        try await recordRead(actor, request)
        return entries.sorted { ($0.at, $0.id.rawValue.uuidString) < ($1.at, $1.id.rawValue.uuidString) }
    }

    // MARK: - Storage

    func saveVial(_ v: ControlledSubstanceVial, _ tx: any ClinicRecords) async throws {
        try await tx.put(v, in: .controlledSubstanceVials, id: v.id.rawValue.uuidString,
                         index: DocumentIndex(refID: v.stock.id, day: v.expiry.description, start: v.receivedAt, status: v.status.rawValue))
    }

    func saveAccount(_ a: SessionDrugAccount, _ tx: any ClinicRecords) async throws {
        try await tx.put(a, in: .sessionDrugAccounts, id: a.sessionID.rawValue.uuidString,
                         index: DocumentIndex(patientID: a.patientID.rawValue.uuidString, refID: a.sessionID.rawValue.uuidString,
                                              start: a.draws.first?.at, status: a.isSettled ? "settled" : "open"))
    }

    func saveEntries(_ entries: [RegisterEntry], _ tx: any ClinicRecords) async throws {
        for e in entries {
            try await tx.put(e, in: .registerEntries, id: e.id.rawValue.uuidString,
                             index: DocumentIndex(patientID: e.patientID?.rawValue.uuidString, refID: e.vialID?.rawValue.uuidString,
                                                  day: CalendarDate(e.at, in: settings.timeZone).description, start: e.at, status: e.kind.rawValue))
        }
    }
}
