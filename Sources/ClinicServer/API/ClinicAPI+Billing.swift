import ClinicCore
import Foundation

/// Charges, superbills and charge settings through the JSON API: the same `Clinic` calls as the pages.
extension ClinicAPI {
    func getSessionCharges(_ input: Operations.GetSessionCharges.Input) async throws -> Operations.GetSessionCharges.Output {
        guard let c = try await clinic.sessionCharges(try sessionID(input.path.sessionId), by: try actor()) else {
            throw ClinicError.notFound("This session has no charges")
        }
        return .ok(.init(body: .json(.init(c))))
    }

    func correctSessionRunningTime(_ input: Operations.CorrectSessionRunningTime.Input) async throws -> Operations.CorrectSessionRunningTime.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let c = try await clinic.amendBilledRunningTime(try sessionID(input.path.sessionId), minutes: String(b.runningMinutes), reason: b.reason, by: try actor())
        return .ok(.init(body: .json(.init(c))))
    }

    func listCharges(_ input: Operations.ListCharges.Input) async throws -> Operations.ListCharges.Output {
        let rows = try await clinic.chargedSessions(from: try Self.day(input.query.from, "from"), to: try Self.day(input.query.to, "to"), by: try actor())
        return .ok(.init(body: .json(rows.map { .init(charges: .init($0.charges), patientName: "\($0.patient.familyName), \($0.patient.givenName)", mrn: $0.patient.mrn.value) })))
    }

    func getSuperbill(_ input: Operations.GetSuperbill.Input) async throws -> Operations.GetSuperbill.Output {
        let bill = try await clinic.superbill(try patientID(input.path.patientId), from: try Self.day(input.query.from, "from"),
                                              to: try Self.day(input.query.to, "to"), by: try actor())
        let p = bill.patient, s = bill.settings
        return .ok(.init(body: .json(.init(
            patientId: p.id.rawValue.uuidString, patientName: "\(p.demographics.familyName), \(p.demographics.givenName)",
            dateOfBirth: p.demographics.dateOfBirth.description, mrn: p.mrn.value, from: bill.from.description, to: bill.to.description,
            billingProviderName: s.billingProviderName, billingProviderAddress: s.billingProviderAddress, billingProviderNpi: s.billingProviderNPI,
            taxId: s.taxID,
            diagnoses: bill.diagnoses.enumerated().map { .init(pointer: Superbill.pointer($0.offset), code: $0.element.code.value,
                                                              description: $0.element.description) },
            lines: bill.lines.map { Components.Schemas.ChargeLine($0, pointers: bill.pointers($0)) }, totalCents: bill.totalCents, currency: bill.currency))))
    }

    func getChargeSettings(_ input: Operations.GetChargeSettings.Input) async throws -> Operations.GetChargeSettings.Output {
        let s = try await clinic.chargeSettings(by: try actor())
        return .ok(.init(body: .json(.init(s, currency: try await clinic.selfPaySettings().currency.code))))
    }

    func updateChargeSettings(_ input: Operations.UpdateChargeSettings.Input) async throws -> Operations.UpdateChargeSettings.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        var form: [String: String] = [
            "initialHourCode": b.initialHourCode, "additionalHourCode": b.additionalHourCode, "drugCode": b.drugCode,
            "initialHourMoreThanMinutes": String(b.initialHourMoreThanMinutes), "partialHourRule": b.partialHourRule.rawValue,
            "excludePauses": String(b.excludePauses), "placeOfService": b.placeOfService,
            "feeInitialHour": Money(cents: b.feeInitialHourCents).groupedText, "feeAdditionalHour": Money(cents: b.feeAdditionalHourCents).groupedText,
            "feeDrugPerMg": Money(cents: b.feeDrugPerMgCents).groupedText,
        ]
        form["billingProviderName"] = b.billingProviderName ?? ""
        form["billingProviderAddress"] = b.billingProviderAddress ?? ""
        form["billingProviderNPI"] = b.billingProviderNpi ?? ""
        form["taxID"] = b.taxId ?? ""
        var npis: [User.ID: String] = [:]
        for (i, p) in (b.providers ?? []).enumerated() {
            guard let uuid = UUID(uuidString: p.userId) else { throw ClinicError.invalid("providers[\(i)].userId", "Not a user id") }
            npis[User.ID(uuid)] = p.npi
        }
        let saved = try await clinic.saveChargeSettings(form, providerNPIs: npis, by: try actor())
        return .ok(.init(body: .json(.init(saved, currency: try await clinic.selfPaySettings().currency.code))))
    }

    static func day(_ text: String, _ field: String) throws -> CalendarDate {
        guard let day = CalendarDate(text) else { throw ClinicError.invalid(field, "Give a date as YYYY-MM-DD") }
        return day
    }
}

