import Foundation
import Tagged

public enum ControlledSubstanceVialTag {}
extension ControlledSubstanceVial { public typealias ID = Tagged<ControlledSubstanceVialTag, UUID> }

/// Where a vial stands in the register.
public enum VialStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case sealed, open, empty, destroyed, lost

    /// Whether the vial is still on the shelf (counted at reconciliation).
    public var isInStock: Bool { self == .sealed || self == .open }

    public var title: String {
        switch self {
        case .sealed: "sealed"
        case .open: "opened"
        case .empty: "empty"
        case .destroyed: "destroyed (Form 41)"
        case .lost: "lost or stolen (Form 106)"
        }
    }
}

/// One vial of a controlled substance, from receipt until it is used up, destroyed or lost (clinical-reference §9).
/// Amounts are exact: the remaining volume in µL, and drug = strength (whole mg/mL, so 1 µL is a whole number of µg)
/// × volume.
public struct ControlledSubstanceVial: Sendable, Hashable, Codable, Identifiable {
    public let id: ID
    /// The drug as labelled ("Ketamine hydrochloride").
    public var drugName: String
    public var ndc: NationalDrugCode
    public var lot: String
    /// The manufacturer's expiry date: no draw after it.
    public var expiry: CalendarDate
    /// The labelled strength.
    public var strength: VialStrength
    /// What the vial held when received.
    public var labelledVolume: FluidVolume
    /// A multi-dose vial may be drawn from again until its beyond-use date; a single-dose vial serves one session.
    public var multiDose: Bool
    /// Days from opening to the beyond-use date (USP <797>: 28 unless the manufacturer states otherwise).
    public var beyondUseDays: Int
    public var supplier: String
    public var invoice: String
    public var receivedAt: Date
    public var receivedBy: User.ID
    /// When the vial was first punctured.
    public var openedAt: Date?
    /// The calendar day it was opened (the beyond-use date counts from it).
    public var openedOn: CalendarDate?
    /// The session a single-dose vial was opened for.
    public var openedForSession: InfusionSession.ID?
    /// What is left in the vial by the register's arithmetic.
    public var remaining: FluidVolume
    public var status: VialStatus

    public init(id: ID, drugName: String, ndc: NationalDrugCode, lot: String, expiry: CalendarDate, strength: VialStrength,
                labelledVolume: FluidVolume, multiDose: Bool, beyondUseDays: Int, supplier: String, invoice: String,
                receivedAt: Date, receivedBy: User.ID) {
        self.id = id
        self.drugName = drugName
        self.ndc = ndc
        self.lot = lot
        self.expiry = expiry
        self.strength = strength
        self.labelledVolume = labelledVolume
        self.multiDose = multiDose
        self.beyondUseDays = beyondUseDays
        self.supplier = supplier
        self.invoice = invoice
        self.receivedAt = receivedAt
        self.receivedBy = receivedBy
        self.openedAt = nil
        self.openedOn = nil
        self.openedForSession = nil
        self.remaining = labelledVolume
        self.status = .sealed
    }

    /// The stock the vial belongs to (its NDC and lot).
    public var stock: StockKey { StockKey(ndc: ndc, lot: lot) }

    /// The drug in a volume of this vial, exact (strength is whole mg/mL, so µg = mg/mL × µL).
    public func amount(of volume: FluidVolume) -> DrugAmount {
        DrugAmount(micrograms: strength.microgramsPerMillilitre * volume.microlitres / 1000)
    }

    /// The drug left in the vial.
    public var remainingAmount: DrugAmount { amount(of: remaining) }

    /// The beyond-use date of an opened multi-dose vial: draws are blocked after it (clinical-reference §9, USP <797>).
    public var beyondUseDate: CalendarDate? {
        guard multiDose, let openedOn else { return nil }
        return openedOn.adding(days: beyondUseDays)
    }

    /// Why a draw of `volume` for `session` on `day` is refused, or nil when it may go ahead. `blocked` names an open
    /// discrepancy on the vial's stock.
    public func drawRefusal(volume: FluidVolume, for session: InfusionSession.ID, on day: CalendarDate, blocked: String?) -> String? {
        if let blocked { return "Draws from \(stock) are blocked until a second person resolves the count discrepancy: \(blocked)" }
        switch status {
        case .empty: return "This vial is empty"
        case .destroyed: return "This vial was destroyed"
        case .lost: return "This vial is recorded as lost or stolen"
        case .sealed, .open: break
        }
        if day > expiry { return "This vial expired on \(expiry)" }
        if let bud = beyondUseDate, day > bud { return "This vial is past its beyond-use date (\(bud), \(beyondUseDays) days after opening)" }
        if !multiDose, status == .open, openedForSession != session {
            return "A single-dose vial serves one session: it was opened for another; waste what is left"
        }
        if volume.microlitres <= 0 { return "The volume drawn must be more than 0 mL" }
        if volume > remaining { return "Only \(remaining) is left in this vial by the register" }
        return nil
    }

    /// Draws a volume (the first draw opens the vial); returns the drug drawn.
    public mutating func draw(_ volume: FluidVolume, for session: InfusionSession.ID, at instant: Date, on day: CalendarDate, blocked: String?) throws -> DrugAmount {
        if let why = drawRefusal(volume: volume, for: session, on: day, blocked: blocked) { throw ClinicError.invalid("vialID", why) }
        if status == .sealed {
            status = .open
            openedAt = instant
            openedOn = day
            openedForSession = session
        }
        remaining = FluidVolume(microlitres: remaining.microlitres - volume.microlitres)
        if remaining.microlitres == 0 { status = .empty }
        return amount(of: volume)
    }

    /// Takes a volume out of the vial that is wasted, destroyed or lost (never more than is left); a sealed vial is
    /// opened by it at `instant` on `day`, and its beyond-use date counts from then (clinical-reference §9).
    public mutating func remove(_ volume: FluidVolume, field: String, at instant: Date, on day: CalendarDate) throws -> DrugAmount {
        guard status.isInStock else { throw ClinicError.invalid(field, "The vial is \(status.title): nothing is left to take out") }
        guard volume.microlitres > 0 else { throw ClinicError.invalid(field, "Must be more than 0 mL") }
        guard volume <= remaining else { throw ClinicError.invalid(field, "Only \(remaining) is left in this vial by the register") }
        remaining = FluidVolume(microlitres: remaining.microlitres - volume.microlitres)
        if status == .sealed {
            status = .open
            openedAt = instant
            openedOn = day
        }
        if remaining.microlitres == 0 { status = .empty }
        return amount(of: volume)
    }

    /// Sets the remaining volume to a counted one (a variance within tolerance, or a resolved discrepancy).
    public mutating func adjust(to counted: FluidVolume) -> DrugAmount {
        let before = remainingAmount
        remaining = counted
        if status == .open, counted.microlitres == 0 { status = .empty }
        return remainingAmount - before
    }
}
