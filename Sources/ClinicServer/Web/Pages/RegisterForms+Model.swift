import ClinicCore
import Foundation
import Hummingbird

/// Destructions witnessed by two employees (DEA Form 41 fields) and thefts or significant losses (DEA Form 106 fields):
/// the records, printable, and the forms that record them (clinical-reference §9; issue 6).
extension WebRoutes {
    func registerRegisterForms(on router: Router<ClinicRequestContext>) {
        router.get("/register/forms") { _, context in try await registerFormsPage(context, form: nil, errors: [:], flash: "") }
        router.post("/register/destructions") { request, context in try await registerFormStep(request, context, destruction: true) }
        router.post("/register/losses") { request, context in try await registerFormStep(request, context, destruction: false) }
    }

    func registerFormsPage(_ context: ClinicRequestContext, form: WebForm?, errors: [String: String], flash: String,
                           status: HTTPResponse.Status = .ok) async throws -> Response {
        struct VialChoice { let id: String; let label: String; let checked: Bool }
        struct ItemRow { let drug: String; let ndc: String; let lot: String; let strength: String; let volume: String; let amount: String; let sealed: String }
        struct Destruction { let id: String; let when: String; let registrant: String; let items: [ItemRow]; let method: String; let reason: String; let witnesses: String }
        struct Loss {
            let id: String; let kind: String; let discovered: String; let registrant: String; let items: [ItemRow]; let circumstances: String
            let police: String; let notifyBy: String; let overdue: Bool
        }
        struct Page {
            let chrome: PageChrome
            let destructions: [Destruction]
            let hasDestructions: Bool
            let losses: [Loss]
            let hasLosses: Bool
            let canRecord: Bool
            let vials: [VialChoice]
            let hasVials: Bool
            let destructionFields: [FormField]
            let lossFields: [FormField]
            let errorSummary: [FieldError]
            let hasErrors: Bool
            let notificationDays: Int
        }
        let actor = try context.actor()
        let (destructions, losses) = try await clinic.destructionsAndLosses(by: actor)
        let overview = try await clinic.registerOverview(by: actor)
        let tz = clinic.settings.timeZone
        let f = form ?? WebForm(values: [:])
        let canRecord = clinic.access.allows(actor, AccessRequest(.decide, .controlledSubstances, id: "destruction"))
        let names = try await clinic.staffNames(for: losses.map(\.by))
        func mg(_ a: DrugAmount) -> String { "\(DoseText.milligrams(a.micrograms)) mg" }
        let summary = errors.map { FieldError($0.key, $0.value) }.sorted { $0.field < $1.field }
        let page = Page(
            chrome: chrome("Destructions and losses", context, active: "register", flash: flash),
            destructions: destructions.map { d in
                Destruction(id: d.id.rawValue.uuidString, when: Self.time(d.at, tz), registrant: "\(d.registrantName) · DEA \(d.deaRegistrationNumber)",
                            items: d.items.map { ItemRow(drug: $0.drugName, ndc: $0.ndc.description, lot: $0.lot, strength: $0.strength.description,
                                                         volume: $0.volume.description, amount: mg($0.amount), sealed: $0.wholeSealedVial ? "sealed vial" : "opened vial") },
                            method: d.method, reason: d.reason, witnesses: d.witnesses.map(\.name).joined(separator: " and "))
            },
            hasDestructions: !destructions.isEmpty,
            losses: losses.map { l in
                Loss(id: l.id.rawValue.uuidString, kind: l.kind.title, discovered: l.discoveredOn.description,
                     registrant: "\(l.registrantName) · DEA \(l.deaRegistrationNumber) · recorded by \(names[l.by] ?? "staff")",
                     items: l.items.map { ItemRow(drug: $0.drugName, ndc: $0.ndc.description, lot: $0.lot, strength: $0.strength.description,
                                                  volume: $0.volume.description, amount: mg($0.amount), sealed: "") },
                     circumstances: l.circumstances, police: l.policeNotified ? "notified, report \(l.policeReport)" : "not notified",
                     notifyBy: l.notifyBy.description, overdue: l.notifyBy < clinic.today)
            },
            hasLosses: !losses.isEmpty, canRecord: canRecord,
            vials: overview.vials.filter { $0.status.isInStock }.map { v in
                VialChoice(id: v.id.rawValue.uuidString, label: "\(v.stock), \(v.strength), \(v.status.title), \(v.remaining) left, expires \(v.expiry)",
                           checked: f["vial.\(v.id.rawValue.uuidString)"] == "true")
            },
            hasVials: overview.vials.contains { $0.status.isInStock },
            destructionFields: [
                FormField("method", "How it was destroyed", value: f["method"], errors: errors, hint: "e.g. a chemical digestion system, witnessed", required: true),
                FormField("reason", "Why", value: f["reason"], errors: errors, hint: "expired, past the beyond-use date, no longer used", required: true),
                FormField("witnessEmail", "Second witness's e-mail (signs in here; never the person recording)", value: "", type: "email", errors: errors),
                FormField("witnessPassword", "Second witness's password", value: "", type: "password", errors: errors),
            ],
            lossFields: [
                FormField("kind", "What happened", value: f["kind"], errors: errors, options: [("theft", "theft"), ("loss", "loss"), ("lostInTransit", "lost in transit"), ("other", "other")]),
                FormField("discoveredOn", "Discovered on", value: f["discoveredOn"].isEmpty ? clinic.today.description : f["discoveredOn"], type: "date", errors: errors, required: true),
                FormField("circumstances", "Circumstances", value: f["circumstances"], errors: errors, required: true, textarea: true),
                FormField("policeNotified", "Police notified", value: f["policeNotified"], errors: errors, checkbox: true),
                FormField("policeReport", "Police report number", value: f["policeReport"], errors: errors),
            ],
            errorSummary: summary, hasErrors: !summary.isEmpty, notificationDays: overview.settings.lossNotificationBusinessDays)
        return pages.render("register-forms", page, status: status)
    }

    func registerFormStep(_ request: Request, _ context: ClinicRequestContext, destruction: Bool) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let actor = try context.actor()
        let chosen: [String] = w.values.keys.filter { (key: String) -> Bool in key.hasPrefix("vial.") && w[key] == "true" }
        let ids = chosen.compactMap { UUID(uuidString: String($0.dropFirst(5))) }.sorted { $0.uuidString < $1.uuidString }.map { ControlledSubstanceVial.ID($0) }
        do {
            if destruction {
                let d = try await clinic.recordDestruction(vials: ids, method: w["method"], reason: w["reason"],
                                                           witness: SecondClinician(email: w["witnessEmail"], password: w["witnessPassword"], reason: ""), by: actor)
                return try await registerFormsPage(context, form: nil, errors: [:], flash: "Destruction of \(d.items.count) vial(s) recorded, witnessed by \(d.witnesses.map(\.name).joined(separator: " and ")).")
            }
            guard let kind = LossReport.Kind(rawValue: w["kind"]) else { throw ClinicError.invalid("kind", "Choose what happened") }
            let l = try await clinic.recordLoss(vials: ids, kind: kind, discoveredOn: w["discoveredOn"], circumstances: w["circumstances"],
                                                policeNotified: w.bool("policeNotified"), policeReport: w["policeReport"], by: actor)
            return try await registerFormsPage(context, form: nil, errors: [:], flash: "The \(l.kind.title) is recorded: notify the DEA (Form 106) by \(l.notifyBy).")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await registerFormsPage(context, form: w, errors: errors, flash: "", status: .unprocessableContent)
        }
    }
}
