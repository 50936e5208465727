import ClinicCore
import Foundation
import Hummingbird

/// The controlled-substance (Schedule III) register: stock, receipts, counts and their reconciliation, discrepancies,
/// each vial's lines and the dispensing log (clinical-reference §9; issue 6).
extension WebRoutes {
    struct RegisterPage {
        struct StockRow {
            let stock: String
            let drug: String
            let expiry: String
            let strength: String
            let sealed: Int
            let opened: Int
            let remaining: String
            let remainingMg: String
            let blocked: String
            let isBlocked: Bool
        }
        struct VialRow {
            let id: String
            let shortID: String
            let stock: String
            let status: String
            let statusClass: String
            let remaining: String
            let openedOn: String
            let beyondUse: String
            let expiry: String
        }
        struct DiscrepancyRow {
            let id: String
            let stock: String
            let findings: String
            let raised: String
        }
        struct AccountRow {
            let sessionID: String
            let status: String
            let drawn: String
        }
        let chrome: PageChrome
        let stocks: [StockRow]
        let hasStocks: Bool
        let vials: [VialRow]
        let discrepancies: [DiscrepancyRow]
        let hasDiscrepancies: Bool
        let canResolve: Bool
        let accounts: [AccountRow]
        let hasAccounts: Bool
        let latestCount: String
        let latestCountID: String
        let hasLatestCount: Bool
        let canReceive: Bool
        let receiveFields: [FormField]
        let multiDose: Bool
        let errorSummary: [FieldError]
        let hasErrors: Bool
        let tolerance: String
        let beyondUseDays: Int
        let today: String
        let canEditSettings: Bool
        let settingsFields: [FormField]
    }

