import Foundation
import Tagged

/// A stored session with what it runs under: the appointment, the plan, the protocol version and the standing orders.
public struct SessionRecord: Sendable, Hashable, Codable {
    public var session: InfusionSession
    public var appointmentID: Appointment.ID
    public var planID: TreatmentPlan.ID
    public var protocolID: InfusionProtocol.ID
    public var protocolVersion: Int
    public var protocolName: String
    public var standingOrders: [StandingOrder]
    public var chairName: String
    /// The chair the session runs in (absent on sessions checked in before monitoring was added).
    public var chairID: Chair.ID?

    public var id: InfusionSession.ID { session.id }
}

/// Another clinician who signs in on the same screen to confirm a rate above a soft limit (never the one ordering).
public struct SecondClinician: Sendable, Hashable {
    public var email: String
    public var password: String
    public var reason: String
    public init(email: String, password: String, reason: String) {
        self.email = email
        self.password = password
        self.reason = reason
    }
}

/// A step on the session screen that needs no limit check.
public enum SessionStep: Sendable {
    case pause(reason: String)
    case resume
    case complete
    case stopEarly(reason: String)
    case transfer(reason: String)
    case vitals(VitalsReading)
    case ivSite(IVSiteCheck)
    case sedation(MOAASScore)
    case dissociation(CADSSShortForm)
    case response(String)
    case sideEffect(SideEffect, medicine: (order: StandingOrder.ID, dose: DrugAmount)?)
    case deviation(PumpDeviation)
    case aldrete(activity: Int, respiration: Int, consciousness: Int, current: VitalsReading, onOxygen: Bool)
    case leaveChair
    case padss(activityMentalStatus: Int, painNauseaVomiting: Int, ivSiteBleeding: Int, intakeOutput: Int, current: VitalsReading)
    case discharge(escortName: String, whoToCall: String, nextAppointment: String)
    case amend(String)
    /// The bag as made up: vial lot and strength, volume drawn, diluent and final volume (clinical-reference §4); with a
    /// register vial, the draw is recorded in the controlled-substance register in the same commit (issue 6).
    case preparation(lot: String, preparation: Preparation, vialID: ControlledSubstanceVial.ID? = nil)
}

extension SessionRecord {
    /// The concentration of the bag last prepared, if any.
    public var concentration: Concentration? {
        guard let p = session.preparations.last?.value, p.finalVolumeMillilitres > 0 else { return nil }
        let ml = NSDecimalNumber(decimal: p.finalVolumeMillilitres).doubleValue
        return Concentration(drug: p.drawn, in: FluidVolume(millilitres: ml))
    }

    /// Pump rate (mL/h) = dose rate (mg/h) ÷ concentration (mg/mL), for the rate now running (clinical-reference §4).
    public var pumpRate: PumpRate? {
        guard let c = concentration, let rate = session.currentRate ?? Optional(session.orderedRate) else { return nil }
        return try? PumpRate(delivering: rate, at: c)
    }
}

/// The billing facts of a session: times and drug amounts only (DESIGN §4).
public struct SessionBillingFacts: Sendable, Hashable {
    public var sessionID: InfusionSession.ID
    public var patientID: Patient.ID
    public var infusionStart: Date?
    public var infusionEnd: Date?
    public var infusionMinutes: Int
    public var deliveredDose: DrugAmount
    public var state: String
}

extension Clinic {
    func sessionIndex(_ r: SessionRecord) -> DocumentIndex {
        DocumentIndex(patientID: r.session.patientID.rawValue.uuidString, refID: r.appointmentID.rawValue.uuidString,
                      day: CalendarDate(r.session.plannedStart, in: settings.timeZone).description, start: r.session.plannedStart,
                      end: r.session.plannedEnd, status: r.session.state.rawValue)
    }

