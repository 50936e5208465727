import Foundation
import Tagged

public enum RegisterEntryTag {}
extension RegisterEntry { public typealias ID = Tagged<RegisterEntryTag, UUID> }

/// One line of the controlled-substance register: append-only, never edited or deleted (21 CFR 1304.04: kept at
/// least 2 years, readily retrievable).
public struct RegisterEntry: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case received, drawn, administered, wasted, vialWasted, variance, discrepancy, resolved, destroyed, lost

        public var title: String {
            switch self {
            case .received: "received"
            case .drawn: "drawn"
            case .administered: "administered"
            case .wasted: "wasted (witnessed)"
            case .vialWasted: "wasted from vial (witnessed)"
            case .variance: "count variance"
            case .discrepancy: "count discrepancy"
            case .resolved: "discrepancy resolved"
            case .destroyed: "destroyed (Form 41)"
            case .lost: "lost or stolen (Form 106)"
            }
        }
    }

    public let id: ID
    public var kind: Kind
    public var at: Date
    public var by: User.ID
    public var stock: StockKey?
    public var vialID: ControlledSubstanceVial.ID?
    public var sessionID: InfusionSession.ID?
    public var patientID: Patient.ID?
    /// Volume taken out of (negative) or put into (positive) a vial; nil for session-level lines.
    public var volumeChange: FluidVolume?
    /// Drug the line moves, signed from the vial's point of view for vial lines (received +, drawn −), positive for
    /// session lines (administered, wasted).
    public var amount: DrugAmount
    /// The vial's remaining volume after the line.
    public var remainingAfter: FluidVolume?
    public var witnesses: [WitnessConfirmation]
    public var note: String

    public init(id: ID, kind: Kind, at: Date, by: User.ID, stock: StockKey? = nil, vialID: ControlledSubstanceVial.ID? = nil,
                sessionID: InfusionSession.ID? = nil, patientID: Patient.ID? = nil, volumeChange: FluidVolume? = nil,
                amount: DrugAmount, remainingAfter: FluidVolume? = nil, witnesses: [WitnessConfirmation] = [], note: String = "") {
        self.id = id
        self.kind = kind
        self.at = at
        self.by = by
        self.stock = stock
        self.vialID = vialID
        self.sessionID = sessionID
        self.patientID = patientID
        self.volumeChange = volumeChange
        self.amount = amount
        self.remainingAfter = remainingAfter
        self.witnesses = witnesses
        self.note = note
    }
}

/// The register's settings; the defaults come from clinical-reference §9 and are local policy where it says so.
public struct RegisterSettings: Sendable, Hashable, Codable {
    /// An opened vial's measured volume may differ from the computed one by this much and be recorded as variance
    /// (issue 6 default ±0.1 mL; local policy).
    public var countToleranceMicrolitres: Int64 = 100
    /// Beyond-use days of a punctured multi-dose vial unless the manufacturer states otherwise (USP <797>: 28).
    public var beyondUseDays: Int = 28
    /// Business days to notify the DEA of a theft or significant loss (Form 106; "within one business day" is
    /// *unverified* in clinical-reference §9, so it is a setting).
    public var lossNotificationBusinessDays: Int = 1
    /// The registrant named on reports and forms.
    public var registrantName: String = ""
    public var deaRegistrationNumber: String = ""
    /// The drug the register holds by default (Schedule III since 1999, 64 FR 37673).
    public var defaultDrugName: String = "Ketamine hydrochloride"

    public init() {}
    public static let standard = RegisterSettings()
}
