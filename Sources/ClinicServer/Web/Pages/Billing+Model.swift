import ClinicCore
import Foundation
import Hummingbird

/// Billing pages (issue 6): the work list of charged sessions, a session's charges with the correction form, the
/// printable superbill and the charge-capture settings.
extension WebRoutes {
    func registerBilling(on router: Router<ClinicRequestContext>) {
        router.get("/billing") { request, context in try await billingListPage(request, context) }
        router.get("/billing/settings") { _, context in try await chargeSettingsPage(context, form: nil, errors: [:], flash: "") }
        router.post("/billing/settings") { request, context in try await saveChargeSettingsPage(request, context) }
        router.get("/sessions/{id}/charges") { _, context in try await chargesPage(context, errors: [:], flash: "") }
        router.post("/sessions/{id}/charges/correction") { request, context in try await correctChargesPage(request, context) }
        router.get("/sessions/{id}/superbill") { _, context in try await sessionSuperbillRedirect(context) }
        router.get("/patients/{id}/superbill") { request, context in try await superbillPage(request, context) }
    }

    struct ChargeLineRow {
        let date: String
        let code: String
        let description: String
        let units: Int
        let ndc: String
        let quantity: String
        let pointers: String
        let pos: String
        let provider: String
        let fee: String
        let amount: String
        let kind: String
        let isAdjustment: Bool
        let reason: String
    }

    static func rows(_ lines: [ChargeLine], pointers: (ChargeLine) -> String) -> [ChargeLineRow] {
        lines.map { l in
            ChargeLineRow(date: l.serviceDate.description, code: l.code, description: l.description, units: l.units,
                          ndc: l.ndc.map { "N4\($0.digits)" } ?? "",
                          quantity: l.ndcMillilitres.map { "ML\(DoseText.milligrams($0))" } ?? "", pointers: pointers(l), pos: l.placeOfService,
                          provider: l.renderingProvider + (l.renderingNPI.map { " (NPI \($0))" } ?? ""), fee: Money(cents: l.unitFeeCents).groupedText,
                          amount: Money(cents: l.amountCents).groupedText, kind: l.kind == .adjustment ? "adjustment" : "", isAdjustment: l.kind == .adjustment,
                          reason: l.reason ?? "")
        }
    }

    // MARK: - Work list

