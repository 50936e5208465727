import ClinicCore
import Foundation
import Hummingbird

extension WebRoutes {
    struct ProtocolRow {
        let id: String
        let name: String
        let version: Int
        let dosing: String
        let duration: String
        let series: String
        let softRate: String
        let hardRate: String
        let softTotal: String
        let hardTotal: String
    }

    static func limitsText(_ p: InfusionProtocol) -> (softRate: String, hardRate: String, softTotal: String, hardTotal: String) {
        let f = ProtocolForm(p)
        func join(_ parts: [(String, String)]) -> String {
            let shown = parts.filter { !$0.0.isEmpty }.map { "> \($0.0) \($0.1)" }
            return shown.isEmpty ? "—" : shown.joined(separator: " or ")
        }
        return (join([(f.softRateMgPerKgPerHour, "mg/kg/h"), (f.softRateMgPerHour, "mg/h")]),
                join([(f.hardRateMgPerKgPerHour, "mg/kg/h"), (f.hardRateMgPerHour, "mg/h")]),
                join([(f.softTotalMgPerKg, "mg/kg"), (f.softTotalMg, "mg")]),
                join([(f.hardTotalMgPerKg, "mg/kg"), (f.hardTotalMg, "mg")]))
    }

    static func row(_ p: InfusionProtocol) -> ProtocolRow {
        let l = limitsText(p)
        let cap = p.absoluteRateCap.map { ", never above \($0)" } ?? ""
        let spacing = p.minimumSpacingHours.map { " ≥ \($0) h apart" } ?? ""
        let booster = p.boosterIntervalDays.map { "; boosters every \($0) days" } ?? ""
        return ProtocolRow(id: p.id.rawValue.uuidString, name: p.name, version: p.version, dosing: p.dosing.summary + cap,
                           duration: "\(p.durationMinutes) min", series: "\(p.inductionInfusions) infusion(s)\(spacing)\(booster)",
                           softRate: l.softRate, hardRate: l.hardRate, softTotal: l.softTotal, hardTotal: l.hardTotal)
    }

    struct ProtocolListPage {
        let chrome: PageChrome
        let rows: [ProtocolRow]
        let outerBounds: String
    }

    func protocolListPage(_ context: ClinicRequestContext) async throws -> Response {
        let protocols = try await clinic.protocols(by: try context.actor())
        return pages.render("protocol-list", ProtocolListPage(
            chrome: chrome("Protocols", context, active: "protocols"), rows: protocols.map(Self.row),
            outerBounds: "Hard limits can never exceed 2.0 mg/kg/h or a session total of 2.0 mg/kg for any protocol (clinical-reference §4)."))
    }

    struct ProtocolPage {
        struct Version {
            let version: Int
            let when: String
            let who: String
            let reason: String
            let changed: String
            let signedOff: String
        }
        let chrome: PageChrome
        let current: ProtocolRow
        let id: String
        let version: Int
        let versions: [Version]
        let canEdit: Bool
        let canSignOff: Bool
        let fields: [FormField]
        let limitFields: [FormField]
        let errorSummary: [FieldError]
        let hasErrors: Bool
        // Alarm limits: the protocol's layer over the defaults of clinical-reference §3 (local policy).
        let alarmLimits: [AlarmLimitRow]
        let advisory: AlarmLimitRow
        let canChangeThresholds: Bool
        let thresholdFields: [FormField]
        let thresholdErrorSummary: [FieldError]
        let hasThresholdErrors: Bool
        let thresholdChanges: [ThresholdChangeRow]
        let hasThresholdChanges: Bool
        let showsThresholdChanges: Bool
    }

    /// One alarm limit in force and the layer that set it.
    struct AlarmLimitRow {
        let priority: String
        let parameter: String
        let limit: String
        let setBy: String
        let byProtocol: Bool
    }