    func registerPage(_ context: ClinicRequestContext, errors: [String: String] = [:], form: WebForm? = nil, flash: String = "",
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let o = try await clinic.registerOverview(by: actor)
        let tz = clinic.settings.timeZone
        let blocked = Dictionary(o.openDiscrepancies.map { ($0.stock, $0.findings.joined(separator: "; ")) }, uniquingKeysWith: { a, _ in a })
        let byStock = Dictionary(grouping: o.vials, by: \.stock)
        let stocks = byStock.keys.sorted().map { key -> RegisterPage.StockRow in
            let vials = byStock[key]!
            let first = vials[0]
            let volume = vials.reduce(Int64(0)) { $0 + $1.remaining.microlitres }
            let amount = vials.reduce(Int64(0)) { $0 + $1.remainingAmount.micrograms }
            return RegisterPage.StockRow(stock: key.description, drug: first.drugName, expiry: first.expiry.description, strength: first.strength.description,
                                         sealed: vials.filter { $0.status == .sealed }.count, opened: vials.filter { $0.status == .open }.count,
                                         remaining: FluidVolume(microlitres: volume).description, remainingMg: "\(DoseText.milligrams(amount)) mg",
                                         blocked: blocked[key] ?? "", isBlocked: blocked[key] != nil)
        }
        let vials = o.vials.map { v in
            RegisterPage.VialRow(id: v.id.rawValue.uuidString, shortID: String(v.id.rawValue.uuidString.prefix(8)), stock: v.stock.description, status: v.status.title,
                                 statusClass: v.status == .open ? "badge warn" : "badge ok", remaining: v.remaining.description,
                                 openedOn: v.openedOn?.description ?? "—", beyondUse: v.beyondUseDate?.description ?? (v.multiDose ? "on opening" : "single dose"),
                                 expiry: v.expiry.description)
        }
        let f = form ?? WebForm(values: [:])
        let model = RegisterPage(
            chrome: chrome("Controlled-substance register", context, active: "register", flash: flash),
            stocks: stocks, hasStocks: !stocks.isEmpty, vials: vials,
            discrepancies: o.openDiscrepancies.map { d in
                RegisterPage.DiscrepancyRow(id: d.id.rawValue.uuidString, stock: d.stock.description, findings: d.findings.joined(separator: "; "),
                                            raised: Self.time(d.raisedAt, tz))
            },
            hasDiscrepancies: !o.openDiscrepancies.isEmpty,
            canResolve: clinic.access.allows(actor, AccessRequest(.decide, .controlledSubstances)),
            accounts: o.unsettledAccounts.map { a in
                RegisterPage.AccountRow(sessionID: a.sessionID.rawValue.uuidString, status: a.status, drawn: "\(DoseText.milligrams(a.drawn.micrograms)) mg")
            },
            hasAccounts: !o.unsettledAccounts.isEmpty,
            latestCount: o.latestCount.map { "\($0.purpose.title), \(Self.time($0.at, tz)): \($0.outcome.rawValue)" } ?? "",
            latestCountID: o.latestCount?.id.rawValue.uuidString ?? "", hasLatestCount: o.latestCount != nil,
            canReceive: clinic.access.allows(actor, AccessRequest(.create, .controlledSubstances)),
            receiveFields: [
                FormField("ndc", "NDC", value: f["ndc"], errors: errors, hint: "as on the label, e.g. 0409-2051-05", required: true),
                FormField("lot", "Lot", value: f["lot"], errors: errors, required: true),
                FormField("expiry", "Expiry", value: f["expiry"], type: "date", errors: errors, required: true),
                FormField("strengthMgPerMl", "Strength (mg/mL)", value: f["strengthMgPerMl"].isEmpty ? "50" : f["strengthMgPerMl"], type: "number", errors: errors, required: true),
                FormField("volumeMl", "Volume per vial (mL)", value: f["volumeMl"].isEmpty ? "10" : f["volumeMl"], errors: errors, required: true),
                FormField("quantity", "Number of vials", value: f["quantity"], type: "number", errors: errors, required: true),
                FormField("supplier", "Supplier", value: f["supplier"], errors: errors, required: true),
                FormField("invoice", "Invoice or packing slip", value: f["invoice"], errors: errors, required: true),
                FormField("beyondUseDays", "Beyond-use days once opened", value: f["beyondUseDays"], type: "number", errors: errors,
                          hint: "blank: \(o.settings.beyondUseDays) (USP <797>) unless the manufacturer states otherwise"),
            ],
            multiDose: form == nil || f.bool("multiDose"),
            errorSummary: errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }, hasErrors: !errors.isEmpty,
            tolerance: FluidVolume(microlitres: o.settings.countToleranceMicrolitres).description, beyondUseDays: o.settings.beyondUseDays,
            today: o.today.description,
            canEditSettings: clinic.access.allows(actor, AccessRequest(.update, .controlledSubstanceSettings)),
            settingsFields: {
                func v(_ name: String, _ current: String) -> String { f[name].isEmpty ? current : f[name] }
                let ml = o.settings.countToleranceMicrolitres
                return [
                    FormField("settings.toleranceMl", "Count tolerance for opened vials (mL)", value: v("settings.toleranceMl", DoseText.milligrams(ml)), errors: errors,
                              hint: "default ±0.1 mL (local policy)"),
                    FormField("settings.beyondUseDays", "Beyond-use days of an opened multi-dose vial", value: v("settings.beyondUseDays", "\(o.settings.beyondUseDays)"), errors: errors,
                              hint: "USP <797>: 28 unless the manufacturer states otherwise"),
                    FormField("settings.lossNotificationBusinessDays", "Business days to notify the DEA of a theft or significant loss",
                              value: v("settings.lossNotificationBusinessDays", "\(o.settings.lossNotificationBusinessDays)"), errors: errors,
                              hint: "\"within one business day\" is unverified in clinical-reference §9: check the current rule"),
                    FormField("settings.registrantName", "Registrant (printed on inventories and forms)", value: v("settings.registrantName", o.settings.registrantName), errors: errors),
                    FormField("settings.deaRegistrationNumber", "DEA registration number", value: v("settings.deaRegistrationNumber", o.settings.deaRegistrationNumber), errors: errors,
                              hint: "two letters and seven digits"),
                ]
            }())
        return pages.render("register", model, status: status)
    }

    func receiveVialsPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        do {
            let vials = try await clinic.receiveVials(VialReceiptForm(ndc: w["ndc"], lot: w["lot"], expiry: w["expiry"], strengthMgPerMl: w["strengthMgPerMl"],
                                                                      volumeMl: w["volumeMl"], quantity: w["quantity"], multiDose: w.bool("multiDose"),
                                                                      beyondUseDays: w["beyondUseDays"], supplier: w["supplier"], invoice: w["invoice"]),
                                                      by: try context.actor())
            return try await registerPage(context, flash: "Received \(vials.count) vial(s) of \(vials.first.map { $0.stock.description } ?? "").")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await registerPage(context, errors: errors, form: w, status: .unprocessableContent)
        }
    }

    func saveRegisterSettingsPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        do {
            _ = try await clinic.saveRegisterSettings(toleranceMl: w["settings.toleranceMl"], beyondUseDays: w["settings.beyondUseDays"],
                                                      lossNotificationBusinessDays: w["settings.lossNotificationBusinessDays"],
                                                      registrantName: w["settings.registrantName"], deaRegistrationNumber: w["settings.deaRegistrationNumber"],
                                                      by: try context.actor())
            return try await registerPage(context, flash: "Register settings saved.")
        } catch let e as ClinicError {
            // The settings form's fields carry a prefix (the receipt form on the same page has its own beyond-use field).
            guard let errors = Self.errorMap(e).map({ Dictionary(uniqueKeysWithValues: $0.map { ("settings." + $0.key, $0.value) }) }) else { throw e }
            return try await registerPage(context, errors: errors, form: w, status: .unprocessableContent)
        }
    }

    func resolveDiscrepancyPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("discrepancy") }
        do {
            _ = try await clinic.resolveDiscrepancy(StockDiscrepancy.ID(uuid), resolution: w["resolution"], acceptCount: w.bool("acceptCount"), by: try context.actor())
            return try await registerPage(context, flash: "Discrepancy resolved; draws from that stock may go ahead.")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await registerPage(context, errors: errors, status: .unprocessableContent)
        }
    }

    // MARK: - Counts

    struct CountFormPage {
        struct SealedRow {
            let key: String
            let stock: String
            let strength: String
            let value: String
            let error: String
        }
        struct OpenedRow {
            let key: String
            let stock: String
            let openedOn: String
            let value: String
            let error: String
        }
        let chrome: PageChrome
        let sealed: [SealedRow]
        let opened: [OpenedRow]
        let hasOpened: Bool
        let purposes: [FormField.Option]
        let times: [FormField.Option]
        let errorSummary: [FieldError]
        let hasErrors: Bool
        let tolerance: String
    }

    /// A blind count: the register's figures are shown only with the result, so the count is not led by them.
    func countFormPage(_ context: ClinicRequestContext, errors: [String: String] = [:], form: WebForm? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.actor()
        let o = try await clinic.registerOverview(by: actor)
        let f = form ?? WebForm(values: [:])
        let stocks = Dictionary(grouping: o.vials, by: \.stock)
        let model = CountFormPage(
            chrome: chrome("Count the stock", context, active: "register"),
            sealed: stocks.keys.sorted().map { k in
                CountFormPage.SealedRow(key: k.id, stock: k.description, strength: stocks[k]![0].strength.description, value: f["sealed[\(k.id)]"],
                                        error: errors["sealed[\(k.id)]"] ?? "")
            },
            opened: o.vials.filter { $0.status == .open }.map { v in
                CountFormPage.OpenedRow(key: v.id.rawValue.uuidString, stock: v.stock.description, openedOn: v.openedOn?.description ?? "",
                                        value: f["opened[\(v.id.rawValue.uuidString)]"], error: errors["opened[\(v.id.rawValue.uuidString)]"] ?? "")
            },
            hasOpened: o.vials.contains { $0.status == .open },
            purposes: StockCount.Purpose.allCases.map { FormField.Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == f["purpose"]) },
            times: StockCount.TimeOfDay.allCases.map { FormField.Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == (f["timeOfDay"].isEmpty ? "closeOfBusiness" : f["timeOfDay"])) },
            errorSummary: errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }, hasErrors: !errors.isEmpty,
            tolerance: FluidVolume(microlitres: o.settings.countToleranceMicrolitres).description)
        return pages.render("register-count", model, status: status)
    }

    func recordCountPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        var sealed: [String: String] = [:], opened: [String: String] = [:]
        for (key, value) in w.values {
            if key.hasPrefix("sealed["), key.hasSuffix("]") { sealed[String(key.dropFirst(7).dropLast())] = value }
            if key.hasPrefix("opened["), key.hasSuffix("]") { opened[String(key.dropFirst(7).dropLast())] = value }
        }
        do {
            let count = try await clinic.recordCount(StockCountForm(purpose: StockCount.Purpose(rawValue: w["purpose"]) ?? .daily,
                                                                    timeOfDay: StockCount.TimeOfDay(rawValue: w["timeOfDay"]) ?? .closeOfBusiness,
                                                                    sealed: sealed, opened: opened), by: try context.actor())
            return .redirect(to: "/register/counts/\(count.id.rawValue.uuidString)")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await countFormPage(context, errors: errors, form: w, status: .unprocessableContent)
        }
    }

    struct CountPage {
        struct Line {
            let stock: String
            let what: String
            let expected: String
            let counted: String
            let outcome: String
            let outcomeClass: String
        }
        let chrome: PageChrome
        let title: String
        let registrant: String
        let dea: String
        let when: String
        let lines: [Line]
        let outcome: String
        let outcomeClass: String
        let id: String
    }

    /// One count with each line against the register; printable as the initial or biennial inventory; CSV with `?format=csv`.
    func countPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("count") }
        let actor = try context.actor()
        let c = try await clinic.stockCount(StockCount.ID(uuid), by: actor)
        let settings = try await clinic.registerSettings()
        func cls(_ o: StockCount.Outcome) -> String { o == .match ? "badge ok" : (o == .variance ? "badge warn" : "badge bad") }
        let lines = c.sealed.map { l in
            CountPage.Line(stock: l.stock.description, what: "sealed \(l.drugName) \(l.strength), \(l.vialVolume) vials", expected: "\(l.expected)",
                           counted: "\(l.counted)", outcome: l.outcome.rawValue, outcomeClass: cls(l.outcome))
        } + c.opened.map { l in
            CountPage.Line(stock: l.stock.description, what: "opened vial \(l.vialID.rawValue.uuidString.prefix(8)) \(l.drugName) \(l.strength)",
                           expected: l.expected.description, counted: l.counted.description, outcome: l.outcome.rawValue, outcomeClass: cls(l.outcome))
        }
        if request.uri.queryParameters["format"] == "csv" {
            var csv = "purpose,day,time_of_day,stock,what,expected,counted,outcome\r\n"
            for l in lines { csv += [c.purpose.rawValue, c.day.description, c.timeOfDay.rawValue, l.stock, l.what, l.expected, l.counted, l.outcome].map(Self.csvField).joined(separator: ",") + "\r\n" }
            return Self.csvResponse(csv, filename: "count-\(c.day).csv")
        }
        let tz = clinic.settings.timeZone
        return pages.render("register-count-result", CountPage(
            chrome: chrome(c.purpose.title.capitalized, context, active: "register"), title: c.purpose.title.capitalized,
            registrant: settings.registrantName.isEmpty ? "(set the registrant's name in the register settings)" : settings.registrantName,
            dea: settings.deaRegistrationNumber.isEmpty ? "—" : settings.deaRegistrationNumber,
            when: "\(c.day), \(c.timeOfDay.title) (recorded \(Self.time(c.at, tz)))", lines: lines, outcome: c.outcome.rawValue, outcomeClass: cls(c.outcome),
            id: c.id.rawValue.uuidString))
    }

    // MARK: - Vials and the log

    struct VialPage {
        struct Line {
            let when: String
            let kind: String
            let volume: String
            let amount: String
            let after: String
            let witnesses: String
            let note: String
            let sessionID: String
            let hasSession: Bool
        }
        let chrome: PageChrome
        let id: String
        let stock: String
        let drug: String
        let strength: String
        let status: String
        let remaining: String
        let remainingMg: String
        let expiry: String
        let openedOn: String
        let beyondUse: String
        let received: String
        let lines: [Line]
        let canWaste: Bool
        let errorSummary: [FieldError]
        let hasErrors: Bool
    }

    func vialPage(_ context: ClinicRequestContext, errors: [String: String] = [:], flash: String = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("vial") }
        let actor = try context.actor()
        let (v, entries) = try await clinic.vial(ControlledSubstanceVial.ID(uuid), by: actor)
        let tz = clinic.settings.timeZone
        let model = VialPage(
            chrome: chrome("Vial \(v.stock)", context, active: "register", flash: flash), id: v.id.rawValue.uuidString, stock: v.stock.description,
            drug: v.drugName, strength: v.strength.description, status: v.status.title, remaining: v.remaining.description,
            remainingMg: "\(DoseText.milligrams(v.remainingAmount.micrograms)) mg", expiry: v.expiry.description, openedOn: v.openedOn?.description ?? "not opened",
            beyondUse: v.beyondUseDate?.description ?? (v.multiDose ? "\(v.beyondUseDays) days after opening" : "single-dose vial"),
            received: "\(Self.time(v.receivedAt, tz)) from \(v.supplier), invoice \(v.invoice)",
            lines: entries.sorted { ($0.at, RegisterEntry.Kind.allCases.firstIndex(of: $0.kind)!) < ($1.at, RegisterEntry.Kind.allCases.firstIndex(of: $1.kind)!) }.map { e in
                VialPage.Line(when: Self.time(e.at, tz), kind: e.kind.title, volume: e.volumeChange?.description ?? "", amount: "\(DoseText.milligrams(e.amount.micrograms)) mg",
                              after: e.remainingAfter?.description ?? "", witnesses: e.witnesses.map(\.name).joined(separator: ", "), note: e.note,
                              sessionID: e.sessionID?.rawValue.uuidString ?? "", hasSession: e.sessionID != nil)
            },
            canWaste: v.status.isInStock && clinic.access.allows(actor, AccessRequest(.update, .controlledSubstances)),
            errorSummary: errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) }, hasErrors: !errors.isEmpty)
        return pages.render("register-vial", model, status: status)
    }

    func wasteFromVialPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let w = try await WebForm.read(request, context: context)
        guard let text = context.parameters.get("id"), let uuid = UUID(uuidString: text) else { throw ClinicError.notFound("vial") }
        do {
            _ = try await clinic.wasteFromVial(ControlledSubstanceVial.ID(uuid), volumeMl: w["volumeMl"], reason: w["reason"],
                                               witness: SecondClinician(email: w["witnessEmail"], password: w["witnessPassword"], reason: ""), by: try context.actor())
            return try await vialPage(context, flash: "Waste recorded with its witness.")
        } catch let e as ClinicError {
            guard let errors = Self.errorMap(e) else { throw e }
            return try await vialPage(context, errors: errors, status: .unprocessableContent)
        }
    }

    struct LogPage {
        struct Line {
            let when: String
            let kind: String
            let stock: String
            let volume: String
            let amount: String
            let witnesses: String
            let note: String
        }
        let chrome: PageChrome
        let from: String
        let to: String
        let lines: [Line]
        let hasLines: Bool
        let csvLink: String
    }

    /// Every register line in a date range (the dispensing log), printable; CSV with `?format=csv`.
    func registerLogPage(_ request: Request, _ context: ClinicRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let today = clinic.today
        let (from, to) = try ReportPeriod.from(q, today: today, defaultDays: 30)
        let entries = try await clinic.dispensingLog(from: from, to: to, by: try context.actor())
        let tz = clinic.settings.timeZone
        let lines = entries.map { e in
            LogPage.Line(when: Self.time(e.at, tz), kind: e.kind.title, stock: e.stock?.description ?? "", volume: e.volumeChange?.description ?? "",
                         amount: "\(DoseText.milligrams(e.amount.micrograms)) mg", witnesses: e.witnesses.map(\.name).joined(separator: ", "), note: e.note)
        }
        if q["format"] == "csv" {
            var csv = "time,kind,stock,volume_change,amount_mg,witnesses,note\r\n"
            for l in lines { csv += [l.when, l.kind, l.stock, l.volume, l.amount, l.witnesses, l.note].map(Self.csvField).joined(separator: ",") + "\r\n" }
            return Self.csvResponse(csv, filename: "dispensing-log-\(from)-\(to).csv")
        }
        return pages.render("register-log", LogPage(chrome: chrome("Dispensing log", context, active: "register"), from: from.description, to: to.description,
                                                     lines: lines, hasLines: !lines.isEmpty, csvLink: "/register/log?from=\(from)&to=\(to)&format=csv"))
    }

    /// One RFC 4180 CSV field: quoted when it holds a comma, quote or line break; a leading = + - @ would run as a
    /// formula in a spreadsheet, so it gets a quote mark first (OWASP CSV injection).
    static func csvField(_ s: String) -> String {
        var t = s
        if let first = t.first, "=+-@".contains(first), Double(t) == nil { t = "'" + t }
        return t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : t
    }

    /// A CSV download, never cached (it holds protected data).
    static func csvResponse(_ text: String, filename: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