    func billingListPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        struct Row {
            let sessionID: String
            let patientID: String
            let patient: String
            let mrn: String
            let date: String
            let protocolName: String
            let codes: String
            let total: String
            let adjusted: Bool
            let warnings: String
        }
        struct Page {
            let chrome: PageChrome
            let from: String
            let to: String
            let rows: [Row]
            let hasRows: Bool
            let total: String
            let canChangeSettings: Bool
            let settingsWarnings: [String]
            let hasSettingsWarnings: Bool
        }
        let actor = try context.actor()
        let q = request.uri.queryParameters
        let today = clinic.today
        let (from, to) = try ReportPeriod.from(q, today: today, defaultDays: 30)
        let charged = try await clinic.chargedSessions(from: from, to: to, by: actor)
        let settings = try await clinic.chargeSettings()
        let rows = charged.map { c in
            var warnings: [String] = []
            if c.charges.lines.contains(where: { $0.renderingNPI == nil }) { warnings.append("no NPI for the rendering physician") }
            if c.charges.lines.contains(where: { $0.kind == .original && $0.unitFeeCents == 0 }) { warnings.append("a code without a fee") }
            if c.charges.lines.contains(where: { $0.code == settings.drugCode && $0.ndc == nil }) { warnings.append("drug line without an NDC (not drawn from the register)") }
            return Row(sessionID: c.charges.sessionID.rawValue.uuidString, patientID: c.patient.id.rawValue.uuidString,
                       patient: "\(c.patient.familyName), \(c.patient.givenName)", mrn: c.patient.mrn.value, date: c.charges.serviceDate.description,
                       protocolName: c.charges.protocolName,
                       codes: c.charges.netUnits.filter { $0.units != 0 }.map { "\($0.code) × \($0.units)" }.joined(separator: ", "),
                       total: Money(cents: c.charges.totalCents).groupedText, adjusted: c.charges.lines.contains { $0.kind == .adjustment },
                       warnings: warnings.joined(separator: "; "))
        }
        var settingsWarnings: [String] = []
        if settings.billingProviderName.isEmpty || settings.billingProviderNPI.isEmpty { settingsWarnings.append("The billing provider's name and NPI are not set: superbills print without them.") }
        if settings.fees.isEmpty { settingsWarnings.append("No fees are set: every line charges 0.00.") }
        let canChange = clinic.access.allows(actor, AccessRequest(.update, .chargeSettings, id: "charges"))
        return pages.render("billing", Page(chrome: chrome("Billing", context, active: "billing"), from: from.description, to: to.description,
                                            rows: rows, hasRows: !rows.isEmpty,
                                            total: Money(cents: charged.reduce(0) { $0 + $1.charges.totalCents }).groupedText,
                                            canChangeSettings: canChange, settingsWarnings: settingsWarnings, hasSettingsWarnings: !settingsWarnings.isEmpty))
    }

    // MARK: - A session's charges

    func chargesPage(_ context: ClinicRequestContext, errors: [String: String], flash: String,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        struct Page {
            let chrome: PageChrome
            let sessionID: String
            let patientID: String
            let hasCharges: Bool
            let serviceDate: String
            let protocolName: String
            let diagnoses: String
            let provider: String
            let running: String
            let paused: String
            let drug: String
            let stock: String
            let authorization: String
            let lines: [ChargeLineRow]
            let total: String
            let captures: [String]
            let canCorrect: Bool
            let fields: [FormField]
            let errorSummary: [FieldError]
            let hasErrors: Bool
        }
        let actor = try context.actor()
        let id = try sessionID(context)
        let charges = try await clinic.sessionCharges(id, by: actor)
        let settings = try await clinic.chargeSettings()
        let canCorrect = clinic.access.allows(actor, AccessRequest(.update, .infusionSession, id: id.rawValue.uuidString))
        let facts = charges?.currentFacts
        let summary = errors.map { FieldError($0.key, $0.value) }.sorted { $0.field < $1.field }
        let running = facts.map { $0.billedSeconds(excludingPauses: settings.excludePauses) } ?? 0
        let page = Page(
            chrome: chrome("Charges", context, active: "billing", flash: flash), sessionID: id.rawValue.uuidString,
            patientID: charges?.patientID.rawValue.uuidString ?? "", hasCharges: charges != nil,
            serviceDate: charges?.serviceDate.description ?? "", protocolName: charges?.protocolName ?? "",
            diagnoses: charges?.diagnoses.map { "\($0.code.value) \($0.description)" }.joined(separator: "; ") ?? "",
            provider: charges.map { c in c.renderingProvider + (settings.npi(of: c.renderingProviderID).map { " (NPI \($0))" } ?? " — no NPI on file") } ?? "",
            running: "\(running / 60) min \(running % 60) s" + (settings.excludePauses ? " (pauses excluded)" : " (pauses included)"),
            paused: facts.map { "\($0.pausedSeconds / 60) min \($0.pausedSeconds % 60) s" } ?? "",
            drug: facts.map { "\(DoseText.milligrams($0.administered.micrograms)) mg" } ?? "",
            stock: facts?.stock?.description ?? "not drawn from the register",
            authorization: charges?.authorizationNumber.map { "\($0) — counted \(charges?.authorizationQuantity ?? "")" } ?? "none on file for these codes and date",
            lines: Self.rows(charges?.lines ?? [], pointers: { l in l.diagnosisCodes.joined(separator: ", ") }),
            total: Money(cents: charges?.totalCents ?? 0).groupedText,
            captures: charges?.captures.map { "\(Self.time($0.at, clinic.settings.timeZone)): \($0.reason)" } ?? [],
            canCorrect: canCorrect && charges != nil,
            fields: [FormField("runningMinutes", "Corrected running time (minutes)", type: "number", errors: errors, required: true),
                     FormField("reason", "Reason (goes on the session as an amendment)", errors: errors, required: true, textarea: true)],
            errorSummary: summary, hasErrors: !summary.isEmpty)
        return pages.render("charges", page, status: status)
    }

    func correctChargesPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let id = try sessionID(context)
        do {
            _ = try await clinic.amendBilledRunningTime(id, minutes: w["runningMinutes"], reason: w["reason"], by: try context.actor())
            let canRead = clinic.access.table[try context.actor().role]?[.charges]?.contains(.read) == true
            return .redirect(to: "/sessions/\(id.rawValue.uuidString)" + (canRead ? "/charges" : ""))
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            // A nurse corrects from the session screen and does not see charges: the errors go back there.
            if clinic.access.table[try context.actor().role]?[.charges]?.contains(.read) == true {
                return try await chargesPage(context, errors: errors, flash: "", status: .unprocessableContent)
            }
            return try await sessionPage(context, form: w, errors: errors, status: .unprocessableContent)
        }
    }

    // MARK: - Superbill

    func sessionSuperbillRedirect(_ context: ClinicRequestContext) async throws -> Response {
        let id = try sessionID(context)
        guard let c = try await clinic.sessionCharges(id, by: try context.actor()) else { throw ClinicError.notFound("charges for this session") }
        return .redirect(to: "/patients/\(c.patientID.rawValue.uuidString)/superbill?from=\(c.serviceDate)&to=\(c.serviceDate)")
    }

    func superbillPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        struct Page {
            struct Dx { let pointer: String; let code: String; let description: String }
            let chrome: PageChrome
            let patientID: String
            let from: String
            let to: String
            let patientName: String
            let dateOfBirth: String
            let mrn: String
            let address: String
            let phone: String
            let providerName: String
            let providerAddress: String
            let providerNPI: String
            let taxID: String
            let diagnoses: [Dx]
            let lines: [ChargeLineRow]
            let hasLines: Bool
            let total: String
            let currency: String
            let issued: String
            let csvLink: String
        }
        let q = request.uri.queryParameters
        let today = clinic.today
        let (from, to) = try ReportPeriod.from(q, today: today, defaultDays: 30)
        let bill = try await clinic.superbill(try patientID(context), from: from, to: to, by: try context.actor())
        let lines = Self.rows(bill.lines, pointers: bill.pointers)
        if q["format"] == "csv" {
            var csv = "service_date,code,description,units,ndc,ndc_quantity,diagnosis_pointers,place_of_service,rendering_provider,unit_fee,amount,kind,reason\r\n"
            for l in lines {
                csv += [l.date, l.code, l.description, String(l.units), l.ndc, l.quantity, l.pointers, l.pos, l.provider, l.fee, l.amount, l.kind, l.reason]
                    .map(Self.csvField).joined(separator: ",") + "\r\n"
            }
            return Self.csvResponse(csv, filename: "superbill-\(bill.patient.mrn.value)-\(from)-\(to).csv")
        }
        let p = bill.patient, s = bill.settings
        let page = Page(
            chrome: chrome("Superbill", context, active: "billing"), patientID: p.id.rawValue.uuidString, from: from.description, to: to.description,
            patientName: "\(p.demographics.familyName), \(p.demographics.givenName)", dateOfBirth: p.demographics.dateOfBirth.description,
            mrn: p.mrn.value, address: p.contact.address, phone: p.contact.phone,
            providerName: s.billingProviderName.isEmpty ? "(billing provider not set)" : s.billingProviderName, providerAddress: s.billingProviderAddress,
            providerNPI: s.billingProviderNPI, taxID: s.taxID,
            diagnoses: bill.diagnoses.enumerated().map { Page.Dx(pointer: Superbill.pointer($0.offset), code: $0.element.code.value,
                                                                 description: $0.element.description) },
            lines: lines, hasLines: !lines.isEmpty, total: Money(cents: bill.totalCents).groupedText, currency: bill.currency,
            issued: Self.time(bill.issuedAt, clinic.settings.timeZone),
            csvLink: "/patients/\(p.id.rawValue.uuidString)/superbill?from=\(from)&to=\(to)&format=csv")
        return pages.render("superbill", page)
    }

    // MARK: - Settings

    func chargeSettingsPage(_ context: ClinicRequestContext, form: WebForm?, errors: [String: String], flash: String,
                            status: HTTPResponse.Status = .ok) async throws -> Response {
        struct Page {
            let chrome: PageChrome
            let codeFields: [FormField]
            let ruleFields: [FormField]
            let feeFields: [FormField]
            let providerFields: [FormField]
            let npiFields: [FormField]
            let hasNPIFields: Bool
            let canChange: Bool
            let errorSummary: [FieldError]
            let hasErrors: Bool
        }
        let actor = try context.actor()
        let s = try await clinic.chargeSettings(by: actor)
        let currency = try await clinic.selfPaySettings().currency.code
        let physicians = try await clinic.billingProviders(by: actor)
        func v(_ key: String, _ current: String) -> String { form.map { $0[key] } ?? current }
        let summary = errors.map { FieldError($0.key, $0.value) }.sorted { $0.field < $1.field }
        let page = Page(
            chrome: chrome("Charge settings", context, active: "billing", flash: flash),
            codeFields: [
                FormField("initialHourCode", "First-hour infusion code", value: v("initialHourCode", s.initialHourCode), errors: errors, hint: "clinical-reference §8: 96365 (descriptor unverified — check the current CPT book)", required: true),
                FormField("additionalHourCode", "Each additional hour", value: v("additionalHourCode", s.additionalHourCode), errors: errors, hint: "clinical-reference §8: 96366 (descriptor unverified)", required: true),
                FormField("drugCode", "Drug code", value: v("drugCode", s.drugCode), errors: errors, hint: "J3490, unclassified drug, with the NDC (per payer guidance, Blue Cross MA 2023)", required: true),
            ],
            ruleFields: [
                FormField("initialHourMoreThanMinutes", "First hour billed when the running time is more than (minutes)", value: v("initialHourMoreThanMinutes", String(s.initialHourMoreThanMinutes)),
                          type: "number", errors: errors, hint: "Unverified: not in our clinical reference — check the payer's rule", required: true),
                FormField("partialHourRule", "Partial hours after the first", value: v("partialHourRule", s.partialHourRule.rawValue), errors: errors,
                          hint: "Unverified: the payer's partial-hour rule", options: PartialHourRule.allCases.map { ($0.rawValue, $0.title) }),
                FormField("excludePauses", "Leave pauses out of the running time", value: v("excludePauses", String(s.excludePauses)), errors: errors, checkbox: true),
                FormField("placeOfService", "Place of service", value: v("placeOfService", s.placeOfService), errors: errors, hint: "Two digits; 11 = office (unverified default)", required: true),
            ],
            feeFields: [
                FormField("feeInitialHour", "Fee, first hour (\(currency))", value: v("feeInitialHour", Money(cents: s.fee(s.initialHourCode)).groupedText), errors: errors, required: true),
                FormField("feeAdditionalHour", "Fee, each additional hour", value: v("feeAdditionalHour", Money(cents: s.fee(s.additionalHourCode)).groupedText), errors: errors, required: true),
                FormField("feeDrugPerMg", "Drug fee per mg given", value: v("feeDrugPerMg", Money(cents: s.fee(s.drugCode)).groupedText), errors: errors, required: true),
            ],
            providerFields: [
                FormField("billingProviderName", "Billing provider (clinic) name", value: v("billingProviderName", s.billingProviderName), errors: errors),
                FormField("billingProviderAddress", "Billing provider address", value: v("billingProviderAddress", s.billingProviderAddress), errors: errors, textarea: true),
                FormField("billingProviderNPI", "Billing provider NPI", value: v("billingProviderNPI", s.billingProviderNPI), errors: errors, hint: "10 digits with the check digit"),
                FormField("taxID", "Federal tax id (EIN)", value: v("taxID", s.taxID), errors: errors, hint: "12-3456789"),
            ],
            npiFields: physicians.map { u in
                let key = "npi.\(u.id.rawValue.uuidString)"
                return FormField(key, "NPI of \(u.displayName) (rendering physician)", value: v(key, s.npi(of: u.id) ?? ""), errors: errors)
            },
            hasNPIFields: !physicians.isEmpty,
            canChange: clinic.access.allows(actor, AccessRequest(.update, .chargeSettings, id: "charges")),
            errorSummary: summary, hasErrors: !summary.isEmpty)
        return pages.render("charge-settings", page, status: status)
    }

    func saveChargeSettingsPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let actor = try context.actor()
        let keys = ["initialHourCode", "additionalHourCode", "drugCode", "initialHourMoreThanMinutes", "partialHourRule", "excludePauses", "placeOfService",
                    "feeInitialHour", "feeAdditionalHour", "feeDrugPerMg", "billingProviderName", "billingProviderAddress", "billingProviderNPI", "taxID"]
        var form: [String: String] = [:]
        for k in keys { form[k] = w[k] }
        var npis: [User.ID: String] = [:]
        for u in try await clinic.billingProviders(by: actor) { npis[u.id] = w["npi.\(u.id.rawValue.uuidString)"] }
        do {
            _ = try await clinic.saveChargeSettings(form, providerNPIs: npis, by: actor)
            return try await chargeSettingsPage(context, form: nil, errors: [:], flash: "Charge settings saved.")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await chargeSettingsPage(context, form: w, errors: errors, flash: "", status: .unprocessableContent)
        }
    }
}