    /// Checks a booked patient in: the session starts, under the plan's exact protocol version and standing orders.
    public func checkIn(_ appointmentID: Appointment.ID, by actor: Actor) async throws -> SessionRecord {
        try await require(actor, AccessRequest(.create, .infusionSession, id: appointmentID.rawValue.uuidString))
        let now = clock.now
        let sessionID = InfusionSession.ID(ids.next())
        let (appointmentRecord, plan, patient): (AppointmentRecord, TreatmentPlan, Patient) = try await store.read { tx in
            guard let a = try await tx.get(AppointmentRecord.self, from: .appointments, id: appointmentID.rawValue.uuidString) else {
                throw ClinicError.notFound("appointment \(appointmentID.rawValue)")
            }
            guard let planID = a.planID, let plan = try await tx.get(TreatmentPlan.self, from: .treatmentPlans, id: planID.rawValue.uuidString) else {
                throw ClinicError.conflict("This appointment belongs to no treatment plan")
            }
            guard let p = try await tx.patient(a.appointment.patient) else { throw ClinicError.notFound("patient") }
            return (a, plan, p)
        }
        if let existing = appointmentRecord.sessionID { return try await session(existing, by: actor) }
        guard appointmentRecord.appointment.status == .booked else {
            throw ClinicError.conflict("This appointment is \(appointmentRecord.appointment.status.label.lowercased()): only a booked appointment can be checked in")
        }
        let proto = try await protocolVersion(plan.protocolID, version: plan.protocolVersion)
        guard let weight = patient.body.weight else {
            throw ClinicError.invalid("weight", "record the patient's weight on the chart first; today's weight is taken again in the checklist")
        }
        let dose = try plan.adjusted(proto).orderedDose(for: weight)
        var session = try InfusionSession.scheduled(id: sessionID, patientID: patient.id, plannedStart: appointmentRecord.appointment.start,
                                                   plannedEnd: appointmentRecord.appointment.infusionEnd, protocolID: proto.id.rawValue,
                                                   protocolVersion: proto.version, orderedRate: dose.rate)
        try session.apply(.checkIn, at: now, by: actor.userID)
        let setup = try await store.read { try await self.loadSetup($0) }
        let record = SessionRecord(session: session, appointmentID: appointmentID, planID: plan.id, protocolID: proto.id, protocolVersion: proto.version,
                                   protocolName: proto.name, standingOrders: plan.orders.standingOrders,
                                   chairName: setup.chairs.first { $0.id == appointmentRecord.appointment.chair }?.name ?? "chair",
                                   chairID: appointmentRecord.appointment.chair)
        try await store.write { tx in
            guard var a = try await tx.get(AppointmentRecord.self, from: .appointments, id: appointmentID.rawValue.uuidString), a.sessionID == nil else {
                throw ClinicError.conflict("This patient was checked in by someone else just now; reload the day board")
            }
            a.sessionID = sessionID
            try await tx.put(a, in: .appointments, id: appointmentID.rawValue.uuidString, index: a.appointment.index(planID: a.planID, hours: setup.hours))
            try await tx.put(record, in: .infusionSessions, id: sessionID.rawValue.uuidString, index: self.sessionIndex(record))
            try await self.audit(tx, actor, AccessRequest(.create, .infusionSession, patient: patient.id, id: sessionID.rawValue.uuidString), detail: "check-in")
        }
        await sessionChanged(record)
        return record
    }

    /// One session (audited read).
    public func session(_ id: InfusionSession.ID, by actor: Actor) async throws -> SessionRecord {
        guard access.table[actor.role]?[.infusionSession]?.contains(.read) == true else {
            try await require(actor, AccessRequest(.read, .infusionSession, id: id.rawValue.uuidString))
            throw ClinicError.forbidden("")
        }
        guard let r = try await store.read({ try await $0.get(SessionRecord.self, from: .infusionSessions, id: id.rawValue.uuidString) }) else {
            throw ClinicError.notFound("session \(id.rawValue)")
        }
        let request = AccessRequest(.read, .infusionSession, patient: r.session.patientID, id: id.rawValue.uuidString)
        try await require(actor, request)
        try await recordRead(actor, request)
        return r
    }

    /// The billing facts of a session: times and the delivered drug amount, nothing clinical beyond them.
    public func sessionBillingFacts(_ id: InfusionSession.ID, by actor: Actor) async throws -> SessionBillingFacts {
        guard let r = try await store.read({ try await $0.get(SessionRecord.self, from: .infusionSessions, id: id.rawValue.uuidString) }) else {
            try await require(actor, AccessRequest(.read, .sessionBillingFacts, id: id.rawValue.uuidString))
            throw ClinicError.notFound("session \(id.rawValue)")
        }
        let request = AccessRequest(.read, .sessionBillingFacts, patient: r.session.patientID, id: id.rawValue.uuidString)
        try await require(actor, request)
        try await recordRead(actor, request)
        let s = r.session
        let end = s.infusionEndedAt ?? clock.now
        return SessionBillingFacts(sessionID: id, patientID: s.patientID, infusionStart: s.infusionStartedAt, infusionEnd: s.infusionEndedAt,
                                   infusionMinutes: Int((s.elapsedInfusionTime(until: end) / 60).rounded()), deliveredDose: s.deliveredDose(until: end),
                                   state: s.state.rawValue)
    }