    /// One accepted change of the protocol's alarm limits.
    struct ThresholdChangeRow {
        let when: String
        let who: String
        let reason: String
        let changes: String
    }

    /// Every limit of clinical-reference §3 a protocol may make stricter, as form fields named by their key.
    static let protocolThresholdKeys: [ThresholdKey] = AlarmThresholds.clinicalReferenceDefaults.rules.map(\.key)

    static func thresholdLabel(_ key: ThresholdKey, _ limit: AlarmLimit?) -> String {
        let priority = key.priority.title.prefix(1).uppercased() + key.priority.title.dropFirst()
        return "\(priority): \(key.parameter.title) \(limit?.words ?? (key.direction == .upper ? "above" : "below")) (\(key.parameter.displayUnit))"
    }

    static func limitText(_ limit: AlarmLimit?, _ parameter: VitalParameter) -> String {
        limit.map { "\($0.symbol) \(Format.shortest($0.value)) \(parameter.displayUnit)" } ?? "off"
    }

    /// Makes the protocol's alarm limits stricter (physicians; clinical-reference §3).
    func changeProtocolThresholdsPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("protocol") }
        let id = InfusionProtocol.ID(uuid)
        let actor = try context.actor()
        let (_, current) = try await clinic.protocolThresholds(id)
        let (overrides, errors) = Self.proposedOverrides(w, fields: Self.protocolThresholdKeys.map { ($0.field, $0) }, advisoryField: ThresholdChange.advisoryField,
                                                         current: current, beneath: .clinicalReferenceDefaults)
        do {
            if !errors.isEmpty { throw ClinicError.invalid(errors.keys.sorted()[0], errors.values.sorted()[0]) }
            _ = try await clinic.changeProtocolThresholds(id, to: overrides, reason: w["thresholdReason"], by: actor)
            return .redirect(to: "/protocols/\(text)#alarm-limits", type: .found)
        } catch let e as ClinicError {
            guard var map = Self.errorMap(e) else { throw e }
            if let why = map.removeValue(forKey: "reason") { map["thresholdReason"] = why }
            return try await protocolPage(context, thresholdForm: w, thresholdErrors: map.merging(errors) { a, _ in a }, status: .unprocessableContent)
        }
    }

    func protocolPage(_ context: ClinicRequestContext, form: ProtocolForm? = nil, errors: [String: String] = [:], thresholdForm: WebForm? = nil,
                      thresholdErrors: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("protocol") }
        let id = InfusionProtocol.ID(uuid)
        let history = try await clinic.protocolHistory(id, by: actor)
        let current = history.last!
        let names = try await clinic.staffNames(for: history.compactMap { $0.revision?.changedBy } + history.compactMap { $0.revision?.signOff?.by })
        let tz = clinic.settings.timeZone
        let f = form ?? ProtocolForm(current)
        let e = errors
        // Alarm limits in force for the protocol's sessions (before any patient's override), and who changed them.
        let (limits, overrides) = try await clinic.protocolThresholds(id)
        let showsChanges = clinic.access.allows(actor, AccessRequest(.read, .alarms))
        let changes = showsChanges ? try await clinic.protocolThresholdChanges(of: id, by: actor) : []
        let changers = try await clinic.staffNames(for: changes.map(\.changedBy))
        let overridden = Set(overrides.limits.map(\.key))
        let tf = thresholdForm ?? WebForm(values: [:])
        func tv(_ name: String, _ fallback: String) -> String { tf[name].isEmpty ? fallback : tf[name] }
        let defaults = AlarmThresholds.clinicalReferenceDefaults
        let model = ProtocolPage(
            chrome: chrome(current.name, context, active: "protocols"), current: Self.row(current), id: text, version: current.version,
            versions: history.reversed().map { v in
                ProtocolPage.Version(version: v.version, when: v.revision.map { Self.time($0.changedAt, tz) } ?? "shipped",
                                     who: v.revision.map { names[$0.changedBy] ?? "unknown" } ?? "clinical-reference §4",
                                     reason: v.revision?.reason ?? "Standard library", changed: v.revision?.changedSettings.map(\.rawValue).joined(separator: ", ") ?? "",
                                     signedOff: v.revision?.signOff.map { names[$0.by] ?? "a physician" } ?? "")
            },
            canEdit: clinic.access.allows(actor, AccessRequest(.update, .protocolLibrary)),
            canSignOff: clinic.access.allows(actor, AccessRequest(.decide, .protocolLibrary)),
            fields: [
                FormField("name", "Name", value: f.name, errors: e, required: true),
                FormField("dosingKind", "Dosing", value: f.dosingKind, errors: e,
                          options: [("weightBasedRate", "mg/kg/h (weight-based rate)"), ("weightBasedDose", "mg/kg over N minutes"), ("flatDose", "mg over N minutes")]),
                FormField("doseValue", "Dose", value: f.doseValue, errors: e, hint: "mg/kg/h, mg/kg or mg, by the dosing above"),
                FormField("doseOverMinutes", "Over (minutes)", value: f.doseOverMinutes, errors: e, hint: "for mg/kg or mg doses"),
                FormField("absoluteRateCapMgPerHour", "Never above (mg/h)", value: f.absoluteRateCapMgPerHour, errors: e, hint: "optional absolute rate cap"),
                FormField("durationMinutes", "Duration (minutes)", value: f.durationMinutes, errors: e),
                FormField("inductionInfusions", "Infusions in the series", value: f.inductionInfusions, errors: e),
                FormField("minimumSpacingHours", "Minimum spacing (hours)", value: f.minimumSpacingHours, errors: e),
                FormField("boosterIntervalDays", "Booster every (days)", value: f.boosterIntervalDays, errors: e, hint: "clinic policy"),
            ],
            limitFields: [
                FormField("softRateMgPerKgPerHour", "Soft rate (mg/kg/h)", value: f.softRateMgPerKgPerHour, errors: e),
                FormField("hardRateMgPerKgPerHour", "Hard rate (mg/kg/h)", value: f.hardRateMgPerKgPerHour, errors: e),
                FormField("softRateMgPerHour", "Soft rate (mg/h)", value: f.softRateMgPerHour, errors: e),
                FormField("hardRateMgPerHour", "Hard rate (mg/h)", value: f.hardRateMgPerHour, errors: e),
                FormField("softTotalMgPerKg", "Soft session total (mg/kg)", value: f.softTotalMgPerKg, errors: e),
                FormField("hardTotalMgPerKg", "Hard session total (mg/kg)", value: f.hardTotalMgPerKg, errors: e),
                FormField("softTotalMg", "Soft session total (mg)", value: f.softTotalMg, errors: e),
                FormField("hardTotalMg", "Hard session total (mg)", value: f.hardTotalMg, errors: e),
                FormField("reason", "Why this change", value: f.reason, errors: e, required: true, textarea: true),
            ],
            errorSummary: errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }, hasErrors: !errors.isEmpty,
            alarmLimits: limits.rules.map { rule in
                AlarmLimitRow(priority: rule.priority.title, parameter: rule.parameter.title, limit: Self.limitText(rule.limit, rule.parameter),
                              setBy: overridden.contains(rule.key) ? "this protocol" : "clinical-reference §3 default (local policy)",
                              byProtocol: overridden.contains(rule.key))
            },
            advisory: AlarmLimitRow(priority: AlarmPriority.advisory.title, parameter: "systolic or diastolic",
                                    limit: "> \(Format.shortest(limits.advisoryRiseAboveBaselinePercent)) % above the session's baseline",
                                    setBy: overrides.advisoryRiseAboveBaselinePercent != nil ? "this protocol" : "clinical-reference §3 default (local policy)",
                                    byProtocol: overrides.advisoryRiseAboveBaselinePercent != nil),
            canChangeThresholds: clinic.access.allows(actor, AccessRequest(.decide, .alarms)),
            thresholdFields: Self.protocolThresholdKeys.map { key in
                FormField(key.field, Self.thresholdLabel(key, limits.limit(for: key) ?? defaults.limit(for: key)),
                          value: tv(key.field, limits.limit(for: key).map { Format.shortest($0.value) } ?? ""), errors: thresholdErrors,
                          hint: "standard: " + Self.limitText(defaults.limit(for: key), key.parameter))
            } + [
                FormField(ThresholdChange.advisoryField, "Advisory: rise above the session's baseline (%)",
                          value: tv(ThresholdChange.advisoryField, Format.shortest(limits.advisoryRiseAboveBaselinePercent)),
                          errors: thresholdErrors, hint: "standard: > \(Format.shortest(defaults.advisoryRiseAboveBaselinePercent)) %"),
                FormField("thresholdReason", "Why these limits change", value: tf["thresholdReason"], errors: thresholdErrors, required: true, textarea: true),
            ],
            thresholdErrorSummary: thresholdErrors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) },
            hasThresholdErrors: !thresholdErrors.isEmpty,
            thresholdChanges: changes.map { c in
                ThresholdChangeRow(when: Self.time(c.changedAt, tz), who: changers[c.changedBy] ?? "a physician", reason: c.reason,
                                   changes: (c.limitEdits.map { edit in
                                       "\(edit.key.priority.title) \(edit.key.parameter.title): \(Self.limitText(edit.before, edit.key.parameter)) → \(Self.limitText(edit.after, edit.key.parameter))"
                                   } + [c.advisoryRiseBefore.flatMap { b in c.advisoryRiseAfter.map { "advisory: > \(Format.shortest(b)) % → > \(Format.shortest($0)) %" } }]
                                       .compactMap { $0 }).joined(separator: "; "))
            },
            hasThresholdChanges: !changes.isEmpty, showsThresholdChanges: showsChanges)
        return pages.render("protocol", model, status: status)
    }

    func reviseProtocol(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("protocol") }
        let id = InfusionProtocol.ID(uuid)
        let actor = try context.actor()
        var form = ProtocolForm(try await clinic.protocolHistory(id, by: actor).last!)
        form.name = w["name"]; form.dosingKind = w["dosingKind"]; form.doseValue = w["doseValue"]; form.doseOverMinutes = w["doseOverMinutes"]
        form.absoluteRateCapMgPerHour = w["absoluteRateCapMgPerHour"]; form.durationMinutes = w["durationMinutes"]
        form.inductionInfusions = w["inductionInfusions"]; form.minimumSpacingHours = w["minimumSpacingHours"]; form.boosterIntervalDays = w["boosterIntervalDays"]
        form.softRateMgPerKgPerHour = w["softRateMgPerKgPerHour"]; form.hardRateMgPerKgPerHour = w["hardRateMgPerKgPerHour"]
        form.softRateMgPerHour = w["softRateMgPerHour"]; form.hardRateMgPerHour = w["hardRateMgPerHour"]
        form.softTotalMgPerKg = w["softTotalMgPerKg"]; form.hardTotalMgPerKg = w["hardTotalMgPerKg"]
        form.softTotalMg = w["softTotalMg"]; form.hardTotalMg = w["hardTotalMg"]; form.reason = w["reason"]
        do {
            _ = try await clinic.reviseProtocol(id, form, expectedVersion: Int(w["expectedVersion"]), by: actor)
            return .redirect(to: "/protocols/\(text)")
        } catch let e as ClinicError {
            if case .conflict(let why) = e { return try await protocolPage(context, form: form, errors: ["form": why], status: .conflict) }
            guard let errors = Self.errorMap(e) else { throw e }
            return try await protocolPage(context, form: form, errors: errors, status: .unprocessableContent)
        }
    }
}
