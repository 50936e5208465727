import ClinicCore
import Foundation

/// Self-pay through the JSON API (issue 6): the price list, a patient's account, good-faith estimates, payment plans and
/// ledger entries — the same `Clinic` calls as the pages. Amounts travel as integer cents.
extension ClinicAPI {
    func getPriceList(_ input: Operations.GetPriceList.Input) async throws -> Operations.GetPriceList.Output {
        let (list, settings) = try await clinic.priceList(by: try actor())
        return .ok(.init(body: .json(.init(list, settings))))
    }

    func savePriceList(_ input: Operations.SavePriceList.Input) async throws -> Operations.SavePriceList.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let rows = try b.items.enumerated().map { i, item -> PriceItemForm in
            var protocolID: InfusionProtocol.ID?
            if let text = item.protocolId {
                guard let uuid = UUID(uuidString: text) else { throw ClinicError.invalid("items[\(i)].protocolId", "is not a protocol id") }
                protocolID = .init(uuid)
            }
            return PriceItemForm(id: item.id ?? "", kind: PriceItem.Kind(rawValue: item.kind.rawValue) ?? .addOn, protocolID: protocolID, name: item.name,
                                 code: item.code ?? "", price: Money(cents: item.unitPriceCents).decimalText, active: item.active ?? true)
        }
        let a = try actor()
        let list = try await clinic.savePriceList(rows, by: a)
        return .ok(.init(body: .json(.init(list, try await clinic.selfPaySettings()))))
    }

    func getPatientAccount(_ input: Operations.GetPatientAccount.Input) async throws -> Operations.GetPatientAccount.Output {
        let account = try await clinic.patientAccount(try patientID(input.path.patientId), by: try actor())
        return .ok(.init(body: .json(.init(account))))
    }

    func recordLedgerEntry(_ input: Operations.RecordLedgerEntry.Input) async throws -> Operations.RecordLedgerEntry.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let form = LedgerEntryForm(kind: LedgerEntry.Kind(rawValue: b.kind.rawValue) ?? .payment, amount: Money(cents: b.amountCents).decimalText, on: b.on ?? "",
                                   method: b.method?.rawValue ?? "", reference: b.reference ?? "", reason: b.reason ?? "")
        let entry = try await clinic.recordLedgerEntry(for: try patientID(input.path.patientId), form, by: try actor())
        return .created(.init(body: .json(.init(entry, balanceAfter: nil))))
    }

    func issueEstimate(_ input: Operations.IssueEstimate.Input) async throws -> Operations.IssueEstimate.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let form = GoodFaithEstimateForm(lines: b.items.map { .init(itemID: $0.itemId, quantity: "\($0.quantity)") }, serviceFrom: b.serviceFrom,
                                         serviceTo: b.serviceTo, diagnosisCodes: (b.diagnosisCodes ?? []).joined(separator: ","),
                                         primaryService: b.primaryService ?? "", separatelyScheduled: b.separatelyScheduled ?? "", note: b.note ?? "")
        let e = try await clinic.issueEstimate(for: try patientID(input.path.patientId), form, by: try actor())
        return .created(.init(body: .json(.init(e))))
    }

    func getEstimate(_ input: Operations.GetEstimate.Input) async throws -> Operations.GetEstimate.Output {
        guard let uuid = UUID(uuidString: input.path.estimateId) else { throw ClinicError.notFound("estimate") }
        return .ok(.init(body: .json(.init(try await clinic.estimate(GoodFaithEstimate.ID(uuid), by: try actor())))))
    }

    func createPaymentPlan(_ input: Operations.CreatePaymentPlan.Input) async throws -> Operations.CreatePaymentPlan.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        let form = PaymentPlanForm(estimateID: b.estimateId ?? "", downPayment: b.downPaymentCents.map { Money(cents: $0).decimalText } ?? "",
                                   instalments: "\(b.instalments)", frequency: b.frequency.rawValue, firstDueDate: b.firstDueDate)
        let p = try await clinic.createPaymentPlan(for: try patientID(input.path.patientId), form, by: try actor())
        return .created(.init(body: .json(.init(p))))
    }

    func getPaymentPlan(_ input: Operations.GetPaymentPlan.Input) async throws -> Operations.GetPaymentPlan.Output {
        guard let uuid = UUID(uuidString: input.path.planId) else { throw ClinicError.notFound("payment plan") }
        return .ok(.init(body: .json(.init(try await clinic.paymentPlan(ClinicCore.PaymentPlan.ID(uuid), by: try actor()).position))))
    }

    func regeneratePaymentPlan(_ input: Operations.RegeneratePaymentPlan.Input) async throws -> Operations.RegeneratePaymentPlan.Output {
        guard case .json(let b) = input.body else { throw ClinicError.invalid("body", "must be JSON") }
        guard let uuid = UUID(uuidString: input.path.planId) else { throw ClinicError.notFound("payment plan") }
        let form = PlanRegenerationForm(coveredAmount: b.coveredAmountCents.map { Money(cents: $0).decimalText } ?? "", instalments: b.instalments.map { "\($0)" } ?? "",
                                        firstDueDate: b.firstDueDate ?? "", reason: b.reason)
        return .ok(.init(body: .json(.init(try await clinic.regeneratePaymentPlan(ClinicCore.PaymentPlan.ID(uuid), form, by: try actor())))))
    }
}