    /// Applies one change to a session in a transaction with its audit entry; `prepare` runs inside with the current record.
    func updateSession(_ id: InfusionSession.ID, action: AccessAction = .update, detail: String, by actor: Actor,
                       _ change: @Sendable (inout SessionRecord, Date) async throws -> Void) async throws -> SessionRecord {
        try await updateSession(id, action: action, detail: detail, by: actor) { (r: inout SessionRecord, now: Date, _: any ClinicRecords) in try await change(&r, now) }
    }

    /// The same, for a change that also writes other records in the session's transaction (a register draw).
    func updateSession(_ id: InfusionSession.ID, action: AccessAction = .update, detail: String, by actor: Actor,
                       _ change: @Sendable (inout SessionRecord, Date, any ClinicRecords) async throws -> Void) async throws -> SessionRecord {
        guard access.table[actor.role]?[.infusionSession]?.contains(action) == true else {
            try await require(actor, AccessRequest(action, .infusionSession, id: id.rawValue.uuidString))
            throw ClinicError.forbidden("")
        }
        let now = clock.now
        let saved = try await store.write { tx in
            guard var r = try await tx.get(SessionRecord.self, from: .infusionSessions, id: id.rawValue.uuidString) else {
                throw ClinicError.notFound("session \(id.rawValue)")
            }
            let request = AccessRequest(action, .infusionSession, patient: r.session.patientID, id: id.rawValue.uuidString)
            guard self.access.allows(actor, request) else { throw ClinicError.forbidden("") }
            let startedBefore = r.session.infusionStartedAt != nil
            try await change(&r, now, tx)
            try await tx.put(r, in: .infusionSessions, id: id.rawValue.uuidString, index: self.sessionIndex(r))
            // The infusion's end puts the delivered dose on the session's drug account (controlled-substance register).
            try await self.recordAdministeredIfEnded(r, at: now, by: actor, tx)
            // A session that ends billed gets its charge lines from the record in the same commit (issue 6).
            try await self.captureChargesIfEnded(r, at: now, by: actor, tx)
            try await self.audit(tx, actor, request, detail: detail)
            // A finished session changes the patient's course: the analytics summary follows in the same commit.
            // So does an infusion's start: its pre- and post-infusion measurements become owed (the due list reads the summary).
            if r.session.state.isFinal || (!startedBefore && r.session.infusionStartedAt != nil) {
                try await self.refreshOutcomeSummary(r.session.patientID, tx)
            }
            return r
        }
        await sessionChanged(saved)
        return saved
    }

    /// Records the pre-infusion checklist (clinical-reference §10, §3); the session becomes ready only if every item passes.
    public func recordChecklist(_ id: InfusionSession.ID, _ form: PreInfusionChecklist, by actor: Actor) async throws -> SessionRecord {
        let now = clock.now
        let checked = try form.validated(at: now)
        if checked.bloodPressureOverride != nil {
            // Only a physician may override a blood-pressure hold, with a reason (clinical-reference §3).
            try await require(actor, AccessRequest(.decide, .infusionSession, id: id.rawValue.uuidString))
        }
        let tz = settings.timeZone
        let patientID = try await session(id, by: actor).session.patientID
        // Eligibility still valid (no new contraindication) and the last recorded weight, from the chart.
        let (status, weight): (ScreeningStatus?, Weight?) = try await store.read { tx in
            (try await tx.screenings(of: patientID).first?.lifecycle.status(asOf: now), try await tx.patient(patientID)?.body.weight)
        }
        let result = checked.evaluate(eligibility: status ?? .incomplete, lastRecordedWeight: weight, at: now, in: tz, policy: ChecklistPolicy())
        return try await updateSession(id, detail: result.passed ? "checklist:passed" : "checklist:held", by: actor) { r, now in
            try r.session.apply(.checklistRecorded(result), at: now, by: actor.userID)
        }
    }

    /// Confirms a second clinician's credentials for a rate above a soft limit (never the ordering clinician).
    func confirm(_ second: SecondClinician?, orderedBy actor: Actor) async throws -> SoftLimitConfirmation? {
        guard let second else { return nil }
        guard let (user, hash) = try await store.read({ try await $0.user(email: Self.normalisedEmail(second.email)) }),
              !user.isDisabled, [.nurse, .physician].contains(user.role), try await passwords.verify(second.password, against: hash) else {
            throw ClinicError.invalid("confirmation", "the second clinician's e-mail or password is not right (a nurse or physician must confirm)")
        }
        if user.id == actor.userID { throw ClinicError.invalid("confirmation", "a second clinician, not the one programming the rate, must confirm") }
        return SoftLimitConfirmation(by: user.id, reason: second.reason)
    }

