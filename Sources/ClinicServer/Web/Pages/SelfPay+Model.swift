import ClinicCore
import Foundation
import Hummingbird

/// Self-pay (issue 6): the price list, a patient's account with its ledger, good-faith estimates (printable) and
/// payment plans with their schedules.
extension WebRoutes {
    func registerSelfPay(on router: Router<ClinicRequestContext>) {
        router.get("/billing/prices") { _, context in try await pricesPage(context) }
        router.post("/billing/prices") { request, context in try await savePricesPage(request, context) }
        router.post("/billing/prices/settings") { request, context in try await saveSelfPaySettingsPage(request, context) }
        router.get("/patients/{id}/account") { request, context in try await patientPatientAccountPage(request, context) }
        router.post("/patients/{id}/ledger") { request, context in try await recordLedgerPage(request, context) }
        router.get("/patients/{id}/estimates/new") { _, context in try await estimateFormPage(context) }
        router.post("/patients/{id}/estimates/new") { request, context in try await issueEstimatePage(request, context) }
        router.get("/estimates/{id}") { _, context in try await estimatePage(context) }
        router.get("/patients/{id}/payment-plans/new") { request, context in try await paymentPlanFormPage(context, estimate: request.uri.queryParameters["estimate"].map(String.init)) }
        router.post("/patients/{id}/payment-plans/new") { request, context in try await createPaymentPlanPage(request, context) }
        router.get("/payment-plans/{id}") { _, context in try await paymentPlanPage(context) }
        router.post("/payment-plans/{id}/regenerate") { request, context in try await regeneratePaymentPlanPage(request, context) }
    }

