import ClinicCore
import Foundation

/// The controlled-substance register through the JSON API: the same `Clinic` calls as the pages.
extension ClinicAPI {
    func getRegister(_ input: Operations.GetRegister.Input) async throws -> Operations.GetRegister.Output {
        let o = try await clinic.registerOverview(by: try actor())
        return .ok(.init(body: .json(.init(vials: o.vials.map(Components.Schemas.Vial.init), openDiscrepancies: o.openDiscrepancies.map(Components.Schemas.StockDiscrepancy.init),
                                           unsettledSessions: o.unsettledAccounts.map(Components.Schemas.DrugAccount.init),
                                           countToleranceMicrolitres: o.settings.countToleranceMicrolitres))))
    }

    func receiveVials(_ input: Operations.ReceiveVials.Input) async throws -> Operations.ReceiveVials.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        // Whole microlitres as the exact decimal mL the form takes (never through floating point).
        let ml = DoseText.milligrams(Int64(b.microlitresPerVial))
        let form = VialReceiptForm(drugName: b.drugName ?? "", ndc: b.ndc, lot: b.lot, expiry: b.expiry, strengthMgPerMl: "\(b.strengthMgPerMl)",
                                   volumeMl: ml, quantity: "\(b.quantity)", multiDose: b.multiDose,
                                   beyondUseDays: b.beyondUseDays.map { "\($0)" } ?? "", supplier: b.supplier, invoice: b.invoice)
        return .created(.init(body: .json(try await clinic.receiveVials(form, by: try actor()).map(Components.Schemas.Vial.init))))
    }

    func getVial(_ input: Operations.GetVial.Input) async throws -> Operations.GetVial.Output {
        guard let uuid = UUID(uuidString: input.path.vialId) else { throw ClinicError.notFound("vial") }
        let (v, lines) = try await clinic.vial(ControlledSubstanceVial.ID(uuid), by: try actor())
        return .ok(.init(body: .json(.init(vial: .init(v), lines: lines.sorted { $0.at < $1.at }.map(Components.Schemas.RegisterLine.init)))))
    }

    func recordStockCount(_ input: Operations.RecordStockCount.Input) async throws -> Operations.RecordStockCount.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        var sealed: [String: String] = [:], opened: [String: String] = [:]
        for line in b.sealed { sealed[line.stock] = "\(line.count)" }
        for line in b.opened ?? [] {
            opened[line.vialId] = DoseText.milligrams(Int64(line.measuredMicrolitres))
        }
        let count = try await clinic.recordCount(StockCountForm(purpose: b.purpose.flatMap { StockCount.Purpose(rawValue: $0.rawValue) } ?? .daily,
                                                                timeOfDay: b.timeOfDay.flatMap { StockCount.TimeOfDay(rawValue: $0.rawValue) } ?? .closeOfBusiness,
                                                                sealed: sealed, opened: opened), by: try actor())
        return .created(.init(body: .json(.init(count))))
    }

    func resolveStockDiscrepancy(_ input: Operations.ResolveStockDiscrepancy.Input) async throws -> Operations.ResolveStockDiscrepancy.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        guard let uuid = UUID(uuidString: input.path.discrepancyId) else { throw ClinicError.notFound("discrepancy") }
        let d = try await clinic.resolveDiscrepancy(StockDiscrepancy.ID(uuid), resolution: b.resolution, acceptCount: b.acceptCount ?? false, by: try actor())
        return .ok(.init(body: .json(.init(d))))
    }

    func getDispensingLog(_ input: Operations.GetDispensingLog.Input) async throws -> Operations.GetDispensingLog.Output {
        let lines = try await clinic.dispensingLog(from: try Self.day(input.query.from, "from"), to: try Self.day(input.query.to, "to"),
                                                   by: try actor())
        return .ok(.init(body: .json(lines.map(Components.Schemas.RegisterLine.init))))
    }

    func getSessionDrugAccount(_ input: Operations.GetSessionDrugAccount.Input) async throws -> Operations.GetSessionDrugAccount.Output {
        guard let a = try await clinic.sessionDrugAccount(try sessionID(input.path.sessionId), by: try actor()) else {
            throw ClinicError.notFound("No drug was drawn from the register for this session")
        }
        return .ok(.init(body: .json(.init(a))))
    }

    func wasteSessionDrug(_ input: Operations.WasteSessionDrug.Input) async throws -> Operations.WasteSessionDrug.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let mg = DoseText.milligrams(Int64(b.wastedMicrograms))
        let a = try await clinic.wasteSessionDrug(try sessionID(input.path.sessionId), wastedMg: mg, reason: b.reason ?? "",
                                                  witness: SecondClinician(email: b.witness.email, password: b.witness.password, reason: ""), by: try actor())
        return .ok(.init(body: .json(.init(a))))
    }
}

extension Components.Schemas.Vial {
    init(_ v: ControlledSubstanceVial) {
        self.init(id: v.id.rawValue.uuidString, drugName: v.drugName, ndc: v.ndc.digits, lot: v.lot, expiry: v.expiry.description,
                  strengthMgPerMl: Int(v.strength.microgramsPerMillilitre / 1000), labelledMicrolitres: v.labelledVolume.microlitres,
                  remainingMicrolitres: v.remaining.microlitres, remainingMicrograms: v.remainingAmount.micrograms, multiDose: v.multiDose,
                  status: .init(rawValue: v.status.rawValue) ?? .sealed, openedOn: v.openedOn?.description, beyondUseDate: v.beyondUseDate?.description)
    }
}