    /// The protocol version and weight that limit checks for this session use.
    func limitContext(_ r: SessionRecord) async throws -> (InfusionProtocol, InfusionProtocol, Weight) {
        let proto = try await protocolVersion(r.protocolID, version: r.protocolVersion)
        let plan = try await store.read { try await $0.get(TreatmentPlan.self, from: .treatmentPlans, id: r.planID.rawValue.uuidString) }
        let weightToday = r.session.checklists.last(where: { $0.value.passed })?.value.form.weightToday
        let chartWeight = try await store.read { try await $0.patient(r.session.patientID)?.body.weight }
        guard let weight = weightToday ?? chartWeight else { throw ClinicError.invalid("weight", "today's weight is needed to check the rate against the limits") }
        return (proto, plan.map { $0.adjusted(proto) } ?? proto, weight)
    }

    /// Starts the infusion at the ordered rate for today's weight (or another rate, checked against the protocol's
    /// limits: above a hard limit refused; above a soft limit only with a second clinician's confirmation).
    public func startInfusion(_ id: InfusionSession.ID, rate: DoseRate?, second: SecondClinician?, by actor: Actor) async throws -> SessionRecord {
        let current = try await session(id, by: actor)
        let (proto, adjusted, weight) = try await limitContext(current)
        let ordered = try adjusted.orderedDose(for: weight)
        let programmed = rate ?? ordered.rate
        let verdict = LimitCheck.check(rate: programmed, plannedTotal: LimitCheck.projectedTotal(deliveredSoFar: .zero, rate: programmed,
                                                                                                    remaining: .seconds(adjusted.durationMinutes * 60)),
                                       weight: weight, protocol: proto)
        let confirmation = verdict.breaches.isEmpty ? nil : try await confirm(second, orderedBy: actor)
        try verdict.authorize(orderedBy: actor.userID, confirmation: confirmation)
        return try await updateSession(id, detail: "start:\(programmed.microgramsPerHour)ug/h" + (confirmation.map { ";confirmed-by:\($0.by.rawValue.uuidString)" } ?? ""), by: actor) { r, now in
            try r.session.apply(.started(rate: programmed), at: now, by: actor.userID)
            if let confirmation {
                try r.session.apply(.responseNoted("Rate \(programmed) above a soft limit, confirmed by a second clinician: \(confirmation.reason)"), at: now, by: actor.userID)
            }
        }
    }

    /// Changes the running rate (programming: the limits apply to the rate and the projected session total).
    public func changeRate(_ id: InfusionSession.ID, to rate: DoseRate, reason: String, second: SecondClinician?, by actor: Actor) async throws -> SessionRecord {
        let current = try await session(id, by: actor)
        let (proto, adjusted, weight) = try await limitContext(current)
        let now = clock.now
        let delivered = current.session.deliveredDose(until: now)
        let elapsed = current.session.elapsedInfusionTime(until: now)
        let remaining = max(0, Double(adjusted.durationMinutes * 60) - elapsed)
        let verdict = LimitCheck.check(rate: rate, deliveredSoFar: delivered, remaining: .seconds(remaining), weight: weight, protocol: proto)
        let confirmation = verdict.breaches.isEmpty ? nil : try await confirm(second, orderedBy: actor)
        try verdict.authorize(orderedBy: actor.userID, confirmation: confirmation)
        return try await updateSession(id, detail: "rate:\(rate.microgramsPerHour)ug/h", by: actor) { r, now in
            try r.session.apply(.rateChanged(to: rate, reason: reason, confirmedBy: confirmation?.by), at: now, by: actor.userID)
        }
    }

