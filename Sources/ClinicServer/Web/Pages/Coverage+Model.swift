import ClinicCore
import Foundation
import Hummingbird

/// Coverage pages (issue 6 §1): payers, a patient's coverages with eligibility checks, and prior authorisations with
/// what billed sessions used of them.
extension WebRoutes {
    func registerCoverage(on router: Router<ClinicRequestContext>) {
        router.get("/patients/{id}/coverage") { _, context in try await coveragePage(context, form: nil, errors: [:], flash: "") }
        router.post("/patients/{id}/coverage") { request, context in try await coverageStep(request, context, step: "coverage") }
        router.post("/patients/{id}/authorizations") { request, context in try await coverageStep(request, context, step: "authorization") }
        router.post("/patients/{id}/eligibility") { request, context in try await coverageStep(request, context, step: "eligibility") }
        router.get("/billing/payers") { _, context in try await payersPage(context, form: nil, errors: [:], flash: "") }
        router.post("/billing/payers") { request, context in try await addPayerPage(request, context) }
    }

    func coveragePage(_ context: ClinicRequestContext, form: WebForm?, errors: [String: String], flash: String,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        struct CoverageRow {
            let id: String
            let priority: String
            let payer: String
            let plan: String
            let member: String
            let group: String
            let subscriber: String
            let dates: String
            let inEffect: Bool
            let eligibility: String
            let eligibilityClass: String
        }
        struct AuthRow {
            let number: String
            let codes: String
            let unit: String
            let used: Int
            let approved: Int
            let remaining: Int
            let dates: String
            let badge: String
            let status: String
            let sessions: String
        }
        struct Page {
            let chrome: PageChrome
            let patientID: String
            let patientName: String
            let coverages: [CoverageRow]
            let hasCoverages: Bool
            let authorizations: [AuthRow]
            let hasAuthorizations: Bool
            let warnings: [String]
            let hasWarnings: Bool
            let canEdit: Bool
            let coverageFields: [FormField]
            let eligibilityFields: [FormField]
            let authorizationFields: [FormField]
            let errorSummary: [FieldError]
            let hasErrors: Bool
            let hasPayers: Bool
        }
        let actor = try context.actor()
        let id = try patientID(context)
        let file = try await clinic.patientCoverage(id, by: actor)
        let chart = try await clinic.chart(id, by: actor, withHistory: false)
        let warnings = try await clinic.coverageWarnings(for: id, by: actor).map(\.message)
        let checkers = try await clinic.staffNames(for: file.checks.map(\.checkedBy))
        let canEdit = clinic.access.allows(actor, AccessRequest(.create, .coverage, patient: id))
        let payers = canEdit ? try await clinic.payers(by: actor) : []
        let today = clinic.today
        let f = form ?? WebForm(values: [:])
        func v(_ k: String, _ d: String = "") -> String { f[k].isEmpty ? d : f[k] }
        let coverageOptions = file.coverages.map { ($0.id.uuidString, "\($0.payerName) \($0.planName) (\($0.priority.title))") }
        let rows = file.coverages.map { c in
            let latest = file.checks.first { $0.coverageID == c.id }
            return CoverageRow(id: c.id.uuidString, priority: c.priority.title, payer: c.payerName, plan: c.planName, member: c.memberID, group: c.groupNumber,
                               subscriber: "\(c.subscriberName) (\(c.relationship.title))",
                               dates: "\(c.effectiveFrom) – \(c.effectiveTo?.description ?? "open")", inEffect: c.isEffective(on: today),
                               eligibility: latest.map { "\($0.result.title) · \($0.checkedOn) by \($0.method)\($0.reference.isEmpty ? "" : " ref \($0.reference)") · checked by \(checkers[$0.checkedBy] ?? "staff")" } ?? "never checked",
                               eligibilityClass: latest.map { $0.result == .active ? "badge ok" : $0.result == .activeNeedsAuthorization ? "badge warn" : "badge bad" } ?? "badge warn")
        }
        let auths = file.authorizations.map { a in
            let valid = a.isValid(on: today)
            let status = !valid ? (a.validTo < today ? "expired" : "not yet valid") : a.remaining <= 0 ? "used up"
                : a.validTo.daysSinceEpoch - today.daysSinceEpoch <= CoverageRules.expiryWarningDays ? "ends soon" : "valid"
            return AuthRow(number: a.number, codes: a.codes.joined(separator: ", "), unit: a.unit.title, used: a.used, approved: a.approved, remaining: a.remaining,
                           dates: "\(a.validFrom) – \(a.validTo)", badge: status == "valid" ? "badge ok" : status == "ends soon" ? "badge warn" : "badge bad", status: status,
                           sessions: a.usages.map { "\($0.serviceDate) (\($0.quantity))" }.joined(separator: ", "))
        }
        let summary = errors.map { FieldError($0.key, $0.value) }.sorted { $0.field < $1.field }
        let page = Page(
            chrome: chrome("Coverage", context, active: "patients", flash: flash), patientID: id.rawValue.uuidString,
            patientName: "\(chart.patient.demographics.familyName), \(chart.patient.demographics.givenName)",
            coverages: rows, hasCoverages: !rows.isEmpty, authorizations: auths, hasAuthorizations: !auths.isEmpty,
            warnings: warnings, hasWarnings: !warnings.isEmpty, canEdit: canEdit,
            coverageFields: [
                FormField("payerID", "Payer", value: v("payerID"), errors: errors, required: true, options: [("", "Choose…")] + payers.map { ($0.id.uuidString, $0.name) }),
                FormField("planName", "Plan", value: v("planName"), errors: errors, hint: payers.flatMap { p in p.plans.map { "\(p.name): \($0.name)" } }.joined(separator: "; ")),
                FormField("memberID", "Member id", value: v("memberID"), errors: errors, required: true),
                FormField("groupNumber", "Group number", value: v("groupNumber"), errors: errors),
                FormField("relationship", "Patient's relationship to the subscriber", value: v("relationship", "self"), errors: errors,
                          options: Coverage.Relationship.allCases.map { ($0.rawValue, $0.title) }),
                FormField("subscriberName", "Subscriber (when not the patient)", value: v("subscriberName"), errors: errors),
                FormField("effectiveFrom", "Effective from", value: v("effectiveFrom"), type: "date", errors: errors, required: true),
                FormField("effectiveTo", "Effective to (blank: open)", value: v("effectiveTo"), type: "date", errors: errors),
                FormField("priority", "Priority", value: v("priority", "1"), errors: errors, options: Coverage.Priority.allCases.map { (String($0.rawValue), $0.title) }),
            ],
            eligibilityFields: [
                FormField("coverageID", "Coverage", value: v("coverageID"), errors: errors, options: coverageOptions),
                FormField("result", "Result", value: v("result"), errors: errors, options: [("", "Choose…")] + EligibilityCheck.Result.allCases.map { ($0.rawValue, $0.title) }),
                FormField("checkedOn", "Checked on", value: v("checkedOn", today.description), type: "date", errors: errors),
                FormField("method", "How", value: v("method", "portal"), errors: errors, options: [("portal", "payer portal"), ("phone", "phone"), ("electronic", "electronic (270/271)")]),
                FormField("reference", "Reference / call number", value: v("reference"), errors: errors),
                FormField("note", "Note", value: v("note"), errors: errors),
            ],
            authorizationFields: [
                FormField("coverageID", "Coverage", value: v("coverageID"), errors: errors, options: coverageOptions),
                FormField("number", "Authorisation number", value: v("number"), errors: errors, required: true),
                FormField("codes", "Codes covered", value: v("codes", "96365, 96366, J3490"), errors: errors, hint: "CPT/HCPCS, comma-separated"),
                FormField("unit", "Approved in", value: v("unit", "visits"), errors: errors, options: PriorAuthorization.Unit.allCases.map { ($0.rawValue, $0.title) }),
                FormField("approved", "Approved quantity", value: v("approved"), type: "number", errors: errors, required: true),
                FormField("validFrom", "Valid from", value: v("validFrom"), type: "date", errors: errors, required: true),
                FormField("validTo", "Valid to", value: v("validTo"), type: "date", errors: errors, required: true),
            ],
            errorSummary: summary, hasErrors: !summary.isEmpty, hasPayers: !payers.isEmpty)
        return pages.render("coverage", page, status: status)
    }

