import ClinicCore
import Foundation
import Hummingbird

extension WebRoutes {
    struct SessionPage {
        struct Line {
            let when: String
            let text: String
        }
        let chrome: PageChrome
        let id: String
        let patientID: String
        let patientName: String
        let mrn: String
        let chair: String
        let protocolName: String
        let state: String
        let stateClass: String
        let orderedRate: String
        let currentRate: String
        let delivered: String
        let elapsed: String
        let nextVitals: String
        let pumpRate: String
        let concentration: String
        let canPrepare: Bool
        let stoppedEarly: String
        let transferred: String
        let isCheckedIn: Bool
        let isReady: Bool
        let isInfusing: Bool
        let isPaused: Bool
        let isRunning: Bool
        let isRecovering: Bool
        let inChair: Bool
        let isFinished: Bool
        let isDischarged: Bool
        let canSeeCharges: Bool
        let correctionFields: [FormField]
        let canOverride: Bool
        let checklistFields: [FormField]
        let vitalsFields: [FormField]
        let recheckFields: [FormField]
        let blocking: [Line]
        let timeline: [Line]
        let sideEffects: [Line]
        let orders: [FormField.Option]
        let hasOrders: Bool
        let aldrete: String
        let padss: String
        let escortName: String
        let nextAppointment: String
        let errorSummary: [FieldError]
        let hasErrors: Bool
        // Monitoring: the vitals chart, live alarms (acknowledged here too) and the alarm history.
        let showsMonitoring: Bool
        let vitalsChart: String
        let observationCount: Int
        let alarms: [BoardChairCard.AlarmLine]
        let hasActiveAlarms: Bool
        let openPrompts: [String]
        let alarmHistory: [Line]
        let hasAlarmHistory: Bool
        let canAcknowledge: Bool
        let csrf: String
        let canChangeThresholds: Bool
        let thresholdFields: [FormField]
        /// The controlled-substance register's part: the vials to draw from, and the session's drug account.
        var drawableVials: [FormField.Option] = []
        var hasDrawable = false
        var refusedVials: [String] = []
        var drugAccount = ""
        var hasDrugAccount = false
        var canWaste = false
        var wasteSuggestion = ""
    }

    /// The high-priority limits a physician may make stricter for one patient (clinical-reference §3), as form fields.
    static let thresholdKeys: [(field: String, label: String, key: ThresholdKey)] = [
        ("systolicAbove", "Systolic above (mmHg)", ThresholdKey(.high, .systolic, .upper)),
        ("diastolicAbove", "Diastolic above (mmHg)", ThresholdKey(.high, .diastolic, .upper)),
        ("spo2Below", "SpO₂ below (%)", ThresholdKey(.high, .oxygenSaturation, .lower)),
        ("heartRateAbove", "Heart rate above (/min)", ThresholdKey(.high, .heartRate, .upper)),
        ("heartRateBelow", "Heart rate below (/min)", ThresholdKey(.high, .heartRate, .lower)),
        ("respiratoryRateBelow", "Respiratory rate below (/min)", ThresholdKey(.high, .respiratoryRate, .lower)),
    ]