    static func errorSummary(_ errors: [String: String]) -> [FieldError] { errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) } }

    // MARK: - Prices

    struct PricesPage {
        struct Row {
            let index: Int
            let id: String
            let kind: String
            let kindTitle: String
            let protocolID: String
            let name: String
            let code: String
            let price: String
            let priceText: String
            let active: Bool
            let nameError: String
            let codeError: String
            let priceError: String
            let isInfusion: Bool
        }
        let chrome: PageChrome
        let version: Int
        let currency: String
        let canEdit: Bool
        let rows: [Row]
        let offered: [Row]
        let hasOffered: Bool
        let errorSummary: [FieldError]
        let hasErrors: Bool
        let settingsFields: [FormField]
        let dispute: String
    }

    func pricesPage(_ context: ClinicRequestContext, errors: [String: String] = [:], form: WebForm? = nil, flash: String = "",
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let (list, settings) = try await clinic.priceList(by: actor)
        let canEdit = clinic.access.allows(actor, AccessRequest(.update, .priceList))
        let currency = settings.currency
        func row(_ i: Int, _ item: PriceItem?, protocolID: InfusionProtocol.ID?, name: String, kind: PriceItem.Kind) -> PricesPage.Row {
            let typed = form?.rows("items")
            let t = typed.flatMap { i < $0.count ? $0[i] : nil }
            return PricesPage.Row(index: i, id: item?.id ?? "", kind: kind.rawValue, kindTitle: kind.title, protocolID: protocolID?.rawValue.uuidString ?? "",
                                  name: t?["name"] ?? item?.name ?? name, code: t?["code"] ?? item?.code ?? (kind == .infusion ? "96365" : ""),
                                  price: t?["price"] ?? item?.unitPrice.decimalText ?? "", priceText: item.map { $0.unitPrice.formatted(currency) } ?? "",
                                  active: t.map { $0["active"] == "true" } ?? item?.active ?? true,
                                  nameError: errors["items[\(i)].name"] ?? "", codeError: errors["items[\(i)].code"] ?? "",
                                  priceError: errors["items[\(i)].price"] ?? errors["items[\(i)].protocolID"] ?? "", isInfusion: kind == .infusion)
        }
        var rows: [PricesPage.Row] = []
        if canEdit {
            // Every protocol of the library gets an infusion row; then the add-ons, then three blank ones.
            for p in try await clinic.protocols(by: actor) {
                let item = list.item(PriceItem.infusionID(p.id))
                rows.append(row(rows.count, item, protocolID: p.id, name: "\(p.name) — one infusion", kind: .infusion))
            }
            for item in list.items where item.kind == .addOn { rows.append(row(rows.count, item, protocolID: nil, name: item.name, kind: .addOn)) }
            for _ in 0..<3 { rows.append(row(rows.count, nil, protocolID: nil, name: "", kind: .addOn)) }
        }
        let offered = list.offered.enumerated().map { row($0.offset, $0.element, protocolID: $0.element.protocolID, name: $0.element.name, kind: $0.element.kind) }
        let f = form ?? WebForm(values: [:])
        func v(_ name: String, _ current: String) -> String { f["settings." + name].isEmpty ? current : f["settings." + name] }
        let model = PricesPage(
            chrome: chrome("Prices", context, active: "prices", flash: flash), version: list.version, currency: currency.code, canEdit: canEdit,
            rows: rows, offered: offered, hasOffered: !offered.isEmpty, errorSummary: Self.errorSummary(errors), hasErrors: !errors.isEmpty,
            settingsFields: [
                FormField("settings.currency", "Currency (one per clinic)", value: v("currency", currency.code), errors: errors,
                          options: ClinicCurrency.supported.map { ($0, $0) }),
                FormField("settings.disputeThreshold", "Dispute figure on good-faith estimates", value: v("disputeThreshold", settings.disputeThreshold.decimalText),
                          errors: errors, hint: "No Surprises Act: a bill this much above the estimate may be disputed ($400 when written) — check current CMS guidance"),
                FormField("settings.providerName", "Provider named on estimates", value: v("providerName", settings.providerName), errors: errors),
                FormField("settings.providerNPI", "Provider NPI", value: v("providerNPI", settings.providerNPI), errors: errors, hint: "ten digits"),
                FormField("settings.providerTIN", "Provider TIN", value: v("providerTIN", settings.providerTIN), errors: errors, hint: "XX-XXXXXXX"),
                FormField("settings.providerAddress", "Location where care is given", value: v("providerAddress", settings.providerAddress), errors: errors),
            ],
            dispute: settings.disputeThreshold.formatted(currency))
        return pages.render("prices", model, status: status)
    }

    func savePricesPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let rows = w.rows("items").map { r in
            PriceItemForm(id: r["id"] ?? "", kind: PriceItem.Kind(rawValue: r["kind"] ?? "") ?? .addOn,
                          protocolID: (r["protocolID"]).flatMap { UUID(uuidString: $0) }.map { InfusionProtocol.ID($0) },
                          name: r["name"] ?? "", code: r["code"] ?? "", price: r["price"] ?? "", active: r["active"] != "false")
        }
        do {
            let list = try await clinic.savePriceList(rows, by: try context.actor())
            return try await pricesPage(context, flash: "Price list saved (version \(list.version)).")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await pricesPage(context, errors: errors, form: w, status: .unprocessableContent)
        }
    }

    func saveSelfPaySettingsPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        do {
            _ = try await clinic.saveSelfPaySettings(currency: w["settings.currency"], disputeThreshold: w["settings.disputeThreshold"],
                                                     providerName: w["settings.providerName"], providerNPI: w["settings.providerNPI"],
                                                     providerTIN: w["settings.providerTIN"], providerAddress: w["settings.providerAddress"], by: try context.actor())
            return try await pricesPage(context, flash: "Self-pay settings saved.")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e).map({ Dictionary(uniqueKeysWithValues: $0.map { ("settings." + $0.key, $0.value) }) }) else { throw e }
            return try await pricesPage(context, errors: errors, form: w, status: .unprocessableContent)
        }
    }

    // MARK: - The account

    struct PatientAccountPage {
        struct Line {
            let on: String
            let kind: String
            let kindClass: String
            let description: String
            let reference: String
            let method: String
            let amount: String
            let balance: String
            let by: String
        }
        struct EstimateRow {
            let id: String
            let issued: String
            let period: String
            let total: String
        }
        struct PlanRow {
            let id: String
            let covered: String
            let paid: String
            let status: String
            let statusClass: String
        }
        let chrome: PageChrome
        let patientID: String
        let name: String
        let mrn: String
        let balance: String
        let balanceLabel: String
        let charges: String
        let payments: String
        let refunds: String
        let writeOffs: String
        let adjustments: String
        let lines: [Line]
        let hasLines: Bool
        let estimates: [EstimateRow]
        let hasEstimates: Bool
        let plans: [PlanRow]
        let hasPlans: Bool
        let active: ActivePlan?
        let canCreate: Bool
        let canCreatePlan: Bool
        let canCorrect: Bool
        let paymentFields: [FormField]
        let correctionFields: [FormField]
        let errorSummary: [FieldError]
        let hasErrors: Bool
        let today: String

        struct ActivePlan {
            let id: String
            let nextDue: String
            let overdue: String
            let hasOverdue: Bool
            let difference: String
            let hasDifference: Bool
        }
    }

    func patientPatientAccountPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let format = request.uri.queryParameters["format"].map(String.init)
        return try await patientPatientAccountPage(context, csv: format == "csv")
    }

    func patientPatientAccountPage(_ context: ClinicRequestContext, csv: Bool = false, errors: [String: String] = [:], form: WebForm? = nil, flash: String = "",
                            status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let id = try patientID(context)
        let a = try await clinic.patientAccount(id, by: actor)
        let c = a.settings.currency
        let tz = clinic.settings.timeZone
        let lines = a.lines.reversed().map { l in
            PatientAccountPage.Line(on: l.entry.on.description, kind: l.entry.kind.title,
                             kindClass: l.entry.kind == .payment ? "badge ok" : l.entry.kind == .charge ? "badge" : "badge warn",
                             description: l.entry.description, reference: l.entry.reference, method: l.entry.method?.title ?? "",
                             amount: l.entry.balanceEffect.formatted(c), balance: l.balanceAfter.formatted(c), by: a.staffNames[l.entry.by] ?? "")
        }
        if csv {
            var text = "date,recorded,kind,description,reference,method,amount,balance_after,source\r\n"
            for l in a.lines {
                text += [l.entry.on.description, Self.time(l.entry.at, tz), l.entry.kind.rawValue, l.entry.description, l.entry.reference,
                         l.entry.method?.rawValue ?? "", l.entry.balanceEffect.decimalText, l.balanceAfter.decimalText, l.entry.source ?? ""]
                    .map(Self.csvField).joined(separator: ",") + "\r\n"
            }
            return Self.csvResponse(text, filename: "ledger-\(a.patient.mrn.value)-\(a.today).csv")
        }
        let f = form ?? WebForm(values: [:])
        let methods = PaymentMethod.allCases.map { ($0.rawValue, $0.title) }
        let active = a.activePlan.map { p in
            PatientAccountPage.ActivePlan(id: p.plan.id.rawValue.uuidString,
                                   nextDue: p.nextDue.map { "\($0.outstanding.formatted(c)) due \($0.instalment.dueDate)" } ?? "nothing due",
                                   overdue: p.overdue.formatted(c), hasOverdue: p.overdue.cents > 0,
                                   difference: (p.difference.cents > 0 ? "+" : "") + p.difference.formatted(c), hasDifference: !p.difference.isZero)
        }
        let model = PatientAccountPage(
            chrome: chrome("Account · \(a.patient.familyName)", context, active: "patients", flash: flash),
            patientID: id.rawValue.uuidString, name: "\(a.patient.givenName) \(a.patient.familyName)", mrn: a.patient.mrn.value,
            balance: Money(cents: Int64(a.balance.cents.magnitude)).formatted(c),
            balanceLabel: a.balance.cents > 0 ? "owed by the patient" : a.balance.cents < 0 ? "in credit (paid ahead)" : "settled",
            charges: a.totals.charges.formatted(c), payments: a.totals.payments.formatted(c), refunds: a.totals.refunds.formatted(c),
            writeOffs: a.totals.writeOffs.formatted(c), adjustments: a.totals.adjustments.formatted(c),
            lines: lines, hasLines: !lines.isEmpty,
            estimates: a.estimates.map { e in
                PatientAccountPage.EstimateRow(id: e.id.rawValue.uuidString, issued: e.issuedOn.description, period: "\(e.serviceFrom) – \(e.serviceTo)", total: e.total.formatted(c))
            },
            hasEstimates: !a.estimates.isEmpty,
            plans: a.plans.map { p in
                PatientAccountPage.PlanRow(id: p.plan.id.rawValue.uuidString, covered: p.plan.coveredAmount.formatted(c), paid: p.paid.formatted(c),
                                    status: p.isComplete ? "paid in full" : p.overdue.cents > 0 ? "overdue" : "being paid",
                                    statusClass: p.isComplete ? "badge ok" : p.overdue.cents > 0 ? "badge bad" : "badge warn")
            },
            hasPlans: !a.plans.isEmpty, active: active,
            canCreate: clinic.access.allows(actor, AccessRequest(.create, .patientAccount, patient: id)),
            canCreatePlan: clinic.access.allows(actor, AccessRequest(.create, .patientAccount, patient: id)) && a.activePlan == nil,
            canCorrect: clinic.access.allows(actor, AccessRequest(.decide, .patientAccount, patient: id)),
            paymentFields: [
                FormField("amount", "Amount (\(c.code))", value: f["amount"], errors: errors, required: true),
                FormField("on", "Date", value: f["on"].isEmpty ? a.today.description : f["on"], type: "date", errors: errors),
                FormField("method", "Method", value: f["method"].isEmpty ? "card" : f["method"], errors: errors, options: methods),
                FormField("reference", "Receipt or reference", value: f["reference"], errors: errors),
            ],
            // The refund/write-off form's fields carry a prefix (the payment form on the same page has the same names).
            correctionFields: [
                FormField("correction.kind", "Kind", value: f["correction.kind"], errors: errors, options: [("refund", "Refund to the patient"), ("writeOff", "Write-off")]),
                FormField("correction.amount", "Amount (\(c.code))", value: f["correction.amount"], errors: errors, required: true),
                FormField("correction.on", "Date", value: f["correction.on"].isEmpty ? a.today.description : f["correction.on"], type: "date", errors: errors),
                FormField("correction.method", "Refund method", value: f["correction.method"].isEmpty ? "card" : f["correction.method"], errors: errors,
                          hint: "not used for a write-off", options: methods),
                FormField("correction.reference", "Reference", value: f["correction.reference"], errors: errors),
                FormField("correction.reason", "Reason", value: f["correction.reason"], errors: errors, required: true),
            ],
            errorSummary: Self.errorSummary(errors), hasErrors: !errors.isEmpty, today: a.today.description)
        return pages.render("patient-account", model, status: status)
    }

    func recordLedgerPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let id = try patientID(context)
        let prefix = w["correction.kind"].isEmpty ? "" : "correction."
        let kind = prefix.isEmpty ? LedgerEntry.Kind.payment : LedgerEntry.Kind(rawValue: w["correction.kind"])
        guard let kind, [.payment, .refund, .writeOff].contains(kind) else {
            return try await patientPatientAccountPage(context, errors: ["correction.kind": "Record a payment, a refund or a write-off"], form: w, status: .unprocessableContent)
        }
        do {
            let e = try await clinic.recordLedgerEntry(for: id, LedgerEntryForm(kind: kind, amount: w[prefix + "amount"], on: w[prefix + "on"], method: w[prefix + "method"],
                                                                                reference: w[prefix + "reference"], reason: w[prefix + "reason"]), by: try context.actor())
            let c = try await clinic.selfPaySettings().currency
            return try await patientPatientAccountPage(context, flash: "\(kind.title.capitalized) of \(e.amount.formatted(c)) recorded.")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e).map({ Dictionary(uniqueKeysWithValues: $0.map { (prefix + $0.key, $0.value) }) }) else { throw e }
            return try await patientPatientAccountPage(context, errors: errors, form: w, status: .unprocessableContent)
        }
    }

    // MARK: - Good-faith estimates

    struct EstimateFormPage {
        struct Line {
            let index: Int
            let itemID: String
            let name: String
            let code: String
            let price: String
            let quantity: String
            let error: String
        }
        let chrome: PageChrome
        let patientID: String
        let name: String
        let lines: [Line]
        let hasLines: Bool
        let fields: [FormField]
        let errorSummary: [FieldError]
        let hasErrors: Bool
    }

    func estimateFormPage(_ context: ClinicRequestContext, form: WebForm? = nil, errors: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let id = try patientID(context)
        let a = try await clinic.patientAccount(id, by: actor)
        let (list, settings) = try await clinic.priceList(by: actor)
        let f = form ?? WebForm(values: [:])
        let lines = list.offered.enumerated().map { i, item in
            EstimateFormPage.Line(index: i, itemID: item.id, name: item.name, code: item.code, price: item.unitPrice.formatted(settings.currency),
                                  quantity: f["items[\(i)].quantity"], error: errors["items[\(i)].quantity"] ?? errors["items[\(i)].itemID"] ?? "")
        }
        let start = a.today.adding(days: 7)
        let model = EstimateFormPage(
            chrome: chrome("Good-faith estimate", context, active: "patients"), patientID: id.rawValue.uuidString,
            name: "\(a.patient.givenName) \(a.patient.familyName)", lines: lines, hasLines: !lines.isEmpty,
            fields: [
                FormField("serviceFrom", "First day of care", value: form == nil ? start.description : f["serviceFrom"], type: "date", errors: errors, required: true),
                FormField("serviceTo", "Last day of care", value: form == nil ? start.adding(days: 14).description : f["serviceTo"], type: "date", errors: errors, required: true),
                FormField("diagnosisCodes", "Diagnosis codes (ICD-10-CM)", value: f["diagnosisCodes"], errors: errors,
                          hint: "blank: the chart's codes when your role may read them"),
                FormField("primaryService", "Primary service in plain words", value: f["primaryService"], errors: errors, hint: "blank: made from the infusions"),
                FormField("separatelyScheduled", "Care to be scheduled separately", value: f["separatelyScheduled"], errors: errors,
                          hint: "e.g. boosters after the series", textarea: true),
                FormField("note", "Note", value: f["note"], errors: errors, textarea: true),
            ],
            errorSummary: Self.errorSummary(errors), hasErrors: !errors.isEmpty)
        return pages.render("estimate-form", model, status: status)
    }

    func issueEstimatePage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let id = try patientID(context)
        let form = GoodFaithEstimateForm(lines: w.rows("items").map { .init(itemID: $0["itemID"] ?? "", quantity: $0["quantity"] ?? "") },
                                         serviceFrom: w["serviceFrom"], serviceTo: w["serviceTo"], diagnosisCodes: w["diagnosisCodes"],
                                         primaryService: w["primaryService"], separatelyScheduled: w["separatelyScheduled"], note: w["note"])
        do {
            let e = try await clinic.issueEstimate(for: id, form, by: try context.actor())
            return .redirect(to: "/estimates/\(e.id.rawValue.uuidString)")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await estimateFormPage(context, form: w, errors: errors, status: .unprocessableContent)
        }
    }

    struct EstimatePage {
        struct Line {
            let description: String
            let code: String
            let quantity: Int
            let unitPrice: String
            let total: String
        }
        let chrome: PageChrome
        let id: String
        let patientID: String
        let patientName: String
        let dateOfBirth: String
        let primaryService: String
        let lines: [Line]
        let total: String
        let period: String
        let codes: String
        let provider: String
        let npi: String
        let tin: String
        let address: String
        let separatelyScheduled: String
        let note: String
        let issued: String
        let disclaimers: [String]
        let dispute: String
        let canPlan: Bool
    }

    func estimatePage(_ context: ClinicRequestContext) async throws -> Response {
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("estimate") }
        let actor = try context.actor()
        let e = try await clinic.estimate(GoodFaithEstimate.ID(uuid), by: actor)
        let c = e.currency
        let model = EstimatePage(
            chrome: chrome("Good-faith estimate", context, active: "patients"), id: e.id.rawValue.uuidString, patientID: e.patientID.rawValue.uuidString,
            patientName: e.patientName, dateOfBirth: e.dateOfBirth.description, primaryService: e.primaryService,
            lines: e.lines.map { .init(description: $0.description, code: $0.code, quantity: $0.quantity, unitPrice: $0.unitPrice.formatted(c), total: $0.total.formatted(c)) },
            total: e.total.formatted(c), period: "\(e.serviceFrom) to \(e.serviceTo)",
            codes: e.diagnosisCodes.isEmpty ? "—" : e.diagnosisCodes.joined(separator: ", "),
            provider: e.provider.name.isEmpty ? "(set the provider in the self-pay settings)" : e.provider.name,
            npi: e.provider.npi.isEmpty ? "—" : e.provider.npi, tin: e.provider.tin.isEmpty ? "—" : e.provider.tin,
            address: e.provider.address.isEmpty ? "—" : e.provider.address,
            separatelyScheduled: e.separatelyScheduled.isEmpty ? "None expected." : e.separatelyScheduled, note: e.note,
            issued: "\(e.issuedOn) by \(e.issuedByName)", disclaimers: e.disclaimers, dispute: e.disputeThreshold.formatted(c),
            canPlan: clinic.access.allows(actor, AccessRequest(.create, .patientAccount, patient: e.patientID)))
        return pages.render("estimate", model)
    }

    // MARK: - Payment plans

    struct PaymentPlanFormPage {
        let chrome: PageChrome
        let patientID: String
        let name: String
        let fields: [FormField]
        let errorSummary: [FieldError]
        let hasErrors: Bool
    }

    func paymentPlanFormPage(_ context: ClinicRequestContext, estimate: String?, form: WebForm? = nil, errors: [String: String] = [:],
                             status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let id = try patientID(context)
        let a = try await clinic.patientAccount(id, by: actor)
        let c = a.settings.currency
        let f = form ?? WebForm(values: [:])
        var covers = a.estimates.map { ($0.id.rawValue.uuidString, "Good-faith estimate of \($0.issuedOn): \($0.total.formatted(c))") }
        if a.balance.cents > 0 { covers.append(("", "The account balance: \(a.balance.formatted(c))")) }
        let model = PaymentPlanFormPage(
            chrome: chrome("New payment plan", context, active: "patients"), patientID: id.rawValue.uuidString, name: "\(a.patient.givenName) \(a.patient.familyName)",
            fields: [
                FormField("estimateID", "The plan covers", value: form == nil ? (estimate ?? a.estimates.first?.id.rawValue.uuidString ?? "") : f["estimateID"],
                          errors: errors, options: covers),
                FormField("downPayment", "Down payment (\(c.code))", value: f["downPayment"], errors: errors, hint: "due today; blank: none"),
                FormField("instalments", "Number of instalments", value: form == nil ? "6" : f["instalments"], type: "number", errors: errors, required: true),
                FormField("frequency", "Every", value: form == nil ? "monthly" : f["frequency"], errors: errors,
                          options: PlanFrequency.allCases.map { ($0.rawValue, $0.title) }),
                FormField("firstDueDate", "First instalment due", value: form == nil ? PlanFrequency.monthly.dueDate(first: a.today, after: 1).description : f["firstDueDate"],
                          type: "date", errors: errors, required: true),
            ],
            errorSummary: Self.errorSummary(errors), hasErrors: !errors.isEmpty)
        return pages.render("payment-plan-form", model, status: status)
    }

    func createPaymentPlanPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        let id = try patientID(context)
        do {
            let p = try await clinic.createPaymentPlan(for: id, PaymentPlanForm(estimateID: w["estimateID"], downPayment: w["downPayment"], instalments: w["instalments"],
                                                                               frequency: w["frequency"], firstDueDate: w["firstDueDate"]), by: try context.actor())
            return .redirect(to: "/payment-plans/\(p.plan.id.rawValue.uuidString)")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await paymentPlanFormPage(context, estimate: nil, form: w, errors: errors, status: .unprocessableContent)
        }
    }

    struct PaymentPlanPage {
        struct Row {
            let label: String
            let due: String
            let amount: String
            let applied: String
            let status: String
            let statusClass: String
        }
        struct Change {
            let when: String
            let from: String
            let to: String
            let paid: String
            let reason: String
        }
        let chrome: PageChrome
        let id: String
        let patientID: String
        let name: String
        let covers: String
        let estimateID: String
        let hasEstimate: Bool
        let covered: String
        let frequency: String
        let paid: String
        let remaining: String
        let overdue: String
        let hasOverdue: Bool
        let scheduleTotal: String
        let rows: [Row]
        let difference: String
        let suggested: String
        let hasDifference: Bool
        let complete: Bool
        let changes: [Change]
        let hasChanges: Bool
        let canRegenerate: Bool
        let fields: [FormField]
        let errorSummary: [FieldError]
        let hasErrors: Bool
    }

    func paymentPlanPage(_ context: ClinicRequestContext, form: WebForm? = nil, errors: [String: String] = [:], flash: String = "",
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("payment plan") }
        let actor = try context.actor()
        let (p, a) = try await clinic.paymentPlan(PaymentPlan.ID(uuid), by: actor)
        let c = a.settings.currency
        let tz = clinic.settings.timeZone
        let f = form ?? WebForm(values: [:])
        func cls(_ s: InstalmentState.Status) -> String {
            switch s {
            case .paid: "badge ok"
            case .partlyPaid: "badge warn"
            case .due: "badge"
            case .overdue: "badge bad"
            }
        }
        let model = PaymentPlanPage(
            chrome: chrome("Payment plan", context, active: "patients", flash: flash), id: p.plan.id.rawValue.uuidString,
            patientID: a.patient.id.rawValue.uuidString, name: "\(a.patient.givenName) \(a.patient.familyName)",
            covers: p.plan.basis == .estimate ? "a good-faith estimate" : "the account balance", estimateID: p.plan.estimateID?.rawValue.uuidString ?? "",
            hasEstimate: p.plan.estimateID != nil, covered: p.plan.coveredAmount.formatted(c), frequency: p.plan.frequency.title,
            paid: p.paid.formatted(c), remaining: p.remaining.formatted(c), overdue: p.overdue.formatted(c), hasOverdue: p.overdue.cents > 0,
            scheduleTotal: p.plan.schedule.reduce(Money.zero) { $0 + $1.amount }.formatted(c),
            rows: p.instalments.map { s in
                PaymentPlanPage.Row(label: s.instalment.isDownPayment ? "Down payment" : "Instalment \(s.instalment.number)", due: s.instalment.dueDate.description,
                                    amount: s.instalment.amount.formatted(c), applied: s.applied.formatted(c), status: s.status.title, statusClass: cls(s.status))
            },
            difference: (p.difference.cents > 0 ? "+" : "") + p.difference.formatted(c), suggested: p.suggestedCovered.formatted(c),
            hasDifference: !p.difference.isZero, complete: p.isComplete,
            changes: p.plan.regenerations.map { r in
                PaymentPlanPage.Change(when: Self.time(r.at, tz), from: r.previousCovered.formatted(c), to: r.newCovered.formatted(c), paid: r.paidThen.formatted(c), reason: r.reason)
            },
            hasChanges: !p.plan.regenerations.isEmpty,
            canRegenerate: clinic.access.allows(actor, AccessRequest(.update, .patientAccount, patient: a.patient.id)),
            fields: [
                FormField("coveredAmount", "New covered amount (\(c.code))", value: f["coveredAmount"], errors: errors,
                          hint: "blank: what the ledger suggests, \(p.suggestedCovered.formatted(c))"),
                FormField("instalments", "Instalments for the rest", value: f["instalments"], type: "number", errors: errors, hint: "blank: as many as are unpaid"),
                FormField("firstDueDate", "First of them due", value: f["firstDueDate"], type: "date", errors: errors, hint: "blank: the unpaid instalments' dates"),
                FormField("reason", "Why the amount changes", value: f["reason"], errors: errors, required: true),
            ],
            errorSummary: Self.errorSummary(errors), hasErrors: !errors.isEmpty)
        return pages.render("payment-plan", model, status: status)
    }

    func regeneratePaymentPlanPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("payment plan") }
        do {
            _ = try await clinic.regeneratePaymentPlan(PaymentPlan.ID(uuid), PlanRegenerationForm(coveredAmount: w["coveredAmount"], instalments: w["instalments"],
                                                                                                  firstDueDate: w["firstDueDate"], reason: w["reason"]),
                                                       by: try context.actor())
            return try await paymentPlanPage(context, flash: "Schedule regenerated; what was paid is kept.")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await paymentPlanPage(context, form: w, errors: errors, status: .unprocessableContent)
        }
    }
}