extension Components.Schemas.ChargeLine {
    init(_ l: ChargeLine, pointers: String? = nil) {
        self.init(id: l.id.uuidString, kind: l.kind == .original ? .original : .adjustment, serviceDate: l.serviceDate.description, code: l.code,
                  description: l.description, units: l.units, unitFeeCents: l.unitFeeCents, amountCents: l.amountCents, ndc: l.ndc?.digits,
                  ndcThousandthsOfMillilitre: l.ndcMillilitres, drugMicrograms: l.drugMicrograms, diagnosisCodes: l.diagnosisCodes,
                  diagnosisPointers: pointers, placeOfService: l.placeOfService, renderingProvider: l.renderingProvider, renderingNpi: l.renderingNPI,
                  reason: l.reason, createdAt: l.createdAt)
    }
}

extension Components.Schemas.SessionCharges {
    init(_ c: SessionCharges) {
        let f = c.currentFacts
        self.init(sessionId: c.sessionID.rawValue.uuidString, patientId: c.patientID.rawValue.uuidString, serviceDate: c.serviceDate.description,
                  protocolName: c.protocolName, diagnoses: c.diagnoses.map { .init(code: $0.code.value, description: $0.description) },
                  renderingProvider: c.renderingProvider, runningSeconds: f?.runningSeconds ?? 0, pausedSeconds: f?.pausedSeconds ?? 0,
                  administeredMicrograms: f?.administered.micrograms ?? 0, lines: c.lines.map { Components.Schemas.ChargeLine($0) }, totalCents: c.totalCents)
    }
}

extension Components.Schemas.ChargeSettings {
    init(_ s: ChargeSettings, currency: String) {
        self.init(initialHourCode: s.initialHourCode, additionalHourCode: s.additionalHourCode, drugCode: s.drugCode,
                  initialHourMoreThanMinutes: s.initialHourMoreThanMinutes, partialHourRule: .init(rawValue: s.partialHourRule.rawValue) ?? .moreThanHalf,
                  excludePauses: s.excludePauses, placeOfService: s.placeOfService, feeInitialHourCents: s.fee(s.initialHourCode),
                  feeAdditionalHourCents: s.fee(s.additionalHourCode), feeDrugPerMgCents: s.fee(s.drugCode), billingProviderName: s.billingProviderName,
                  billingProviderAddress: s.billingProviderAddress, billingProviderNpi: s.billingProviderNPI, taxId: s.taxID,
                  providers: s.providers.map { .init(userId: $0.userID.rawValue.uuidString, npi: $0.npi) }, currency: currency)
    }
}

extension ClinicAPI {
    func getPatientStatement(_ input: Operations.GetPatientStatement.Input) async throws -> Operations.GetPatientStatement.Output {
        let s = try await clinic.patientStatement(try patientID(input.path.patientId), from: try Self.day(input.query.from, "from"),
                                                  to: try Self.day(input.query.to, "to"), by: try actor())
        return .ok(.init(body: .json(.init(patientId: s.patient.id.rawValue.uuidString, from: s.from.description, to: s.to.description, currency: s.currency.code,
                                           openingBalanceCents: s.openingBalance.cents,
                                           lines: s.lines.map { Components.Schemas.LedgerLine($0.entry, balanceAfter: $0.balanceAfter) },
                                           closingBalanceCents: s.closingBalance.cents, currentBalanceCents: s.currentBalance.cents, dueNowCents: s.dueNow.cents))))
    }
}