    /// Changes the patient's high-priority alarm limits from the session screen (physicians).
    func changeThresholdsPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let actor = try context.actor()
        let r = try await clinic.session(try sessionID(context), by: actor)
        // The patient's layer goes over the defaults and the session's protocol layer (clinical-reference §3).
        let (_, current) = try await clinic.patientThresholds(r.session.patientID)
        let beneath = try await clinic.protocolThresholds(r.protocolID).effective
        let (overrides, errors) = Self.proposedOverrides(w, fields: Self.thresholdKeys.map { ($0.field, $0.key) }, current: current, beneath: beneath)
        do {
            if !errors.isEmpty { throw ClinicError.invalid(errors.keys.sorted()[0], errors.values.sorted()[0]) }
            _ = try await clinic.changePatientThresholds(r.session.patientID, to: overrides, reason: w["thresholdReason"], under: r.protocolID, by: actor)
            return .redirect(to: "/sessions/\(r.id.rawValue.uuidString)#monitoring", type: .found)
        } catch let e as ClinicError {
            guard var map = Self.errorMap(e) else { throw e }
            // Field names from the domain (thresholds.high.heartRate.upper) shown next to the form's own fields.
            for (field, _, key) in Self.thresholdKeys { if let why = map.removeValue(forKey: key.field) { map[field] = why } }
            if let why = map.removeValue(forKey: "reason") { map["thresholdReason"] = why }
            return try await sessionPage(context, form: w, errors: map.merging(errors) { a, _ in a }, status: .unprocessableContent)
        }
    }

    func sessionID(_ context: ClinicRequestContext) throws -> InfusionSession.ID {
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("session") }
        return InfusionSession.ID(uuid)
    }

    func sessionPage(_ context: ClinicRequestContext, form: WebForm? = nil, errors: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let r = try await clinic.session(try sessionID(context), by: actor)
        let s = r.session
        let chart = try await clinic.chart(s.patientID, by: actor, withHistory: false)
        let tz = clinic.settings.timeZone
        let now = clinic.clock.now
        let until = s.infusionEndedAt ?? now
        let f = form ?? WebForm(values: [:])
        let e = errors
        let names = try await clinic.staffNames(for: s.transitions.map(\.by))
        let amendedBy = try await clinic.staffNames(for: s.amendments.map(\.by))
        func t(_ d: Date) -> String { Self.time(d, tz) }
        func v(_ name: String, _ fallback: String = "") -> String { f[name].isEmpty ? fallback : f[name] }
        let escort = chart.patient.escorts.first
        // The next booked appointment of this patient, to print on the instructions.
        var nextAppointment = ""
        if clinic.access.allows(actor, AccessRequest(.list, .scheduling, patient: s.patientID)), s.state == .recovering {
            let upcoming = try await clinic.appointments(of: s.patientID, by: actor)
                .filter { $0.appointment.holdsChair && $0.appointment.start > s.plannedStart }.map(\.appointment).sorted { $0.start < $1.start }
            if let next = upcoming.first { nextAppointment = Self.time(next.start, tz) }
        }
        // The monitored record: every observation filed under the session and its alarms.
        let showsMonitoring = clinic.access.allows(actor, AccessRequest(.read, .vitals, patient: s.patientID))
        let monitored = showsMonitoring ? try await clinic.sessionMonitoring(s.id, by: actor) : nil
        let canAck = clinic.access.allows(actor, AccessRequest(.update, .alarms, patient: s.patientID))
        let chartStart = s.transitions.first { $0.to == .checkedIn }?.at ?? s.plannedStart
        let chartEnd = max(s.transitions.last { $0.to.isFinal }?.at ?? now, chartStart.addingTimeInterval(600))
        var markers: [(Date, String)] = []
        if let started = s.infusionStartedAt { markers.append((started, "infusion start")) }
        if let ended = s.infusionEndedAt { markers.append((ended, "infusion end")) }
        let chartSVG = VitalsChart.svg((monitored?.observations ?? []) + s.vitals.flatMap { entry -> [VitalObservation] in
            let v = entry.value
            return [(VitalParameter.systolic, v.systolic), (.diastolic, v.diastolic), (.heartRate, v.heartRate),
                    (.oxygenSaturation, v.oxygenSaturation), (.respiratoryRate, v.respiratoryRate)]
                .compactMap { p, value in value.map { VitalObservation(p, Double($0), at: v.takenAt) } }
        }.sorted { $0.observedAt < $1.observedAt }, from: chartStart, to: chartEnd, markers: markers,
           alarms: monitored?.alarms.map(\.raisedAt) ?? [], timeZone: tz)
        let activeAlarms = (monitored?.alarms ?? []).filter(\.isActive).map { a in
            BoardChairCard.AlarmLine(a, session: s.id.rawValue.uuidString, actions: monitored?.actions ?? .standard, timeZone: tz,
                                     acknowledgedBy: a.acknowledgement.map { names[$0.by] ?? "staff" }, back: "session",
                                     canAcknowledge: canAck, csrf: context.session?.token.csrf ?? "")
        }
        let canChangeThresholds = clinic.access.allows(actor, AccessRequest(.decide, .alarms, patient: s.patientID))
        let patientLimits = canChangeThresholds ? try await clinic.patientThresholds(s.patientID, under: r.protocolID).effective : AlarmThresholds.clinicalReferenceDefaults
        let protocolLimits = canChangeThresholds ? try await clinic.protocolThresholds(r.protocolID).effective : AlarmThresholds.clinicalReferenceDefaults
        let history: [SessionPage.Line] = (monitored?.alarms ?? []).map { a in
            var text = "\(a.priority.rawValue): \(a.message)"
            if let ack = a.acknowledgement { text += " · acknowledged \(Self.clock(ack.at, tz))" }
            if let esc = a.escalatedAt { text += " · escalated \(Self.clock(esc, tz))" }
            if let cleared = a.clearedAt { text += " · cleared \(Self.clock(cleared, tz))" }
            return .init(when: Self.clock(a.raisedAt, tz), text: text)
        }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = tz
        local.dateFormat = "yyyy-MM-dd'T'HH:mm"
        let model = SessionPage(
            chrome: chrome("Session", context, active: "schedule"), id: s.id.rawValue.uuidString, patientID: s.patientID.rawValue.uuidString,
            patientName: chart.patient.demographics.sortName, mrn: chart.patient.mrn.value, chair: r.chairName,
            protocolName: "\(r.protocolName) v\(r.protocolVersion)", state: s.state.rawValue,
            stateClass: [.discharged, .ready, .infusing].contains(s.state) ? "badge ok" : s.state == .transferred ? "badge bad" : "badge warn",
            orderedRate: "\(s.orderedRate) (\(s.checklists.last(where: { $0.value.passed })?.value.form.weightToday?.display ?? chart.patient.body.weight?.display ?? "no weight"))",
            currentRate: s.currentRate.map(\.description) ?? "—", delivered: "\(Format.decimal(s.deliveredDose(until: until).milligrams, places: 2)) mg",
            elapsed: "\(Int(s.elapsedInfusionTime(until: until) / 60)) min", nextVitals: s.nextManualVitalsDue(after: now).map(t) ?? "—",
            pumpRate: r.pumpRate?.description ?? "record the preparation", concentration: r.concentration?.description ?? "—",
            canPrepare: s.state == .checkedIn || s.state == .ready,
            stoppedEarly: s.stoppedEarlyReason ?? "", transferred: s.transferReason ?? "",
            isCheckedIn: s.state == .checkedIn, isReady: s.state == .ready, isInfusing: s.state == .infusing, isPaused: s.state == .paused,
            isRunning: s.state == .infusing || s.state == .paused, isRecovering: s.state == .recovering, inChair: s.state == .recovering && s.leftChair == nil,
            isFinished: [.discharged, .transferred, .noShow, .cancelled].contains(s.state), isDischarged: s.state == .discharged,
            canSeeCharges: clinic.access.allows(actor, AccessRequest(.read, .charges, patient: s.patientID)),
            correctionFields: [FormField("runningMinutes", "Corrected running time (minutes)", value: v("runningMinutes"), type: "number", errors: e),
                               FormField("reason", "Why the recorded time was wrong", value: v("reason"), errors: e)],
            canOverride: clinic.access.allows(actor, AccessRequest(.decide, .infusionSession)),
            checklistFields: [
                FormField("identityConfirmed", "Identity confirmed (two identifiers)", value: v("identityConfirmed"), checkbox: true),
                FormField("consentSignedOn", "Consent signed on", value: v("consentSignedOn"), type: "date", errors: e),
                FormField("lastSolidFoodAt", "Last solid food", value: v("lastSolidFoodAt"), type: "datetime-local", errors: e, hint: "no solid food 4 h before (clinic policy)"),
                FormField("lastClearFluidAt", "Last clear fluids", value: v("lastClearFluidAt"), type: "datetime-local", errors: e, hint: "clear fluids up to 2 h before"),
                FormField("escortName", "Escort / driver", value: v("escortName", escort?.name ?? ""), errors: e),
                FormField("escortPhone", "Escort's phone", value: v("escortPhone", escort?.phone ?? ""), type: "tel", errors: e),
                FormField("medicationChangesReviewed", "New medications reviewed", value: v("medicationChangesReviewed"), checkbox: true),
                FormField("medicationChanges", "Medication changes", value: v("medicationChanges"), errors: e),
                FormField("pregnancy", "Pregnancy", value: v("pregnancy", "notApplicable"), errors: e, options: Self.pregnancyChoices),
                FormField("mentalStatus", "Mental status", value: v("mentalStatus"), errors: e, hint: "brief check, e.g. alert, oriented, calm"),
                FormField("weightToday", "Weight today", value: v("weightToday"), errors: e),
                FormField("weightUnit", "Unit", value: v("weightUnit", "kg"), errors: e, options: [("kg", "kg"), ("lb", "lb")]),
                FormField("weightConfirmed", "Weight confirmed (out of range or > 10 % change)", value: v("weightConfirmed"), checkbox: true),
                FormField("ivSite", "IV site", value: v("ivSite"), errors: e),
                FormField("ivSiteCondition", "IV site condition", value: v("ivSiteCondition", "patent"), errors: e,
                          options: [("patent", "Patent, no infiltration"), ("infiltrated", "Infiltrated"), ("inflamed", "Inflamed"), ("occluded", "Occluded")]),
            ],
            vitalsFields: Self.vitalsFields("baseline", f, e),
            recheckFields: Self.vitalsFields("recheck", f, e),
            blocking: (s.checklists.last?.value.blockingItems ?? []).map { .init(when: $0.item.title, text: $0.reason) },
            timeline: s.transitions.map { .init(when: t($0.at), text: "\($0.from.rawValue) → \($0.to.rawValue) by \(names[$0.by] ?? "staff")\($0.reason.map { ": \($0)" } ?? "")") }
                + s.amendments.map { .init(when: t($0.at), text: "Amendment by \(amendedBy[$0.by] ?? "staff"): \($0.text)") }
                + s.rateHistory.map { .init(when: t($0.at), text: "\($0.kind)") }.filter { !$0.text.isEmpty },
            sideEffects: s.sideEffects.map { .init(when: t($0.value.observedAt), text: "\($0.value.kind) (\($0.value.severity.rawValue)) — \($0.value.action)") },
            orders: r.standingOrders.map { .init(value: $0.id.rawValue.uuidString, label: $0.summary, selected: false) }, hasOrders: !r.standingOrders.isEmpty,
            aldrete: s.aldreteScores.last.map { "\($0.value.total)/10 at \(t($0.at))" } ?? "not recorded",
            padss: s.padssScores.last.map { "\($0.value.total)/10 at \(t($0.at))" } ?? "not recorded",
            escortName: escort?.name ?? "", nextAppointment: nextAppointment,
            errorSummary: errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }, hasErrors: !errors.isEmpty,
            showsMonitoring: showsMonitoring, vitalsChart: chartSVG, observationCount: monitored?.observations.count ?? 0,
            alarms: activeAlarms, hasActiveAlarms: !activeAlarms.isEmpty, openPrompts: monitored?.prompts.filter(\.isOpen).map(\.message) ?? [],
            alarmHistory: history, hasAlarmHistory: !history.isEmpty, canAcknowledge: canAck, csrf: context.session?.token.csrf ?? "",
            canChangeThresholds: canChangeThresholds,
            thresholdFields: Self.thresholdKeys.map { field, label, key in
                FormField(field, label, value: v(field, patientLimits.limit(for: key).map { Format.shortest($0.value) } ?? ""), errors: e,
                          hint: "standard: " + (AlarmThresholds.clinicalReferenceDefaults.limit(for: key).map { Format.shortest($0.value) } ?? "none")
                            + (protocolLimits.limit(for: key) != AlarmThresholds.clinicalReferenceDefaults.limit(for: key)
                               ? "; protocol: " + (protocolLimits.limit(for: key).map { Format.shortest($0.value) } ?? "none") : ""))
            } + [FormField("thresholdReason", "Reason", value: v("thresholdReason"), errors: e, hint: "why this patient needs stricter limits")])
        _ = local
        var page = model
        if clinic.access.allows(actor, AccessRequest(.list, .controlledSubstances)) {
            if page.canPrepare {
                let (drawable, refused) = try await clinic.drawableVials(for: r.id, by: actor)
                page.drawableVials = [FormField.Option(value: "", label: "choose the vial", selected: f["vialID"].isEmpty)] + drawable.map { vial in
                    FormField.Option(value: vial.id.rawValue.uuidString,
                                     label: "\(vial.stock), \(vial.strength), \(vial.status == .open ? "opened \(vial.openedOn?.description ?? "")" : "sealed"), \(vial.remaining) left",
                                     selected: f["vialID"] == vial.id.rawValue.uuidString)
                }
                page.hasDrawable = !drawable.isEmpty
                page.refusedVials = refused.map { "\($0.0.stock) (\($0.0.id.rawValue.uuidString.prefix(8))): \($0.1)" }
            }
            if let account = try await clinic.sessionDrugAccount(r.id, by: actor) {
                page.hasDrugAccount = true
                page.drugAccount = "Drawn \(DoseText.milligrams(account.drawn.micrograms)) mg" +
                    (account.administered.map { ", given \(DoseText.milligrams($0.micrograms)) mg" } ?? "") +
                    (account.wasted.micrograms > 0 ? ", wasted \(DoseText.milligrams(account.wasted.micrograms)) mg" : "") + " — \(account.status)"
                page.canWaste = account.administered != nil && account.unaccounted.micrograms > 0
                    && clinic.access.allows(actor, AccessRequest(.update, .controlledSubstances))
                page.wasteSuggestion = page.canWaste ? DoseText.milligrams(account.unaccounted.micrograms) : ""
            }
        }
        return pages.render("session", page, status: status)
    }

    static func vitalsFields(_ prefix: String, _ f: WebForm, _ e: [String: String]) -> [FormField] {
        [FormField("\(prefix).systolic", "Systolic", value: f["\(prefix).systolic"], type: "number", errors: e),
         FormField("\(prefix).diastolic", "Diastolic", value: f["\(prefix).diastolic"], type: "number", errors: e),
         FormField("\(prefix).heartRate", "Heart rate", value: f["\(prefix).heartRate"], type: "number", errors: e),
         FormField("\(prefix).oxygenSaturation", "SpO₂ %", value: f["\(prefix).oxygenSaturation"], type: "number", errors: e),
         FormField("\(prefix).respiratoryRate", "Resp. rate", value: f["\(prefix).respiratoryRate"], type: "number", errors: e)]
    }

    static func readVitals(_ prefix: String, _ w: WebForm, at: Date) -> VitalsReading? {
        func n(_ k: String) -> Int? { Int(w["\(prefix).\(k)"].trimmingCharacters(in: .whitespaces)) }
        let values = [n("systolic"), n("diastolic"), n("heartRate"), n("oxygenSaturation"), n("respiratoryRate")]
        if values.allSatisfy({ $0 == nil }) { return nil }
        return VitalsReading(takenAt: at, systolic: values[0], diastolic: values[1], heartRate: values[2], oxygenSaturation: values[3], respiratoryRate: values[4])
    }

    /// Runs one session action from the screen; errors come back on the same screen.
    func sessionAction(_ request: Request, _ context: ClinicRequestContext, action: String) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let id = try sessionID(context)
        let actor = try context.actor()
        let now = clinic.clock.now
        let tz = clinic.settings.timeZone
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = tz
        local.dateFormat = "yyyy-MM-dd'T'HH:mm"
        func rate(_ key: String) throws -> DoseRate? {
            let text = w[key].trimmingCharacters(in: .whitespaces)
            if text.isEmpty { return nil }
            guard let v = Double(text), v.isFinite, v > 0, v < 100_000 else { throw ClinicError.invalid(key, "must be a positive number of mg/h") }
            return DoseRate(milligramsPerHour: v)
        }
        func second() -> SecondClinician? {
            w["secondEmail"].isEmpty ? nil : SecondClinician(email: w["secondEmail"], password: w["secondPassword"], reason: w["secondReason"])
        }
        func scores(_ keys: [String]) throws -> [Int] {
            try keys.map { k in
                guard let v = Int(w[k]) else { throw ClinicError.invalid(k, "choose a score from 0 to 2") }
                return v
            }
        }
        do {
            switch action {
            case "checklist":
                let weight = Double(w["weightToday"].trimmingCharacters(in: .whitespaces))
                let form = PreInfusionChecklist(
                    identityConfirmed: w.bool("identityConfirmed"), consentSignedOn: CalendarDate(w["consentSignedOn"]),
                    lastSolidFoodAt: local.date(from: w["lastSolidFoodAt"]), lastClearFluidAt: local.date(from: w["lastClearFluidAt"]),
                    escort: w["escortName"].isEmpty ? nil : EscortContact(name: w["escortName"], relationship: "", phone: w["escortPhone"]),
                    medicationChangesReviewed: w.bool("medicationChangesReviewed"), medicationChanges: w["medicationChanges"],
                    pregnancy: PregnancyStatus(rawValue: w["pregnancy"]), mentalStatus: w["mentalStatus"],
                    weightToday: weight.flatMap { $0.isFinite && $0 > 0 && $0 < 100_000 ? Weight(value: $0, unit: Weight.Unit(rawValue: w["weightUnit"]) ?? .kg) : nil },
                    weightConfirmed: w.bool("weightConfirmed"),
                    ivSite: w["ivSite"].isEmpty ? nil : IVSiteCheck(site: w["ivSite"], condition: IVSiteCondition(rawValue: w["ivSiteCondition"]) ?? .patent),
                    baselineVitals: Self.readVitals("baseline", w, at: now.addingTimeInterval(w["recheck.systolic"].isEmpty ? 0 : -600)),
                    bloodPressureRecheck: Self.readVitals("recheck", w, at: now),
                    bloodPressureOverride: w["overrideReason"].isEmpty ? nil : PhysicianOverride(physician: actor.userID, reason: w["overrideReason"]))
                _ = try await clinic.recordChecklist(id, form, by: actor)
            case "start":
                _ = try await clinic.startInfusion(id, rate: try rate("rate"), second: second(), by: actor)
            case "rate":
                guard let r = try rate("rate") else { throw ClinicError.invalid("rate", "give the new rate in mg/h") }
                _ = try await clinic.changeRate(id, to: r, reason: w["reason"], second: second(), by: actor)
            case "pause": _ = try await clinic.sessionStep(id, .pause(reason: w["reason"].isEmpty ? "Paused at the bedside" : w["reason"]), by: actor)
            case "resume": _ = try await clinic.sessionStep(id, .resume, by: actor)
            case "complete": _ = try await clinic.sessionStep(id, .complete, by: actor)
            case "stop": _ = try await clinic.sessionStep(id, .stopEarly(reason: w["reason"]), by: actor)
            case "transfer": _ = try await clinic.sessionStep(id, .transfer(reason: w["reason"]), by: actor)
            case "vitals":
                guard let v = Self.readVitals("vitals", w, at: now) else { throw ClinicError.invalid("vitals", "enter at least one value") }
                _ = try await clinic.sessionStep(id, .vitals(v), by: actor)
            case "side-effect":
                guard let kind = SideEffectKind.named(w["kind"]) else { throw ClinicError.invalid("kind", "choose the side effect") }
                var medicine: (order: StandingOrder.ID, dose: DrugAmount)?
                if let order = UUID(uuidString: w["order"]) {
                    guard let mg = Double(w["doseMg"]), mg > 0, mg < 10_000 else { throw ClinicError.invalid("doseMg", "give the dose in mg") }
                    medicine = (StandingOrder.ID(order), DrugAmount(milligrams: mg))
                }
                let action: SideEffectAction = w["action"] == "rateReduced" ? .rateReduced : w["action"] == "paused" ? .paused : .none
                _ = try await clinic.sessionStep(id, .sideEffect(SideEffect(observedAt: now, kind: kind, severity: SideEffectSeverity(rawValue: w["severity"]) ?? .mild,
                                                                            action: action, note: w["note"]), medicine: medicine), by: actor)
            case "aldrete":
                let s = try scores(["aldrete.activity", "aldrete.respiration", "aldrete.consciousness"])
                guard let v = Self.readVitals("recovery", w, at: now) else { throw ClinicError.invalid("recovery.systolic", "enter the current vital signs") }
                _ = try await clinic.sessionStep(id, .aldrete(activity: s[0], respiration: s[1], consciousness: s[2], current: v, onOxygen: w.bool("onOxygen")), by: actor)
            case "leave-chair": _ = try await clinic.sessionStep(id, .leaveChair, by: actor)
            case "padss":
                let s = try scores(["padss.activity", "padss.painNausea", "padss.bleeding", "padss.intakeOutput"])
                guard let v = Self.readVitals("recovery", w, at: now) else { throw ClinicError.invalid("recovery.systolic", "enter the current vital signs") }
                _ = try await clinic.sessionStep(id, .padss(activityMentalStatus: s[0], painNauseaVomiting: s[1], ivSiteBleeding: s[2], intakeOutput: s[3], current: v), by: actor)
            case "discharge":
                _ = try await clinic.sessionStep(id, .discharge(escortName: w["escortName"], whoToCall: w["whoToCall"], nextAppointment: w["nextAppointment"]), by: actor)
            case "amend": _ = try await clinic.sessionStep(id, .amend(w["text"]), by: actor)
            case "response":
                guard !w["text"].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ClinicError.invalid("text", "describe the patient's response") }
                _ = try await clinic.sessionStep(id, .response(w["text"]), by: actor)
            case "iv-site":
                _ = try await clinic.sessionStep(id, .ivSite(IVSiteCheck(site: w["ivSite"], condition: IVSiteCondition(rawValue: w["ivSiteCondition"]) ?? .patent, note: w["note"])), by: actor)
            case "sedation":
                guard let score = Int(w["moaas"]) else { throw ClinicError.invalid("moaas", "choose the MOAA/S score, 0–5") }
                _ = try await clinic.sessionStep(id, .sedation(MOAASScore(score)), by: actor)
            case "dissociation":
                var items: [Int: Int] = [:]
                for item in [1, 2, 6, 7, 15, 22] {
                    guard let v = Int(w["cadss.item\(item)"]) else { throw ClinicError.invalid("cadss.item\(item)", "give a score") }
                    items[item] = v
                }
                _ = try await clinic.sessionStep(id, .dissociation(CADSSShortForm(items: items)), by: actor)
            case "deviation":
                _ = try await clinic.sessionStep(id, .deviation(PumpDeviation(occurredAt: now, whatHappened: w["whatHappened"], pumpReading: w["pumpReading"])), by: actor)
            case "preparation":
                guard let strength = Int64(w["vialStrength"]), strength > 0, strength < 10_000 else { throw ClinicError.invalid("vialStrength", "give the labelled strength in mg/mL") }
                guard let drawn = Double(w["volumeDrawn"]), drawn > 0, drawn < 10_000 else { throw ClinicError.invalid("volumeDrawn", "give the volume drawn in mL") }
                let diluent = Double(w["diluent"]) ?? 0
                let final = Double(w["finalVolume"])
                let vialID = UUID(uuidString: w["vialID"]).map { ControlledSubstanceVial.ID($0) }
                _ = try await clinic.sessionStep(id, .preparation(lot: w["vialLot"], preparation: Preparation(
                    vialStrength: VialStrength(milligramsPerMillilitre: strength), volumeDrawn: FluidVolume(millilitres: drawn),
                    diluentVolume: FluidVolume(millilitres: max(0, min(diluent, 9_999))), finalVolume: final.map { FluidVolume(millilitres: max(0, min($0, 9_999))) }), vialID: vialID), by: actor)
            case "waste":
                _ = try await clinic.wasteSessionDrug(id, wastedMg: w["wastedMg"], reason: w["reason"],
                                                      witness: SecondClinician(email: w["witnessEmail"], password: w["witnessPassword"], reason: ""), by: actor)
            default: throw ClinicError.invalid("action", "is not a session action")
            }
            return .redirect(to: "/sessions/\(id.rawValue.uuidString)")
        } catch let e as ClinicError {
            if case .conflict(let why) = e { return try await sessionPage(context, form: w, errors: ["form": why], status: .conflict) }
            guard let errors = Self.errorMap(e) else { throw e }
            return try await sessionPage(context, form: w, errors: errors, status: .unprocessableContent)
        }
    }

    func checkInPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        _ = try await WebForm.read(request, context: context)
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("appointment") }
        let r = try await clinic.checkIn(Appointment.ID(uuid), by: try context.actor())
        return .redirect(to: "/sessions/\(r.id.rawValue.uuidString)")
    }

    struct InstructionsPage {
        let chrome: PageChrome
        let patientName: String
        let date: String
        let noDrivingHours: Int
        let escort: String
        let whoToCall: String
        let nextAppointment: String
        let delivered: String
        let sessionID: String
    }

    func instructionsPage(_ context: ClinicRequestContext) async throws -> Response {
        let actor = try context.actor()
        let r = try await clinic.session(try sessionID(context), by: actor)
        guard let d = r.session.discharge else { throw ClinicError.conflict("The patient has not been discharged yet") }
        let chart = try await clinic.chart(r.session.patientID, by: actor, withHistory: false)
        let s = r.session
        return pages.render("instructions", InstructionsPage(
            chrome: chrome("After your infusion", context, active: "schedule"), patientName: chart.patient.demographics.displayName,
            date: CalendarDate(d.at, in: clinic.settings.timeZone).description, noDrivingHours: d.value.instructions.noDrivingOrMachineryHours,
            escort: d.value.escortName, whoToCall: d.value.instructions.whoToCall, nextAppointment: d.value.instructions.nextAppointment.isEmpty ? "as booked with the front desk" : d.value.instructions.nextAppointment,
            delivered: "\(Format.decimal(s.deliveredDose(until: s.infusionEndedAt ?? d.at).milligrams, places: 2)) mg", sessionID: s.id.rawValue.uuidString))
    }
}