    /// Every other step on the session screen.
    public func sessionStep(_ id: InfusionSession.ID, _ step: SessionStep, by actor: Actor) async throws -> SessionRecord {
        let name: String
        switch step {
        case .pause: name = "pause"
        case .resume: name = "resume"
        case .complete: name = "complete"
        case .stopEarly: name = "stop-early"
        case .transfer: name = "transfer"
        case .vitals: name = "vitals"
        case .ivSite: name = "iv-site"
        case .sedation: name = "sedation"
        case .dissociation: name = "dissociation"
        case .response: name = "response"
        case .sideEffect: name = "side-effect"
        case .deviation: name = "deviation"
        case .aldrete: name = "aldrete"
        case .leaveChair: name = "left-chair"
        case .padss: name = "padss"
        case .discharge: name = "discharge"
        case .amend: name = "amendment"
        case .preparation: name = "preparation"
        }
        return try await updateSession(id, detail: name, by: actor) { (r: inout SessionRecord, now: Date, tx: any ClinicRecords) in
            let by = actor.userID
            switch step {
            case .pause(let reason): try r.session.apply(.paused(reason: reason), at: now, by: by)
            case .resume: try r.session.apply(.resumed, at: now, by: by)
            case .complete: try r.session.apply(.infusionCompleted, at: now, by: by)
            case .stopEarly(let reason): try r.session.apply(.stoppedEarly(reason: reason), at: now, by: by)
            case .transfer(let reason): try r.session.apply(.transferred(reason: reason), at: now, by: by)
            case .vitals(let v): try r.session.apply(.vitalsRecorded(v), at: now, by: by)
            case .ivSite(let c): try r.session.apply(.ivSiteChecked(c), at: now, by: by)
            case .sedation(let s): try r.session.apply(.sedationScored(try s.validated()), at: now, by: by)
            case .dissociation(let c): try r.session.apply(.dissociationScored(try c.validated()), at: now, by: by)
            case .response(let text): try r.session.apply(.responseNoted(text), at: now, by: by)
            case .sideEffect(var effect, let medicine):
                if let medicine {
                    // A medicine only within a signed standing order's range; anything else needs a new order.
                    guard let order = r.standingOrders.first(where: { $0.id == medicine.order }) else {
                        throw ClinicError.invalid("standingOrder", "is not one of this plan's standing orders: any other medicine needs a new order")
                    }
                    let previous = r.session.sideEffects.compactMap { e -> Date? in
                        if case .medicineGiven(_, _, let orderID) = e.value.action, orderID == order.id.rawValue { return e.value.observedAt }
                        return nil
                    }
                    try order.permits(dose: medicine.dose, at: effect.observedAt, previous: previous)
                    effect.action = .medicineGiven(name: order.medicine, dose: "\(medicine.dose) \(order.route)", standingOrderID: order.id.rawValue)
                }
                try r.session.apply(.sideEffectObserved(effect), at: now, by: by)
            case .deviation(let d): try r.session.apply(.deviationDocumented(d), at: now, by: by)
            case .aldrete(let activity, let respiration, let consciousness, let current, let onOxygen):
                guard let baseline = r.session.baselineVitals else { throw ClinicError.conflict("No baseline vitals: the checklist records them") }
                let score = try ModifiedAldrete.assess(activity: activity, respiration: respiration, consciousness: consciousness, baseline: baseline,
                                                       current: current, onSupplementalOxygen: onOxygen)
                try r.session.apply(.vitalsRecorded(current), at: now, by: by)
                try r.session.apply(.aldreteRecorded(score), at: now, by: by)
            case .leaveChair: try r.session.apply(.leftChair, at: now, by: by)
            case .padss(let a, let p, let b, let io, let current):
                guard let baseline = r.session.baselineVitals else { throw ClinicError.conflict("No baseline vitals: the checklist records them") }
                let score = try PADSS.assess(activityMentalStatus: a, painNauseaVomiting: p, ivSiteBleeding: b, intakeOutput: io, baseline: baseline, current: current)
                try r.session.apply(.vitalsRecorded(current), at: now, by: by)
                try r.session.apply(.padssRecorded(score), at: now, by: by)
            case .discharge(let escort, let whoToCall, let next):
                try r.session.apply(.discharged(escortName: escort, instructions: DischargeInstructions(whoToCall: whoToCall, nextAppointment: next)), at: now, by: by)
            case .amend(let text): try r.session.amend(text, at: now, by: by)
            case .preparation(let typedLot, let preparation, let vialID):
                let bag = try preparation.prepared()
                // Nothing is drawn from the register for a preparation the session would refuse.
                try r.session.requireAccepts(.preparationRecorded)
                let lot = try await self.drawForPreparation(vialID, preparation: preparation, session: r, at: now, by: actor, tx) ?? typedLot
                let record = try PreparationRecord(vialLot: lot, vialStrength: preparation.vialStrength.description, drawn: bag.drug,
                                                   finalVolumeMillilitres: Decimal(bag.finalVolume.microlitres) / 1000,
                                                   concentrationMicrogramsPerMillilitre: bag.concentration.microgramsPerMillilitre).validated()
                try r.session.apply(.preparationRecorded(record), at: now, by: by)
            }
        }
    }

    /// Today's (or a day's) sessions, for the nurses' list.
    public func sessions(on day: CalendarDate, by actor: Actor) async throws -> [SessionRecord] {
        let request = AccessRequest(.list, .infusionSession, id: day.description)
        try await require(actor, request)
        let records = try await store.read { try await $0.all(SessionRecord.self, from: .infusionSessions, DocumentQuery(day: day.description)) }
        try await recordRead(actor, request, detail: "sessions:\(records.count)")
        return records
    }
}