extension Components.Schemas.RegisterLine {
    init(_ e: RegisterEntry) {
        self.init(id: e.id.rawValue.uuidString, kind: .init(rawValue: e.kind.rawValue) ?? .received, at: e.at, stock: e.stock?.id,
                  vialId: e.vialID?.rawValue.uuidString, sessionId: e.sessionID?.rawValue.uuidString, volumeChangeMicrolitres: e.volumeChange?.microlitres,
                  micrograms: e.amount.micrograms, remainingAfterMicrolitres: e.remainingAfter?.microlitres, witnesses: e.witnesses.map(\.name), note: e.note)
    }
}

extension Components.Schemas.StockDiscrepancy {
    init(_ d: ClinicCore.StockDiscrepancy) {
        self.init(id: d.id.rawValue.uuidString, stock: d.stock.id, findings: d.findings, raisedAt: d.raisedAt, open: d.isOpen, resolution: d.resolution)
    }
}

extension Components.Schemas.DrugAccount {
    init(_ a: SessionDrugAccount) {
        self.init(sessionId: a.sessionID.rawValue.uuidString, drawnMicrograms: a.drawn.micrograms, administeredMicrograms: a.administered?.micrograms,
                  wastedMicrograms: a.wasted.micrograms, status: a.status, settled: a.isSettled)
    }
}

extension Components.Schemas.StockCountResult {
    init(_ c: StockCount) {
        let sealed = c.sealed.map { l in
            Components.Schemas.StockCountResult.LinesPayloadPayload(stock: l.stock.id, kind: .sealed, expected: Int64(l.expected), counted: Int64(l.counted),
                                                                    outcome: .init(rawValue: l.outcome.rawValue) ?? .discrepancy)
        }
        let opened = c.opened.map { l in
            Components.Schemas.StockCountResult.LinesPayloadPayload(stock: l.stock.id, kind: .opened, vialId: l.vialID.rawValue.uuidString,
                                                                    expected: l.expected.microlitres, counted: l.counted.microlitres,
                                                                    outcome: .init(rawValue: l.outcome.rawValue) ?? .discrepancy)
        }
        self.init(id: c.id.rawValue.uuidString, purpose: c.purpose.rawValue, timeOfDay: c.timeOfDay.rawValue, day: c.day.description,
                  outcome: .init(rawValue: c.outcome.rawValue) ?? .discrepancy, lines: sealed + opened)
    }
}

/// Destructions and losses through the JSON API.
extension ClinicAPI {
    func getRegisterForms(_ input: Operations.GetRegisterForms.Input) async throws -> Operations.GetRegisterForms.Output {
        let (d, l) = try await clinic.destructionsAndLosses(by: try actor())
        return .ok(.init(body: .json(.init(destructions: d.map(Components.Schemas.Destruction.init), losses: l.map(Components.Schemas.LossRecord.init)))))
    }

    func recordDestruction(_ input: Operations.RecordDestruction.Input) async throws -> Operations.RecordDestruction.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let d = try await clinic.recordDestruction(vials: try Self.vialIDs(b.vialIds), method: b.method, reason: b.reason,
                                                   witness: SecondClinician(email: b.witness.email, password: b.witness.password, reason: ""), by: try actor())
        return .created(.init(body: .json(.init(d))))
    }

    func recordLoss(_ input: Operations.RecordLoss.Input) async throws -> Operations.RecordLoss.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let l = try await clinic.recordLoss(vials: try Self.vialIDs(b.vialIds), kind: LossReport.Kind(rawValue: b.kind.rawValue) ?? .other,
                                            discoveredOn: b.discoveredOn, circumstances: b.circumstances, policeNotified: b.policeNotified ?? false,
                                            policeReport: b.policeReport ?? "", by: try actor())
        return .created(.init(body: .json(.init(l))))
    }

    static func vialIDs(_ texts: [String]) throws -> [ControlledSubstanceVial.ID] {
        try texts.enumerated().map { i, t in
            guard let u = UUID(uuidString: t) else { throw ClinicError.invalid("vialIds[\(i)]", "Not a vial id") }
            return ControlledSubstanceVial.ID(u)
        }
    }
}

extension Components.Schemas.Destruction {
    init(_ d: DestructionRecord) {
        self.init(id: d.id.rawValue.uuidString, day: d.day.description, registrantName: d.registrantName, deaRegistrationNumber: d.deaRegistrationNumber,
                  items: d.items.map { .init(vialId: $0.vialID.rawValue.uuidString, ndc: $0.ndc.digits, lot: $0.lot, microlitres: $0.volume.microlitres, micrograms: $0.amount.micrograms) },
                  method: d.method, reason: d.reason, witnesses: d.witnesses.map(\.name))
    }
}

extension Components.Schemas.LossRecord {
    init(_ l: LossReport) {
        self.init(id: l.id.rawValue.uuidString, kind: l.kind.rawValue, discoveredOn: l.discoveredOn.description,
                  items: l.items.map { .init(vialId: $0.vialID.rawValue.uuidString, ndc: $0.ndc.digits, lot: $0.lot, microlitres: $0.volume.microlitres, micrograms: $0.amount.micrograms) },
                  circumstances: l.circumstances, policeNotified: l.policeNotified, policeReport: l.policeReport, notifyBy: l.notifyBy.description)
    }
}
