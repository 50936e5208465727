import ClinicCore
import Foundation
import Hummingbird

/// Follow-up pages for staff: a patient's outcomes (charts, relief, booster advice, what is due), the entry form,
/// follow-up links with their QR code, urgent tasks, the due list and the outcome settings.
extension WebRoutes {
    func registerOutcomes(on router: Router<ClinicRequestContext>) {
        router.get("/patients/{id}/outcomes") { _, context in try await outcomesPage(context) }
        router.get("/patients/{id}/outcomes/new") { request, context in try await outcomeFormPage(request, context, form: nil, errors: [:]) }
        router.post("/patients/{id}/outcomes/new") { request, context in try await recordOutcomesPage(request, context) }
        router.post("/patients/{id}/follow-up-links") { request, context in try await issueLinkPage(request, context) }
        router.post("/patients/{id}/booster") { request, context in try await acceptBoosterPage(request, context) }
        router.get("/patients/{id}/progress") { _, context in try await progressSummaryPage(context) }
        router.get("/tasks") { _, context in try await tasksPage(context, errors: [:]) }
        router.post("/tasks/{id}/acknowledge") { request, context in try await acknowledgeTaskPage(request, context) }
        router.get("/follow-ups") { _, context in try await dueFollowUpsPage(context) }
        router.get("/settings/outcomes") { _, context in try await outcomeSettingsPage(context, form: nil, errors: [:], flash: "") }
        router.post("/settings/outcomes") { request, context in try await saveOutcomeSettingsPage(request, context) }
        router.post("/settings/outcome-rules") { request, context in try await saveOutcomeRulesPage(request, context) }
    }

    // MARK: - A patient's outcomes

    struct OutcomesPage {
        struct Row {
            let when: String
            let timepoint: String
            let source: String
            let scores: [String]
            let safety: Bool
            let by: String
        }
        struct Task {
            let id: String
            let title: String
            let detail: String
            let status: String
            let open: Bool
            let escalated: String
        }
        struct Due {
            let timepoint: String
            let key: String
            let instruments: String
            let dueOn: String
            let status: String
            let badge: String
        }
        struct Link {
            let timepoint: String
            let created: String
            let expires: String
            let status: String
        }
        var chrome: PageChrome
        let id: String
        let name: String
        let mrn: String
        let painChart: String
        let moodChart: String
        let mmeChart: String
        let hasMood: Bool
        let reliefLines: [String]
        let definitions: [String]
        let baseline: String
        let latest: String
        let responder: String
        let onset: String
        let duration: String
        let mme: String
        let boosterAdvice: String
        let boosterReasons: [String]
        let boosterPlanned: String
        let boosterSuggested: String
        let boosterAccepted: String
        let canDecideBooster: Bool
        var boosterDefault: String
        let rows: [Row]
        let hasRows: Bool
        let tasks: [Task]
        let hasOpenTasks: Bool
        let due: [Due]
        let hasDue: Bool
        let links: [Link]
        let hasLinks: Bool
        let canRecord: Bool
        let canIssueLinks: Bool
        let hasPlan: Bool
        let course: String
        /// The chart page shows the follow-up summary once there is a plan or an answer.
        let showOnChart: Bool
    }

    func outcomesPage(_ context: ClinicRequestContext) async throws -> Response {
        let actor = try context.actor()
        let id = try patientID(context)
        let o = try await clinic.patientOutcomes(id, by: actor)
        return pages.render("outcomes", outcomesModel(o, context: context))
    }

