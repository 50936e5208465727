import Foundation
import Testing
@testable import ClinicCore

enum InventoryFixture {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let nurse = User.ID(UUID(uuidString: "00000000-0000-0000-0000-0000000000B1")!)
    static let second = User.ID(UUID(uuidString: "00000000-0000-0000-0000-0000000000B2")!)
    static let patient = Patient.ID(UUID(uuidString: "00000000-0000-0000-0000-0000000000C1")!)
    static let session = InfusionSession.ID(UUID(uuidString: "00000000-0000-0000-0000-0000000000D1")!)
    static let otherSession = InfusionSession.ID(UUID(uuidString: "00000000-0000-0000-0000-0000000000D2")!)
    static let ndc = NationalDrugCode("99999-0501-10")!
    static let day = CalendarDate("2027-01-15")!

    /// A 10 mL vial of 50 mg/mL (500 mg).
    static func vial(multiDose: Bool = true, lot: String = "L1", expiry: CalendarDate = CalendarDate("2028-01-31")!, n: Int = 1) -> ControlledSubstanceVial {
        ControlledSubstanceVial(id: .init(UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))!), drugName: "Ketamine hydrochloride",
                                ndc: ndc, lot: lot, expiry: expiry, strength: VialStrength(milligramsPerMillilitre: 50),
                                labelledVolume: FluidVolume(millilitres: 10), multiDose: multiDose, beyondUseDays: 28,
                                supplier: "Demo Wholesale", invoice: "INV-1", receivedAt: t0, receivedBy: nurse)
    }

    static let witness = WitnessConfirmation(userID: second, name: "Second Nurse")
}

@Suite("National Drug Code (HIPAA 11-digit 5-4-2 form)")
struct NationalDrugCodeTests {
    @Test("10-digit label forms are padded in the short segment", arguments: [
        ("0409-2051-05", "00409205105"), ("12345-678-90", "12345067890"), ("12345-6789-1", "12345678901"),
        ("12345-6789-01", "12345678901"), ("12345678901", "12345678901"),
    ])
    func normalises(_ text: String, _ digits: String) {
        #expect(NationalDrugCode(text)?.digits == digits)
    }

    @Test("anything else is refused", arguments: ["", "1234-5678-9", "12345-67890", "abcde-fghi-jk", "12345-6789-012", "1234567890"])
    func refuses(_ text: String) {
        #expect(NationalDrugCode(text) == nil)
    }

    @Test func printsFiveFourTwo() {
        #expect(NationalDrugCode("0409-2051-05")!.description == "00409-2051-05")
    }
}

@Suite("Controlled-substance vial rules (clinical-reference §9)")
struct ControlledSubstanceVialTests {
    typealias F = InventoryFixture

    @Test func amountsAreExactMicrograms() {
        // clinical-reference §4: amounts exact; 50 mg/mL × 1.234 mL = 61.7 mg exactly
        let v = F.vial()
        #expect(v.amount(of: FluidVolume(microlitres: 1_234)) == DrugAmount(micrograms: 61_700))
        #expect(v.remainingAmount == DrugAmount(micrograms: 500_000))
    }

    @Test func theFirstDrawOpensAMultiDoseVialAndSetsTheBeyondUseDate28DaysLater() throws {
        // clinical-reference §9 (USP <797>): once punctured, a beyond-use date of 28 days
        var v = F.vial()
        let drawn = try v.draw(FluidVolume(millilitres: 1.5), for: F.session, at: F.t0, on: F.day, blocked: nil)
        #expect(drawn == DrugAmount(micrograms: 75_000))
        #expect(v.status == .open)
        #expect(v.openedOn == F.day)
        #expect(v.beyondUseDate == CalendarDate("2027-02-12"))
        #expect(v.remaining == FluidVolume(microlitres: 8_500))
    }

    @Test func drawsAreBlockedAfterTheBeyondUseDateButNotOnIt() throws {
        // clinical-reference §9: "record the date opened and block draws after the beyond-use date"
        var v = F.vial()
        _ = try v.draw(FluidVolume(millilitres: 1), for: F.session, at: F.t0, on: F.day, blocked: nil)
        #expect(v.drawRefusal(volume: FluidVolume(millilitres: 1), for: F.otherSession, on: F.day.adding(days: 28), blocked: nil) == nil)
        let why = v.drawRefusal(volume: FluidVolume(millilitres: 1), for: F.otherSession, on: F.day.adding(days: 29), blocked: nil)
        #expect(why?.contains("beyond-use date") == true)
        #expect(throws: ClinicError.self) { try v.draw(FluidVolume(millilitres: 1), for: F.otherSession, at: F.t0, on: F.day.adding(days: 29), blocked: nil) }
    }

