import Foundation

/// A current medicine. Opioids carry a daily amount so their morphine milligram equivalents can be totalled.
public struct Medication: Sendable, Hashable, Codable {
    public var name: String
    /// The opioid, when this medicine is one; `nil` for non-opioids.
    public var opioid: Opioid?
    public var route: Route
    /// Total daily dose in the opioid's unit (mg/day, or µg/h for a fentanyl patch).
    public var dailyAmount: Double?
    public var sig: String

    public enum Route: String, Sendable, Hashable, Codable, CaseIterable {
        case oral, transdermal, parenteral, sublingual, other
    }

    public init(name: String, opioid: Opioid? = nil, route: Route = .oral, dailyAmount: Double? = nil, sig: String = "") {
        self.name = name
        self.opioid = opioid
        self.route = route
        self.dailyAmount = dailyAmount
        self.sig = sig
    }

    /// The unit of the daily amount: µg/h for patches, mg/day otherwise.
    public var dailyUnit: String { route == .transdermal ? "µg/h" : "mg/day" }

    /// Morphine milligram equivalents per day, or why none can be given.
    public var mme: MMEValue {
        guard let opioid else { return .notOpioid }
        guard let factor = opioid.conversionFactor(route: route) else { return .noFactor }
        guard let dailyAmount else { return .noDose }
        return .value(dailyAmount * factor)
    }
}

/// One medicine's contribution to the MME total.
public enum MMEValue: Sendable, Hashable {
    case notOpioid
    /// CDC 2022 gives no factor for this drug or route: shown as "no factor", never counted as 0.
    case noFactor
    case noDose
    case value(Double)

    public var display: String {
        switch self {
        case .notOpioid: "—"
        case .noFactor: "no factor"
        case .noDose: "no daily dose"
        case .value(let v): "\(Format.decimal(v, places: v.rounded() == v ? 0 : 1)) MME/day"
        }
    }
}

/// Opioids with CDC 2022 conversion factors, plus those CDC gives none for.
public enum Opioid: String, Sendable, Hashable, Codable, CaseIterable {
    case codeine, fentanylPatch, hydrocodone, hydromorphone, methadone, morphine, oxycodone, oxymorphone,
         tapentadol, tramadol, buprenorphine, otherOpioid

    /// MME conversion factor (Dowell D et al. CDC Clinical Practice Guideline for Prescribing Opioids for Pain,
    /// MMWR Recomm Rep 2022;71(3), Table; clinical-reference §7). Oral routes unless stated; fentanyl patch per µg/h.
    /// `nil` where CDC gives no factor (buprenorphine, parenteral routes, …).
    public func conversionFactor(route: Medication.Route) -> Double? {
        switch (self, route) {
        case (.fentanylPatch, .transdermal): 2.4
        case (.fentanylPatch, _): nil
        case (_, .oral):
            switch self {
            case .codeine: 0.15
            case .hydrocodone: 1
            case .hydromorphone: 5
            case .methadone: 4.7
            case .morphine: 1
            case .oxycodone: 1.5
            case .oxymorphone: 3
            case .tapentadol: 0.4
            case .tramadol: 0.2
            case .buprenorphine, .otherOpioid, .fentanylPatch: nil
            }
        default: nil
        }
    }

    /// The unit of the daily amount.
    public var dailyUnit: String { self == .fentanylPatch ? "µg/h" : "mg/day" }

    public var title: String {
        switch self {
        case .codeine: "Codeine"
        case .fentanylPatch: "Fentanyl patch"
        case .hydrocodone: "Hydrocodone"
        case .hydromorphone: "Hydromorphone"
        case .methadone: "Methadone"
        case .morphine: "Morphine"
        case .oxycodone: "Oxycodone"
        case .oxymorphone: "Oxymorphone"
        case .tapentadol: "Tapentadol"
        case .tramadol: "Tramadol"
        case .buprenorphine: "Buprenorphine"
        case .otherOpioid: "Other opioid"
        }
    }
}

/// The total MME/day of a medication list, with the medicines it could not count.
public struct MMESummary: Sendable, Hashable {
    public var total: Double
    /// Opioids left out of the total because CDC gives no factor (or no daily dose is charted): warn visibly.
    public var uncounted: [String]

    public init(_ medications: [Medication]) {
        var total = 0.0
        var uncounted: [String] = []
        for m in medications {
            switch m.mme {
            case .value(let v): total += v
            case .noFactor, .noDose: uncounted.append(m.name)
            case .notOpioid: break
            }
        }
        self.total = total
        self.uncounted = uncounted
    }

    public var display: String { "\(Format.decimal(total, places: total.rounded() == total ? 0 : 1)) MME/day" }
}
