import Foundation

/// One priced thing a self-pay patient may buy: an infusion of a protocol, or an add-on (a consultation, a booster
/// visit, a follow-up), with its service code when there is one.
public struct PriceItem: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// One infusion of a protocol of the library.
        case infusion
        /// Anything else: consultation, booster visit, follow-up, supplies.
        case addOn

        public var title: String { self == .infusion ? "per infusion" : "add-on" }
    }

    /// "protocol:<uuid>" for an infusion, "addon:<uuid>" for an add-on; stable across price-list versions.
    public var id: String
    public var kind: Kind
    public var protocolID: InfusionProtocol.ID?
    /// What the patient reads on the estimate, e.g. "Standard induction — one infusion".
    public var name: String
    /// CPT/HCPCS code(s), e.g. "96365" (clinical-reference §8; descriptors unverified); may be empty.
    public var code: String
    public var unitPrice: Money
    /// Retired items stay on the list (old estimates name them) but are not offered.
    public var active: Bool

    public init(id: String, kind: Kind, protocolID: InfusionProtocol.ID? = nil, name: String, code: String = "", unitPrice: Money, active: Bool = true) {
        self.id = id
        self.kind = kind
        self.protocolID = protocolID
        self.name = name
        self.code = code
        self.unitPrice = unitPrice
        self.active = active
    }

    public static func infusionID(_ p: InfusionProtocol.ID) -> String { "protocol:\(p.rawValue.uuidString)" }
}

/// The clinic's self-pay prices. Each save is a new version; an estimate names the version it was priced from.
public struct PriceList: Sendable, Hashable, Codable {
    public var version: Int
    public var items: [PriceItem]
    public var savedAt: Date?
    public var savedBy: User.ID?

    public init(version: Int = 0, items: [PriceItem] = [], savedAt: Date? = nil, savedBy: User.ID? = nil) {
        self.version = version
        self.items = items
        self.savedAt = savedAt
        self.savedBy = savedBy
    }

    public static let empty = PriceList()

    public func item(_ id: String) -> PriceItem? { items.first { $0.id == id } }

    /// Items offered on new estimates: infusions first, then add-ons, each by name.
    public var offered: [PriceItem] {
        items.filter(\.active).sorted { ($0.kind == .infusion ? 0 : 1, $0.name) < ($1.kind == .infusion ? 0 : 1, $1.name) }
    }
}

/// One row of the price-list editor as typed: blank price on a new add-on row means "no row".
public struct PriceItemForm: Sendable, Hashable {
    /// Empty for a new add-on.
    public var id: String
    public var kind: PriceItem.Kind
    public var protocolID: InfusionProtocol.ID?
    public var name: String
    public var code: String
    public var price: String
    public var active: Bool

    public init(id: String = "", kind: PriceItem.Kind, protocolID: InfusionProtocol.ID? = nil, name: String, code: String = "", price: String, active: Bool = true) {
        self.id = id
        self.kind = kind
        self.protocolID = protocolID
        self.name = name
        self.code = code
        self.price = price
        self.active = active
    }
}

/// The clinic's self-pay settings: its currency, who issues estimates, and the No Surprises Act dispute figure.
public struct SelfPaySettings: Sendable, Hashable, Codable {
    public var currency: ClinicCurrency = .usd
    /// A self-pay patient may start patient-provider dispute resolution when the bill is at least this much above the
    /// good-faith estimate (No Surprises Act, 45 CFR 149.620: $400 when written; our clinical reference does not list
    /// it, so it is a setting — check current CMS guidance).
    public var disputeThreshold: Money = Money(cents: 40_000)
    /// The convening provider named on estimates (the NSA asks for name, NPI, TIN and the state of service).
    public var providerName: String = ""
    public var providerNPI: String = ""
    public var providerTIN: String = ""
    public var providerAddress: String = ""

    public init() {}
    public static let standard = SelfPaySettings()
}