    @Test func aWitnessedWasteFromASealedVialOpensItAndStartsItsBeyondUseDate() throws {
        // clinical-reference §9: "record the date opened and block draws after the beyond-use date" — however it was opened
        var v = F.vial()
        let wasted = try v.remove(FluidVolume(microlitres: 500), field: "volumeMl", at: F.t0, on: F.day)
        #expect(wasted == DrugAmount(micrograms: 25_000))
        #expect(v.status == .open && v.openedOn == F.day && v.openedAt == F.t0)
        #expect(v.beyondUseDate == F.day.adding(days: 28))
        #expect(v.drawRefusal(volume: FluidVolume(millilitres: 1), for: F.session, on: F.day.adding(days: 29), blocked: nil)?.contains("beyond-use date") == true)
    }

    @Test func expiredStockIsRefused() {
        let v = F.vial(expiry: CalendarDate("2027-01-14")!)
        #expect(v.drawRefusal(volume: FluidVolume(millilitres: 1), for: F.session, on: F.day, blocked: nil)?.contains("expired") == true)
    }

    @Test func anOpenDiscrepancyBlocksTheDraw() {
        // issue 6: a count that disagrees blocks further draws from that stock until resolved
        let v = F.vial()
        #expect(v.drawRefusal(volume: FluidVolume(millilitres: 1), for: F.session, on: F.day, blocked: "sealed vials: 4 by the register, 3 counted")?
            .contains("blocked") == true)
    }

    @Test func neverMoreThanIsLeft() throws {
        var v = F.vial()
        _ = try v.draw(FluidVolume(millilitres: 9.9), for: F.session, at: F.t0, on: F.day, blocked: nil)
        #expect(v.drawRefusal(volume: FluidVolume(millilitres: 0.2), for: F.session, on: F.day, blocked: nil)?.contains("Only 0.1 mL") == true)
        _ = try v.draw(FluidVolume(millilitres: 0.1), for: F.session, at: F.t0, on: F.day, blocked: nil)
        #expect(v.status == .empty)
        #expect(v.drawRefusal(volume: FluidVolume(microlitres: 1), for: F.session, on: F.day, blocked: nil) == "This vial is empty")
    }

    @Test func aSingleDoseVialServesOnlyTheSessionThatOpenedIt() throws {
        var v = F.vial(multiDose: false)
        _ = try v.draw(FluidVolume(millilitres: 2), for: F.session, at: F.t0, on: F.day, blocked: nil)
        #expect(v.beyondUseDate == nil)
        #expect(v.drawRefusal(volume: FluidVolume(millilitres: 1), for: F.session, on: F.day, blocked: nil) == nil)
        #expect(v.drawRefusal(volume: FluidVolume(millilitres: 1), for: F.otherSession, on: F.day, blocked: nil)?.contains("single-dose") == true)
    }
}

@Suite("Session drug account: drawn = administered + wasted (clinical-reference §9)")
struct SessionDrugAccountTests {
    typealias F = InventoryFixture

    func account(drawnMg: Int64) -> SessionDrugAccount {
        var a = SessionDrugAccount(sessionID: F.session, patientID: F.patient)
        let v = F.vial()
        a.draws.append(.init(vialID: v.id, stock: v.stock, volume: FluidVolume(microlitres: drawnMg * 1000 / 50), amount: DrugAmount(micrograms: drawnMg * 1000), at: F.t0, by: F.nurse))
        return a
    }

    @Test func settlesWhenEveryMicrogramIsGivenOrWasted() throws {
        var a = account(drawnMg: 100)
        a.recordAdministered(DrugAmount(micrograms: 52_500), at: F.t0)
        #expect(a.unaccounted == DrugAmount(micrograms: 47_500))
        #expect(!a.isSettled)
        #expect(a.status.contains("waste 47.5 mg"))
        try a.waste(DrugAmount(micrograms: 47_500), reason: "", witness: F.witness, at: F.t0, by: F.nurse)
        #expect(a.isSettled)
        #expect(a.status == "settled")
    }

    @Test func wasteNeedsAWitnessWhoIsNotTheWaster() {
        // clinical-reference §9: wasted with a witness; issue 6: witness ≠ actor
        var a = account(drawnMg: 100)
        a.recordAdministered(DrugAmount(micrograms: 60_000), at: F.t0)
        #expect(throws: ClinicError.invalid("witness", "The witness must be a second clinician, not the person wasting")) {
            try a.waste(DrugAmount(micrograms: 40_000), reason: "", witness: WitnessConfirmation(userID: F.nurse, name: "Same"), at: F.t0, by: F.nurse)
        }
    }

    @Test func wasteNeverExceedsWhatIsUnaccountedFor() {
        var a = account(drawnMg: 100)
        a.recordAdministered(DrugAmount(micrograms: 60_000), at: F.t0)
        #expect(throws: ClinicError.self) { try a.waste(DrugAmount(micrograms: 40_001), reason: "", witness: F.witness, at: F.t0, by: F.nurse) }
        #expect(throws: ClinicError.self) { try a.waste(.zero, reason: "", witness: F.witness, at: F.t0, by: F.nurse) }
    }

    @Test func moreGivenThanDrawnIsShownForReview() {
        var a = account(drawnMg: 50)
        a.recordAdministered(DrugAmount(micrograms: 50_500), at: F.t0)
        #expect(a.unaccounted == DrugAmount(micrograms: -500))
        #expect(a.status.contains("more given than drawn by 0.5 mg"))
    }

    @Test func theDoseGivenIsRecordedOnce() {
        var a = account(drawnMg: 50)
        a.recordAdministered(DrugAmount(micrograms: 30_000), at: F.t0)
        a.recordAdministered(DrugAmount(micrograms: 40_000), at: F.t0)
        #expect(a.administered == DrugAmount(micrograms: 30_000))
    }
}

