import ClinicCore
import Foundation

extension ClinicAPI {
    func sessionID(_ text: String) throws -> InfusionSession.ID {
        guard let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("session \(text)") }
        return InfusionSession.ID(uuid)
    }

    func checkIn(_ input: Operations.CheckIn.Input) async throws -> Operations.CheckIn.Output {
        guard let uuid = UUID(uuidString: input.path.appointmentId) else { throw ClinicError.notFound("appointment \(input.path.appointmentId)") }
        let r = try await clinic.checkIn(Appointment.ID(uuid), by: try actor())
        return .created(.init(body: .json(.init(r, now: clinic.clock.now))))
    }

    func getSession(_ input: Operations.GetSession.Input) async throws -> Operations.GetSession.Output {
        .ok(.init(body: .json(.init(try await clinic.session(try sessionID(input.path.sessionId), by: try actor()), now: clinic.clock.now))))
    }

    static func vitals(_ v: Components.Schemas.Vitals?, now: Date) -> VitalsReading? {
        guard let v else { return nil }
        return VitalsReading(takenAt: v.takenAt ?? now, systolic: v.systolic, diastolic: v.diastolic, heartRate: v.heartRate,
                             oxygenSaturation: v.oxygenSaturation, respiratoryRate: v.respiratoryRate)
    }

    func recordChecklist(_ input: Operations.RecordChecklist.Input) async throws -> Operations.RecordChecklist.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let a = try actor()
        let now = clinic.clock.now
        var consent: CalendarDate?
        if let c = b.consentSignedOn {
            guard let d = CalendarDate(c) else { throw ClinicError.invalid("consentSignedOn", "must be a date as YYYY-MM-DD") }
            consent = d
        }
        guard b.weightToday.isFinite, b.weightToday > 0, b.weightToday < 100_000 else { throw ClinicError.invalid("weightToday", "must be a positive number") }
        let escort = b.escortName.map { EscortContact(name: $0, relationship: "", phone: b.escortPhone ?? "") }
        let form = PreInfusionChecklist(
            identityConfirmed: b.identityConfirmed, consentSignedOn: consent, lastSolidFoodAt: b.lastSolidFoodAt, lastClearFluidAt: b.lastClearFluidAt,
            escort: escort, medicationChangesReviewed: b.medicationChangesReviewed, medicationChanges: b.medicationChanges ?? "",
            pregnancy: b.pregnancy.flatMap { PregnancyStatus(rawValue: $0.rawValue) }, mentalStatus: b.mentalStatus,
            weightToday: Weight(value: b.weightToday, unit: Weight.Unit(rawValue: b.weightUnit.rawValue) ?? .kg), weightConfirmed: b.weightConfirmed ?? false,
            ivSite: IVSiteCheck(site: b.ivSite, condition: IVSiteCondition(rawValue: b.ivSiteCondition.rawValue) ?? .patent),
            baselineVitals: Self.vitals(b.baseline, now: now), bloodPressureRecheck: Self.vitals(b.recheck, now: now),
            bloodPressureOverride: b.overrideReason.map { PhysicianOverride(physician: a.userID, reason: $0) })
        let r = try await clinic.recordChecklist(try sessionID(input.path.sessionId), form, by: a)
        return .ok(.init(body: .json(.init(r, now: clinic.clock.now))))
    }

    static func second(_ c: Components.Schemas.SecondClinicianInput?) -> SecondClinician? {
        c.map { SecondClinician(email: $0.email, password: $0.password, reason: $0.reason) }
    }

    func startInfusion(_ input: Operations.StartInfusion.Input) async throws -> Operations.StartInfusion.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        if let v = b.rateMgPerHour, !(v.isFinite && v > 0 && v < 100_000) { throw ClinicError.invalid("rateMgPerHour", "must be a positive number of mg/h") }
        let r = try await clinic.startInfusion(try sessionID(input.path.sessionId), rate: b.rateMgPerHour.map(DoseRate.init(milligramsPerHour:)),
                                               second: Self.second(b.confirmation), by: try actor())
        return .ok(.init(body: .json(.init(r, now: clinic.clock.now))))
    }

    func changeRate(_ input: Operations.ChangeRate.Input) async throws -> Operations.ChangeRate.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        guard let v = b.rateMgPerHour, v.isFinite, v > 0, v < 100_000 else { throw ClinicError.invalid("rateMgPerHour", "must be a positive number of mg/h") }
        let r = try await clinic.changeRate(try sessionID(input.path.sessionId), to: DoseRate(milligramsPerHour: v), reason: b.reason ?? "",
                                            second: Self.second(b.confirmation), by: try actor())
        return .ok(.init(body: .json(.init(r, now: clinic.clock.now))))
    }

    func sessionStep(_ input: Operations.SessionStep.Input) async throws -> Operations.SessionStep.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let now = clinic.clock.now
        let reason = b.reason ?? ""
        func scores(_ n: Int) throws -> [Int] {
            guard let s = b.scores, s.count == n else { throw ClinicError.invalid("scores", "give \(n) item scores, each 0–2") }
            return s
        }
        func current() throws -> VitalsReading {
            guard let v = Self.vitals(b.vitals, now: now) else { throw ClinicError.invalid("vitals", "current vital signs are needed for the score") }
            return v
        }
        let step: SessionStep
        switch b.kind {
        case .pause: step = .pause(reason: reason)
        case .resume: step = .resume
        case .complete: step = .complete
        case .stopEarly: step = .stopEarly(reason: reason)
        case .transfer: step = .transfer(reason: reason)
        case .vitals: step = .vitals(try current())
        case .amend: step = .amend(reason)
        case .leaveChair: step = .leaveChair
        case .deviation: step = .deviation(PumpDeviation(occurredAt: now, whatHappened: reason, pumpReading: b.pumpReading ?? ""))
        case .response:
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ClinicError.invalid("reason", "describe the patient's response") }
            step = .response(reason)
        case .ivSite:
            step = .ivSite(IVSiteCheck(site: b.ivSite ?? "", condition: b.ivSiteCondition.flatMap { IVSiteCondition(rawValue: $0.rawValue) } ?? .patent, note: reason))
        case .sedation:
            guard let score = b.moaas else { throw ClinicError.invalid("moaas", "give the MOAA/S score, 0–5") }
            step = .sedation(MOAASScore(score))
        case .dissociation:
            var items: [Int: Int] = [:]
            for (k, v) in b.cadss?.additionalProperties ?? [:] {
                guard let item = Int(k) else { throw ClinicError.invalid("cadss", "item keys are item numbers") }
                items[item] = v
            }
            step = .dissociation(CADSSShortForm(items: items))
        case .preparation:
            guard let strength = b.vialStrengthMgPerMl, strength > 0, strength < 10_000 else { throw ClinicError.invalid("vialStrengthMgPerMl", "give the labelled strength in mg/mL") }
            guard let drawn = b.volumeDrawnMl, drawn.isFinite, drawn > 0, drawn < 10_000 else { throw ClinicError.invalid("volumeDrawnMl", "give the volume drawn in mL") }
            let diluent = b.diluentMl ?? 0
            guard diluent.isFinite, diluent >= 0, diluent < 10_000 else { throw ClinicError.invalid("diluentMl", "give the diluent volume in mL") }
            step = .preparation(lot: b.vialLot ?? "", preparation: Preparation(
                vialStrength: VialStrength(milligramsPerMillilitre: Int64(strength)), volumeDrawn: FluidVolume(millilitres: drawn),
                diluentVolume: FluidVolume(millilitres: diluent), finalVolume: b.finalVolumeMl.map { FluidVolume(millilitres: $0) }),
                vialID: try b.vialId.map { text -> ControlledSubstanceVial.ID in
                    guard let uuid = UUID(uuidString: text) else { throw ClinicError.invalid("vialId", "is not a vial id") }
                    return ControlledSubstanceVial.ID(uuid)
                })
        case .aldrete:
            let s = try scores(3)
            step = .aldrete(activity: s[0], respiration: s[1], consciousness: s[2], current: try current(), onOxygen: b.onOxygen ?? false)
        case .padss:
            let s = try scores(4)
            step = .padss(activityMentalStatus: s[0], painNauseaVomiting: s[1], ivSiteBleeding: s[2], intakeOutput: s[3], current: try current())
        case .discharge:
            step = .discharge(escortName: b.escortName ?? "", whoToCall: b.whoToCall ?? "the clinic", nextAppointment: b.nextAppointment ?? "")
        case .sideEffect:
            guard let kind = b.sideEffect.flatMap({ SideEffectKind.named($0.rawValue) }) else { throw ClinicError.invalid("sideEffect", "name the side effect") }
            let severity = b.severity.flatMap { SideEffectSeverity(rawValue: $0.rawValue) } ?? .mild
            let action: SideEffectAction = switch b.action {
            case .rateReduced: .rateReduced
            case .paused: .paused
            default: .none
            }
            var medicine: (order: StandingOrder.ID, dose: DrugAmount)?
            if let orderText = b.standingOrderId {
                guard let order = UUID(uuidString: orderText) else { throw ClinicError.invalid("standingOrderId", "is not a standing order") }
                guard let mg = b.doseMg, mg.isFinite, mg > 0, mg < 10_000 else { throw ClinicError.invalid("doseMg", "give the dose in mg") }
                medicine = (StandingOrder.ID(order), DrugAmount(milligrams: mg))
            }
            step = .sideEffect(SideEffect(observedAt: now, kind: kind, severity: severity, action: action, note: reason), medicine: medicine)
        }
        let r = try await clinic.sessionStep(try sessionID(input.path.sessionId), step, by: try actor())
        return .ok(.init(body: .json(.init(r, now: clinic.clock.now))))
    }

    func getSessionBillingFacts(_ input: Operations.GetSessionBillingFacts.Input) async throws -> Operations.GetSessionBillingFacts.Output {
        let f = try await clinic.sessionBillingFacts(try sessionID(input.path.sessionId), by: try actor())
        return .ok(.init(body: .json(.init(sessionId: f.sessionID.rawValue.uuidString, patientId: f.patientID.rawValue.uuidString, infusionStart: f.infusionStart,
                                           infusionEnd: f.infusionEnd, infusionMinutes: f.infusionMinutes, deliveredMg: f.deliveredDose.milligrams, state: f.state))))
    }
}

