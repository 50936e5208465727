import ClinicCore
import Foundation

extension DemoClinic {
    /// The demo's self-pay set-up (issue 6): prices for every protocol of the library and three add-ons, the provider
    /// named on estimates, and one self-pay patient with a good-faith estimate for the standard induction series and a
    /// 6-instalment monthly plan that adds up to it to the cent, the first instalment paid at the desk.
    static func setUpSelfPay(_ clinic: Clinic, admin: Actor, physician: Actor, frontDesk: Actor) async throws {
        // Infusion prices by session length (invented demo figures, not advice): 40 min $450, 2 h $650, 4 h $950.
        var rows: [PriceItemForm] = []
        for p in try await clinic.protocols(by: admin) {
            let price = p.durationMinutes <= 40 ? "450.00" : p.durationMinutes <= 120 ? "650.00" : "950.00"
            // Infusion CPT 96365 (first hour), 96366 (each additional hour): clinical-reference §8, descriptors unverified.
            let code = p.durationMinutes <= 60 ? "96365" : "96365, 96366 ×\((p.durationMinutes - 1) / 60)"
            rows.append(PriceItemForm(kind: .infusion, protocolID: p.id, name: "\(p.name) — one ketamine infusion", code: code, price: price))
        }
        rows += [
            PriceItemForm(kind: .addOn, name: "Initial consultation and screening", code: "99204", price: "250.00"),
            PriceItemForm(kind: .addOn, name: "Follow-up visit", code: "99213", price: "120.00"),
            PriceItemForm(kind: .addOn, name: "Anti-nausea medicine (ondansetron)", code: "J2405", price: "15.00"),
        ]
        let list = try await clinic.savePriceList(rows, by: admin)
        _ = try await clinic.saveSelfPaySettings(currency: "USD", disputeThreshold: "400.00", providerName: "DeepRelief Demo Infusion Clinic",
                                                 providerNPI: "1234567893", providerTIN: "12-3456789",
                                                 providerAddress: "100 Demo Street, Springfield, IL 62701", by: admin)
        guard let induction = list.items.first(where: { $0.protocolID == InfusionProtocol.StandardID.standardInduction }),
              let consult = list.items.first(where: { $0.code == "99204" }) else { return }
        // The self-pay patient (charted by the physician, who records the diagnosis).
        var f = PatientForm()
        f.givenName = "Morgan"
        f.familyName = "Selfpay"
        f.dateOfBirth = clinic.today.adding(days: -(41 * 365 + 100)).description
        f.sex = "female"
        f.phone = "(555) 014-2026"
        f.email = "morgan.selfpay@example.org"
        f.address = "12 Cash Lane, Springfield"
        f.diagnoses = [PatientForm.DiagnosisEntry(code: "G90.512", description: "CRPS I of left upper limb", isPrimary: true)]
        f.confirmDuplicate = true
        f.confirmWeight = true
        guard case .registered(let patient) = try await clinic.registerPatient(f, by: physician) else { return }
        let start = clinic.today.adding(days: 7)
        let estimate = try await clinic.issueEstimate(for: patient.id, GoodFaithEstimateForm(
            lines: [.init(itemID: induction.id, quantity: "6"), .init(itemID: consult.id, quantity: "1")],
            serviceFrom: start.description, serviceTo: start.adding(days: 14).description, diagnosisCodes: "G90.512",
            separatelyScheduled: "Booster infusions after the series, if the physician recommends them, are estimated separately."), by: frontDesk)
        let plan = try await clinic.createPaymentPlan(for: patient.id, PaymentPlanForm(
            estimateID: estimate.id.rawValue.uuidString, downPayment: "", instalments: "6", frequency: PlanFrequency.monthly.rawValue,
            firstDueDate: clinic.today.description), by: frontDesk)
        if let first = plan.plan.schedule.first {
            _ = try await clinic.recordLedgerEntry(for: patient.id, LedgerEntryForm(kind: .payment, amount: first.amount.decimalText, method: "card",
                                                                                    reference: "DEMO-RCPT-0001", reason: "First instalment"), by: frontDesk)
        }
    }
}