@Suite("Physical count against the computed balance (issue 6; clinical-reference §9)")
struct StockCountTests {
    typealias F = InventoryFixture

    func stock() throws -> [ControlledSubstanceVial] {
        var opened = F.vial(n: 1)
        _ = try opened.draw(FluidVolume(millilitres: 2), for: F.session, at: F.t0, on: F.day, blocked: nil)
        return [opened, F.vial(n: 2), F.vial(n: 3), F.vial(lot: "L2", n: 4)]
    }

    @Test func sealedVialsAreCountedExactly() throws {
        let vials = try stock()
        let l1 = StockKey(ndc: F.ndc, lot: "L1"), l2 = StockKey(ndc: F.ndc, lot: "L2")
        let (sealed, _) = try StockCount.compare(vials: vials, sealedCounts: [l1: 1, l2: 1], openedCounts: [vials[0].id: FluidVolume(millilitres: 8)], tolerance: 100)
        #expect(sealed.first { $0.stock == l1 }?.outcome == .discrepancy)
        #expect(sealed.first { $0.stock == l2 }?.outcome == .match)
    }

    @Test("opened vials within ±0.1 mL are variance, beyond it a discrepancy", arguments: [
        (Int64(8_000), StockCount.Outcome.match), (8_100, .variance), (7_900, .variance), (8_101, .discrepancy), (7_899, .discrepancy),
    ])
    func openedVialTolerance(_ measured: Int64, _ outcome: StockCount.Outcome) throws {
        // issue 6: default tolerance ±0.1 mL (local policy, configurable)
        let vials = try stock()
        let (_, opened) = try StockCount.compare(vials: vials, sealedCounts: [StockKey(ndc: F.ndc, lot: "L1"): 2, StockKey(ndc: F.ndc, lot: "L2"): 1],
                                                 openedCounts: [vials[0].id: FluidVolume(microlitres: measured)], tolerance: RegisterSettings.standard.countToleranceMicrolitres)
        #expect(opened.first?.outcome == outcome)
    }

    @Test func everyStockAndOpenedVialMustBeCounted() throws {
        let vials = try stock()
        #expect(throws: ClinicError.self) {
            _ = try StockCount.compare(vials: vials, sealedCounts: [StockKey(ndc: F.ndc, lot: "L1"): 2], openedCounts: [:], tolerance: 100)
        }
    }

    @Test func aCountedStockTheRegisterDoesNotHoldIsADiscrepancy() throws {
        let extra = StockKey(ndc: F.ndc, lot: "UNKNOWN")
        let (sealed, _) = try StockCount.compare(vials: [F.vial(n: 2)], sealedCounts: [StockKey(ndc: F.ndc, lot: "L1"): 1, extra: 2], openedCounts: [:], tolerance: 100)
        #expect(sealed.first { $0.stock == extra }?.expected == 0)
        #expect(sealed.first { $0.stock == extra }?.outcome == .discrepancy)
    }
}

@Suite struct RegisterCalendarAndQuantityTests {
    @Test("business days skip weekends", arguments: [("2027-01-15", 1, "2027-01-18"), ("2027-01-13", 1, "2027-01-14"), ("2027-01-16", 1, "2027-01-18"), ("2027-01-15", 0, "2027-01-15")])
    func businessDays(_ from: String, _ n: Int, _ to: String) {
        // 2027-01-15 is a Friday
        #expect(CalendarDate(from)!.addingBusinessDays(n) == CalendarDate(to)!)
    }

    @Test("exact decimals to the thousandth", arguments: [("2.5", Int64(2_500)), ("0.1", 100), ("37.125", 37_125), ("10", 10_000), (".5", 500)])
    func exact(_ text: String, _ value: Int64) {
        #expect(ExactQuantity.thousandths(text) == value)
    }

    @Test("anything else is refused", arguments: ["", "-1", "1.2345", "1e3", "abc", ".", "1.2.3"])
    func refused(_ text: String) {
        #expect(ExactQuantity.thousandths(text) == nil)
    }
}