    func outcomesModel(_ o: PatientOutcomes, context: ClinicRequestContext) -> OutcomesPage {
        let tz = clinic.settings.timeZone
        let r = o.relief
        let rows = o.records.reversed().map { rec in
            OutcomesPage.Row(when: Self.time(rec.takenAt, tz), timepoint: rec.timepoint.label, source: rec.source.title,
                             scores: rec.scores.map(Self.scoreText), safety: rec.requiresSafetyAssessment,
                             by: rec.recordedBy.map { o.staffNames[$0] ?? "staff" } ?? "the patient")
        }
        let tasks = o.tasks.map { t in
            OutcomesPage.Task(id: t.id.rawValue.uuidString, title: t.kind.title, detail: t.detail,
                              status: t.isOpen ? "open since \(Self.time(t.createdAt, tz))"
                                  : "acknowledged by \(t.acknowledgedBy.map { o.staffNames[$0] ?? "staff" } ?? "staff") at \(Self.time(t.acknowledgedAt!, tz)): \(t.acknowledgementNote ?? "")",
                              open: t.isOpen,
                              escalated: t.escalatedAt.map { "Escalated at \(Self.time($0, tz))" + (t.escalatedTo.map { " to \(o.staffNames[$0] ?? "the medical director")" } ?? " (no medical director configured)") } ?? "")
        }
        let due = o.due.map { d in
            OutcomesPage.Due(timepoint: d.timepoint.label, key: d.timepoint.key, instruments: d.instruments.map(\.title).joined(separator: ", "),
                             dueOn: d.dueOn.description, status: d.status.rawValue, badge: d.status == .overdue ? "badge bad" : d.status == .due ? "badge warn" : "badge")
        }
        let links = o.links.map { l in
            OutcomesPage.Link(timepoint: l.timepoint.label, created: Self.time(l.createdAt, tz), expires: Self.time(l.expiresAt, tz),
                              status: l.status(at: clinic.clock.now).title)
        }
        let b = o.booster
        let mmeText: String = {
            guard let base = o.mmeChange.baseline, let latest = o.mmeChange.latest else { return "No medication list" }
            if base == 0 && latest == 0 { return o.mmeHistory.contains { !$0.uncounted.isEmpty } ? "Only opioids with no CDC factor (not counted)" : "No opioids charted" }
            let change = o.mmeChange.change.map { ($0 >= 0 ? "+" : "") + Format.decimal($0, places: 1) } ?? "–"
            return "\(Format.decimal(base, places: 1)) → \(Format.decimal(latest, places: 1)) MME/day (\(change))"
        }()
        let plan = o.course.plan
        return OutcomesPage(
            chrome: chrome("Follow-up: \(o.patient.demographics.sortName)", context, active: "patients"),
            id: o.patient.id.rawValue.uuidString, name: o.patient.demographics.sortName, mrn: o.patient.mrn.value,
            painChart: OutcomeChartBuilder.pain(o, timeZone: tz), moodChart: OutcomeChartBuilder.mood(o, timeZone: tz),
            mmeChart: OutcomeChartBuilder.mme(o, timeZone: tz, now: clinic.clock.now),
            hasMood: o.records.contains { $0.response(.phq9) != nil || $0.response(.gad7) != nil },
            reliefLines: r.explanation, definitions: o.settings.relief.summary,
            baseline: r.baseline.map { Format.decimal($0, places: 1) + " / 10" } ?? "not yet",
            latest: r.latestChangePercent.map { Format.decimal($0, places: 0) + " % change" + (r.latestBand.map { " (\($0.title))" } ?? "") } ?? "no follow-up yet",
            responder: r.responder.map { $0 ? "Yes" : "No" } ?? "Not yet known",
            onset: r.onset.map { Self.time($0, tz) + (r.onsetAfterInfusion.map { " (after infusion \($0))" } ?? "") } ?? "–",
            duration: r.duration.map { d in
                "\(d.days) days" + (d.ended ? "" : " and counting (censored: " + (d.censoredBecause == .boosterGiven ? "booster given" : "relief at the last follow-up") + ")")
            } ?? "–",
            mme: mmeText,
            boosterAdvice: b.advice.title, boosterReasons: b.reasons,
            boosterPlanned: b.plannedDate?.description ?? "none planned",
            boosterSuggested: b.suggestedDate?.description ?? "",
            boosterAccepted: o.acceptedBooster.map { "Accepted: \($0.date) by \(o.staffNames[$0.decidedBy] ?? "a physician") on \(Self.time($0.decidedAt, tz))" } ?? "",
            canDecideBooster: o.canDecideBooster && o.course.seriesComplete,
            boosterDefault: (b.suggestedDate ?? b.plannedDate)?.description ?? "",
            rows: rows, hasRows: !rows.isEmpty, tasks: tasks, hasOpenTasks: o.tasks.contains(where: \.isOpen),
            due: due, hasDue: !due.isEmpty, links: links, hasLinks: !links.isEmpty,
            canRecord: o.canRecord, canIssueLinks: o.canIssueLinks && plan != nil, hasPlan: plan != nil,
            course: plan.map { p in
                "\(p.protocolName): \(o.course.series.count) of \(p.plannedInfusions) series infusions given"
                    + (o.course.boosters.isEmpty ? "" : ", \(o.course.boosters.count) booster(s)")
            } ?? "No treatment plan yet: the schedule of follow-up starts with a plan.",
            showOnChart: !rows.isEmpty || plan != nil)
    }

