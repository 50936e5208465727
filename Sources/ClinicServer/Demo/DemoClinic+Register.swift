import ClinicCore
import Foundation

extension DemoClinic {
    /// The demo's controlled-substance stock: two lots received today, one vial opened by a witnessed waste (a vial
    /// knocked over while drawing), and an opening-of-business count that agrees with the register — sealed vials
    /// exactly, the opened vial within the tolerance. Filled after the room, so no past session needed a register vial.
    static func stockRegister(_ clinic: Clinic, nurse: Actor, witnessEmail: String, password: String) async throws {
        let today = clinic.today
        let lots = [
            VialReceiptForm(ndc: "0409-2051-05", lot: "KET-\(today.description.prefix(4))A", expiry: today.adding(days: 420).description, strengthMgPerMl: "50",
                            volumeMl: "10", quantity: "10", multiDose: true, supplier: "Cardinal Health (demo)", invoice: "INV-DEMO-0001"),
            VialReceiptForm(ndc: "0143-9508-10", lot: "KET-\(today.description.prefix(4))B", expiry: today.adding(days: 300).description, strengthMgPerMl: "100",
                            volumeMl: "5", quantity: "4", multiDose: true, supplier: "McKesson (demo)", invoice: "INV-DEMO-0002"),
        ]
        var received: [ControlledSubstanceVial] = []
        for lot in lots { received += try await clinic.receiveVials(lot, by: nurse) }
        guard let first = received.first else { return }
        _ = try await clinic.wasteFromVial(first.id, volumeMl: "0.5", reason: "Vial knocked over while drawing (demo)",
                                           witness: SecondClinician(email: witnessEmail, password: password, reason: ""), by: nurse)
        let overview = try await clinic.registerOverview(by: nurse)
        var sealed: [String: String] = [:]
        for v in overview.vials where v.status == .sealed { sealed[v.stock.id] = "\((Int(sealed[v.stock.id] ?? "0") ?? 0) + 1)" }
        // Measured 9.45 mL against 9.5 mL by the register: within ±0.1 mL, recorded as variance.
        let opened = Dictionary(uniqueKeysWithValues: overview.vials.filter { $0.status == .open }.map { ($0.id.rawValue.uuidString, "9.45") })
        _ = try await clinic.recordCount(StockCountForm(purpose: .daily, timeOfDay: .opening, sealed: sealed, opened: opened), by: nurse)
    }
}
