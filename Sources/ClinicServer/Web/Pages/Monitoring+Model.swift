import ClinicCore
import ClinicHL7
import Foundation
import Hummingbird

extension WebRoutes {
    struct MonitorsPage {
        struct Row {
            let id: String
            let name: String
            let address: String
            let application: String
            let facility: String
            let chair: String
            let state: String
            let stateClass: String
            let chairOptions: [FormField.Option]
            let active: Bool
        }
        let chrome: PageChrome
        let rows: [Row]
        let hasRows: Bool
        let canManage: Bool
        let fields: [FormField]
        let errorSummary: [FieldError]
        let hasErrors: Bool
        let canEditAlarms: Bool
        let alarmFields: [FormField]
        let escalation: String
        let actionHigh: String
        let actionMedium: String
        let actionNoData: String
    }

    /// Registered bedside monitors: where they connect from, how they name themselves, which chair (admin changes).
    func monitorsPage(_ context: ClinicRequestContext, errors: [String: String] = [:], form: WebForm? = nil, flash: String = "",
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let devices = try await clinic.monitorDevices(by: actor)
        let setup = try await clinic.clinicSetup(by: actor)
        let canManage = clinic.access.allows(actor, AccessRequest(.create, .monitorDevices))
        let f = form ?? WebForm(values: [:])
        let chairChoices = [("", "no chair (messages go to quarantine)")] + setup.chairs.map { ($0.id.rawValue.uuidString, $0.name) }
        let rows = devices.map { d in
            MonitorsPage.Row(id: d.id.rawValue.uuidString, name: d.name, address: d.sourceAddress, application: d.sendingApplication,
                             facility: d.sendingFacility, chair: setup.chairs.first { $0.id == d.chairID }?.name ?? "none",
                             state: d.active ? "active" : "retired", stateClass: d.active ? "badge ok" : "badge warn",
                             chairOptions: chairChoices.map { FormField.Option(value: $0.0, label: $0.1, selected: $0.0 == (d.chairID?.rawValue.uuidString ?? "")) },
                             active: d.active)
        }
        let policy = try await clinic.alarmPolicy()
        let canEditAlarms = clinic.access.allows(actor, AccessRequest(.decide, .alarms))
        func a(_ name: String, _ fallback: String) -> String { f[name].isEmpty ? fallback : f[name] }
        let model = MonitorsPage(
            chrome: chrome("Bedside monitors", context, active: "board", flash: flash), rows: rows, hasRows: !rows.isEmpty, canManage: canManage,
            fields: [
                FormField("name", "Name", value: f["name"], errors: errors, hint: "what staff call it, e.g. Philips MX450 — bay 2", required: true),
                FormField("sourceAddress", "IP address", value: f["sourceAddress"], errors: errors, hint: "the address its connections come from", required: true),
                FormField("sendingApplication", "Sending application (MSH-3)", value: f["sendingApplication"], errors: errors, required: true),
                FormField("sendingFacility", "Sending facility (MSH-4)", value: f["sendingFacility"], errors: errors, required: true),
                FormField("chairID", "Chair", value: f["chairID"], errors: errors, options: chairChoices),
            ],
            errorSummary: errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }, hasErrors: !errors.isEmpty,
            canEditAlarms: canEditAlarms,
            alarmFields: [
                FormField("high", "Suggested action, high priority", value: a("high", policy.actions.high), errors: errors, textarea: true),
                FormField("medium", "Suggested action, medium priority", value: a("medium", policy.actions.medium), errors: errors, textarea: true),
                FormField("noData", "Suggested action, no data from the monitor", value: a("noData", policy.actions.noData), errors: errors, textarea: true),
                FormField("escalationSeconds", "Escalate an unacknowledged alarm after (seconds)", value: a("escalationSeconds", Format.shortest(policy.escalationSeconds)),
                          errors: errors, hint: "to the charge nurse and the physician on duty; 60 s by default, never off (clinical-reference §3)"),
            ],
            escalation: Format.shortest(policy.escalationSeconds), actionHigh: policy.actions.high, actionMedium: policy.actions.medium,
            actionNoData: policy.actions.noData)
        return pages.render("monitors", model, status: status)
    }

    func saveMonitorPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let actor = try context.actor()
        var id: MonitorDevice.ID?
        var form = MonitorDeviceForm(name: w["name"], sourceAddress: w["sourceAddress"], sendingApplication: w["sendingApplication"],
                                     sendingFacility: w["sendingFacility"], chairID: w["chairID"], active: true)
        if let text = context.parameters.get("id") {
            guard let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("monitor") }
            id = MonitorDevice.ID(uuid)
            // The row form changes the chair and whether it is in service; the rest stays as registered.
            guard let existing = try await clinic.monitorDevices(by: actor).first(where: { $0.id == id }) else { throw ClinicError.notFound("monitor") }
            form = MonitorDeviceForm(existing)
            form.chairID = w["chairID"]
            form.active = w["active"] == "true"
        }
        do {
            let d = try await clinic.saveMonitorDevice(id, form, by: actor)
            return try await monitorsPage(context, flash: id == nil ? "Registered \(d.name)." : "Saved \(d.name).")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await monitorsPage(context, errors: errors, form: id == nil ? w : nil, status: .unprocessableContent)
        }
    }

    func saveAlarmSettingsPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        do {
            _ = try await clinic.saveAlarmPolicy(high: w["high"], medium: w["medium"], noData: w["noData"],
                                                 escalationSeconds: Double(w["escalationSeconds"].trimmingCharacters(in: .whitespaces)) ?? .nan,
                                                 by: try context.actor())
            return try await monitorsPage(context, flash: "Alarm settings saved; sessions that start from now on use them.")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await monitorsPage(context, errors: errors, form: w, status: .unprocessableContent)
        }
    }

    struct QuarantinePage {
        struct Row {
            let sender: String
            let controlID: String
            let address: String
            let received: String
            let reason: String
            let values: String
            let patientIdentifier: String
        }
        let chrome: PageChrome
        let rows: [Row]
        let hasRows: Bool
        let sessions: [FormField.Option]
        let hasSessions: Bool
        let canResolve: Bool
    }

    /// Monitor messages no session could take, with their reasons; staff file them under a session or set them aside.
    func quarantinePage(_ context: ClinicRequestContext, flash: String = "") async throws -> Response {
        let actor = try context.actor()
        let messages = try await clinic.quarantinedMessages(by: actor)
        let tz = clinic.settings.timeZone
        let canResolve = clinic.access.allows(actor, AccessRequest(.update, .vitalsQuarantine))
        // Sessions in a chair now, to file a message under.
        let board = canResolve && clinic.access.allows(actor, AccessRequest(.list, .vitals)) ? try await clinic.roomBoard(by: actor) : []
        let sessions = board.compactMap { c in
            c.occupancy.map { FormField.Option(value: $0.sessionID.rawValue.uuidString, label: "\(c.chair.name) — \($0.patientName) (\($0.mrn))", selected: false) }
        }
        let rows = messages.map { m -> QuarantinePage.Row in
            let parsed = (try? HL7Message.parse(m.body)).flatMap { try? ORUResult($0, receivedAt: m.receivedAt) }
            let values = parsed?.observations.map { "\($0.parameter.title) \(Format.shortest($0.value)) \($0.parameter.displayUnit)" }.joined(separator: ", ") ?? "unreadable"
            return QuarantinePage.Row(sender: m.sender, controlID: m.controlID, address: m.sourceAddress, received: Self.time(m.receivedAt, tz),
                                      reason: m.reason, values: values, patientIdentifier: parsed?.patient?.id ?? "")
        }
        let model = QuarantinePage(chrome: chrome("Quarantined monitor messages", context, active: "board", flash: flash), rows: rows,
                                   hasRows: !rows.isEmpty, sessions: sessions, hasSessions: !sessions.isEmpty, canResolve: canResolve)
        return pages.render("quarantine", model)
    }

    func resolveQuarantinePage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let actor = try context.actor()
        let key = VitalMessageKey(sender: w["sender"], controlID: w["controlID"])
        if w["action"] == "assign" {
            guard let uuid = UUID(uuidString: w["sessionID"]) else { throw ClinicError.invalid("sessionID", "Choose the session to file it under.") }
            guard let message = try await clinic.quarantinedMessages(by: actor).first(where: { $0.key == key }) else {
                throw ClinicError.conflict("This message is no longer in quarantine.")
            }
            let parsed = try ORUResult(try HL7Message.parse(message.body), receivedAt: message.receivedAt)
            try await clinic.assignQuarantined(key, to: InfusionSession.ID(uuid), observations: parsed.observations, by: actor)
            return try await quarantinePage(context, flash: "Filed \(key.controlID) under the session.")
        }
        try await clinic.dismissQuarantined(key, reason: w["reason"], by: actor)
        return try await quarantinePage(context, flash: "Set \(key.controlID) aside.")
    }
}