    static func scoreText(_ s: InstrumentScore) -> String {
        var parts: [String] = []
        if let t = s.total { parts.append(Format.shortest((t * 10).rounded() / 10)) }
        for (k, v) in s.subscores.sorted(by: { $0.key < $1.key }) where s.instrument == .painNRS || s.instrument == .bpi {
            parts.append("\(k) \(Format.shortest((v * 10).rounded() / 10))")
        }
        if let band = s.band { parts.append(band) }
        if !s.isComplete { parts.append("incomplete") }
        return "\(s.instrument.title): " + (parts.isEmpty ? "not scored" : parts.joined(separator: ", "))
    }

    // MARK: - Entry form

    struct OutcomeFormPage {
        struct Item {
            let field: String
            let id: String
            let prompt: String
            let range: String
            let value: String
            let error: String
            let choices: [Choice]
            let isScale: Bool
        }
        struct Choice {
            let value: Int
            let label: String
            let checked: Bool
            let id: String
        }
        struct Section {
            let instrument: String
            let title: String
            let instructions: String
            let source: String
            let items: [Item]
        }
        let chrome: PageChrome
        let id: String
        let name: String
        let fields: [FormField]
        let sections: [Section]
        let errorSummary: [FieldError]
        let hasErrors: Bool
        let sessionID: String
    }

    /// The instruments' questions as form sections; `prefix` names the fields `<instrument>.<item>`.
    static func instrumentSections(_ instruments: [Instrument], values: [String: String], errors: [String: String]) -> [OutcomeFormPage.Section] {
        instruments.map { inst in
            OutcomeFormPage.Section(
                instrument: inst.rawValue, title: inst.title, instructions: inst.instructions, source: inst.source,
                items: inst.items.map { item in
                    let field = "\(inst.rawValue).\(item.id)"
                    let value = values[field] ?? ""
                    let fid = "q-" + field.replacingOccurrences(of: ".", with: "-")
                    return OutcomeFormPage.Item(
                        field: field, id: fid, prompt: item.prompt, range: item.rangeDescription, value: value, error: errors[field] ?? "",
                        choices: item.range.map { v in
                            OutcomeFormPage.Choice(value: v, label: item.anchor(for: v) ?? "\(v)", checked: value == "\(v)", id: "\(fid)-\(v)")
                        },
                        isScale: item.range.count > 4)
                })
        }
    }

