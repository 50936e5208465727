import Foundation
import Tagged

public enum StockCountTag {}
extension StockCount { public typealias ID = Tagged<StockCountTag, UUID> }
public enum StockDiscrepancyTag {}
extension StockDiscrepancy { public typealias ID = Tagged<StockDiscrepancyTag, UUID> }

/// A physical count compared with the register's computed balance: sealed vials counted exactly per NDC and lot,
/// opened vials by measured remaining volume within the tolerance (issue 6; clinical-reference §9).
public struct StockCount: Sendable, Hashable, Codable, Identifiable {
    /// Why the count was taken: the daily reconciliation, or the DEA's initial and biennial inventories (21 CFR 1304.11).
    public enum Purpose: String, Sendable, Hashable, Codable, CaseIterable {
        case daily, initial, biennial
        public var title: String {
            switch self {
            case .daily: "daily reconciliation"
            case .initial: "initial inventory"
            case .biennial: "biennial inventory"
            }
        }
    }

    /// When in the day the inventory was taken (21 CFR 1304.11(a): opening or close of business).
    public enum TimeOfDay: String, Sendable, Hashable, Codable, CaseIterable {
        case opening, closeOfBusiness
        public var title: String { self == .opening ? "opening of business" : "close of business" }
    }

    public enum Outcome: String, Sendable, Hashable, Codable, Comparable {
        case match, variance, discrepancy
        public static func < (a: Self, b: Self) -> Bool {
            let order: [Self] = [.match, .variance, .discrepancy]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    public struct SealedLine: Sendable, Hashable, Codable {
        public var stock: StockKey
        public var drugName: String
        public var strength: VialStrength
        public var vialVolume: FluidVolume
        public var expected: Int
        public var counted: Int
        public var outcome: Outcome { expected == counted ? .match : .discrepancy }
    }

    public struct OpenedLine: Sendable, Hashable, Codable {
        public var vialID: ControlledSubstanceVial.ID
        public var stock: StockKey
        public var drugName: String
        public var strength: VialStrength
        public var expected: FluidVolume
        public var counted: FluidVolume
        public var toleranceMicrolitres: Int64
        public var difference: FluidVolume { FluidVolume(microlitres: counted.microlitres - expected.microlitres) }
        public var outcome: Outcome {
            let d = abs(difference.microlitres)
            return d == 0 ? .match : (d <= toleranceMicrolitres ? .variance : .discrepancy)
        }
    }

    public let id: ID
    public var purpose: Purpose
    public var timeOfDay: TimeOfDay
    public var day: CalendarDate
    public var at: Date
    public var by: User.ID
    public var sealed: [SealedLine]
    public var opened: [OpenedLine]

    public var outcome: Outcome { (sealed.map(\.outcome) + opened.map(\.outcome)).max() ?? .match }
    /// The stocks whose count disagrees beyond tolerance.
    public var discrepantStocks: [StockKey] {
        Array(Set(sealed.filter { $0.outcome == .discrepancy }.map(\.stock) + opened.filter { $0.outcome == .discrepancy }.map(\.stock))).sorted()
    }

    /// Compares counts with the vials in stock. `sealedCounts` has a number for every stock with sealed vials and
    /// `openedCounts` a measured volume for every opened vial; a missing one is an error naming it.
    public static func compare(vials: [ControlledSubstanceVial], sealedCounts: [StockKey: Int], openedCounts: [ControlledSubstanceVial.ID: FluidVolume],
                               tolerance: Int64) throws -> (sealed: [SealedLine], opened: [OpenedLine]) {
        var errors = FieldErrors()
        let inStock = vials.filter(\.status.isInStock)
        var sealedByStock: [StockKey: [ControlledSubstanceVial]] = [:]
        for v in inStock where v.status == .sealed { sealedByStock[v.stock, default: []].append(v) }
        // Stocks that were counted but hold no sealed vials by the register (vials the register does not know about).
        var stocks = Set(sealedByStock.keys)
        for key in sealedCounts.keys { stocks.insert(key) }
        var sealed: [SealedLine] = []
        for key in stocks.sorted() {
            guard let counted = sealedCounts[key] else {
                errors.add("sealed[\(key.id)]", "Count the sealed vials of \(key)")
                continue
            }
            if counted < 0 || counted > 100_000 { errors.add("sealed[\(key.id)]", "Must be a whole number of vials from 0"); continue }
            let sample = sealedByStock[key]?.first ?? vials.first { $0.stock == key }
            sealed.append(SealedLine(stock: key, drugName: sample?.drugName ?? "", strength: sample?.strength ?? VialStrength(microgramsPerMillilitre: 0),
                                     vialVolume: sample?.labelledVolume ?? .zero, expected: sealedByStock[key]?.count ?? 0, counted: counted))
        }
        var opened: [OpenedLine] = []
        for v in inStock where v.status == .open {
            guard let counted = openedCounts[v.id] else {
                errors.add("opened[\(v.id.rawValue.uuidString)]", "Measure what is left in the opened vial \(v.stock)")
                continue
            }
            if counted.microlitres < 0 || counted > v.labelledVolume {
                errors.add("opened[\(v.id.rawValue.uuidString)]", "Must be from 0 to the vial's \(v.labelledVolume)")
                continue
            }
            opened.append(OpenedLine(vialID: v.id, stock: v.stock, drugName: v.drugName, strength: v.strength, expected: v.remaining,
                                     counted: counted, toleranceMicrolitres: tolerance))
        }
        try errors.throwIfAny()
        return (sealed, opened)
    }
}

/// A count that disagreed beyond tolerance: draws from the stock are blocked until a second person (never the one who
/// counted) resolves it with a reason.
public struct StockDiscrepancy: Sendable, Hashable, Codable, Identifiable {
    public let id: ID
    public var stock: StockKey
    public var countID: StockCount.ID
    public var raisedAt: Date
    public var raisedBy: User.ID
    /// What differed, in words ("sealed: 4 by the register, 3 counted").
    public var findings: [String]
    public var resolvedAt: Date?
    public var resolvedBy: User.ID?
    public var resolution: String?
    public var isOpen: Bool { resolvedAt == nil }
}

/// A destruction of stock witnessed by two authorised employees (DEA Form 41 fields; clinical-reference §9).
public struct DestructionRecord: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = Tagged<DestructionRecord, UUID>
    public struct Item: Sendable, Hashable, Codable {
        public var vialID: ControlledSubstanceVial.ID
        public var drugName: String
        public var ndc: NationalDrugCode
        public var lot: String
        public var strength: VialStrength
        public var volume: FluidVolume
        public var amount: DrugAmount
        /// Whether a whole sealed vial was destroyed (Form 41 counts packages and partial packages).
        public var wholeSealedVial: Bool
    }
    public let id: ID
    public var day: CalendarDate
    public var at: Date
    public var registrantName: String
    public var deaRegistrationNumber: String
    public var items: [Item]
    public var method: String
    public var reason: String
    /// The two witnesses: the person recording and a second employee who signed in on the same screen.
    public var witnesses: [WitnessConfirmation]
}

/// A theft or significant loss (DEA Form 106 fields; clinical-reference §9).
public struct LossReport: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = Tagged<LossReport, UUID>
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case theft, loss, lostInTransit, other
        public var title: String {
            switch self {
            case .theft: "theft"
            case .loss: "loss"
            case .lostInTransit: "lost in transit"
            case .other: "other"
            }
        }
    }
    public struct Item: Sendable, Hashable, Codable {
        public var vialID: ControlledSubstanceVial.ID
        public var drugName: String
        public var ndc: NationalDrugCode
        public var lot: String
        public var strength: VialStrength
        public var volume: FluidVolume
        public var amount: DrugAmount
    }
    public let id: ID
    public var kind: Kind
    public var discoveredOn: CalendarDate
    public var at: Date
    public var by: User.ID
    public var registrantName: String
    public var deaRegistrationNumber: String
    public var items: [Item]
    public var circumstances: String
    public var policeNotified: Bool
    public var policeReport: String
    /// The notification deadline from the clinic's setting (business days after discovery).
    public var notifyBy: CalendarDate
}

extension CalendarDate {
    /// The date `n` business days (Monday–Friday) after this one.
    public func addingBusinessDays(_ n: Int) -> CalendarDate {
        var d = self, left = n
        while left > 0 {
            d = d.adding(days: 1)
            // 1970-01-01 was a Thursday: weekday index 0 = Monday.
            let weekday = ((d.daysSinceEpoch % 7) + 7 + 3) % 7
            if weekday < 5 { left -= 1 }
        }
        return d
    }
}