    func coverageStep(_ request: Request, _ context: ClinicRequestContext, step: String) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let actor = try context.actor()
        let id = try patientID(context)
        do {
            let flash: String
            switch step {
            case "coverage":
                let c = try await clinic.addCoverage(for: id, w.values, by: actor)
                flash = "Coverage with \(c.payerName) added."
            case "eligibility":
                guard let coverageID = UUID(uuidString: w["coverageID"]) else { throw ClinicError.invalid("coverageID", "Choose one of the patient's coverages") }
                let file = try await clinic.patientCoverage(id, by: actor)
                guard file.coverages.contains(where: { $0.id == coverageID }) else { throw ClinicError.invalid("coverageID", "Choose one of the patient's coverages") }
                let c = try await clinic.recordEligibilityCheck(coverageID, w.values, by: actor)
                flash = "Eligibility recorded: \(c.result.title)."
            default:
                let a = try await clinic.addAuthorization(for: id, w.values, by: actor)
                flash = "Authorisation \(a.number) recorded."
            }
            return try await coveragePage(context, form: nil, errors: [:], flash: flash)
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await coveragePage(context, form: w, errors: errors, flash: "", status: .unprocessableContent)
        }
    }

    func payersPage(_ context: ClinicRequestContext, form: WebForm?, errors: [String: String], flash: String,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        struct Row { let name: String; let electronicID: String; let phone: String; let plans: String }
        struct Page {
            let chrome: PageChrome
            let rows: [Row]
            let hasRows: Bool
            let canAdd: Bool
            let fields: [FormField]
            let errorSummary: [FieldError]
            let hasErrors: Bool
        }
        let actor = try context.actor()
        let payers = try await clinic.payers(by: actor)
        let f = form ?? WebForm(values: [:])
        let summary = errors.map { FieldError($0.key, $0.value) }.sorted { $0.field < $1.field }
        let page = Page(
            chrome: chrome("Payers", context, active: "billing", flash: flash),
            rows: payers.map { Row(name: $0.name, electronicID: $0.electronicID, phone: $0.phone, plans: $0.plans.map { "\($0.name) (\($0.type))" }.joined(separator: ", ")) },
            hasRows: !payers.isEmpty, canAdd: clinic.access.allows(actor, AccessRequest(.create, .coverage, id: "payers")),
            fields: [FormField("name", "Payer name", value: f["name"], errors: errors, required: true),
                     FormField("electronicID", "Electronic payer id", value: f["electronicID"], errors: errors),
                     FormField("phone", "Provider services phone", value: f["phone"], errors: errors),
                     FormField("plans", "Plans, one per line as name:type", value: f["plans"], errors: errors,
                               hint: "Types: \(Payer.planTypes.joined(separator: ", ")). E.g. Gold PPO:commercial", textarea: true)],
            errorSummary: summary, hasErrors: !summary.isEmpty)
        return pages.render("payers", page, status: status)
    }

    func addPayerPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        do {
            let p = try await clinic.addPayer(name: w["name"], electronicID: w["electronicID"], phone: w["phone"], plans: w["plans"], by: try context.actor())
            return try await payersPage(context, form: nil, errors: [:], flash: "\(p.name) added.")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await payersPage(context, form: w, errors: errors, flash: "", status: .unprocessableContent)
        }
    }
}