extension Components.Schemas.PriceList {
    init(_ list: ClinicCore.PriceList, _ settings: SelfPaySettings) {
        self.init(version: list.version, currency: settings.currency.code, disputeThresholdCents: settings.disputeThreshold.cents,
                  items: list.items.map { i in
                      .init(id: i.id, kind: .init(rawValue: i.kind.rawValue) ?? .addOn, protocolId: i.protocolID?.rawValue.uuidString, name: i.name, code: i.code,
                            unitPriceCents: i.unitPrice.cents, active: i.active)
                  })
    }
}

extension Components.Schemas.LedgerLine {
    init(_ e: LedgerEntry, balanceAfter: Money?) {
        self.init(id: e.id.rawValue.uuidString, kind: .init(rawValue: e.kind.rawValue) ?? .adjustment, amountCents: e.amount.cents,
                  balanceAfterCents: balanceAfter?.cents, on: e.on.description, at: e.at, description: e.description, reference: e.reference,
                  method: e.method.flatMap { .init(rawValue: $0.rawValue) }, source: e.source, planId: e.planID?.rawValue.uuidString)
    }
}

extension Components.Schemas.GoodFaithEstimate {
    init(_ e: ClinicCore.GoodFaithEstimate) {
        self.init(id: e.id.rawValue.uuidString, patientId: e.patientID.rawValue.uuidString, patientName: e.patientName, dateOfBirth: e.dateOfBirth.description,
                  primaryService: e.primaryService,
                  lines: e.lines.map { .init(itemId: $0.itemID, description: $0.description, code: $0.code, quantity: $0.quantity,
                                             unitPriceCents: $0.unitPrice.cents, totalCents: $0.total.cents) },
                  totalCents: e.total.cents, currency: e.currency.code, serviceFrom: e.serviceFrom.description, serviceTo: e.serviceTo.description,
                  diagnosisCodes: e.diagnosisCodes, provider: .init(name: e.provider.name, npi: e.provider.npi, tin: e.provider.tin, address: e.provider.address),
                  separatelyScheduled: e.separatelyScheduled, note: e.note, disputeThresholdCents: e.disputeThreshold.cents, issuedOn: e.issuedOn.description,
                  issuedBy: e.issuedByName, disclaimers: e.disclaimers)
    }
}

extension Components.Schemas.PaymentPlan {
    init(_ p: PaymentPlanPosition) {
        self.init(id: p.plan.id.rawValue.uuidString, patientId: p.plan.patientID.rawValue.uuidString, basis: .init(rawValue: p.plan.basis.rawValue) ?? .balance,
                  estimateId: p.plan.estimateID?.rawValue.uuidString, coveredAmountCents: p.plan.coveredAmount.cents, downPaymentCents: p.plan.downPayment.cents,
                  frequency: .init(rawValue: p.plan.frequency.rawValue) ?? .monthly, paidCents: p.paid.cents, remainingCents: p.remaining.cents,
                  overdueCents: p.overdue.cents, suggestedCoveredCents: p.suggestedCovered.cents, differenceCents: p.difference.cents, complete: p.isComplete,
                  instalments: p.instalments.map { s in
                      .init(number: s.instalment.number, dueDate: s.instalment.dueDate.description, amountCents: s.instalment.amount.cents,
                            appliedCents: s.applied.cents, status: .init(rawValue: s.status.rawValue) ?? .due)
                  },
                  regenerations: p.plan.regenerations.map { r in
                      .init(at: r.at, previousCoveredCents: r.previousCovered.cents, newCoveredCents: r.newCovered.cents, paidThenCents: r.paidThen.cents, reason: r.reason)
                  })
    }
}

extension Components.Schemas.PatientAccount {
    init(_ a: ClinicCore.PatientAccount) {
        self.init(patientId: a.patient.id.rawValue.uuidString, currency: a.settings.currency.code, balanceCents: a.balance.cents,
                  chargesCents: a.totals.charges.cents, paymentsCents: a.totals.payments.cents, refundsCents: a.totals.refunds.cents,
                  writeOffsCents: a.totals.writeOffs.cents, adjustmentsCents: a.totals.adjustments.cents,
                  lines: a.lines.map { .init($0.entry, balanceAfter: $0.balanceAfter) }, estimates: a.estimates.map { .init($0) },
                  plans: a.plans.map { .init($0) })
    }
}