    func outcomeFormPage(_ request: Request, _ context: ClinicRequestContext, form: WebForm?, errors: [String: String],
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let id = try patientID(context)
        let o = try await clinic.patientOutcomes(id, by: actor)
        guard o.canRecord else { throw ClinicError.forbidden("\(actor.role.title) may not record outcomes") }
        let q = request.uri.queryParameters
        let f = form ?? WebForm(values: [:])
        let sessionID = f["sessionID"].isEmpty ? (q["session"].map(String.init) ?? "") : f["sessionID"]
        // From the session screen: pain before the infusion until it starts, after it once it has run.
        var sessionTimepoint: Timepoint?
        if let sid = UUID(uuidString: sessionID).map({ InfusionSession.ID($0) }) {
            if let n = o.course.infusionNumber(of: sid) {
                let started = o.course.allGiven[n - 1].session
                sessionTimepoint = started.state == .infusing || started.state == .paused ? .preInfusion(n) : .postInfusion(n)
            } else {
                sessionTimepoint = .preInfusion(o.course.allGiven.count + 1)
            }
        }
        let timepoint = f["timepoint"].isEmpty
            ? (q["timepoint"].map(String.init) ?? sessionTimepoint?.key ?? o.due.first?.timepoint.key ?? "baseline") : f["timepoint"]
        var options = Self.timepointOptions(o)
        if !options.contains(where: { $0.0 == timepoint }), let t = Timepoint(key: timepoint) { options.insert((t.key, t.label), at: 0) }
        let instruments: [Instrument] = {
            if let t = Timepoint(key: timepoint) {
                switch t {
                case .preInfusion, .postInfusion: return [.painNRS]
                default: break
                }
            }
            return Instrument.allCases
        }()
        let model = OutcomeFormPage(
            chrome: chrome("Record follow-up", context, active: "patients"), id: id.rawValue.uuidString, name: o.patient.demographics.sortName,
            fields: [
                FormField("timepoint", "Timepoint", value: timepoint, errors: errors, options: options),
                FormField("takenAt", "Answered at", value: f["takenAt"], type: "datetime-local", errors: errors, hint: "blank: now"),
                FormField("source", "How", value: f["source"].isEmpty ? "clinic" : f["source"], errors: errors,
                          options: [("clinic", "Asked in the clinic"), ("onBehalf", "The patient's answers, entered for them (phone, paper)")]),
            ],
            sections: Self.instrumentSections(instruments, values: f.values, errors: errors),
            errorSummary: errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }, hasErrors: !errors.isEmpty,
            sessionID: sessionID)
        return pages.render("outcome-form", model, status: status)
    }

    /// Every timepoint a form can be filed under for this patient: baseline, before/after each infusion given or next,
    /// and each follow-up day after the series and each booster.
    static func timepointOptions(_ o: PatientOutcomes) -> [(String, String)] {
        var points: [Timepoint] = [.baseline]
        let given = o.course.allGiven.count
        for n in 1...max(given + 1, 1) { points += [.preInfusion(n), .postInfusion(n)] }
        if o.course.seriesComplete {
            points += o.settings.schedule.followUpDays.map { Timepoint.afterSeries(day: $0) }
            for b in 0..<o.course.boosters.count { points += o.settings.schedule.followUpDays.map { Timepoint.afterBooster(number: b + 1, day: $0) } }
        }
        var seen = Set<String>()
        return points.filter { seen.insert($0.key).inserted }.map { ($0.key, $0.label) }
    }

    static func answers(from form: WebForm) -> [Instrument: [String: String]] {
        var out: [Instrument: [String: String]] = [:]
        for inst in Instrument.allCases {
            var values: [String: String] = [:]
            for item in inst.items { values[item.id] = form["\(inst.rawValue).\(item.id)"] }
            out[inst] = values
        }
        return out
    }

    func recordOutcomesPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let id = try patientID(context)
        let sessionID = UUID(uuidString: w["sessionID"]).map { InfusionSession.ID($0) }
        let form = OutcomeEntryForm(timepoint: w["timepoint"], takenAt: w["takenAt"], source: OutcomeRecord.Source(rawValue: w["source"]) ?? .clinic,
                                    sessionID: sessionID, answers: Self.answers(from: w))
        do {
            let record = try await clinic.recordOutcomes(for: id, form, by: try context.actor())
            if let sid = sessionID { return .redirect(to: "/sessions/\(sid.rawValue.uuidString)") }
            _ = record
            return .redirect(to: "/patients/\(id.rawValue.uuidString)/outcomes")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await outcomeFormPage(request, context, form: w, errors: errors, status: .unprocessableContent)
        }
    }

    // MARK: - Follow-up links

    struct LinkIssuedPage {
        let chrome: PageChrome
        let id: String
        let name: String
        let mrn: String
        let url: String
        let qr: String
        let timepoint: String
        let instruments: String
        let expires: String
    }

    func issueLinkPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let id = try patientID(context)
        let actor = try context.actor()
        let issued = try await clinic.issueFollowUpLink(for: id, timepoint: w["timepoint"], by: actor)
        let chart = try await clinic.chart(id, by: actor, withHistory: false)
        let url = publicBaseURL(request) + issued.path
        let model = LinkIssuedPage(
            chrome: chrome("Follow-up link", context, active: "patients"), id: id.rawValue.uuidString, name: chart.patient.demographics.sortName,
            mrn: chart.patient.mrn.value, url: url, qr: FollowUpQR.svg(url),
            timepoint: issued.link.timepoint.label, instruments: issued.link.instruments.map(\.title).joined(separator: ", "),
            expires: Self.time(issued.link.expiresAt, clinic.settings.timeZone))
        return pages.render("follow-up-link", model)
    }

    /// The address patients reach the app at: the configured public URL, else the request's own host.
    func publicBaseURL(_ request: Request) -> String {
        if let configured = publicURL, !configured.isEmpty { return configured.hasSuffix("/") ? String(configured.dropLast()) : configured }
        let host = request.head.authority ?? "localhost"
        return (secureCookies ? "https://" : "http://") + host
    }

    // MARK: - Booster decision

    func acceptBoosterPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let id = try patientID(context)
        do {
            _ = try await clinic.acceptBoosterDate(for: id, date: w["date"], note: w["note"], by: try context.actor())
            return .redirect(to: "/patients/\(id.rawValue.uuidString)/outcomes")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            let o = try await clinic.patientOutcomes(id, by: try context.actor())
            var model = outcomesModel(o, context: context)
            model.chrome = chrome("Follow-up", context, active: "patients", flash: errors.values.joined(separator: " "))
            model.boosterDefault = w["date"]
            return pages.render("outcomes", model, status: .unprocessableContent)
        }
    }

    // MARK: - Printable progress summary

    func progressSummaryPage(_ context: ClinicRequestContext) async throws -> Response {
        let actor = try context.actor()
        let id = try patientID(context)
        let o = try await clinic.patientOutcomes(id, by: actor)
        let chart = try await clinic.chart(id, by: actor, withHistory: false)
        struct ProgressPage {
            let chrome: PageChrome
            let page: OutcomesPage
            let dateOfBirth: String
            let condition: String
            let printed: String
        }
        let condition = o.course.plan.map { "\($0.condition.code.value) \($0.condition.description)" }
            ?? chart.diagnoses?.first.map { "\($0.code.value) \($0.description)" } ?? "–"
        return pages.render("progress-summary", ProgressPage(chrome: chrome("Progress summary", context, active: "patients"),
                                                             page: outcomesModel(o, context: context),
                                                             dateOfBirth: o.patient.demographics.dateOfBirth.description, condition: condition,
                                                             printed: Self.time(clinic.clock.now, clinic.settings.timeZone)))
    }

    // MARK: - Urgent tasks

    struct TasksPage {
        struct Row {
            let id: String
            let patientID: String
            let patient: String
            let mrn: String
            let title: String
            let detail: String
            let since: String
            let escalated: String
            let error: String
        }
        let chrome: PageChrome
        let rows: [Row]
        let hasRows: Bool
        let messages: [String]
        let hasMessages: Bool
    }

    func tasksPage(_ context: ClinicRequestContext, errors: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let tz = clinic.settings.timeZone
        let tasks = try await clinic.openClinicianTasks(by: actor)
        let messages = try await clinic.clinicianMessages(for: actor, limit: 10)
        let rows = tasks.map { t, p in
            TasksPage.Row(id: t.id.rawValue.uuidString, patientID: p.id.rawValue.uuidString, patient: "\(p.familyName), \(p.givenName)",
                          mrn: p.mrn.value, title: t.kind.title, detail: t.detail, since: Self.time(t.createdAt, tz),
                          escalated: t.escalatedAt.map { "Escalated at \(Self.time($0, tz))" } ?? "", error: errors[t.id.rawValue.uuidString] ?? "")
        }
        return pages.render("tasks", TasksPage(chrome: chrome("Urgent tasks", context, active: "tasks"), rows: rows, hasRows: !rows.isEmpty,
                                               messages: messages.map { "\(Self.time($0.createdAt, tz)) — \($0.text)" + ($0.deliveryError.map { " (delivery failed: \($0))" } ?? "") },
                                               hasMessages: !messages.isEmpty), status: status)
    }

    func acknowledgeTaskPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("task") }
        do {
            let task = try await clinic.acknowledgeClinicianTask(ClinicianTask.ID(uuid), note: w["note"], by: try context.actor())
            return .redirect(to: w["back"] == "patient" ? "/patients/\(task.patientID.rawValue.uuidString)/outcomes" : "/tasks")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await tasksPage(context, errors: [text: errors.values.joined(separator: " ")], status: .unprocessableContent)
        }
    }

    // MARK: - Due list

    func dueFollowUpsPage(_ context: ClinicRequestContext) async throws -> Response {
        let actor = try context.actor()
        struct DuePage {
            struct Row {
                let patientID: String
                let patient: String
                let mrn: String
                let timepoint: String
                let key: String
                let instruments: String
                let dueOn: String
                let status: String
                let badge: String
            }
            let chrome: PageChrome
            let rows: [Row]
            let hasRows: Bool
            let overdue: Int
        }
        let rows = try await clinic.dueFollowUps(withinDays: 7, by: actor).map { r in
            DuePage.Row(patientID: r.patient.id.rawValue.uuidString, patient: "\(r.patient.familyName), \(r.patient.givenName)", mrn: r.patient.mrn.value,
                        timepoint: r.due.timepoint.label, key: r.due.timepoint.key, instruments: r.due.instruments.map(\.title).joined(separator: ", "),
                        dueOn: r.due.dueOn.description, status: r.due.status.rawValue,
                        badge: r.due.status == .overdue ? "badge bad" : r.due.status == .due ? "badge warn" : "badge")
        }
        return pages.render("follow-ups", DuePage(chrome: chrome("Follow-ups due", context, active: "follow-ups"), rows: rows, hasRows: !rows.isEmpty,
                                                  overdue: rows.filter { $0.status == "overdue" }.count))
    }

    // MARK: - Settings

    func outcomeSettingsPage(_ context: ClinicRequestContext, form: WebForm?, errors: [String: String], flash: String,
                             status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        guard clinic.access.allows(actor, AccessRequest(.update, .outcomeSettings)) else {
            throw ClinicError.forbidden("\(actor.role.title) may not change the outcome settings")
        }
        let s = try await clinic.outcomeSettings()
        let clinicians = try await clinic.clinicians(by: actor)
        let options = [("", "— none —")] + clinicians.map { ($0.id.rawValue.uuidString, "\($0.displayName) (\($0.role.title))") }
        let f = form
        struct SettingsPage {
            let chrome: PageChrome
            let ruleFields: [FormField]
            let canChangeRules: Bool
            let fields: [FormField]
            let schedule: [String]
            let relief: [String]
            let booster: [String]
            let errorSummary: [FieldError]
            let hasErrors: Bool
        }
        func rule(_ name: String, _ label: String, _ current: String, hint: String = "local policy") -> FormField {
            FormField(name, label, value: f?[name] ?? current, errors: errors, hint: hint)
        }
        let model = SettingsPage(
            chrome: chrome("Outcome settings", context, active: "follow-ups", flash: flash),
            ruleFields: [
                rule("followUpDays", "Follow-up days after the series and each booster", s.schedule.followUpDays.map(String.init).joined(separator: ", ")),
                rule("moodMinimumIntervalDays", "PHQ-9 / GAD-7 at most every (days)", "\(s.schedule.moodMinimumIntervalDays)", hint: "at least 14: their recall period (clinical-reference §7)"),
                rule("overdueAfterDays", "Overdue after (days past due)", "\(s.schedule.overdueAfterDays)"),
                rule("responderReductionPercent", "Responder: reduction of at least (%)", Format.shortest(s.relief.responderReductionPercent), hint: "clinical-reference §7 [D]: 30"),
                rule("responderWindowDays", "…at a follow-up within (days after the series)", "\(s.relief.responderWindowDays)", hint: "clinical-reference §7 [D]: 14"),
                rule("onsetReductionPercent", "Onset: first reduction of at least (%)", Format.shortest(s.relief.onsetReductionPercent), hint: "clinical-reference §7 [D]: 30"),
                rule("durationReductionPercent", "Relief lasts while the reduction is at least (%)", Format.shortest(s.relief.durationReductionPercent), hint: "clinical-reference §7 [D]: 30"),
                rule("reliefReductionPercent", "Booster: bring forward when the reduction falls below (%)", Format.shortest(s.booster.reliefReductionPercent)),
                rule("risingPoints", "…or pain rises by at least (NRS points)", Format.shortest(s.booster.risingPoints)),
                rule("leadDays", "Suggested date: today plus (days)", "\(s.booster.leadDays)"),
                rule("pushBackReductionPercent", "Push back when the reduction is still at least (%)", Format.shortest(s.booster.pushBackReductionPercent)),
                rule("lookbackDays", "…at a follow-up within (days of the planned date)", "\(s.booster.lookbackDays)"),
                rule("pushBackDays", "Push back by (days)", "\(s.booster.pushBackDays)"),
            ],
            canChangeRules: clinic.access.allows(actor, AccessRequest(.decide, .outcomeSettings)),
            fields: [
                FormField("onCall", "On-call clinician (alerted for urgent tasks raised away from the clinic)", value: f?["onCall"] ?? s.onCallClinician?.rawValue.uuidString ?? "", errors: errors, options: options),
                FormField("medicalDirector", "Medical director (unacknowledged urgent tasks escalate to)", value: f?["medicalDirector"] ?? s.medicalDirector?.rawValue.uuidString ?? "", errors: errors, options: options),
                FormField("escalationMinutes", "Escalate after (minutes)", value: f?["escalationMinutes"] ?? "\(s.escalationMinutes)", type: "number", errors: errors, hint: "clinical-reference §7 default 15 (local policy)"),
                FormField("linkLifetimeHours", "Follow-up links expire after (hours)", value: f?["linkLifetimeHours"] ?? "\(s.linkLifetimeHours)", type: "number", errors: errors, hint: "local policy"),
                FormField("crisisResources", "Crisis resources shown to a patient at once after a positive PHQ-9 item 9", value: f?["crisisResources"] ?? s.crisisResources, errors: errors, textarea: true),
            ],
            schedule: ["Pain before and after each infusion; follow-ups on days \(s.schedule.followUpDays.map(String.init).joined(separator: ", ")) after the series and after each booster (local policy).",
                       "PHQ-9 and GAD-7 at baseline and no more often than every \(s.schedule.moodMinimumIntervalDays) days (their 2-week recall period, clinical-reference §7).",
                       "A measurement shows as overdue \(s.schedule.overdueAfterDays) days after its due date (local policy)."],
            relief: s.relief.summary, booster: s.booster.summary,
            errorSummary: errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }, hasErrors: !errors.isEmpty)
        return pages.render("outcome-settings", model, status: status)
    }

    func saveOutcomeRulesPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        do {
            _ = try await clinic.saveOutcomeRules(w.values, by: try context.actor())
            return try await outcomeSettingsPage(context, form: nil, errors: [:], flash: "Schedule, relief and booster rules saved; every patient's figures were recomputed.")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await outcomeSettingsPage(context, form: w, errors: errors, flash: "", status: .unprocessableContent)
        }
    }

    func saveOutcomeSettingsPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        do {
            _ = try await clinic.saveOutcomeSettings(onCall: w["onCall"], medicalDirector: w["medicalDirector"], escalationMinutes: w["escalationMinutes"],
                                                     linkLifetimeHours: w["linkLifetimeHours"], crisisResources: w["crisisResources"], by: try context.actor())
            return try await outcomeSettingsPage(context, form: nil, errors: [:], flash: "Outcome settings saved.")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await outcomeSettingsPage(context, form: w, errors: errors, flash: "", status: .unprocessableContent)
        }
    }
}