extension SideEffectKind {
    /// The kind for an API or form value.
    public static func named(_ name: String) -> SideEffectKind? {
        switch name {
        case "dissociation": .dissociation
        case "dizziness": .dizziness
        case "nausea": .nausea
        case "vomiting": .vomiting
        case "raisedBloodPressure": .raisedBloodPressure
        case "fastHeartRate": .fastHeartRate
        case "fatigue": .fatigue
        case "headache": .headache
        case "anxiety": .anxiety
        case "hallucinationsEmergence": .hallucinationsEmergence
        default: nil
        }
    }
}

extension Components.Schemas.Session {
    init(_ r: SessionRecord, now: Date) {
        let s = r.session
        let until = s.infusionEndedAt ?? now
        let delivered = s.deliveredDose(until: until)
        let latestChecklist = s.checklists.last?.value
        self.init(
            id: s.id.rawValue.uuidString, patientId: s.patientID.rawValue.uuidString, appointmentId: r.appointmentID.rawValue.uuidString,
            planId: r.planID.rawValue.uuidString, protocolName: r.protocolName, protocolVersion: r.protocolVersion, chairName: r.chairName,
            state: .init(rawValue: s.state.rawValue) ?? .scheduled, stoppedEarlyReason: s.stoppedEarlyReason, transferReason: s.transferReason,
            orderedRateMgPerHour: s.orderedRate.milligramsPerHour, currentRateMgPerHour: s.currentRate?.milligramsPerHour,
            deliveredMg: delivered.milligrams, deliveredMicrograms: delivered.micrograms,
            concentrationMgPerMl: r.concentration.map { Double($0.microgramsPerMillilitre) / 1000 },
            pumpRateMlPerHour: r.pumpRate.map { Double($0.tenthsOfMillilitrePerHour) / 10 },
            elapsedMinutes: (s.elapsedInfusionTime(until: until) / 60 * 10).rounded() / 10,
            checklistPassed: latestChecklist?.passed,
            blockingItems: (latestChecklist?.blockingItems ?? []).map { .init(item: $0.item.title, outcome: "\($0.outcome)", reason: $0.reason) },
            nextVitalsDue: s.nextManualVitalsDue(after: now), latestAldrete: s.aldreteScores.last?.value.total, latestPadss: s.padssScores.last?.value.total,
            leftChair: s.leftChair != nil,
            transitions: s.transitions.map { .init(from: $0.from.rawValue, to: $0.to.rawValue, at: $0.at, by: $0.by.rawValue.uuidString, reason: $0.reason) },
            standingOrders: r.standingOrders.map {
                .init(id: $0.id.rawValue.uuidString, summary: $0.summary, purpose: .init(rawValue: $0.purpose.rawValue) ?? .other, medicine: $0.medicine,
                      route: $0.route, minimumDoseMg: $0.minimumDose.milligrams, maximumDoseMg: $0.maximumDose.milligrams,
                      maximumDosesPerSession: $0.maximumDosesPerSession, minimumMinutesBetweenDoses: $0.minimumMinutesBetweenDoses)
            },
            sideEffects: s.sideEffects.map { .init(at: $0.value.observedAt, kind: "\($0.value.kind)", severity: $0.value.severity.rawValue, action: "\($0.value.action)") })
    }
}
